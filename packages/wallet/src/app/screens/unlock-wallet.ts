import { isTesseraError } from '@tessera/shared';
import { openProfile } from '../../index.ts';
import type { Screen } from '../app.ts';
import { button, field, formMessage, linkButton, screen } from '../layout.ts';
import { h } from '../view.ts';

/**
 * The locked screen: "Wallet locked" and a PIN field, nothing else from the wallet, not even the
 * name of whose it is, so a phone that is picked up, searched or handed over shows no one's
 * papers or name. "Another wallet" leads to the picker.
 */
export const unlockWallet: Screen = (app) => {
  const { t } = app.translator;
  const profile = app.profile;
  if (profile === undefined) {
    void app.entryHash().then((hash) => app.navigate(hash));
    return h('section');
  }
  const pin = field('pin', t('unlock.pin'), { type: 'password', autocomplete: 'current-password', required: true });
  const message = formMessage();
  const submit = button(t('unlock.submit'), { type: 'submit', iconName: 'lock' });
  const form = h('form', { class: 'form', novalidate: true }, pin.wrapper, message.element, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (pin.input.value === '') {
      message.error(t('unlock.wrong_pin'));
      pin.input.focus();
      return;
    }
    submit.disabled = true;
    message.progress(t('unlock.working'));
    try {
      const wallet = await openProfile({ store: app.store, profile, passphrase: pin.input.value });
      app.opened(wallet);
      app.navigate('#/home');
    } catch (error) {
      submit.disabled = false;
      pin.input.value = '';
      pin.input.focus();
      message.error(t(isTesseraError(error) && error.code === 'wrong_passphrase' ? 'unlock.wrong_pin' : 'error.unknown'));
    }
  });
  return screen(app, {
    title: t('unlock.title'),
    children: [form, linkButton(t('unlock.other_wallet'), '#/profiles'), linkButton(t('unlock.forgot'), '#/forgot')],
  });
};
