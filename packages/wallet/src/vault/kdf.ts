import { scryptAsync } from '@noble/hashes/scrypt.js';

/**
 * Passphrase → key-encryption key with scrypt (RFC 7914), a memory-hard KDF that runs in every
 * runtime: WebCrypto has no memory-hard KDF, so browsers use the audited pure-JS `@noble/hashes`
 * implementation, and Node may inject node:crypto's native scrypt (`nodeScrypt` from
 * `@tessera/wallet/node`), which derives the same bytes faster. A backup made in a browser
 * therefore opens in Node and the other way round.
 */

/** scrypt cost parameters (RFC 7914 §2) with the salt they were used with. */
export interface ScryptParams {
  /** CPU/memory cost, a power of two; memory used is about 128 · N · r bytes. */
  N: number;
  /** Block size. */
  r: number;
  /** Parallelisation. */
  p: number;
}

/**
 * The default: OWASP Password Storage Cheat Sheet's scrypt minimum (N=2^17, r=8, p=1, 128 MiB).
 * Measured on the 2-core development machine: ~0.5 s with node:crypto, ~0.7–1.1 s with
 * `@noble/hashes` (see docs/wallet.md). Argon2id in pure JS was considered; node:crypto has no
 * Argon2 before Node 24.7, so Node would have paid the pure-JS price too.
 */
export const DEFAULT_SCRYPT_PARAMS: Readonly<ScryptParams> = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });

/**
 * Bounds for parameters read from a store or backup file. The floor lets tests run fast; the
 * ceiling (256 MiB, p ≤ 4) keeps a hostile backup from exhausting a phone's memory or time.
 */
export const SCRYPT_LIMITS = Object.freeze({ minN: 2 ** 10, maxMemoryBytes: 256 * 1024 * 1024, maxR: 32, maxP: 4 });

/** Derives `dkLen` bytes from a passphrase with scrypt; every implementation gives the same bytes. */
export type Scrypt = (passphrase: Uint8Array, salt: Uint8Array, params: ScryptParams & { dkLen: number }) => Promise<Uint8Array>;

/** scrypt on `@noble/hashes`: browser-safe, yields to the event loop so a UI stays responsive. */
export const nobleScrypt: Scrypt = (passphrase, salt, { N, r, p, dkLen }) =>
  scryptAsync(passphrase, salt, { N, r, p, dkLen, asyncTick: 50, maxmem: SCRYPT_LIMITS.maxMemoryBytes + 4096 });

/** True when `params` are scrypt parameters within `SCRYPT_LIMITS`. */
export function isScryptParams(params: unknown): params is ScryptParams {
  if (typeof params !== 'object' || params === null) return false;
  const { N, r, p } = params as Record<string, unknown>;
  if (!Number.isSafeInteger(N) || !Number.isSafeInteger(r) || !Number.isSafeInteger(p)) return false;
  const n = N as number;
  const blocks = r as number;
  const lanes = p as number;
  return (
    n >= SCRYPT_LIMITS.minN &&
    (n & (n - 1)) === 0 &&
    blocks >= 1 &&
    blocks <= SCRYPT_LIMITS.maxR &&
    lanes >= 1 &&
    lanes <= SCRYPT_LIMITS.maxP &&
    128 * n * blocks <= SCRYPT_LIMITS.maxMemoryBytes
  );
}

/**
 * The passphrase as bytes: UTF-8 of its Unicode NFC form, so the same PIN or passphrase typed on
 * another keyboard or system (composed or decomposed accents, Arabic presentation) derives the
 * same key. The caller zeroes the bytes after use.
 */
export function passphraseBytes(passphrase: string): Uint8Array {
  if (typeof passphrase !== 'string') throw new TypeError('A passphrase must be a string');
  if (passphrase.length === 0) throw new TypeError('A passphrase must not be empty');
  return new TextEncoder().encode(passphrase.normalize('NFC'));
}
