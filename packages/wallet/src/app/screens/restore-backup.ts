import { isTesseraError } from '@tessera/shared';
import { importBackup } from '../../index.ts';
import type { Screen } from '../app.ts';
import { noteBackup } from '../backup-reminder.ts';
import { button, field, formMessage, screen } from '../layout.ts';
import { newProfileId } from '../profile-labels.ts';
import { h } from '../view.ts';
import { newProfileFields, pinsRefused } from './create-profile.ts';

/** The library reads backups of at most 64 Mi characters (docs/wallet.md, "Backup file"). */
const MAX_BACKUP_BYTES = 64 * 1024 * 1024;

/**
 * "Restore from a backup" (from the profile picker and from onboarding): the backup file, its
 * backup password, an optional name and a new PIN for this phone. The library checks the whole
 * file before it writes one batch (`importBackup`), so a wrong password or a damaged file
 * creates nothing.
 */
export const restoreBackup: Screen = async (app) => {
  const { t } = app.translator;
  const hasProfiles = (await app.store.listProfiles()).length > 0;
  const file = field('backup-file', t('restore.file'), { type: 'file', accept: '.json,.tessera,application/json' });
  const backupPassphrase = field('restore-passphrase', t('restore.passphrase'), {
    type: 'password',
    autocomplete: 'off',
    required: true,
  });
  const { name, pin, again } = newProfileFields(app);
  const message = formMessage();
  const submit = button(t('restore.submit'), { type: 'submit', iconName: 'upload' });
  const form = h(
    'form',
    { class: 'form', novalidate: true },
    file.wrapper,
    backupPassphrase.wrapper,
    name.wrapper,
    pin.wrapper,
    again.wrapper,
    message.element,
    submit,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const chosen = file.input.files?.[0];
    if (chosen === undefined || chosen.size === 0) {
      message.error(t('restore.no_file'));
      file.input.focus();
      return;
    }
    if (chosen.size > MAX_BACKUP_BYTES) {
      message.error(t('restore.invalid'));
      return;
    }
    if (pinsRefused(app, { pin: pin.input, again: again.input }, message)) return;
    submit.disabled = true;
    message.progress(t('restore.working'));
    try {
      const profile = newProfileId();
      const wallet = await importBackup({
        backup: await chosen.text(),
        backupPassphrase: backupPassphrase.input.value.normalize('NFC'),
        store: app.store,
        profile,
        passphrase: pin.input.value,
      });
      // Everything in it came from a backup, so the home screen need not remind of one.
      await noteBackup(wallet).catch(() => undefined);
      app.labels.add(profile, name.input.value, Date.now());
      app.selectProfile(profile);
      app.opened(wallet);
      app.navigate('#/home');
    } catch (error) {
      submit.disabled = false;
      const code = isTesseraError(error) ? error.code : undefined;
      if (code === 'wrong_passphrase') {
        message.error(t('restore.wrong_passphrase'));
        backupPassphrase.input.value = '';
        backupPassphrase.input.focus();
      } else message.error(t(code === 'backup_invalid' ? 'restore.invalid' : 'error.unknown'));
    }
  });
  return screen(app, {
    title: t('restore.title'),
    back: hasProfiles ? '#/profiles' : '#/create',
    children: [h('p', { class: 'lead' }, t('restore.intro')), form],
  });
};
