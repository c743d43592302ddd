import type { Screen } from '../app.ts';
import { LANGUAGES } from '../i18n.ts';
import { screen } from '../layout.ts';
import { h } from '../view.ts';

/**
 * The first screen: every language named in its own language and script, each in its own `lang`
 * so screen readers pronounce it and the right font is used. No flags: a flag names a country.
 */
export const chooseLanguage: Screen = (app) => {
  const { t, locale } = app.translator;
  const list = h(
    'ul',
    { class: 'language-list' },
    ...LANGUAGES.map(({ tag, endonym }) =>
      h(
        'li',
        {},
        h(
          'button',
          {
            type: 'button',
            class: 'language',
            lang: tag,
            dir: 'auto',
            'aria-current': tag === locale ? 'true' : undefined,
            onclick: () => void app.chooseLanguage(tag),
          },
          endonym,
        ),
      ),
    ),
  );
  return screen(app, {
    title: t('language.title'),
    back: app.wallet === undefined ? undefined : '#/settings',
    children: [h('p', { class: 'lead' }, t('language.hint')), list],
  });
};
