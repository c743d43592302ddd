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

/** The history namespace of a wallet. */
export interface WalletHistory {
  /** Adds one entry and returns it. */
  add(entry: NewHistoryEntry): Promise<HistoryEntry>;
  /** Every entry, oldest first. */
  list(): Promise<HistoryEntry[]>;
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

/** The history namespace over an unlocked session. */
export function walletHistory(session: WalletSession): WalletHistory {
  return {
    add: async (entry) => {
      const { id, value } = historyValue(session, entry);
      await session.write({ put: [await session.seal(HISTORY_KIND, id, value)] });
      return parseHistoryValue(id, value);
    },
    list: async () =>
      (await session.list(HISTORY_KIND))
        .map(({ id, value }) => parseHistoryValue(id, value))
        .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1)),
    delete: (ids) => session.deleteOfKind(HISTORY_KIND, ids),
  };
}
