import type { Screen } from '../app.ts';
import { linkButton, screen } from '../layout.ts';
import { h } from '../view.ts';

/**
 * The receipt after sharing or refusing: what was shared, with whom, and what the verifier
 * answered, in plain words; or that nothing was shared. The same facts are in the history.
 */
export const shareReceiptScreen: Screen = (app) => {
  const { t } = app.translator;
  const receipt = app.share.receipt;
  if (receipt === undefined) {
    app.navigate('#/home');
    return h('section');
  }
  const verifier = receipt.verifier.verified ? receipt.verifier.name : t('receipt.unverified_desk');
  const lines: HTMLElement[] = [];
  if (receipt.kind === 'shared') {
    lines.push(
      h('p', { dir: 'auto' }, t('receipt.shared_with', { verifier })),
      h('ul', { class: 'claim-list' }, ...receipt.claims.map((label) => h('li', { class: 'claim-row', dir: 'auto' }, label))),
    );
    if (receipt.outcome === 'accepted') lines.push(h('p', { class: 'outcome accepted' }, t('receipt.accepted')));
    else if (receipt.outcome === 'refused') {
      lines.push(
        h('p', { class: 'outcome refused' }, t('receipt.refused')),
        h('p', {}, t(receipt.reason ?? 'receipt.reason.other')),
      );
    } else lines.push(h('p', { class: 'warning' }, t('receipt.not_delivered')));
  } else {
    lines.push(
      h(
        'p',
        { dir: 'auto' },
        receipt.outcome === 'not_delivered' ? t('receipt.declined_not_delivered') : t('receipt.declined', { verifier }),
      ),
    );
  }
  return screen(app, {
    title: t(receipt.kind === 'shared' ? 'receipt.title_shared' : 'receipt.title_declined'),
    children: [
      // Said with the title, as one text in reading order, by the screen announcer: as a live
      // region of its own, Orca read it piece by piece in no fixed order (screen-reader pass, F-3).
      h('div', { class: 'receipt', 'data-announce': '' }, ...lines),
      linkButton(t('receipt.done'), '#/home', { kind: 'primary' }),
    ],
  });
};
