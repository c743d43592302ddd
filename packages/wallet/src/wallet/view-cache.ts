import { encodeBase64Url, isTesseraError, type JsonValue } from '@tessera/shared';
import type { StoredRecord } from '../store/wallet-store.ts';
import type { WalletSession } from './wallet-session.ts';

/**
 * Views derived from records (the holder's decoded view of each credential), kept in one
 * encrypted record so that opening a request does not decrypt and decode every credential again:
 * with 1,000 credentials that is 1,000 AES-GCM decryptions, 10 MB of JSON and 14,000 SHA-256
 * digests, about a second; one cache record holds what matching needs in one decryption.
 *
 * Each entry is tied to one sealed version of its record: the record's IV and GCM tag. Every seal
 * draws a fresh random IV (vault/cipher.ts), so a record re-stored under the same id has another
 * version and is derived again; a record that is gone drops out. A cache that is damaged, of an
 * older `version` or moved is ignored and rebuilt, never trusted. Cache records are of their own
 * kind: backups leave them out (they are rebuilt after a restore), and deleting a credential
 * deletes them in the same batch (wallet.ts), so a deleted credential's claims do not linger.
 */

/** The record kind of view caches. */
export const VIEW_CACHE_KIND = 'view-cache';

export interface CachedViewsOptions<T> {
  /** The kind of the records the views come from. */
  kind: string;
  /** The id of the cache record. */
  cacheId: string;
  /** Bump when the view or the way it is derived changes: older caches are then rebuilt. */
  version: number;
  /** The view of one record, or `undefined` to leave it out; must be a JSON value. */
  derive(id: string, value: JsonValue): Promise<T | undefined>;
}

/** Where a record's version starts and how long it is: `0x01 ‖ IV (12) ‖ ciphertext ‖ tag (16)`. */
const IV_START = 1;
const IV_END = 13;
const TAG_BYTES = 16;

/** One sealed version of a record: its IV and GCM tag, base64url (nothing of the plaintext). */
function sealedVersion(record: StoredRecord): string {
  const { body } = record;
  const bytes = new Uint8Array(IV_END - IV_START + TAG_BYTES);
  bytes.set(body.subarray(IV_START, IV_END));
  bytes.set(body.subarray(Math.max(IV_END, body.length - TAG_BYTES)), IV_END - IV_START);
  return encodeBase64Url(bytes);
}

type Entry = [id: string, version: string, view: JsonValue];

/**
 * The view of every record of `kind`, in store order, from the cache where the record is unchanged
 * and derived (decrypted in parallel, then `derive`) where it is new or changed. When anything
 * changed, the cache is written back; a failed write changes nothing but the next call's speed.
 */
export async function cachedViews<T>(session: WalletSession, options: CachedViewsOptions<T>): Promise<T[]> {
  const { kind, cacheId, version, derive } = options;
  session.dataKey();
  const [stored, cache] = await Promise.all([
    session.store.listRecords(session.profile, kind),
    session.store.getRecord(session.profile, cacheId),
  ]);
  const cached = await readCache(session, cache, version);

  const entries: Entry[] = [];
  const misses: { index: number; record: StoredRecord; sealed: string }[] = [];
  for (const [index, record] of stored.entries()) {
    const sealed = sealedVersion(record);
    const hit = cached.get(record.id);
    if (hit !== undefined && hit[1] === sealed) entries.push(hit);
    else {
      entries.push([record.id, sealed, null]);
      misses.push({ index, record, sealed });
    }
  }
  // Only new or changed records are decrypted and derived, all at once.
  await Promise.all(
    misses.map(async ({ index, record, sealed }) => {
      const view = await derive(record.id, await session.open(record));
      entries[index] = [record.id, sealed, view === undefined ? null : (view as JsonValue)];
    }),
  );
  const changed = misses.length > 0 || cached.size !== stored.length;

  // A record of another kind under the cache's id is someone else's: it is neither read nor replaced.
  if (changed && (cache === undefined || cache.kind === VIEW_CACHE_KIND)) {
    try {
      await session.write({ put: [await session.seal(VIEW_CACHE_KIND, cacheId, { version, entries })] });
    } catch (error) {
      // A locked wallet stops the operation; anything else (a busy store) only costs speed next time.
      if (isTesseraError(error, 'wallet_locked')) throw error;
    }
  }
  const views: T[] = [];
  for (const entry of entries) if (entry[2] !== null) views.push(entry[2] as T);
  return views;
}

/** The entries of a usable cache by record id; an unusable one is empty. */
async function readCache(session: WalletSession, record: StoredRecord | undefined, version: number): Promise<Map<string, Entry>> {
  const entries = new Map<string, Entry>();
  if (record === undefined || record.kind !== VIEW_CACHE_KIND) return entries;
  let value: JsonValue;
  try {
    value = await session.open(record);
  } catch (error) {
    if (isTesseraError(error, 'wallet_locked')) throw error;
    return entries;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return entries;
  if (value.version !== version || !Array.isArray(value.entries)) return entries;
  for (const entry of value.entries) {
    if (Array.isArray(entry) && entry.length === 3 && typeof entry[0] === 'string' && typeof entry[1] === 'string') {
      entries.set(entry[0], entry as Entry);
    }
  }
  return entries;
}
