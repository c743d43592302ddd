import type { Screen } from '../app.ts';
import { button, linkButton, screen } from '../layout.ts';
import { h } from '../view.ts';

/** Settings: language, what the wallet does, backup, changing the PIN, lock now, and the first step of deleting the wallet. */
export const settings: Screen = (app) => {
  const { t } = app.translator;
  return screen(app, {
    title: t('settings.title'),
    back: '#/home',
    children: [
      h(
        'nav',
        { class: 'actions' },
        linkButton(t('settings.language'), '#/language'),
        linkButton(t('settings.about'), '#/about'),
        linkButton(t('settings.backup'), '#/settings/backup', { iconName: 'download' }),
        linkButton(t('settings.change_pin'), '#/settings/pin', { iconName: 'lock' }),
        button(t('settings.lock'), { kind: 'secondary', iconName: 'lock', onclick: () => app.lock() }),
      ),
      h(
        'div',
        { class: 'danger-zone' },
        h('p', { id: 'wipe-hint', class: 'hint' }, t('settings.wipe_hint')),
        h('a', { class: 'button danger', href: '#/settings/wipe', 'aria-describedby': 'wipe-hint' }, t('settings.wipe')),
      ),
    ],
  });
};
