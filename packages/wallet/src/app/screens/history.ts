import type { Screen } from '../app.ts';
import { fileDay, saveFile } from '../downloads.ts';
import { filterHistory, HISTORY_FILTERS, type HistoryItem, historyExport, historyItems } from '../history-view.ts';
import type { AppTranslator } from '../i18n.ts';
import { button, screen } from '../layout.ts';
import { h, replace } from '../view.ts';

/**
 * The holder's history (issue 6 §1): what was received, shared and refused, when, with whom,
 * why, which information by name (never its value), and what the other side answered; newest
 * first, filtered by kind, saved as a JSON file on request, and cleared in two steps.
 */
export const historyScreen: Screen = async (app) => {
  const { t } = app.translator;
  const wallet = app.wallet;
  const entries = wallet === undefined ? [] : await wallet.history.list();
  const items = historyItems(entries, wallet === undefined ? [] : await wallet.records.list('credential'), app.translator.locale);
  const list = h('div', { class: 'history-list' });
  const show = (filter: 'all' | HistoryItem['kind']): void => {
    const shown = filterHistory(items, filter);
    replace(
      list,
      shown.length === 0
        ? h('p', { class: 'empty' }, t('history.empty'))
        : h('ol', { class: 'history' }, ...shown.map((item) => h('li', {}, historyEntry(app.translator, item)))),
    );
  };
  const filters = h(
    'fieldset',
    { class: 'filters' },
    h('legend', {}, t('history.filter')),
    ...HISTORY_FILTERS.map((filter) =>
      h(
        'label',
        { class: 'filter' },
        h('input', {
          type: 'radio',
          name: 'history-filter',
          value: filter,
          checked: filter === 'all',
          onchange: () => show(filter),
        }),
        h('span', {}, t(`history.filter.${filter}`)),
      ),
    ),
  );
  show('all');
  return screen(app, {
    title: t('history.title'),
    back: '#/home',
    children: [
      h('p', { class: 'lead' }, t('history.intro')),
      filters,
      list,
      entries.length === 0
        ? null
        : button(t('history.export'), {
            kind: 'secondary',
            iconName: 'download',
            onclick: () => saveFile(`tessera-history-${fileDay(Date.now())}.json`, historyExport(entries, Date.now())),
          }),
      entries.length === 0
        ? null
        : h(
            'div',
            { class: 'danger-zone' },
            h('p', { id: 'clear-hint', class: 'hint' }, t('history.clear_hint')),
            h('a', { class: 'button danger', href: '#/history/clear', 'aria-describedby': 'clear-hint' }, t('history.clear')),
          ),
    ],
  });
};

function historyEntry(translator: AppTranslator, item: HistoryItem): HTMLElement {
  const { t } = translator;
  const verifier =
    item.verifier === undefined
      ? t('history.unknown_verifier')
      : item.verifierVerified
        ? item.verifier
        : t('history.unverified', { name: item.verifier });
  const date = translator.formatDate(item.at, { dateStyle: 'medium', timeStyle: 'short' });
  return h(
    'article',
    { class: `history-entry ${item.kind}` },
    h('h2', { dir: 'auto' }, t(item.title, { document: item.document ?? t('history.unknown_document'), verifier })),
    h('p', { class: 'hint' }, h('time', { datetime: new Date(item.at).toISOString() }, date)),
    item.issuer === undefined ? null : h('p', { dir: 'auto' }, t('history.from', { issuer: item.issuer })),
    item.purpose === undefined ? null : h('p', { dir: 'auto' }, t('history.purpose', { purpose: item.purpose })),
    item.claims.length === 0
      ? null
      : h(
          'p',
          { dir: 'auto' },
          t('history.claims', {
            claims: new Intl.ListFormat(translator.locale, { type: 'unit' }).format(item.claims),
          }),
        ),
    item.outcome === undefined ? null : h('p', {}, t(item.outcome)),
  );
}
