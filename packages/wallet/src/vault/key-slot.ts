import { decodeBase64Url, type ErrorCode, encodeBase64Url, fail } from '@tessera/shared';
import { createDataKey, deriveKeyEncryptionKey, randomBytes, unwrapDataKey, wrapDataKey } from './cipher.ts';
import { isScryptParams, type Scrypt, type ScryptParams } from './kdf.ts';

/**
 * A key slot: how a passphrase opens a data key. It names the KDF and its parameters with the salt,
 * and carries the data key wrapped under the passphrase-derived KEK. The slot's parameters and its
 * purpose are bound into the wrapping as additional authenticated data, so neither can be
 * changed without the unwrapping failing. A wallet's header holds one; so does a backup file.
 */
export interface KeySlot {
  kdf: { name: 'scrypt'; N: number; r: number; p: number /** base64url, 16 bytes */; salt: string };
  /** base64url of IV ‖ AES-256-GCM(raw data key). */
  wrappedKey: string;
}

/** What a slot's data key is for; part of the wrapping's AAD so a backup slot never opens a wallet. */
export type KeySlotPurpose = 'wallet' | 'backup';

const SALT_BYTES = 16;

function slotAad(purpose: KeySlotPurpose, { N, r, p, salt }: KeySlot['kdf']): string {
  return `tessera-${purpose}/1 data-key scrypt ${N} ${r} ${p} ${salt}`;
}

/** A new random data key and the slot that opens it with `passphrase`. */
export async function createKeySlot(
  passphrase: string,
  purpose: KeySlotPurpose,
  params: ScryptParams,
  scrypt: Scrypt,
): Promise<{ slot: KeySlot; key: CryptoKey }> {
  if (!isScryptParams(params)) throw new TypeError('The scrypt parameters are outside the supported range');
  const salt = randomBytes(SALT_BYTES);
  const kdf: KeySlot['kdf'] = { name: 'scrypt', N: params.N, r: params.r, p: params.p, salt: encodeBase64Url(salt) };
  const kek = await deriveKeyEncryptionKey(passphrase, salt, params, scrypt);
  const { key, wrapped } = await createDataKey(kek, slotAad(purpose, kdf));
  return { slot: { kdf, wrappedKey: encodeBase64Url(wrapped) }, key };
}

/**
 * The data key behind `slot`: non-extractable unless `extractable` (only to re-wrap it under a new
 * passphrase). A passphrase that does not open it is `wrong_passphrase`.
 */
export async function openKeySlot(
  slot: KeySlot,
  passphrase: string,
  purpose: KeySlotPurpose,
  scrypt: Scrypt,
  extractable = false,
): Promise<CryptoKey> {
  const kek = await deriveKeyEncryptionKey(passphrase, decodeBase64Url(slot.kdf.salt) as Uint8Array, slot.kdf, scrypt);
  return unwrapDataKey(decodeBase64Url(slot.wrappedKey) as Uint8Array, kek, slotAad(purpose, slot.kdf), extractable);
}

/**
 * The same data key in a new slot for `newPassphrase` (fresh salt, `params`); only the data key is
 * re-wrapped, no record changes. Throws `wrong_passphrase` if `oldPassphrase` does not open `slot`.
 */
export async function rewrapKeySlot(
  slot: KeySlot,
  oldPassphrase: string,
  newPassphrase: string,
  purpose: KeySlotPurpose,
  params: ScryptParams,
  scrypt: Scrypt,
): Promise<KeySlot> {
  if (!isScryptParams(params)) throw new TypeError('The scrypt parameters are outside the supported range');
  const key = await openKeySlot(slot, oldPassphrase, purpose, scrypt, true);
  const salt = randomBytes(SALT_BYTES);
  const kdf: KeySlot['kdf'] = { name: 'scrypt', N: params.N, r: params.r, p: params.p, salt: encodeBase64Url(salt) };
  const kek = await deriveKeyEncryptionKey(newPassphrase, salt, params, scrypt);
  return { kdf, wrappedKey: encodeBase64Url(await wrapDataKey(key, kek, slotAad(purpose, kdf))) };
}

/** Checks untrusted JSON as a key slot; anything else throws `code` (never a crash). */
export function parseKeySlot(value: unknown, code: ErrorCode): KeySlot {
  if (!isPlainObject(value) || !hasExactKeys(value, ['kdf', 'wrappedKey'])) fail(code, 'The key slot is malformed');
  const { kdf, wrappedKey } = value;
  if (!isPlainObject(kdf) || !hasExactKeys(kdf, ['name', 'N', 'r', 'p', 'salt']) || kdf.name !== 'scrypt') {
    fail(code, 'The key slot names no supported KDF');
  }
  if (!isScryptParams(kdf)) fail(code, 'The key slot has scrypt parameters outside the supported range');
  const salt = typeof kdf.salt === 'string' ? decodeBase64Url(kdf.salt) : undefined;
  if (salt?.length !== SALT_BYTES) fail(code, 'The key slot salt is malformed');
  const wrapped = typeof wrappedKey === 'string' ? decodeBase64Url(wrappedKey) : undefined;
  if (wrapped?.length !== 60) fail(code, 'The wrapped data key is malformed');
  return {
    kdf: { name: 'scrypt', N: kdf.N as number, r: kdf.r as number, p: kdf.p as number, salt: kdf.salt as string },
    wrappedKey: wrappedKey as string,
  };
}

/** An object made by JSON.parse or a literal: no arrays, no prototypes beyond Object.prototype. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** True when `value` has exactly the own keys `keys` (unknown members are refused, not ignored). */
export function hasExactKeys(value: Record<string, unknown>, keys: readonly string[]): boolean {
  const own = Object.keys(value);
  return own.length === keys.length && keys.every((key) => Object.hasOwn(value, key));
}
