import { type Clock, encodeBase64Url, fail, type JsonValue } from '@tessera/shared';
import type { StoreBatch, StoredRecord, WalletStore } from '../store/wallet-store.ts';
import { randomBytes } from '../vault/cipher.ts';
import { openJson, sealJson } from '../vault/json-record.ts';

/**
 * The state of an unlocked wallet: the store, the profile, and the data key. Every namespace
 * (records, keys, history) reads and writes through it, so locking drops the one key reference
 * they share, and every later call fails with `wallet_locked`.
 */
export class WalletSession {
  readonly store: WalletStore;
  readonly profile: string;
  readonly clock: Clock;
  #dataKey: CryptoKey | undefined;
  readonly #onLock = new Set<() => void>();
  readonly #onActivity = new Set<() => void>();

  constructor(store: WalletStore, profile: string, dataKey: CryptoKey, clock: Clock) {
    this.store = store;
    this.profile = profile;
    this.clock = clock;
    this.#dataKey = dataKey;
  }

  get locked(): boolean {
    return this.#dataKey === undefined;
  }

  /**
   * The data key, or `wallet_locked`. Every read and write of the wallet passes here, so each call
   * is also the wallet's activity (auto-lock.ts).
   */
  dataKey(): CryptoKey {
    const key = this.#dataKey ?? fail('wallet_locked', 'The wallet is locked; open it with its passphrase');
    for (const listener of this.#onActivity) listener();
    return key;
  }

  /** Drops the data key and every unwrapped key handed out; idempotent. */
  lock(): void {
    this.#dataKey = undefined;
    this.#onActivity.clear();
    for (const drop of this.#onLock) drop();
    this.#onLock.clear();
  }

  /** Registers what to drop when the wallet locks (an unwrapped signing key); returns the undo. */
  onLock(drop: () => void): () => void {
    if (this.locked) drop();
    else this.#onLock.add(drop);
    return () => {
      this.#onLock.delete(drop);
    };
  }

  /** Calls `listener` on every use of the data key while unlocked; returns the undo. */
  onActivity(listener: () => void): () => void {
    if (!this.locked) this.#onActivity.add(listener);
    return () => {
      this.#onActivity.delete(listener);
    };
  }

  /** A JSON value encrypted as a stored record of `kind` and `id`. */
  seal(kind: string, id: string, value: JsonValue): Promise<StoredRecord> {
    return sealJson(this.dataKey(), kind, id, value);
  }

  /** The JSON value in a stored record; a damaged or moved one is `wallet_corrupt`. */
  open(record: StoredRecord): Promise<JsonValue> {
    return openJson(this.dataKey(), record);
  }

  /** The value of the record `id` if it is of `kind`. */
  async get(kind: string, id: string): Promise<JsonValue | undefined> {
    this.dataKey();
    const record = await this.store.getRecord(this.profile, id);
    return record === undefined || record.kind !== kind ? undefined : this.open(record);
  }

  /** Every record of `kind`, decrypted. */
  async list(kind: string): Promise<{ id: string; value: JsonValue }[]> {
    this.dataKey();
    const records = await this.store.listRecords(this.profile, kind);
    return Promise.all(records.map(async (record) => ({ id: record.id, value: await this.open(record) })));
  }

  /**
   * Deletes the records `ids` that are of `kind` (ids of other kinds are left alone), together
   * with the records in `put`, in one batch.
   */
  async deleteOfKind(kind: string, ids: readonly string[], put: readonly StoredRecord[] = []): Promise<void> {
    this.dataKey();
    const found = await Promise.all(ids.map((id) => this.store.getRecord(this.profile, id)));
    const doomed = found.filter((record) => record?.kind === kind).map((record) => (record as StoredRecord).id);
    await this.write({ put, delete: doomed });
  }

  /** Writes a batch to the profile (never creating it). */
  async write(batch: StoreBatch): Promise<void> {
    this.dataKey();
    await this.store.write(this.profile, { ...batch, create: false });
  }
}

/** A fresh random record id (128 bits, base64url): ids are stored in clear, so they carry nothing. */
export function newRecordId(): string {
  return encodeBase64Url(randomBytes(16));
}
