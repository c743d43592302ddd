import { fail, type JsonValue } from '@tessera/shared';
import { HOLDER_KEY_KIND, type HolderKeys, holderKeys } from '../keys/holder-keys.ts';
import type { StoredRecord } from '../store/wallet-store.ts';
import { nobleScrypt, type Scrypt, type ScryptParams } from '../vault/kdf.ts';
import { rewrapKeySlot } from '../vault/key-slot.ts';
import { decodeWalletHeader, encodeWalletHeader } from '../vault/wallet-header.ts';
import { VIEW_CACHE_KIND } from './view-cache.ts';
import { HISTORY_KIND, historyValue, type NewHistoryEntry, type WalletHistory, walletHistory } from './wallet-history.ts';
import { newRecordId, type WalletSession } from './wallet-session.ts';

/**
 * An unlocked wallet: encrypted records (credentials and their metadata), holder keys and history,
 * over one profile of a `WalletStore`. The OpenID4VCI and OpenID4VP clients build on it: receiving
 * generates keys (`keys.generateBatch`), then stores the credentials and a history entry in one
 * `commit`; presenting reads `records`, signs the KB-JWT with `keys.signingKey`, and logs to
 * `history`.
 */
export interface Wallet {
  /** The profile this wallet is. */
  readonly profile: string;
  /** Credentials and metadata. */
  readonly records: WalletRecords;
  /** Holder keys. */
  readonly keys: HolderKeys;
  /** The holder's log. */
  readonly history: WalletHistory;
  /** Applies several changes at once: all are stored, or none. */
  commit(changes: WalletChanges): Promise<void>;
  /**
   * Re-wraps the data key under `next` (fresh salt; `scryptParams` default the current ones); no
   * record is re-encrypted. `current` must open the wallet (`wrong_passphrase`, nothing changed).
   */
  changePassphrase(current: string, next: string, options?: { scryptParams?: ScryptParams }): Promise<void>;
  /** Drops the data key and every signing key handed out; later calls fail with `wallet_locked`. */
  lock(): void;
  /** True once `lock` was called. */
  readonly locked: boolean;
}

/** Kinds of records the wallet's users store (holder keys and history have their own namespaces). */
export type WalletRecordKind = 'credential' | 'metadata';

/** The record kinds a wallet stores; backups carry exactly these. */
export const WALLET_RECORD_KINDS: readonly string[] = ['credential', 'metadata', HOLDER_KEY_KIND, HISTORY_KIND];

/** A decrypted record. */
export interface WalletRecord {
  id: string;
  kind: WalletRecordKind;
  value: JsonValue;
}

/** The record namespace of a wallet. */
export interface WalletRecords {
  /** Stores `value` under `id` (a new random id when omitted) and returns the id. */
  put(kind: WalletRecordKind, value: JsonValue, id?: string): Promise<string>;
  /** The value of the record `id` of `kind`, or `undefined`. */
  get(kind: WalletRecordKind, id: string): Promise<JsonValue | undefined>;
  /** Every record of `kind`, in no particular order. */
  list(kind: WalletRecordKind): Promise<WalletRecord[]>;
  /** Deletes the record `id` of `kind`; an id of another kind is left alone. */
  delete(kind: WalletRecordKind, id: string): Promise<void>;
}

/** Changes applied together by `Wallet.commit`. */
export interface WalletChanges {
  put?: readonly { kind: WalletRecordKind; id?: string; value: JsonValue }[];
  delete?: readonly { kind: WalletRecordKind; id: string }[];
  /** Holder keys to delete (a deleted credential's keys). */
  deleteKeys?: readonly string[];
  history?: readonly NewHistoryEntry[];
}

const USER_KINDS: ReadonlySet<string> = new Set<WalletRecordKind>(['credential', 'metadata']);

function checkKind(kind: string): void {
  if (!USER_KINDS.has(kind)) throw new TypeError('A wallet record kind is "credential" or "metadata"');
}

/** The session behind each wallet, for the package's own modules (backup); never exported publicly. */
const SESSIONS = new WeakMap<Wallet, WalletSession>();

/** The session of a wallet made by this package; a `TypeError` for anything else. */
export function sessionOf(wallet: Wallet): WalletSession {
  const session = SESSIONS.get(wallet);
  if (session === undefined) throw new TypeError('Not a wallet opened by @tessera/wallet');
  return session;
}

/** A wallet over an unlocked session. */
export function createWallet(session: WalletSession, scrypt: Scrypt = nobleScrypt): Wallet {
  const commit = async (changes: WalletChanges): Promise<void> => {
    const put: StoredRecord[] = [];
    for (const { kind, id = newRecordId(), value } of changes.put ?? []) {
      checkKind(kind);
      put.push(await session.seal(kind, id, value));
    }
    for (const entry of changes.history ?? []) {
      const { id, value } = historyValue(session, entry);
      put.push(await session.seal(HISTORY_KIND, id, value));
    }
    const wanted = new Map<string, string>();
    for (const { kind, id } of changes.delete ?? []) {
      checkKind(kind);
      wanted.set(id, kind);
    }
    // Views decoded from credentials (view-cache.ts) go with a deleted credential, in the same batch,
    // so its claims do not linger in a cache; the next read rebuilds them.
    if ([...wanted.values()].includes('credential')) {
      for (const cache of await session.store.listRecords(session.profile, VIEW_CACHE_KIND))
        wanted.set(cache.id, VIEW_CACHE_KIND);
    }
    for (const id of changes.deleteKeys ?? []) wanted.set(id, HOLDER_KEY_KIND);
    const found = await Promise.all([...wanted.keys()].map((id) => session.store.getRecord(session.profile, id)));
    const doomed = found.filter((record) => record !== undefined && wanted.get(record.id) === record.kind);
    await session.write({ put, delete: doomed.map((record) => (record as StoredRecord).id) });
  };

  const wallet: Wallet = {
    profile: session.profile,
    records: {
      put: async (kind, value, id = newRecordId()) => {
        await commit({ put: [{ kind, id, value }] });
        return id;
      },
      get: async (kind, id) => {
        checkKind(kind);
        return session.get(kind, id);
      },
      list: async (kind) => {
        checkKind(kind);
        return (await session.list(kind)).map(({ id, value }) => ({ id, kind, value }));
      },
      delete: (kind, id) => commit({ delete: [{ kind, id }] }),
    },
    keys: holderKeys(session),
    history: walletHistory(session),
    commit,
    changePassphrase: async (current, next, { scryptParams } = {}) => {
      session.dataKey();
      const header = await session.store.readHeader(session.profile);
      if (header === undefined) fail('profile_not_found', `There is no profile ${session.profile}`);
      const slot = decodeWalletHeader(header);
      const { N, r, p } = slot.kdf;
      const rewrapped = await rewrapKeySlot(slot, current, next, 'wallet', scryptParams ?? { N, r, p }, scrypt);
      await session.write({ header: encodeWalletHeader(rewrapped) });
    },
    lock: () => session.lock(),
    get locked() {
      return session.locked;
    },
  };
  SESSIONS.set(wallet, session);
  return wallet;
}
