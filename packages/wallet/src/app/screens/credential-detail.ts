import type { App, Screen } from '../app.ts';
import { type CredentialStatus, checkCredentialStatus } from '../credential-status.ts';
import {
  type CredentialCard,
  cardClaims,
  claimRows,
  credentialCards,
  formatClaimValue,
  validityText,
} from '../credential-view.ts';
import type { AppMessageKey } from '../i18n.ts';
import { linkButton, screen } from '../layout.ts';
import { routeHash } from '../router.ts';
import { h } from '../view.ts';

/**
 * One document: its name, issuer, validity, its status at the issuer in words (checked when the
 * screen opens, online only), every claim with the issuer's label in the holder's language, and
 * the first step of deleting it.
 */
export const credentialDetail: Screen = async (app, { id = '' }) => {
  const { t } = app.translator;
  const records = app.wallet === undefined ? [] : await app.wallet.records.list('credential');
  const card = credentialCards(records, app.translator.locale, Date.now()).find((candidate) => candidate.recordIds.includes(id));
  if (card === undefined) {
    return screen(app, {
      title: t('credential.unnamed'),
      back: '#/home',
      children: [h('p', { class: 'empty' }, t('credential.not_found'))],
    });
  }
  let contents: HTMLElement;
  try {
    const { claims, descriptions } = await cardClaims(card);
    const rows = claimRows(claims, descriptions, app.translator.locale);
    contents = h(
      'dl',
      { class: 'claims' },
      ...rows.flatMap((row) => [
        h('dt', { dir: 'auto' }, row.label),
        h('dd', { dir: 'auto' }, formatClaimValue(row.value, app.translator)),
      ]),
    );
  } catch {
    contents = h('p', { class: 'error' }, t('credential.unreadable'));
  }
  return screen(app, {
    title: card.name ?? t('credential.unnamed'),
    back: '#/home',
    children: [
      h(
        'div',
        { class: 'summary' },
        h(
          'p',
          { dir: 'auto' },
          card.issuerName === undefined ? t('credential.unknown_issuer') : t('credential.issued_by', { issuer: card.issuerName }),
        ),
        card.description === undefined ? null : h('p', { dir: 'auto' }, card.description),
        h('p', { class: card.expired ? 'validity expired' : 'validity' }, validityText(card, app.translator)),
        h('p', {}, t('credential.received_on', { date: app.translator.formatDate(card.receivedAt, { dateStyle: 'long' }) })),
        card.expired ? null : statusLine(app, card),
        card.issuerTrusted ? null : h('p', { class: 'warning', role: 'note' }, t('credential.untrusted')),
      ),
      h('h2', {}, t('credential.contents')),
      contents,
      linkButton(t('common.back'), '#/home', { iconName: 'back' }),
      h(
        'div',
        { class: 'danger-zone' },
        h('p', { id: 'delete-hint', class: 'hint' }, t('credential.delete_hint')),
        h(
          'a',
          {
            class: 'button danger',
            href: routeHash('/credential/:id/delete', { id: card.recordIds[0] as string }),
            'aria-describedby': 'delete-hint',
          },
          t('credential.delete'),
        ),
      ),
    ],
  });
};

const STATUS_TEXT: Readonly<Record<CredentialStatus['state'], AppMessageKey | undefined>> = {
  valid: 'credential.status_valid',
  revoked: 'credential.status_revoked',
  suspended: 'credential.status_suspended',
  other: 'credential.status_unknown',
  unknown: 'credential.status_unknown',
  none: undefined,
};

/**
 * The status line: "Checking…", then what the issuer's status list says. The check runs only now,
 * while the holder looks, and only online (docs/wallet-app.md: the issuer's server learns that some
 * holder of a credential on that list looked, nothing more).
 */
function statusLine(app: App, card: CredentialCard): HTMLElement {
  const { t } = app.translator;
  const line = h('p', { class: 'status', role: 'status' }, t('credential.status_checking'));
  const show = (status: CredentialStatus): void => {
    const key = STATUS_TEXT[status.state];
    if (key === undefined) {
      line.remove();
      return;
    }
    line.textContent = t(key);
    line.className = `status ${status.state}`;
  };
  if (!navigator.onLine) {
    show({ state: 'unknown', reason: 'offline' });
    return line;
  }
  void app
    .config()
    .then(({ trust, allowInsecureLocalhost }) => checkCredentialStatus(card, { trust, allowInsecureLocalhost }))
    .then(show);
  return line;
}
