import { fail, type JsonObject, type JsonValue } from '@tessera/shared';
import { hasExactKeys, isPlainObject } from '../vault/key-slot.ts';
import { newRecordId, type WalletSession } from './wallet-session.ts';

/**
 * The holder's own log of what the wallet did: credentials received, shown or declined, deleted,
 * restored. It is encrypted like everything else; record ids are random and the time sits inside
 * the ciphertext, so the store does not reveal when a presentation happened. Entries name verifiers
 * and claim names, never claim values (that is the presenting code's duty).
 */

/** The record kind of history entries. */
export const HISTORY_KIND = 'history';

/** What happened. */
export type HistoryEvent =
  | 'credential_received'
  | 'credential_presented'
  | 'presentation_declined'
  | 'credential_deleted'
  | 'backup_restored'
  | 'passphrase_changed';

const EVENTS: ReadonlySet<string> = new Set<HistoryEvent>([
  'credential_received',
  'credential_presented',
  'presentation_declined',
  'credential_deleted',
  'backup_restored',
  'passphrase_changed',
]);

/** A history entry as the wallet lists it. */
export interface HistoryEntry {
  id: string;
  event: HistoryEvent;
  /** Milliseconds since the epoch. */
  at: number;
  /** Event-specific facts: who asked, for what purpose, which claim names. */
  details: JsonObject;
}

/** A new history entry; `at` defaults to the wallet's clock. */
export interface NewHistoryEntry {
  event: HistoryEvent;
  details?: JsonObject;
  at?: number;
}

/** Which entries `list` and `exportJson` return; every given condition must hold. */
export interface HistoryFilter {
  /** Only these events. */
  readonly events?: readonly HistoryEvent[];
  /** Only entries at or after this time (milliseconds since the epoch). */
  readonly since?: number;
  /** Only entries before this time (milliseconds since the epoch). */
  readonly until?: number;
  /** Only entries about this verifier (its client id) or issuer (its `iss` or Credential Issuer Identifier). */
  readonly party?: string;
}

/** The history namespace of a wallet. */
export interface WalletHistory {
  /** Adds one entry and returns it. */
  add(entry: NewHistoryEntry): Promise<HistoryEntry>;
  /**
   * The entries that match `filter` (all by default), oldest first.
   * @example const shared = await wallet.history.list({ events: ['credential_presented'], since: Date.now() - 30 * 86_400_000 });
   */
  list(filter?: HistoryFilter): Promise<HistoryEntry[]>;
  /**
   * The matching entries as a JSON document for the holder to keep or hand to an adviser:
   * `{ format: 'tessera-wallet-history', version: 1, exportedAt, entries }`. Entries hold claim
   * names, never values, so the export holds none either.
   */
  exportJson(filter?: HistoryFilter): Promise<string>;
  /** Deletes entries (the holder may clear their history). */
  delete(ids: readonly string[]): Promise<void>;
}

/** A new entry's id and stored value. */
export function historyValue(session: WalletSession, entry: NewHistoryEntry): { id: string; value: JsonObject } {
  if (!EVENTS.has(entry.event)) throw new TypeError('Unknown history event');
  const at = entry.at ?? session.clock();
  if (!Number.isFinite(at)) throw new TypeError('A history time must be a finite number of milliseconds');
  return { id: newRecordId(), value: { event: entry.event, at, details: entry.details ?? {} } };
}

/** Checks a decrypted history value. */
export function parseHistoryValue(id: string, value: JsonValue): HistoryEntry {
  if (!isPlainObject(value) || !hasExactKeys(value, ['event', 'at', 'details']))
    fail('wallet_corrupt', 'A history entry is malformed');
  const { event, at, details } = value;
  if (typeof event !== 'string' || !EVENTS.has(event) || typeof at !== 'number' || !isPlainObject(details)) {
    fail('wallet_corrupt', 'A history entry is malformed');
  }
  return { id, event: event as HistoryEvent, at, details: details as JsonObject };
}

/** True when `entry` meets every condition of `filter`. */
function matches(entry: HistoryEntry, filter: HistoryFilter): boolean {
  if (filter.events !== undefined && !filter.events.includes(entry.event)) return false;
  if (filter.since !== undefined && entry.at < filter.since) return false;
  if (filter.until !== undefined && entry.at >= filter.until) return false;
  if (filter.party !== undefined && !partiesOf(entry).includes(filter.party)) return false;
  return true;
}

/** The verifier and issuer identifiers an entry names (see `respond`, `decline` and `receiveCredential`). */
function partiesOf(entry: HistoryEntry): string[] {
  const { verifier, issuer, credentialIssuer } = entry.details;
  const clientId = isPlainObject(verifier) ? verifier.clientId : undefined;
  return [clientId, issuer, credentialIssuer].filter((party): party is string => typeof party === 'string');
}

/** The history namespace over an unlocked session. */
export function walletHistory(session: WalletSession): WalletHistory {
  const list = async (filter: HistoryFilter = {}): Promise<HistoryEntry[]> =>
    (await session.list(HISTORY_KIND))
      .map(({ id, value }) => parseHistoryValue(id, value))
      .filter((entry) => matches(entry, filter))
      .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
  return {
    add: async (entry) => {
      const { id, value } = historyValue(session, entry);
      await session.write({ put: [await session.seal(HISTORY_KIND, id, value)] });
      return parseHistoryValue(id, value);
    },
    list,
    exportJson: async (filter) => {
      const entries = await list(filter);
      const exportedAt = new Date(session.clock()).toISOString();
      return `${JSON.stringify(
        {
          format: 'tessera-wallet-history',
          version: 1,
          exportedAt,
          entries: entries.map(({ event, at, details }) => ({ event, at: new Date(at).toISOString(), details })),
        },
        null,
        2,
      )}\n`;
    },
    delete: (ids) => session.deleteOfKind(HISTORY_KIND, ids),
  };
}
