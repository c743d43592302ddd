import { fail } from '@tessera/shared';
import { passphraseBytes, type Scrypt, type ScryptParams } from './kdf.ts';

/**
 * The vault's symmetric crypto, all on WebCrypto so key bytes stay inside the runtime's crypto
 * engine: a passphrase-derived key-encryption key (KEK) wraps a random 256-bit data key, and the
 * data key encrypts records and wraps holder private keys. Every ciphertext is AES-256-GCM with a
 * fresh random 96-bit IV (NIST SP 800-38D §8.2.2; a wallet stays far below the 2^32 messages per
 * key that §8.3 allows for random IVs) and additional authenticated data naming what it is, so a
 * ciphertext moved to another record, key or file fails to decrypt.
 */

const IV_BYTES = 12;
const TAG_BYTES = 16;
/** The first byte of a record body: the layout version (`0x01` = IV ‖ AES-GCM ciphertext+tag). */
const RECORD_LAYOUT_V1 = 0x01;
const AES_GCM: AesKeyGenParams = { name: 'AES-GCM', length: 256 };

const encoder = new TextEncoder();

function randomIv(): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(IV_BYTES));
}

function gcm(iv: Uint8Array<ArrayBuffer>, aad: string): AesGcmParams {
  return { name: 'AES-GCM', iv, additionalData: encoder.encode(aad), tagLength: TAG_BYTES * 8 };
}

/**
 * The KEK for `passphrase`: scrypt output imported as a non-extractable AES-GCM key that can only
 * wrap and unwrap. The passphrase and derived bytes are zeroed as soon as WebCrypto holds the key.
 */
export async function deriveKeyEncryptionKey(
  passphrase: string,
  salt: Uint8Array,
  params: ScryptParams,
  scrypt: Scrypt,
): Promise<CryptoKey> {
  const secret = passphraseBytes(passphrase);
  let derived: Uint8Array | undefined;
  try {
    derived = await scrypt(secret, salt, { ...params, dkLen: 32 });
    return await crypto.subtle.importKey('raw', derived as Uint8Array<ArrayBuffer>, AES_GCM, false, ['wrapKey', 'unwrapKey']);
  } finally {
    secret.fill(0);
    derived?.fill(0);
  }
}

/**
 * A fresh random data key, wrapped under `kek` with `aad`. The extractable key that wrapping needs
 * is dropped at once; the key returned is an unwrapped, non-extractable copy.
 */
export async function createDataKey(kek: CryptoKey, aad: string): Promise<{ key: CryptoKey; wrapped: Uint8Array }> {
  const extractable = await crypto.subtle.generateKey(AES_GCM, true, ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey']);
  const wrapped = await wrapDataKey(extractable, kek, aad);
  return { key: await unwrapDataKey(wrapped, kek, aad), wrapped };
}

/** IV ‖ AES-GCM(raw data key) under `kek`. */
export async function wrapDataKey(key: CryptoKey, kek: CryptoKey, aad: string): Promise<Uint8Array> {
  const iv = randomIv();
  const sealed = new Uint8Array(await crypto.subtle.wrapKey('raw', key, kek, gcm(iv, aad)));
  return concat(iv, sealed);
}

/**
 * The data key from `wrapped`; throws `wrong_passphrase` when `kek` (or `aad`) is not the one it
 * was wrapped with. AES-GCM cannot tell a wrong passphrase from a tampered wrapped key; both mean
 * "this passphrase does not open this wallet", and nothing is changed either way.
 */
export async function unwrapDataKey(wrapped: Uint8Array, kek: CryptoKey, aad: string, extractable = false): Promise<CryptoKey> {
  if (wrapped.length !== IV_BYTES + 32 + TAG_BYTES) fail('wallet_corrupt', 'The wrapped data key has the wrong length');
  try {
    return await crypto.subtle.unwrapKey(
      'raw',
      wrapped.subarray(IV_BYTES) as Uint8Array<ArrayBuffer>,
      kek,
      gcm(wrapped.slice(0, IV_BYTES), aad),
      AES_GCM,
      extractable,
      ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'],
    );
  } catch (cause) {
    return fail('wrong_passphrase', 'The passphrase does not open this wallet', cause);
  }
}

/** The additional authenticated data of a record: its kind and id, so ciphertexts cannot be swapped. */
export function recordAad(kind: string, id: string): string {
  // Kinds and ids are checked against alphabets without spaces, so this joining is unambiguous.
  return `tessera-wallet/1 record ${kind} ${id}`;
}

/** Encrypts a record's plaintext under the data key: `0x01 ‖ IV ‖ ciphertext+tag`. */
export async function sealRecord(dataKey: CryptoKey, kind: string, id: string, plaintext: Uint8Array): Promise<Uint8Array> {
  const iv = randomIv();
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt(gcm(iv, recordAad(kind, id)), dataKey, plaintext as Uint8Array<ArrayBuffer>),
  );
  return concat(Uint8Array.of(RECORD_LAYOUT_V1), iv, sealed);
}

/** Decrypts a record body; a damaged, truncated or moved ciphertext is `wallet_corrupt`. */
export async function openRecord(dataKey: CryptoKey, kind: string, id: string, body: Uint8Array): Promise<Uint8Array> {
  if (body.length < 1 + IV_BYTES + TAG_BYTES || body[0] !== RECORD_LAYOUT_V1) {
    fail('wallet_corrupt', `The stored ${kind} record is damaged`);
  }
  try {
    return new Uint8Array(
      await crypto.subtle.decrypt(
        gcm(body.slice(1, 1 + IV_BYTES), recordAad(kind, id)),
        dataKey,
        body.subarray(1 + IV_BYTES) as Uint8Array<ArrayBuffer>,
      ),
    );
  } catch (cause) {
    return fail('wallet_corrupt', `The stored ${kind} record does not decrypt: it was damaged or moved`, cause);
  }
}

/**
 * A private key wrapped (PKCS #8 inside AES-GCM) under the data key: `IV ‖ ciphertext+tag`.
 * WebCrypto does the export and encryption in one step, so the key's bytes never reach JavaScript.
 */
export async function wrapPrivateKey(privateKey: CryptoKey, dataKey: CryptoKey, aad: string): Promise<Uint8Array> {
  const iv = randomIv();
  return concat(iv, new Uint8Array(await crypto.subtle.wrapKey('pkcs8', privateKey, dataKey, gcm(iv, aad))));
}

/** The ECDSA P-256 private key in `wrapped`; a damaged or moved one is `wallet_corrupt`. */
export async function unwrapPrivateKey(
  wrapped: Uint8Array,
  dataKey: CryptoKey,
  aad: string,
  extractable: boolean,
): Promise<CryptoKey> {
  if (wrapped.length <= IV_BYTES + TAG_BYTES) fail('wallet_corrupt', 'A wrapped holder key is too short');
  try {
    return await crypto.subtle.unwrapKey(
      'pkcs8',
      wrapped.subarray(IV_BYTES) as Uint8Array<ArrayBuffer>,
      dataKey,
      gcm(wrapped.slice(0, IV_BYTES), aad),
      { name: 'ECDSA', namedCurve: 'P-256' },
      extractable,
      ['sign'],
    );
  } catch (cause) {
    return fail('wallet_corrupt', 'A holder key does not unwrap: it was damaged or moved', cause);
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** The random bytes of a fresh salt or record id. */
export function randomBytes(length: number): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(length));
}
