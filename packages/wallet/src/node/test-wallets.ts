import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDBFactory } from 'fake-indexeddb';
import { createIndexedDbWalletStore } from '../store/indexeddb-wallet-store.ts';
import type { WalletStore } from '../store/wallet-store.ts';
import { nobleScrypt, type Scrypt, type ScryptParams } from '../vault/kdf.ts';
import { createFileWalletStore } from './file-wallet-store.ts';
import { nodeScrypt } from './node-scrypt.ts';

/** scrypt at the lowest cost the vault accepts, so tests do not spend a second per derivation. */
export const FAST_SCRYPT: ScryptParams = { N: 2 ** 10, r: 8, p: 1 };

/** A backend with the scrypt a real app on it would use. */
export interface TestBackend {
  name: string;
  store: WalletStore;
  scrypt: Scrypt;
  /** The file store's folder (undefined for IndexedDB). */
  directory?: string;
  dispose(): Promise<void>;
}

/** A fresh file store in a temp folder, with node:crypto scrypt. */
export async function fileBackend(): Promise<TestBackend> {
  const directory = await mkdtemp(join(tmpdir(), 'tessera-wallet-'));
  const store = await createFileWalletStore({ directory });
  return {
    name: 'file store',
    store,
    scrypt: nodeScrypt,
    directory,
    dispose: async () => {
      await store.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** A fresh in-process IndexedDB store, with the browser's pure-JS scrypt. */
export async function indexedDbBackend(): Promise<TestBackend> {
  const store = await createIndexedDbWalletStore({ indexedDB: new IDBFactory() });
  return { name: 'IndexedDB', store, scrypt: nobleScrypt, dispose: () => store.close() };
}

export const BACKENDS = [
  ['file store', fileBackend],
  ['IndexedDB', indexedDbBackend],
] as const;
