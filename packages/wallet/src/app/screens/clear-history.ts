import type { Screen } from '../app.ts';
import { clearHistory } from '../history-view.ts';
import { screen, twoStepConfirm } from '../layout.ts';
import { h } from '../view.ts';

/**
 * The second of two steps that clear the history: what goes in plain words, then "Yes, clear it"
 * and "No, keep it" side by side. Documents stay; only the log of what was received, shared and
 * refused is deleted from the wallet.
 */
export const clearHistoryScreen: Screen = (app) => {
  const { t } = app.translator;
  return screen(app, {
    title: t('clear.title'),
    back: '#/history',
    children: [
      h('p', { class: 'warning' }, t('clear.warning')),
      ...twoStepConfirm(app, {
        confirm: t('clear.confirm'),
        keep: t('clear.keep'),
        keepHref: '#/history',
        working: t('clear.working'),
        target: () => {
          // The wallet locked meanwhile: the locked screen, not a silent button.
          if (app.wallet === undefined) app.lock();
          return app.wallet;
        },
        act: async (wallet) => {
          await clearHistory(wallet);
          app.notice = t('clear.done');
          app.navigate('#/history');
        },
      }),
    ],
  });
};
