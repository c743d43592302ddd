import type { JsonObject, JsonValue } from '@tessera/shared';
import type { HistoryEntry, Wallet, WalletRecord } from '../index.ts';
import { type CredentialCard, claimLabel, credentialCards, displayText } from './credential-view.ts';
import type { AppMessageKey } from './i18n.ts';

/**
 * The history screen's lines, from the wallet's log (`wallet.history`): what was received, shared
 * and declined, when, with whom, why, and which claims by NAME. The log holds no claim values, and
 * nothing here reads any: labels come from the issuer's display metadata of the stored documents.
 */

/** The filter of the history screen. */
export type HistoryKind = 'received' | 'shared' | 'declined' | 'other';

/** The filters the screen offers, in order (`all` shows every kind, `other` too). */
export const HISTORY_FILTERS: readonly ('all' | Exclude<HistoryKind, 'other'>)[] = ['all', 'received', 'shared', 'declined'];

/** One line of the history. */
export interface HistoryItem {
  readonly id: string;
  readonly kind: HistoryKind;
  /** The headline's message key; its values are `document` and `verifier`. */
  readonly title: AppMessageKey;
  readonly at: number;
  /** The document's name in the holder's language (received, deleted). */
  readonly document: string | undefined;
  /** The office that gave it (received). */
  readonly issuer: string | undefined;
  /** Who asked (shared, declined): the verified name, the host of an unverified web client, or nothing. */
  readonly verifier: string | undefined;
  readonly verifierVerified: boolean;
  readonly purpose: string | undefined;
  /** Labels of the claims that were shared (names, never values). */
  readonly claims: readonly string[];
  readonly outcome: AppMessageKey | undefined;
}

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const strings = (value: JsonValue | undefined): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

const TITLES: Readonly<Record<HistoryEntry['event'], AppMessageKey>> = {
  credential_received: 'history.received',
  credential_presented: 'history.shared',
  presentation_declined: 'history.declined',
  credential_deleted: 'history.deleted',
  backup_restored: 'history.restored',
  passphrase_changed: 'history.passphrase_changed',
};
const KINDS: Readonly<Record<HistoryEntry['event'], HistoryKind>> = {
  credential_received: 'received',
  credential_presented: 'shared',
  presentation_declined: 'declined',
  credential_deleted: 'other',
  backup_restored: 'other',
  passphrase_changed: 'other',
};

/**
 * The history as the screen lists it, newest first, in `locale`. Documents are named from the
 * stored `records` where they still exist (a deleted one by the name kept in its entry), and claim
 * names are labelled with the issuer's labels of a stored document of the same type.
 */
export function historyItems(entries: readonly HistoryEntry[], records: readonly WalletRecord[], locale: string): HistoryItem[] {
  const cards = credentialCards(records, locale, Date.now());
  return [...entries].sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1)).map((entry) => historyItem(entry, cards, locale));
}

function historyItem(entry: HistoryEntry, cards: readonly CredentialCard[], locale: string): HistoryItem {
  const { details } = entry;
  const base = {
    id: entry.id,
    kind: KINDS[entry.event],
    title: TITLES[entry.event],
    at: entry.at,
    document: undefined,
    issuer: undefined,
    verifier: undefined,
    verifierVerified: false,
    purpose: undefined,
    claims: [] as string[],
    outcome: undefined,
  };
  switch (entry.event) {
    case 'credential_received':
    case 'credential_deleted': {
      const ids = strings(details.credentialIds);
      const card = cards.find((candidate) => candidate.recordIds.some((id) => ids.includes(id))) ?? byType(cards, details);
      // A deleted document is named by what its entry kept when it was deleted.
      const kept = { document: displayText(details.documentName, 120), issuer: displayText(details.issuerName, 120) };
      return {
        ...base,
        document: kept.document ?? card?.name,
        issuer: kept.issuer ?? card?.issuerName,
      };
    }
    case 'credential_presented':
    case 'presentation_declined': {
      const verifier = isObject(details.verifier) ? details.verifier : {};
      const verified = verifier.verified === true && typeof verifier.name === 'string';
      const disclosed = Array.isArray(details.disclosed) ? details.disclosed.filter(isObject) : [];
      const claims = disclosed.flatMap((item) => {
        const card = byType(cards, item);
        return strings(item.claims).map((name) => labelOf(card, name, locale));
      });
      return {
        ...base,
        verifier: verified ? displayText(verifier.name, 120) : unverifiedName(verifier.clientId),
        verifierVerified: verified,
        purpose: displayText(details.purpose, 500),
        claims,
        outcome: outcomeKey(entry.event, details.outcome),
      };
    }
    default:
      return base;
  }
}

