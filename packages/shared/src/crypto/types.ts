import type { Base64UrlCodec } from '../encoding/base64url.ts';

/**
 * Crypto enters Tessera's format code only as functions, so that code never holds a private key
 * and runs unchanged in browsers (WebCrypto) and Node (node:crypto, see `@tessera/shared/node`).
 */

/** JWS algorithms Tessera can verify. `none` and HMAC are deliberately not representable. */
export type JwsAlgorithm = 'ES256' | 'ES384' | 'ES512' | 'EdDSA';
export const JWS_ALGORITHMS: readonly JwsAlgorithm[] = ['ES256', 'ES384', 'ES512', 'EdDSA'];

/** `_sd_alg` values from the IANA Named Information Hash Algorithm registry that we accept. */
export type HashAlgorithm = 'sha-256' | 'sha-384' | 'sha-512';
export const HASH_ALGORITHMS: readonly HashAlgorithm[] = ['sha-256', 'sha-384', 'sha-512'];

/** A public (or, for signing helpers, private) JSON Web Key. */
export interface Jwk {
  kty: string;
  crv?: string;
  x?: string;
  y?: string;
  d?: string;
  kid?: string;
  alg?: string;
  use?: string;
  [member: string]: unknown;
}

/** Signs the JWS signing input and returns the raw JWS signature (R‖S for ECDSA). */
export type Signer = (data: Uint8Array) => Promise<Uint8Array>;

/** A signer together with the algorithm it produces, which goes into the JWS header. */
export interface SigningKey {
  alg: JwsAlgorithm;
  sign: Signer;
  /** Optional key identifier for the JWS header. */
  kid?: string;
}

/**
 * Checks a raw JWS signature over `data` with one fixed public key and algorithm. A string is the
 * JWS signing input, to be read as UTF-8 (it is ASCII); taking it as text spares an encoding step
 * on the hot path where the runtime can hash text directly.
 */
export type Verifier = (data: Uint8Array | string, signature: Uint8Array) => boolean | Promise<boolean>;

/**
 * Digest of `data` (a string is hashed as its UTF-8 bytes); may be synchronous (node:crypto) or
 * asynchronous (WebCrypto).
 */
export type Hasher = (data: Uint8Array | string, alg: HashAlgorithm) => Uint8Array | Promise<Uint8Array>;

/**
 * base64url(hash(UTF-8 of `text`)) in one step: the digest form of SD-JWT disclosures and
 * `sd_hash` (RFC 9901 §4.2.3, §4.3.1).
 */
export type TextDigester = (text: string, alg: HashAlgorithm) => string | Promise<string>;

/** Cryptographically secure random bytes. */
export type RandomBytes = (length: number) => Uint8Array;

/** The crypto seams the format code needs (and, optionally, a faster base64url codec). */
export interface CryptoProvider {
  hash: Hasher;
  /**
   * Optional fast path for SD-JWT digests. A runtime that can hash text and base64url-encode
   * natively (node:crypto) supplies it, sparing the hot path two encoding steps in JavaScript;
   * without it, digests are computed with `hash`.
   */
  digest?: TextDigester;
  randomBytes: RandomBytes;
  /** Optional native base64url codec, as strict as the portable one; default: portable. */
  base64url?: Base64UrlCodec;
  /**
   * A verifier for this public key and algorithm. Implementations cache it (keys are imported
   * once) and reject a key that does not fit the algorithm with `invalid_key`.
   */
  verifier(jwk: Jwk, alg: JwsAlgorithm): Verifier | Promise<Verifier>;
}
