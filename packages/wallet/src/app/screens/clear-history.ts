import type { Screen } from '../app.ts';
import { clearHistory } from '../history-view.ts';
import { button, formMessage, linkButton, screen } from '../layout.ts';
import { h } from '../view.ts';

/**
 * The second of two steps that clear the history: what goes in plain words, then "Yes, clear it"
 * and "No, keep it" side by side. Documents stay; only the log of what was received, shared and
 * refused is deleted from the wallet.
 */
export const clearHistoryScreen: Screen = (app) => {
  const { t } = app.translator;
  const message = formMessage();
  const confirm = button(t('clear.confirm'), {
    kind: 'danger',
    onclick: async () => {
      const wallet = app.wallet;
      if (wallet === undefined) return app.lock();
      confirm.disabled = true;
      message.progress(t('clear.working'));
      try {
        await clearHistory(wallet);
        app.notice = t('clear.done');
        app.navigate('#/history');
      } catch {
        confirm.disabled = false;
        message.error(t('error.unknown'));
      }
    },
  });
  return screen(app, {
    title: t('clear.title'),
    back: '#/history',
    children: [
      h('p', { class: 'warning' }, t('clear.warning')),
      message.element,
      h('div', { class: 'choice' }, confirm, linkButton(t('clear.keep'), '#/history', { kind: 'secondary' })),
    ],
  });
};
