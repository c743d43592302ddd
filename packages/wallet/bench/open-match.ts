/**
 * "Wallet open + DCQL match" (issue 5 §3): a holder's wallet of N credentials on the file store is
 * unlocked, then matched against a request's DCQL query (OpenID4VP 1.0 §6.4), as `openRequest`
 * does once it has the verified request: `heldCredentials` + `presentedInstances` +
 * `matchDcqlQuery`. Unlocking is timed on its own: it is scrypt N=2^17 (the vault's default,
 * about half a second by design, docs/wallet.md), which no amount of credentials changes.
 *
 * Each timed match starts from a freshly unlocked wallet: a new session over the data key the
 * unlock produced, so nothing decoded by an earlier sample is reused in memory. The store object
 * (as an app keeps it from start to exit) and the OS file cache are warm, as on a phone.
 */
import { strictEqual } from 'node:assert/strict';
import { type DcqlCandidate, type DcqlMatchResult, type DcqlQuery, matchDcqlQuery, parseDcqlQuery } from '@tessera/shared';
import { type LatencySample, sampleLatency } from '../../../scripts/bench/harness.ts';
import { createFileWalletStore } from '../src/node/file-wallet-store.ts';
import { nodeScrypt } from '../src/node/node-scrypt.ts';
import { type HeldCredential, heldCredentials, presentedInstances } from '../src/present/held-credentials.ts';
import type { WalletStore } from '../src/store/wallet-store.ts';
import { DEFAULT_SCRYPT_PARAMS } from '../src/vault/kdf.ts';
import { openProfile } from '../src/wallet/profiles.ts';
import { createWallet, sessionOf, type Wallet } from '../src/wallet/wallet.ts';
import { WalletSession } from '../src/wallet/wallet-session.ts';
import { PASSPHRASE, PERMIT_QUERY, type SeededWallet } from './seed.ts';

export interface OpenMatchResult {
  credentials: number;
  /** Credentials the query matches (the residence permits). */
  matching: number;
  fileBytes: number;
  seedMs: number;
  /** `openProfile` with the passphrase: read the header, scrypt, unwrap the data key (store open, as after an auto-lock). */
  unlock: LatencySample;
  /** The same on a store object made just before, as at app start: the wallet file is read and parsed too. */
  unlockAtStart: LatencySample;
  /** The first match after the credentials changed: every credential decrypted and decoded, the view cache written. */
  firstMatchMs: number;
  /** Unlocked wallet → DCQL match result. */
  match: LatencySample;
}

/** What `openRequest` does locally between the verified request and the consent. */
export async function matchLocally(wallet: Wallet, query: DcqlQuery): Promise<DcqlMatchResult> {
  const held = await heldCredentials(wallet);
  const presented = await presentedInstances(wallet);
  const match = matchDcqlQuery(query, held.map(dcqlCandidate));
  // The consent then marks each candidate shown before or not.
  if (!(presented instanceof Set)) throw new TypeError('presentedInstances must return a set');
  return match;
}

/** As open-request.ts hands a held credential to the matcher. */
function dcqlCandidate(credential: HeldCredential): DcqlCandidate {
  return credential.format === 'dc+sd-jwt'
    ? { id: credential.id, format: 'dc+sd-jwt', vct: credential.vct, claims: credential.claims }
    : { id: credential.id, format: 'jwt_vc_json', types: credential.types, claims: credential.claims };
}

/** Times unlock and match on a seeded wallet; checks the match finds every permit and nothing else. */
export async function measureOpenMatch(
  seeded: SeededWallet,
  { unlockSamples, matchSamples }: { unlockSamples: number; matchSamples: number },
): Promise<OpenMatchResult> {
  const { store, profile } = seeded;
  const query = parseDcqlQuery(PERMIT_QUERY);
  const unlock = await sampleLatency(
    'unlock',
    async () => {
      const wallet = await openProfile({ store, profile, passphrase: PASSPHRASE, scrypt: nodeScrypt });
      wallet.lock();
    },
    { samples: unlockSamples, warmup: 0 },
  );
  const unlockAtStart = await sampleLatency(
    'unlock at app start',
    async (fresh: WalletStore) => {
      const wallet = await openProfile({ store: fresh, profile, passphrase: PASSPHRASE, scrypt: nodeScrypt });
      wallet.lock();
      await fresh.close();
    },
    { samples: unlockSamples, warmup: 0, setup: () => createFileWalletStore({ directory: seeded.directory }) },
  );

  const dataKey = sessionOf(seeded.wallet).dataKey();
  const freshlyUnlocked = (): Wallet => createWallet(new WalletSession(store, profile, dataKey, Date.now), nodeScrypt);
  const check = (match: DcqlMatchResult): void => {
    strictEqual(match.satisfiable, true);
    strictEqual(match.credentials[0]?.candidates.length, seeded.permits);
  };

  const firstStart = performance.now();
  check(await matchLocally(freshlyUnlocked(), query));
  const firstMatchMs = performance.now() - firstStart;

  const match = await sampleLatency('open + match', (wallet: Wallet) => matchLocally(wallet, query), {
    samples: matchSamples,
    warmup: 2,
    setup: freshlyUnlocked,
  });
  check(await matchLocally(freshlyUnlocked(), query));
  return {
    credentials: seeded.count,
    matching: seeded.permits,
    fileBytes: seeded.fileBytes,
    seedMs: seeded.seedMs,
    unlock,
    unlockAtStart,
    firstMatchMs,
    match,
  };
}

/** scrypt alone, as `openProfile` runs it (default parameters, node:crypto). */
export async function measureScrypt(samples: number): Promise<LatencySample> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const passphrase = new TextEncoder().encode(PASSPHRASE);
  return sampleLatency('scrypt', () => nodeScrypt(passphrase, salt, { ...DEFAULT_SCRYPT_PARAMS, dkLen: 32 }), {
    samples,
    warmup: 0,
  });
}
