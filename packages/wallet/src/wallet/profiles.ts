import { type Clock, fail } from '@tessera/shared';
import { checkProfileId, type WalletStore } from '../store/wallet-store.ts';
import { DEFAULT_SCRYPT_PARAMS, nobleScrypt, type Scrypt, type ScryptParams } from '../vault/kdf.ts';
import { createKeySlot, openKeySlot } from '../vault/key-slot.ts';
import { decodeWalletHeader, encodeWalletHeader } from '../vault/wallet-header.ts';
import { createWallet, type Wallet } from './wallet.ts';
import { WalletSession } from './wallet-session.ts';

/**
 * Profiles: several wallets on one device (people sharing a phone), each with its own passphrase
 * or PIN and its own data key. Profile ids are stored in clear; keep names out of them if that
 * matters (docs/wallet.md).
 */

/** What opening or creating a profile needs. */
export interface ProfileOptions {
  store: WalletStore;
  profile: string;
  passphrase: string;
  /** scrypt implementation; default the browser-safe `nobleScrypt` (Node: `nodeScrypt`). */
  scrypt?: Scrypt;
  /** Clock for history and key timestamps; default `Date.now`. */
  clock?: Clock;
}

/**
 * Creates a profile with a fresh data key under `passphrase` and returns it unlocked; fails with
 * `profile_exists` (nothing changed) when the id is taken.
 * @example const wallet = await createProfile({ store, profile: 'amina', passphrase: pin });
 */
export async function createProfile({
  store,
  profile,
  passphrase,
  scrypt = nobleScrypt,
  clock = Date.now,
  scryptParams = DEFAULT_SCRYPT_PARAMS,
}: ProfileOptions & { scryptParams?: ScryptParams }): Promise<Wallet> {
  checkProfileId(profile);
  const { slot, key } = await createKeySlot(passphrase, 'wallet', scryptParams, scrypt);
  await store.write(profile, { create: true, header: encodeWalletHeader(slot) });
  return createWallet(new WalletSession(store, profile, key, clock), scrypt);
}

/**
 * Opens a profile with its passphrase: `profile_not_found`, or `wrong_passphrase` (nothing changed).
 * @example const wallet = await openProfile({ store, profile: 'amina', passphrase: pin });
 */
export async function openProfile({
  store,
  profile,
  passphrase,
  scrypt = nobleScrypt,
  clock = Date.now,
}: ProfileOptions): Promise<Wallet> {
  checkProfileId(profile);
  const header = await store.readHeader(profile);
  if (header === undefined) fail('profile_not_found', `There is no profile ${profile}`);
  const key = await openKeySlot(decodeWalletHeader(header), passphrase, 'wallet', scrypt);
  return createWallet(new WalletSession(store, profile, key, clock), scrypt);
}

/** The profiles on this device. */
export function listProfiles(store: WalletStore): Promise<string[]> {
  return store.listProfiles();
}

/**
 * Deletes a profile's header (with its wrapped data key) and every record, irrecoverably. The
 * passphrase is not needed (a holder who forgot it must be able to start over); `confirmation`
 * must repeat the profile id, so a slip of one call cannot wipe a wallet (`wipe_not_confirmed`).
 * Asking twice is the UI's job.
 */
export async function wipeProfile({
  store,
  profile,
  confirmation,
}: {
  store: WalletStore;
  profile: string;
  confirmation: string;
}): Promise<void> {
  checkProfileId(profile);
  if (confirmation !== profile) fail('wipe_not_confirmed', 'Wiping a profile needs its id as confirmation');
  await store.wipeProfile(profile);
}
