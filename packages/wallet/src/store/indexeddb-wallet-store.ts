import { fail, TesseraError } from '@tessera/shared';
import {
  checkBatch,
  checkProfileId,
  isValidRecordKey,
  type StoreBatch,
  type StoredRecord,
  type WalletStore,
} from './wallet-store.ts';

/**
 * The browser backend of `WalletStore` on IndexedDB: one database for all profiles of the device,
 * with an object store of headers (key: profile) and one of records (key: [profile, id], indexed
 * by [profile, kind]). A batch is one read-write transaction over both stores, which IndexedDB
 * commits all or nothing (W3C Indexed Database API 3.0 §2.7), and the profile-exists check runs
 * inside it, so two tabs cannot both create one profile.
 */

const VERSION = 1;
const HEADERS = 'headers';
const RECORDS = 'records';
const BY_KIND = 'by-kind';
const BY_PROFILE = 'by-profile';

interface TransactionStep<T> {
  transaction: IDBTransaction;
  settle(value: T): void;
  abort(reason: unknown): void;
}

interface HeaderRow {
  profile: string;
  header: Uint8Array;
}

interface RecordRow {
  profile: string;
  id: string;
  kind: string;
  body: Uint8Array;
}

export interface IndexedDbWalletStoreOptions {
  /** The database name; default `tessera-wallet`. */
  name?: string;
  /** The IndexedDB factory; default `globalThis.indexedDB` (tests pass an in-process one). */
  indexedDB?: IDBFactory;
}

/**
 * Opens (creating on first use) the IndexedDB wallet store.
 * @example const store = await createIndexedDbWalletStore();
 */
export async function createIndexedDbWalletStore({
  name = 'tessera-wallet',
  indexedDB = globalThis.indexedDB,
}: IndexedDbWalletStoreOptions = {}): Promise<WalletStore> {
  if (indexedDB === undefined) throw new TypeError('This runtime has no IndexedDB');
  const db = await openDatabase(indexedDB, name);

  /**
   * Runs `body` in one transaction and resolves with what it settled once the transaction has
   * committed; `abort(reason)` rolls everything back and rejects with `reason`.
   */
  const run = <T>(stores: string[], mode: IDBTransactionMode, body: (step: TransactionStep<T>) => void): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      let result: T | undefined;
      let abortReason: unknown;
      const transaction = db.transaction(stores, mode);
      transaction.oncomplete = () => resolve(result as T);
      transaction.onabort = () => reject(abortReason ?? transaction.error ?? new Error('The IndexedDB transaction was aborted'));
      const abort = (reason: unknown): void => {
        abortReason = reason;
        transaction.abort();
      };
      try {
        body({ transaction, settle: (value) => (result = value), abort });
      } catch (cause) {
        abort(cause);
      }
    });

  /** Reads with one request; the rows are checked after the transaction, outside its callbacks. */
  const read = <T>(store: string, request: (objectStore: IDBObjectStore) => IDBRequest): Promise<T> =>
    run<T>([store], 'readonly', ({ transaction, settle }) => {
      const pending = request(transaction.objectStore(store));
      pending.onsuccess = () => settle(pending.result as T);
    });

  return {
    listProfiles: async () => (await read<string[]>(HEADERS, (headers) => headers.getAllKeys())).slice().sort(),

    readHeader: async (profile) => {
      checkProfileId(profile);
      return readHeaderRow(await read<unknown>(HEADERS, (headers) => headers.get(profile)));
    },

    getRecord: async (profile, id) => {
      checkProfileId(profile);
      if (!isValidRecordKey(id, 'x')) throw new TypeError('A record id is not valid');
      const row = await read<unknown>(RECORDS, (records) => records.get([profile, id]));
      return row === undefined ? undefined : readRecordRow(row);
    },

    listRecords: async (profile, kind) => {
      checkProfileId(profile);
      if (kind !== undefined && !isValidRecordKey('x', kind)) throw new TypeError('A record kind is not valid');
      const rows = await read<unknown[]>(RECORDS, (records) =>
        kind === undefined ? records.index(BY_PROFILE).getAll(profile) : records.index(BY_KIND).getAll([profile, kind]),
      );
      return rows.map(readRecordRow);
    },

    write: async (profile, input: StoreBatch) => {
      checkProfileId(profile);
      const batch = checkBatch(input);
      await run<void>([HEADERS, RECORDS], 'readwrite', ({ transaction, abort }) => {
        const headers = transaction.objectStore(HEADERS);
        const records = transaction.objectStore(RECORDS);
        const existing = headers.getKey(profile);
        existing.onsuccess = () => {
          const exists = existing.result !== undefined;
          if (batch.create === true && exists) {
            return abort(new TesseraError('profile_exists', `The profile ${profile} exists already`));
          }
          if (batch.create !== true && !exists)
            return abort(new TesseraError('profile_not_found', `There is no profile ${profile}`));
          if (batch.header !== undefined) headers.put({ profile, header: batch.header } satisfies HeaderRow);
          for (const id of batch.delete ?? []) records.delete([profile, id]);
          for (const { id, kind, body } of batch.put ?? []) {
            records.put({ profile, id, kind, body } satisfies RecordRow);
          }
        };
      });
    },

    wipeProfile: async (profile) => {
      checkProfileId(profile);
      await run<void>([HEADERS, RECORDS], 'readwrite', ({ transaction }) => {
        const records = transaction.objectStore(RECORDS);
        // Through the index by key, not a key range: IDBKeyRange is a global the caller's factory may not share.
        const cursor = records.index(BY_PROFILE).openKeyCursor(profile);
        cursor.onsuccess = () => {
          if (cursor.result === null) return;
          records.delete(cursor.result.primaryKey);
          cursor.result.continue();
        };
        transaction.objectStore(HEADERS).delete(profile);
      });
    },

    close: async () => db.close(),
  };
}

function openDatabase(indexedDB: IDBFactory, name: string): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(name, VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore(HEADERS, { keyPath: 'profile' });
      const records = db.createObjectStore(RECORDS, { keyPath: ['profile', 'id'] });
      records.createIndex(BY_KIND, ['profile', 'kind']);
      records.createIndex(BY_PROFILE, 'profile');
    };
    request.onsuccess = () => {
      // Another tab upgrading the schema must not be blocked by this one.
      request.result.onversionchange = () => request.result.close();
      resolve(request.result);
    };
    request.onerror = () => reject(request.error);
    request.onblocked = () => reject(new Error('The wallet database is blocked by another open tab'));
  });
}

function readHeaderRow(row: unknown): Uint8Array | undefined {
  if (row === undefined) return undefined;
  const header = (row as Partial<HeaderRow>).header;
  if (!(header instanceof Uint8Array)) fail('wallet_corrupt', 'A stored wallet header is damaged');
  return header;
}

function readRecordRow(row: unknown): StoredRecord {
  const { id, kind, body } = (row ?? {}) as Partial<RecordRow>;
  if (!isValidRecordKey(id, kind) || !(body instanceof Uint8Array)) fail('wallet_corrupt', 'A stored wallet record is damaged');
  return { id: id as string, kind: kind as string, body };
}
