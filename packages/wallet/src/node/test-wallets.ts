import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClaimPath, issueSdJwtVc, type JsonObject, type SigningKey } from '@tessera/shared';
import { nodeCrypto } from '@tessera/shared/node';
import { IDBFactory } from 'fake-indexeddb';
import { createIndexedDbWalletStore } from '../store/indexeddb-wallet-store.ts';
import type { WalletStore } from '../store/wallet-store.ts';
import { nobleScrypt, type Scrypt, type ScryptParams } from '../vault/kdf.ts';
import { createProfile } from '../wallet/profiles.ts';
import type { Wallet } from '../wallet/wallet.ts';
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

/** The passphrase of a test profile unless a test picks its own. */
export const TEST_PASSPHRASE = 'correct horse battery staple';

/**
 * A new profile on `backend`, unlocked, with the backend's scrypt at FAST_SCRYPT.
 * @example const wallet = await createTestProfile(await fileBackend(), 'amina');
 */
export function createTestProfile(backend: TestBackend, profile: string, passphrase = TEST_PASSPHRASE): Promise<Wallet> {
  return createProfile({ store: backend.store, profile, passphrase, scrypt: backend.scrypt, scryptParams: FAST_SCRYPT });
}

/**
 * Issues an SD-JWT VC (RFC 9901 with SD-JWT VC typing), valid for an hour, by `issuer` to a fresh
 * holder key of `wallet`, and stores the record fields presenting reads (format, SD-JWT, key,
 * vct, configuration id, display when given), so present tests need no issuer run. Returns the
 * record id.
 */
export async function holdSdJwtVc(
  wallet: Wallet,
  issuer: { did: string; signingKey: SigningKey },
  credential: { vct: string; claims: JsonObject; disclosable: ClaimPath[]; configurationId: string; display?: JsonObject[] },
): Promise<string> {
  const { vct, claims, disclosable, configurationId, display } = credential;
  const key = await wallet.keys.generate();
  const now = Math.floor(Date.now() / 1000);
  const sdJwt = await issueSdJwtVc({
    issuer: issuer.did,
    vct,
    claims,
    disclosable,
    holderKey: key.publicJwk,
    issuedAt: now - 60,
    expiresAt: now + 3600,
    signingKey: issuer.signingKey,
    crypto: nodeCrypto,
  });
  return wallet.records.put('credential', {
    format: 'dc+sd-jwt',
    sdJwt,
    keyId: key.id,
    configurationId,
    vct,
    ...(display === undefined ? {} : { display }),
  });
}

export const BACKENDS = [
  ['file store', fileBackend],
  ['IndexedDB', indexedDbBackend],
] as const;
