import { exportBackup } from '../../index.ts';
import type { Screen } from '../app.ts';
import { noteBackup } from '../backup-reminder.ts';
import { fileDay, saveFile } from '../downloads.ts';
import { button, field, formMessage, screen } from '../layout.ts';
import { h } from '../view.ts';

/**
 * The shortest backup password: longer than a PIN, because the file may leave the phone and then
 * only the password (scrypt N=2^17, docs/wallet.md "Backup file") slows down guessing.
 */
export const MIN_BACKUP_PASSPHRASE_LENGTH = 8;

/** Why two backup password entries cannot be used, or `undefined` when they can. */
export function backupPassphraseProblem(passphrase: string, again: string): 'backup.too_short' | 'backup.mismatch' | undefined {
  if ([...passphrase.normalize('NFC')].length < MIN_BACKUP_PASSPHRASE_LENGTH) return 'backup.too_short';
  if (passphrase.normalize('NFC') !== again.normalize('NFC')) return 'backup.mismatch';
  return undefined;
}

/**
 * Settings → "Back up this wallet": a backup password typed twice, then the library's encrypted
 * export (`exportBackup`: every record re-encrypted under a key only that password opens) saved
 * as a file in the phone's downloads.
 */
export const backUpWallet: Screen = (app) => {
  const { t } = app.translator;
  const min = MIN_BACKUP_PASSPHRASE_LENGTH;
  const passphrase = field(
    'backup-passphrase',
    t('backup.passphrase'),
    { type: 'password', autocomplete: 'new-password', required: true },
    t('backup.passphrase_hint', { min }),
  );
  const again = field('backup-passphrase-again', t('backup.passphrase_again'), {
    type: 'password',
    autocomplete: 'new-password',
    required: true,
  });
  const message = formMessage();
  const submit = button(t('backup.submit'), { type: 'submit', iconName: 'download' });
  const form = h('form', { class: 'form', novalidate: true }, passphrase.wrapper, again.wrapper, message.element, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const wallet = app.wallet;
    if (wallet === undefined) return app.lock();
    const problem = backupPassphraseProblem(passphrase.input.value, again.input.value);
    if (problem !== undefined) {
      message.error(t(problem, { min }));
      again.input.value = '';
      (problem === 'backup.too_short' ? passphrase.input : again.input).focus();
      return;
    }
    submit.disabled = true;
    message.progress(t('backup.working'));
    try {
      const file = await exportBackup(wallet, { passphrase: passphrase.input.value.normalize('NFC') });
      saveFile(`tessera-wallet-backup-${fileDay(Date.now())}.json`, file);
      await noteBackup(wallet).catch(() => undefined);
      passphrase.input.value = '';
      again.input.value = '';
      message.progress(t('backup.done'));
    } catch {
      message.error(t('error.unknown'));
    } finally {
      submit.disabled = false;
    }
  });
  return screen(app, {
    title: t('backup.title'),
    back: '#/settings',
    children: [h('p', { class: 'lead' }, t('backup.intro')), form],
  });
};
