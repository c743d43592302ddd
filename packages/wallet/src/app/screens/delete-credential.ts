import type { Screen } from '../app.ts';
import { statusRecordId } from '../credential-status.ts';
import { credentialCards } from '../credential-view.ts';
import { screen, twoStepConfirm } from '../layout.ts';
import { routeHash } from '../router.ts';
import { h } from '../view.ts';

/**
 * The second of two steps that delete one document: what is lost in plain words, then "Yes,
 * delete it" and "No, keep it" side by side. Every copy of the document (the instances received
 * together) goes with its holder keys, and a `credential_deleted` entry (the document's name and
 * type, no claim) joins the history, all in one commit.
 */
export const deleteCredential: Screen = async (app, { id = '' }) => {
  const { t } = app.translator;
  const wallet = app.wallet;
  const records = wallet === undefined ? [] : await wallet.records.list('credential');
  const card = credentialCards(records, app.translator.locale, Date.now()).find((candidate) => candidate.recordIds.includes(id));
  if (card === undefined) {
    app.navigate('#/home');
    return h('section');
  }
  const detail = routeHash('/credential/:id', { id });
  const name = card.name ?? t('credential.unnamed');
  return screen(app, {
    title: t('delete.title'),
    back: detail,
    children: [
      h('p', { class: 'warning', dir: 'auto' }, t('delete.warning', { document: name })),
      ...twoStepConfirm(app, {
        confirm: t('delete.confirm'),
        keep: t('delete.keep'),
        keepHref: detail,
        working: t('delete.working'),
        target: () => app.wallet,
        act: async (open) => {
          await open.commit({
            delete: [
              ...card.recordIds.map((recordId) => ({ kind: 'credential' as const, id: recordId })),
              // The last status the wallet saw goes with the document.
              { kind: 'metadata' as const, id: statusRecordId(card) },
            ],
            deleteKeys: [...card.keyIds],
            history: [
              {
                event: 'credential_deleted',
                details: {
                  format: card.format,
                  ...(card.format === 'dc+sd-jwt' ? { vct: card.type } : { types: [card.type] }),
                  ...(card.issuer === undefined ? {} : { issuer: card.issuer }),
                  documentName: name,
                  ...(card.issuerName === undefined ? {} : { issuerName: card.issuerName }),
                  credentialIds: [...card.recordIds],
                },
              },
            ],
          });
          app.notice = t('delete.done');
          app.navigate('#/home');
        },
      }),
    ],
  });
};
