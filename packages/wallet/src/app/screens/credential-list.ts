import type { App, Screen } from '../app.ts';
import { lastBackupAt, needsBackupReminder } from '../backup-reminder.ts';
import { type CredentialCard, credentialCards, validityText } from '../credential-view.ts';
import { icon } from '../icons.ts';
import { button, linkButton, screen } from '../layout.ts';
import { routeHash } from '../router.ts';
import { h } from '../view.ts';

/**
 * Home: the holder's documents as cards, a reminder to back up while a document is in no backup,
 * and Receive, Share, History, Settings and Lock.
 */
export const credentialList: Screen = async (app) => {
  const { t } = app.translator;
  const wallet = app.wallet;
  const cards =
    wallet === undefined ? [] : credentialCards(await wallet.records.list('credential'), app.translator.locale, Date.now());
  const remind = wallet !== undefined && needsBackupReminder(cards, await lastBackupAt(wallet));
  return screen(app, {
    title: t('home.title'),
    children: [
      cards.length === 0
        ? h('p', { class: 'empty' }, t('home.empty'))
        : h('ul', { class: 'card-list' }, ...cards.map((card) => h('li', {}, cardLink(app, card)))),
      // Gentle: a note after the documents, not a warning, and one tap to the backup.
      remind
        ? h(
            'div',
            { class: 'backup-reminder', role: 'note', 'aria-labelledby': 'backup-reminder' },
            h('p', { id: 'backup-reminder' }, t('home.backup_reminder')),
            linkButton(t('home.backup_now'), '#/settings/backup', { iconName: 'download' }),
          )
        : null,
      h(
        'nav',
        { class: 'actions' },
        linkButton(t('home.receive'), '#/receive', { kind: 'primary', iconName: 'download' }),
        linkButton(t('home.share'), '#/share', { kind: 'primary', iconName: 'share' }),
        linkButton(t('home.history'), '#/history', { iconName: 'history' }),
        linkButton(t('home.settings'), '#/settings', { iconName: 'settings' }),
        button(t('home.lock'), { kind: 'secondary', iconName: 'lock', onclick: () => app.lock() }),
      ),
    ],
  });
};

/** A card: the credential's name, its issuer and its validity in words. */
export function cardLink(app: App, card: CredentialCard): HTMLAnchorElement {
  const { t } = app.translator;
  const link = h(
    'a',
    { class: card.expired ? 'card expired' : 'card', href: routeHash('/credential/:id', { id: card.recordIds[0] as string }) },
    h(
      'span',
      { class: 'card-text' },
      h('strong', { class: 'card-name', dir: 'auto' }, card.name ?? t('credential.unnamed')),
      h(
        'span',
        { dir: 'auto' },
        card.issuerName === undefined ? t('credential.unknown_issuer') : t('credential.issued_by', { issuer: card.issuerName }),
      ),
      h('span', { class: 'validity' }, validityText(card, app.translator)),
    ),
    icon('forward'),
  );
  if (card.colors !== undefined) {
    // CSSOM, not a style attribute: allowed under the page's style-src 'self'.
    link.style.setProperty('--card-background', card.colors.background);
    link.style.setProperty('--card-text', card.colors.text);
  }
  return link;
}
