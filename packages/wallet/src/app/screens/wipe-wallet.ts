import { wipeProfile } from '../../index.ts';
import type { Screen } from '../app.ts';
import { screen, twoStepConfirm } from '../layout.ts';
import { h } from '../view.ts';

/**
 * The second of the two steps that delete a wallet (issue 6 §1): the consequences in plain words,
 * then "Yes, delete everything" and "No, keep my wallet" side by side. The library wipes the
 * header with its wrapped key and every record (`wipeProfile`, confirmed with the profile id).
 */
export const wipeWallet: Screen = (app) => {
  const { t } = app.translator;
  return screen(app, {
    title: t('wipe.title'),
    back: '#/settings',
    children: [
      h('p', { class: 'warning' }, t('wipe.warning')),
      ...twoStepConfirm(app, {
        confirm: t('wipe.confirm'),
        keep: t('wipe.keep'),
        keepHref: '#/settings',
        working: t('wipe.working'),
        target: () => app.wallet,
        act: async ({ profile }) => {
          await wipeProfile({ store: app.store, profile, confirmation: profile });
          app.labels.remove(profile);
          app.selectProfile(undefined);
          app.notice = t('wipe.done');
          app.lock();
        },
      }),
    ],
  });
};