/**
 * What to call a desk the wallet could not check: the host of a `redirect_uri:` client (the one
 * thing such a client id says), else nothing: an unchecked `x509_hash:` id is a hash, which tells
 * a holder nothing.
 */
function unverifiedName(clientId: JsonValue | undefined): string | undefined {
  if (typeof clientId !== 'string' || !clientId.startsWith('redirect_uri:')) return undefined;
  try {
    return displayText(new URL(clientId.slice('redirect_uri:'.length)).host, 120);
  } catch {
    return undefined;
  }
}

function outcomeKey(event: HistoryEntry['event'], outcome: JsonValue | undefined): AppMessageKey | undefined {
  const result = isObject(outcome) ? outcome.result : undefined;
  if (result === 'accepted') return event === 'presentation_declined' ? 'history.outcome.told' : 'history.outcome.accepted';
  if (result === 'rejected') return 'history.outcome.refused';
  if (result === 'not_delivered') return 'history.outcome.not_delivered';
  return undefined;
}

/** A stored document of the type a history entry names (`vct`, or W3C `types`), for its name and labels. */
function byType(cards: readonly CredentialCard[], details: JsonObject): CredentialCard | undefined {
  if (typeof details.vct === 'string') return cards.find((card) => card.format === 'dc+sd-jwt' && card.type === details.vct);
  const types = strings(details.types);
  return types.length === 0 ? undefined : cards.find((card) => card.format === 'jwt_vc_json' && types.includes(card.type));
}

/** A claim name (`address.locality`, `credentialSubject.given_name`) as the issuer labels it, else the name. */
function labelOf(card: CredentialCard | undefined, name: string, locale: string): string {
  if (card === undefined) return name;
  const path = name.split('.').map((step) => (step === '*' ? null : /^\d+$/.test(step) ? Number(step) : step));
  return claimLabel(card.claimDescriptions, path, locale) ?? name;
}

/** The items of one filter. */
export function filterHistory(items: readonly HistoryItem[], filter: 'all' | HistoryKind): HistoryItem[] {
  return filter === 'all' ? [...items] : items.filter((item) => item.kind === filter);
}

/**
 * The history as a JSON file for the holder (their own copy, e.g. to show an adviser): every entry
 * as the wallet logged it (times as ISO 8601), oldest first. It names verifiers and claims, never
 * claim values, because the log holds none.
 */
export function historyExport(entries: readonly HistoryEntry[], now: number): string {
  const sorted = [...entries].sort((a, b) => a.at - b.at);
  return `${JSON.stringify(
    {
      format: 'tessera-wallet-history',
      version: 1,
      exportedAt: new Date(now).toISOString(),
      entries: sorted.map((entry) => ({ at: new Date(entry.at).toISOString(), event: entry.event, details: entry.details })),
    },
    null,
    2,
  )}\n`;
}

/**
 * Clears the holder's history (issue 6 §1 "History"): every entry is deleted from the wallet in
 * one commit (`wallet.history.delete`); documents, keys and settings stay. Returns how many went.
 */
export async function clearHistory(wallet: Wallet): Promise<number> {
  const ids = (await wallet.history.list()).map((entry) => entry.id);
  if (ids.length > 0) await wallet.history.delete(ids);
  return ids.length;
}
