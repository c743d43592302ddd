import { wipeProfile } from '../../index.ts';
import type { App, Screen } from '../app.ts';
import { linkButton, screen, twoStepConfirm } from '../layout.ts';
import { h } from '../view.ts';

/**
 * "Forgot your PIN?" from the locked screen (issue 6 §1 "Safety"). The PIN derives the only key
 * that opens the wallet (docs/wallet.md "Keys"), so nobody can recover it; what is left is to
 * delete this wallet, in two steps, and restore a backup or start again. Like the locked screen,
 * these screens show nothing from inside any wallet and name no one.
 */
export const forgotPin: Screen = (app) => {
  const { t } = app.translator;
  if (app.profile === undefined || app.wallet !== undefined) return elsewhere(app);
  return screen(app, {
    title: t('forgot.title'),
    back: '#/unlock',
    children: [
      h('p', { class: 'lead' }, t('forgot.explain')),
      h('p', {}, t('forgot.option')),
      h('p', { class: 'hint' }, t('forgot.others')),
      h(
        'div',
        { class: 'choice' },
        linkButton(t('forgot.delete'), '#/forgot/wipe', { kind: 'secondary' }),
        linkButton(t('forgot.remembered'), '#/unlock', { kind: 'secondary' }),
      ),
    ],
  });
};

/**
 * The second step: the consequences (as in Settings → "Delete this wallet"), then "Yes, delete
 * everything" and "No, keep my wallet". Only the wallet the locked screen opens is wiped
 * (`wipeProfile` with its id as confirmation, which needs no PIN); then the restore screen.
 */
export const forgotPinWipe: Screen = (app) => {
  const { t } = app.translator;
  const profile = app.profile;
  if (profile === undefined || app.wallet !== undefined) return elsewhere(app);
  return screen(app, {
    title: t('wipe.title'),
    back: '#/forgot',
    children: [
      h('p', { class: 'warning' }, t('wipe.warning')),
      h('p', { class: 'hint' }, t('forgot.others')),
      ...twoStepConfirm(app, {
        confirm: t('wipe.confirm'),
        keep: t('wipe.keep'),
        keepHref: '#/unlock',
        working: t('wipe.working'),
        target: () => profile,
        act: async (chosen) => {
          await wipeProfile({ store: app.store, profile: chosen, confirmation: chosen });
          app.labels.remove(chosen);
          app.selectProfile(undefined);
          app.notice = t('forgot.done');
          app.navigate('#/restore');
        },
      }),
    ],
  });
};

/** Only a locked wallet is forgotten: an open one goes home, no chosen wallet to the start. */
function elsewhere(app: App): HTMLElement {
  if (app.wallet !== undefined) app.navigate('#/home');
  else void app.entryHash().then((hash) => app.navigate(hash));
  return h('section');
}
