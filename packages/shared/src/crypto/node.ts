import { isUtf8 } from 'node:buffer';
import { createPrivateKey, createPublicKey, type KeyObject, hash as nodeHash, randomFillSync, sign, verify } from 'node:crypto';
import { type Base64UrlCodec, hasCanonicalTail } from '../encoding/base64url.ts';
import { fail } from '../errors/tessera-error.ts';
import { cachedVerifier, publicJwkFor, SIGNATURE_BYTES, VerifierCache } from './jwk.ts';
import type { CryptoProvider, HashAlgorithm, Jwk, JwsAlgorithm, RandomBytes, SigningKey, Verifier } from './types.ts';

/**
 * The Node crypto provider: node:crypto is synchronous, so hashing and verifying skip the
 * promise round trips and thread-pool hops of WebCrypto. Node-only: import it from
 * `@tessera/shared/node`.
 */

const NODE_HASH: Record<HashAlgorithm, string> = { 'sha-256': 'sha256', 'sha-384': 'sha384', 'sha-512': 'sha512' };
const SIGN_HASH: Record<JwsAlgorithm, string | null> = { ES256: 'sha256', ES384: 'sha384', ES512: 'sha512', EdDSA: null };

/** Creates a node:crypto provider with its own verifier cache. */
export function createNodeCrypto(options: { cacheSize?: number } = {}): CryptoProvider {
  const cache = new VerifierCache<Verifier>(options.cacheSize ?? 1000);
  return {
    // One-shot crypto.hash (Node ≥ 20.12) is markedly cheaper than createHash for short inputs.
    hash: (data, alg) => nodeHash(NODE_HASH[alg], data, 'buffer'),
    digest: (text, alg) => nodeHash(NODE_HASH[alg], text, 'base64url'),
    base64url: nodeBase64Url,
    randomBytes: pooledRandomBytes(),
    verifier: (jwk, alg) => cachedVerifier(cache, jwk, alg, (publicJwk) => nodeVerifier(importPublicKey(publicJwk, alg), alg)),
  };
}

/**
 * Buffer's base64url is native and several times faster than JavaScript, but lenient on decode
 * (it skips foreign characters and accepts padding), so input is checked for canonical form first.
 */
