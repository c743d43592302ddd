import { wipeProfile } from '../../index.ts';
import type { Screen } from '../app.ts';
import { button, formMessage, linkButton, screen } from '../layout.ts';
import { h } from '../view.ts';

/**
 * The second of the two steps that delete a wallet (issue 6 §1): the consequences in plain words,
 * then "Yes, delete everything" and "No, keep my wallet" side by side. The library wipes the
 * header with its wrapped key and every record (`wipeProfile`, confirmed with the profile id).
 */
export const wipeWallet: Screen = (app) => {
  const { t } = app.translator;
  const message = formMessage();
  const confirm = button(t('wipe.confirm'), {
    kind: 'danger',
    onclick: async () => {
      const wallet = app.wallet;
      if (wallet === undefined) return;
      confirm.disabled = true;
      message.progress(t('wipe.working'));
      const profile = wallet.profile;
      try {
        await wipeProfile({ store: app.store, profile, confirmation: profile });
        app.labels.remove(profile);
        app.selectProfile(undefined);
        app.notice = t('wipe.done');
        app.lock();
      } catch {
        confirm.disabled = false;
        message.error(t('error.unknown'));
      }
    },
  });
  return screen(app, {
    title: t('wipe.title'),
    back: '#/settings',
    children: [
      h('p', { class: 'warning' }, t('wipe.warning')),
      message.element,
      h('div', { class: 'choice' }, confirm, linkButton(t('wipe.keep'), '#/settings', { kind: 'secondary' })),
    ],
  });
};
