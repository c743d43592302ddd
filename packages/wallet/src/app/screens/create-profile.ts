import { createProfile } from '../../index.ts';
import type { App, Screen } from '../app.ts';
import { button, field, formMessage, linkButton, screen } from '../layout.ts';
import { newProfileId } from '../profile-labels.ts';
import { h } from '../view.ts';

/** The shortest PIN or passphrase the app accepts: six digits, like a phone's own PIN. */
export const MIN_PIN_LENGTH = 6;

/** Why two PIN entries cannot be used, or `undefined` when they can. */
export function pinProblem(pin: string, again: string): 'create.pin_too_short' | 'create.pin_mismatch' | undefined {
  if ([...pin.normalize('NFC')].length < MIN_PIN_LENGTH) return 'create.pin_too_short';
  if (pin.normalize('NFC') !== again.normalize('NFC')) return 'create.pin_mismatch';
  return undefined;
}

type Field = ReturnType<typeof field>;

/**
 * The fields of a new wallet, on onboarding and on restore alike: an optional name (kept on this
 * phone only) and the PIN twice.
 */
export function newProfileFields(app: App): { name: Field; pin: Field; again: Field } {
  const { t } = app.translator;
  return {
    name: field(
      'name',
      t('create.name'),
      { type: 'text', autocomplete: 'off', maxlength: '40', dir: 'auto' },
      t('create.name_hint'),
    ),
    pin: field(
      'pin',
      t('create.pin'),
      { type: 'password', autocomplete: 'new-password', required: true },
      t('create.pin_hint', { min: MIN_PIN_LENGTH }),
    ),
    again: field('pin-again', t('create.pin_again'), { type: 'password', autocomplete: 'new-password', required: true }),
  };
}

/**
 * Whether the two PIN entries are refused (`pinProblem`); if so the form says why, the second
 * entry is emptied and the field to fix takes focus.
 */
export function pinsRefused(
  app: App,
  { pin, again }: { pin: HTMLInputElement; again: HTMLInputElement },
  message: ReturnType<typeof formMessage>,
): boolean {
  const problem = pinProblem(pin.value, again.value);
  if (problem === undefined) return false;
  message.error(app.translator.t(problem, { min: MIN_PIN_LENGTH }));
  again.value = '';
  (problem === 'create.pin_too_short' ? pin : again).focus();
  return true;
}

/**
 * Making a wallet: an optional name (kept on this phone only, to tell wallets apart), and the PIN
 * twice. The profile id is random; the PIN derives the key with the library's default scrypt
 * (a few seconds on a cheap phone, which is also what slows down guessing).
 */
export const createProfileScreen: Screen = async (app) => {
  const { t } = app.translator;
  const hasProfiles = (await app.store.listProfiles()).length > 0;
  const { name, pin, again } = newProfileFields(app);
  const message = formMessage();
  const submit = button(t('create.submit'), { type: 'submit' });
  const form = h('form', { class: 'form', novalidate: true }, name.wrapper, pin.wrapper, again.wrapper, message.element, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (pinsRefused(app, { pin: pin.input, again: again.input }, message)) return;
    submit.disabled = true;
    message.progress(t('create.working'));
    try {
      const profile = newProfileId();
      const wallet = await createProfile({ store: app.store, profile, passphrase: pin.input.value });
      app.labels.add(profile, name.input.value, Date.now());
      app.selectProfile(profile);
      app.opened(wallet);
      app.navigate('#/about');
    } catch {
      submit.disabled = false;
      message.error(t('error.unknown'));
    }
  });
  return screen(app, {
    title: t('create.title'),
    back: hasProfiles ? '#/profiles' : '#/language',
    // A holder whose phone was lost starts here too: the restore is one tap from onboarding.
    children: [
      h('p', { class: 'lead' }, t('create.intro')),
      form,
      hasProfiles ? null : linkButton(t('restore.link'), '#/restore', { iconName: 'upload' }),
    ],
  });
};