export const nodeBase64Url: Base64UrlCodec = Object.freeze({
  encode: (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url'),
  encodeText: (text: string) => Buffer.from(text, 'utf8').toString('base64url'),
  decode: (text: string) => (isStrictBase64Url(text) ? checkedLength(text, Buffer.from(text, 'base64url')) : undefined),
  decodeText,
});

/**
 * Buffer skips characters outside the alphabet and also reads '+', '/' and '='. A decode is
 * accepted only when none of those three appears, every character gave its six bits (an
 * impossible length or a skipped character makes the output shorter than 3n/4 bytes, see
 * `checkedLength`), and the last character's overhanging bits are zero.
 */
function isStrictBase64Url(text: string): boolean {
  return text.length % 4 !== 1 && !text.includes('+') && !text.includes('/') && !text.includes('=') && hasCanonicalTail(text);
}

function checkedLength<B extends Uint8Array>(text: string, bytes: B): B | undefined {
  return bytes.length === (text.length * 3) >> 2 ? bytes : undefined;
}

/**
 * Text (JSON of JWT parts and disclosures) is decoded through one reused buffer and copied out as
 * a string at once, sparing a Buffer allocation per part on the verify hot path. Larger input
 * takes a fresh buffer, so this one stays small.
 */
const textScratch = Buffer.allocUnsafeSlow(8192);

function decodeText(text: string): string | undefined {
  if (!isStrictBase64Url(text)) return undefined;
  const length = (text.length * 3) >> 2;
  if (length > textScratch.length) {
    const bytes = checkedLength(text, Buffer.from(text, 'base64url'));
    return bytes !== undefined && isUtf8(bytes) ? bytes.toString('utf8') : undefined;
  }
  try {
    if (textScratch.write(text, 0, 'base64url') !== length) return undefined;
    const decoded = textScratch.toString('utf8', 0, length);
    // toString replaces every invalid UTF-8 byte with U+FFFD (as Node documents it), so text
    // without one came from valid UTF-8; only text with one needs the exact native check.
    return !decoded.includes('\uFFFD') || isUtf8(textScratch.subarray(0, length)) ? decoded : undefined;
  } finally {
    // Disclosures carry claim values: none stays behind in the shared buffer.
    textScratch.fill(0, 0, length);
  }
}

/** Requests up to this size are served from the pool; larger ones go straight to the CSPRNG. */
const POOLED_MAX = 256;
const POOL_BYTES = 4096;

/**
 * Salts and decoys take 16 bytes at a time, and each randomFillSync call costs ~2 µs however
 * small: a fifth of issuing a credential with 13 disclosures. This draws 4 KiB from the CSPRNG
 * at once (as Node's own randomUUID does) and hands each byte out exactly once, wiping it from
 * the pool as it goes.
 */
function pooledRandomBytes(): RandomBytes {
  let pool = new Uint8Array(0);
  let offset = 0;
  return (length) => {
    if (!Number.isSafeInteger(length) || length <= 0 || length > POOLED_MAX) return randomFillSync(new Uint8Array(length));
    if (offset + length > pool.length) {
      pool = randomFillSync(new Uint8Array(POOL_BYTES));
      offset = 0;
    }
    const out = pool.slice(offset, offset + length);
    pool.fill(0, offset, offset + length);
    offset += length;
    return out;
  };
}

function importPublicKey(jwk: Jwk, alg: JwsAlgorithm): KeyObject {
  try {
    return createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' });
  } catch (cause) {
    fail('invalid_key', `The key could not be imported for ${alg}`, cause);
  }
}

function nodeVerifier(key: KeyObject, alg: JwsAlgorithm): Verifier {
  const hash = SIGN_HASH[alg];
  const length = SIGNATURE_BYTES[alg];
  const keyInput = hash === null ? key : { key, dsaEncoding: 'ieee-p1363' as const };
  return (data, signature) => {
    if (signature.length !== length) return false;
    const bytes = typeof data === 'string' ? signingInputBytes(data) : data;
    try {
      return verify(hash, bytes, keyInput, signature);
    } catch {
      return false;
    } finally {
      // The signing input may hold claims the issuer left in the clear: wipe the shared buffer.
      if (bytes !== data) bytes.fill(0);
    }
  };
}

/**
 * The signing input (about 1 KB for a credential) is written into one reused buffer rather than a
 * new Buffer per check: verify is synchronous and done with the bytes when it returns.
 */
const signingInputScratch = Buffer.allocUnsafeSlow(16384);

function signingInputBytes(text: string): Uint8Array {
  // UTF-8 takes at most three bytes per UTF-16 code unit, so the text always fits whole.
  if (text.length * 3 > signingInputScratch.length) return Buffer.from(text, 'utf8');
  return signingInputScratch.subarray(0, signingInputScratch.write(text, 0, 'utf8'));
}

/** The shared default node:crypto provider. */
export const nodeCrypto: CryptoProvider = createNodeCrypto();

/**
 * A signing key from a private JWK as a node:crypto KeyObject, imported once.
 * @example const issuerKey = nodeSigningKey(privateJwk, 'ES256');
 */
export function nodeSigningKey(privateJwk: Jwk, alg: JwsAlgorithm, kid?: string): SigningKey {
  if (typeof privateJwk.d !== 'string') throw new TypeError('nodeSigningKey needs a private JWK (with "d")');
  const { d: _d, ...publicPart } = privateJwk;
  publicJwkFor(publicPart, alg);
  const key = createPrivateKey({ key: privateJwk as import('node:crypto').JsonWebKey, format: 'jwk' });
  const hash = SIGN_HASH[alg];
  const keyInput = hash === null ? key : { key, dsaEncoding: 'ieee-p1363' as const };
  const signingKey: SigningKey = { alg, sign: async (data) => sign(hash, data, keyInput) };
  if (kid !== undefined) signingKey.kid = kid;
  return signingKey;
}
