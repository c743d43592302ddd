import type { App, Screen } from '../app.ts';
import {
  type CredentialStatus,
  checkCredentialStatus,
  type RememberedStatus,
  rememberedStatus,
  rememberStatus,
} from '../credential-status.ts';
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
 * holder of a credential on that list looked, nothing more). A definite answer is kept in the
 * wallet; when no answer comes (offline, unreachable), the last one kept is shown with its date.
 */
function statusLine(app: App, card: CredentialCard): HTMLElement {
  const { t } = app.translator;
  const wallet = app.wallet;
  // A polite live region, not role=status: Orca reads a role=status paragraph as «statusbar» with
  // no words when the holder reads the screen line by line (screen-reader pass, F-2).
  const line = h('p', { class: 'status', 'aria-live': 'polite' }, t('credential.status_checking'));
  const show = (status: CredentialStatus, remembered: RememberedStatus | undefined): void => {
    if (status.state === 'unknown' && remembered !== undefined) {
      const date = app.translator.formatDate(remembered.checkedAt, { dateStyle: 'long' });
      line.textContent = `${t(STATUS_TEXT[remembered.state] as AppMessageKey)} ${t('credential.status_as_of', { date })}`;
      line.className = `status ${remembered.state} as-of`;
      return;
    }
    const key = STATUS_TEXT[status.state];
    if (key === undefined) {
      line.remove();
      return;
    }
    line.textContent = t(key);
    line.className = `status ${status.state}`;
  };
  const check = async (): Promise<void> => {
    const remembered = wallet === undefined ? undefined : await rememberedStatus(wallet, card);
    if (!navigator.onLine) return show({ state: 'unknown', reason: 'offline' }, remembered);
    const { trust, allowInsecureLocalhost } = await app.config();
    const status = await checkCredentialStatus(card, { trust, allowInsecureLocalhost });
    show(status, remembered);
    // Kept only while the wallet is open (a lock in between drops the answer). Best effort: what
    // the screen says stands whether or not it could be kept.
    if (wallet !== undefined && app.wallet === wallet) {
      await rememberStatus(wallet, card, status, Date.now()).catch(() => undefined);
    }
  };
  void check().catch(() => show({ state: 'unknown', reason: 'failed' }, undefined));
  return line;
}
