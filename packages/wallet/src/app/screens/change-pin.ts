import type { Screen } from '../app.ts';
import { changePin } from '../change-pin.ts';
import { button, field, formMessage, screen } from '../layout.ts';
import { h } from '../view.ts';
import { MIN_PIN_LENGTH } from './create-profile.ts';

/**
 * Settings → "Change the PIN": the PIN in use, then the new one twice. A wrong current PIN says
 * so and changes nothing (the library checks it by unwrapping the wallet's key with it).
 */
export const changePinScreen: Screen = (app) => {
  const { t } = app.translator;
  const current = field('current-pin', t('pin.current'), { type: 'password', autocomplete: 'current-password', required: true });
  const next = field(
    'new-pin',
    t('pin.new'),
    { type: 'password', autocomplete: 'new-password', required: true },
    t('create.pin_hint', { min: MIN_PIN_LENGTH }),
  );
  const again = field('new-pin-again', t('pin.new_again'), { type: 'password', autocomplete: 'new-password', required: true });
  const message = formMessage();
  const submit = button(t('pin.submit'), { type: 'submit', iconName: 'lock' });
  const form = h(
    'form',
    { class: 'form', novalidate: true },
    current.wrapper,
    next.wrapper,
    again.wrapper,
    message.element,
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const wallet = app.wallet;
    if (wallet === undefined) return app.lock();
    submit.disabled = true;
    message.progress(t('pin.working'));
    const result = await changePin(wallet, {
      current: current.input.value,
      next: next.input.value,
      again: again.input.value,
    });
    submit.disabled = false;
    if (result.changed) {
      for (const input of [current.input, next.input, again.input]) input.value = '';
      app.notice = t('pin.done');
      app.navigate('#/settings');
      return;
    }
    message.error(t(result.problem, { min: MIN_PIN_LENGTH }));
    const inputs = { current: current.input, next: next.input, again: again.input };
    // The field to type again is emptied; a wrong current PIN leaves the new one as typed.
    if (result.field !== 'current') again.input.value = '';
    inputs[result.field].value = '';
    inputs[result.field].focus();
  });
  return screen(app, {
    title: t('pin.title'),
    back: '#/settings',
    children: [h('p', { class: 'lead' }, t('pin.intro')), form],
  });
};
