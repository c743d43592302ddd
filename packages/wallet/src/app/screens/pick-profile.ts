import type { Screen } from '../app.ts';
import { icon } from '../icons.ts';
import { linkButton, screen } from '../layout.ts';
import { h } from '../view.ts';

/**
 * Several people, one phone: each wallet is a profile with its own PIN. The picker shows the
 * names the holders chose (or "Wallet 2"), never anything from inside a wallet.
 */
export const pickProfile: Screen = async (app) => {
  const { t } = app.translator;
  const entries = app.labels.entries(await app.store.listProfiles());
  return screen(app, {
    title: t('profiles.title'),
    children: [
      h('p', { class: 'lead' }, t('profiles.intro')),
      h(
        'ul',
        { class: 'profile-list' },
        ...entries.map((entry) =>
          h(
            'li',
            {},
            h(
              'button',
              {
                type: 'button',
                class: 'profile',
                dir: 'auto',
                onclick: () => {
                  app.selectProfile(entry.id);
                  app.navigate('#/unlock');
                },
              },
              h('span', {}, entry.name ?? t('profiles.unnamed', { number: entry.number })),
              icon('forward'),
            ),
          ),
        ),
      ),
      linkButton(t('profiles.new'), '#/create', { iconName: 'plus' }),
      linkButton(t('restore.link'), '#/restore', { iconName: 'upload' }),
    ],
  });
};
