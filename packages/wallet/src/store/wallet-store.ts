/**
 * Where a device keeps its wallets. A `WalletStore` holds any number of profiles (separate wallets
 * of people sharing a phone), and for each profile a header and opaque records. It never sees a
 * key or a plaintext: the header is the serialised key slot, record bodies are AES-GCM ciphertexts
 * made by the vault. Backends: `createIndexedDbWalletStore` (browsers) and
 * `createFileWalletStore` (`@tessera/wallet/node`); `wallet-store.contract.ts` is what every
 * backend must pass.
 */
export interface WalletStore {
  /** The ids of the profiles that exist (have a header), sorted. */
  listProfiles(): Promise<string[]>;
  /** The profile's header, or `undefined` when the profile does not exist. */
  readHeader(profile: string): Promise<Uint8Array | undefined>;
  /** One record by id, or `undefined`. */
  getRecord(profile: string, id: string): Promise<StoredRecord | undefined>;
  /** The profile's records of one kind (or all of them), in no particular order. */
  listRecords(profile: string, kind?: string): Promise<StoredRecord[]>;
  /**
   * Applies `batch` all or nothing. Creating (`create: true`, with a header) fails with
   * `profile_exists` when the profile exists; any other write fails with `profile_not_found` when
   * it does not, so a wallet that was wiped cannot be brought back by a stale writer.
   */
  write(profile: string, batch: StoreBatch): Promise<void>;
  /** Deletes the profile's header and every record; a profile that does not exist is a no-op. */
  wipeProfile(profile: string): Promise<void>;
  /** Releases the backend (closes the database); the store is unusable afterwards. */
  close(): Promise<void>;
}

/** An encrypted record as a store keeps it: the id and kind in clear, the body opaque. */
export interface StoredRecord {
  id: string;
  kind: string;
  body: Uint8Array;
}

/** One atomic change to a profile. */
export interface StoreBatch {
  /** A new header (a created profile or a changed passphrase). */
  header?: Uint8Array;
  /** The profile must not exist yet; needs `header`. */
  create?: boolean;
  /** Records to insert or replace (by id). */
  put?: readonly StoredRecord[];
  /** Ids of records to delete; missing ones are ignored. */
  delete?: readonly string[];
}

/**
 * Profile ids name directories and database keys, and are stored in clear: lower-case letters,
 * digits, `-` and `_`, at most 64 characters, so no path trick or look-alike character passes.
 */
const PROFILE_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/;
/** Record ids: base64url alphabet, 1–128 characters (the vault makes random 128-bit ones). */
const RECORD_ID = /^[A-Za-z0-9_-]{1,128}$/;
/** Record kinds: a short lower-case word. */
const RECORD_KIND = /^[a-z][a-z0-9-]{0,31}$/;

/** Throws a `TypeError` (a programmer mistake) for a profile id outside the allowed alphabet. */
export function checkProfileId(profile: string): void {
  if (typeof profile !== 'string' || !PROFILE_ID.test(profile)) {
    throw new TypeError('A profile id is 1–64 characters of a–z, 0–9, "-" and "_", starting with a letter or digit');
  }
}

/** True when `id` and `kind` are a valid record id and kind. */
export function isValidRecordKey(id: unknown, kind: unknown): boolean {
  return typeof id === 'string' && RECORD_ID.test(id) && typeof kind === 'string' && RECORD_KIND.test(kind);
}

/**
 * Checks a batch against the rules every backend shares (a `TypeError` for a broken one) and
 * returns a copy, so a caller that reuses its buffers after `write` returns cannot change what is
 * stored.
 */
export function checkBatch(batch: StoreBatch): StoreBatch {
  if (batch.create === true && batch.header === undefined) throw new TypeError('Creating a profile needs its header');
  for (const record of batch.put ?? []) {
    if (!isValidRecordKey(record.id, record.kind) || !(record.body instanceof Uint8Array)) {
      throw new TypeError('A stored record needs a valid id, kind and body');
    }
  }
  const putIds = new Set((batch.put ?? []).map((record) => record.id));
  for (const id of batch.delete ?? []) {
    if (!isValidRecordKey(id, 'x')) throw new TypeError('A record id is not valid');
    if (putIds.has(id)) throw new TypeError('A batch cannot both put and delete one record');
  }
  const copy: StoreBatch = {
    put: (batch.put ?? []).map(({ id, kind, body }) => ({ id, kind, body: body.slice() })),
    delete: [...(batch.delete ?? [])],
  };
  if (batch.header !== undefined) copy.header = batch.header.slice();
  if (batch.create === true) copy.create = true;
  return copy;
}
