import type { Screen } from '../app.ts';
import type { AppMessageKey } from '../i18n.ts';
import { linkButton, screen } from '../layout.ts';
import { h } from '../view.ts';

const DOES: readonly AppMessageKey[] = ['about.does_keep', 'about.does_ask', 'about.does_little'];
const DOES_NOT: readonly AppMessageKey[] = ['about.not_send', 'about.not_track', 'about.not_recover', 'about.not_replace'];

/** What the wallet does and does not do, in short plain sentences (onboarding, and from settings). */
export const aboutWallet: Screen = (app) => {
  const { t } = app.translator;
  const list = (keys: readonly AppMessageKey[]): HTMLElement =>
    h('ul', { class: 'plain-list' }, ...keys.map((key) => h('li', {}, t(key))));
  return screen(app, {
    title: t('about.title'),
    children: [
      h('h2', {}, t('about.does')),
      list(DOES),
      h('h2', {}, t('about.does_not')),
      list(DOES_NOT),
      linkButton(t('about.done'), '#/home', { kind: 'primary' }),
    ],
  });
};
