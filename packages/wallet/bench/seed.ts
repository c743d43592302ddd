/**
 * Wallets for the bench, filled before any timing: a file-store profile (default scrypt
 * parameters, as a holder's wallet has) holding `count` SD-JWT VC credential records, every one
 * issued on its own by `issueSdJwtVc` of @tessera/shared, bound (`cnf.jwk`) to its own holder key
 * made by the wallet, and stored (in one commit) in the record shape `receiveCredential` stores
 * (`ReceivedCredentialRecord`, display data in four languages). No credential is copied: each
 * has its own salts, digests, signature and key, as a real wallet's would.
 *
 * The credentials come in receipts of three instances (the batch a wallet asks for by default)
 * and in ten types; one type in ten is the residence permit the bench's requests ask for.
 */
import { generateKeyPairSync } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RESIDENCE_PERMIT_CLAIMS } from '@tessera/issuer/testing';
import { type ClaimPath, encodeBase64Url, issueSdJwtVc, type JsonObject, type Jwk, type SigningKey } from '@tessera/shared';
import { nodeCrypto, nodeSigningKey } from '@tessera/shared/node';
import { createFileWalletStore } from '../src/node/file-wallet-store.ts';
import { nodeScrypt } from '../src/node/node-scrypt.ts';
import type { ReceivedCredentialRecord } from '../src/receive/receive-credential.ts';
import type { WalletStore } from '../src/store/wallet-store.ts';
import { DEFAULT_SCRYPT_PARAMS } from '../src/vault/kdf.ts';
import { createProfile } from '../src/wallet/profiles.ts';
import type { Wallet } from '../src/wallet/wallet.ts';

export const PERMIT_VCT = 'https://tessera.example/credentials/residence-permit';
export const PASSPHRASE = 'bench: correct horse battery staple';
const TYPES = 10;
const INSTANCES_PER_RECEIPT = 3;
/** Holder keys per `generateBatch` call (its maximum). */
const KEY_BATCH = 100;

/** A residence permit's claims (the issuer tests' sample, with the nested address and age claims) and a document number. */
const CLAIMS: JsonObject = { ...RESIDENCE_PERMIT_CLAIMS, document_number: 'BO-2026-004711' };
const DISCLOSABLE: ClaimPath[] = [
  ...Object.keys(CLAIMS).map((name) => [name]),
  ['address', 'street_address'],
  ['address', 'locality'],
  ['address', 'postal_code'],
  ['age_equal_or_over', '18'],
];
const LOCALES = ['en', 'ar', 'uk', 'it'] as const;

/** The query of the bench's requests: a residence permit's status and the age, 18 or over. */
export const PERMIT_QUERY: JsonObject = {
  credentials: [
    {
      id: 'permit',
      format: 'dc+sd-jwt',
      meta: { vct_values: [PERMIT_VCT] },
      claims: [{ path: ['residence_status'] }, { path: ['age_equal_or_over', '18'], values: [true] }],
    },
  ],
};

export interface BenchIssuer {
  did: string;
  signingKey: SigningKey;
}

/** A did:jwk issuer (resolved locally by the verifier, so presenting needs no network). */
export function benchIssuer(): BenchIssuer {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const privateJwk = privateKey.export({ format: 'jwk' }) as Jwk;
  const { d: _d, ...publicJwk } = privateJwk;
  const did = `did:jwk:${encodeBase64Url(new TextEncoder().encode(JSON.stringify(publicJwk)))}`;
  return { did, signingKey: nodeSigningKey(privateJwk, 'ES256', `${did}#0`) };
}

const vctOf = (type: number): string => (type === 0 ? PERMIT_VCT : `https://tessera.example/credentials/bench-type-${type}`);

/** Display data as an issuer publishes it (OpenID4VCI 1.0 §12.2.4), one entry per locale. */
function displayOf(type: number): ReceivedCredentialRecord['display'] {
  const claimNames = DISCLOSABLE.map((path) => path.join('.'));
  return {
    issuer: LOCALES.map((locale) => ({ name: `City of Bologna (${locale})`, locale })),
    credential: LOCALES.map((locale) => ({
      name: `Credential type ${type} (${locale})`,
      locale,
      description: `What credential type ${type} proves, in ${locale}.`,
      background_color: '#12355b',
      text_color: '#ffffff',
    })),
    claims: DISCLOSABLE.map((path, index) => ({
      path: [...path],
      display: LOCALES.map((locale) => ({ name: `${claimNames[index]} (${locale})`, locale })),
    })),
  };
}

export interface SeededWallet {
  /** The file store's folder. */
  directory: string;
  store: WalletStore;
  profile: string;
  /** The wallet as `createProfile` left it (unlocked). */
  wallet: Wallet;
  count: number;
  /** How many of the credentials are residence permits (the ones the requests match). */
  permits: number;
  /** The wallet file's size in bytes. */
  fileBytes: number;
  seedMs: number;
}

/**
 * A profile `profile` in `directory` holding `count` credentials; returns it unlocked. Holder keys
 * are made through the wallet (`keys.generateBatch`, 100 at a time), credentials stored through
 * `commit`, so that seeding 10,000 does not rewrite the file 10,000 times.
 */
export async function seedWallet(directory: string, profile: string, count: number, issuer: BenchIssuer): Promise<SeededWallet> {
  const started = performance.now();
  const store = await createFileWalletStore({ directory });
  const wallet = await createProfile({
    store,
    profile,
    passphrase: PASSPHRASE,
    scrypt: nodeScrypt,
    scryptParams: DEFAULT_SCRYPT_PARAMS,
  });
  const keys = [];
  for (let made = 0; made < count; made += KEY_BATCH)
    keys.push(...(await wallet.keys.generateBatch(Math.min(KEY_BATCH, count - made))));

  const now = Math.floor(Date.now() / 1000);
  const displays = Array.from({ length: TYPES }, (_, type) => displayOf(type));
  let permits = 0;
  const put: { kind: 'credential'; value: ReceivedCredentialRecord }[] = [];
  for (const [index, key] of keys.entries()) {
    const receipt = Math.floor(index / INSTANCES_PER_RECEIPT);
    const type = receipt % TYPES;
    const vct = vctOf(type);
    const sdJwt = await issueSdJwtVc({
      issuer: issuer.did,
      vct,
      claims: CLAIMS,
      disclosable: DISCLOSABLE,
      holderKey: key.publicJwk,
      issuedAt: now - 60,
      expiresAt: now + 365 * 24 * 3600,
      signingKey: issuer.signingKey,
      crypto: nodeCrypto,
    });
    if (type === 0) permits++;
    put.push({
      kind: 'credential',
      value: {
        format: 'dc+sd-jwt',
        sdJwt,
        keyId: key.id,
        configurationId: type === 0 ? 'residence_permit' : `bench_type_${type}`,
        vct,
        issuer: issuer.did,
        credentialIssuer: 'https://issuer.tessera.example/bologna',
        issuerTrusted: true,
        receivedAt: (now - 60) * 1000,
        expiresAt: (now + 365 * 24 * 3600) * 1000,
        receiptId: `receipt-${receipt}`,
        display: displays[type] as ReceivedCredentialRecord['display'],
      },
    });
  }
  // One commit: the file store rewrites its whole file per write.
  await wallet.commit({ put });
  const fileBytes = (await stat(join(directory, profile, 'wallet.json'))).size;
  return { directory, store, profile, wallet, count, permits, fileBytes, seedMs: performance.now() - started };
}
