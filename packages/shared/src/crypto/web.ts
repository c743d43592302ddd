import { exportJWK, generateKeyPair as joseGenerateKeyPair } from 'jose';
import { utf8 } from '../encoding/base64url.ts';
import { fail } from '../errors/tessera-error.ts';
import { cachedVerifier, publicJwkFor, SIGNATURE_BYTES, VerifierCache } from './jwk.ts';
import type { CryptoProvider, HashAlgorithm, Jwk, JwsAlgorithm, SigningKey, Verifier } from './types.ts';

/**
 * The runtime-agnostic crypto provider on WebCrypto (`globalThis.crypto`), for browsers and any
 * runtime that has it. Node services should prefer `nodeCrypto` from `@tessera/shared/node`,
 * which is several times faster because node:crypto works synchronously.
 */

const SUBTLE_HASH: Record<HashAlgorithm, string> = {
  'sha-256': 'SHA-256',
  'sha-384': 'SHA-384',
  'sha-512': 'SHA-512',
};

function importParams(alg: JwsAlgorithm): EcKeyImportParams | Algorithm {
  switch (alg) {
    case 'ES256':
      return { name: 'ECDSA', namedCurve: 'P-256' };
    case 'ES384':
      return { name: 'ECDSA', namedCurve: 'P-384' };
    case 'ES512':
      return { name: 'ECDSA', namedCurve: 'P-521' };
    case 'EdDSA':
      return { name: 'Ed25519' };
  }
}

function signParams(alg: JwsAlgorithm): EcdsaParams | Algorithm {
  switch (alg) {
    case 'ES256':
      return { name: 'ECDSA', hash: 'SHA-256' };
    case 'ES384':
      return { name: 'ECDSA', hash: 'SHA-384' };
    case 'ES512':
      return { name: 'ECDSA', hash: 'SHA-512' };
    case 'EdDSA':
      return { name: 'Ed25519' };
  }
}

/** Creates a WebCrypto provider with its own verifier cache. */
export function createWebCrypto(options: { cacheSize?: number } = {}): CryptoProvider {
  const cache = new VerifierCache<Promise<Verifier>>(options.cacheSize ?? 1000);
  return {
    hash: async (data, alg) =>
      new Uint8Array(
        await crypto.subtle.digest(SUBTLE_HASH[alg], (typeof data === 'string' ? utf8(data) : data) as BufferSource),
      ),
    randomBytes: (length) => crypto.getRandomValues(new Uint8Array(length)),
    verifier: (jwk, alg) =>
      cachedVerifier(cache, jwk, alg, (publicJwk) => {
        const verifier = importVerifier(publicJwk, alg);
        // A key that fails to import must not stay cached as a rejected promise.
        verifier.catch(() => cache.delete(publicJwk, verifier));
        return verifier;
      }),
  };
}

async function importVerifier(jwk: Jwk, alg: JwsAlgorithm): Promise<Verifier> {
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey('jwk', jwk as JsonWebKey, importParams(alg), false, ['verify']);
  } catch (cause) {
    fail('invalid_key', `The key could not be imported for ${alg}`, cause);
  }
  const params = signParams(alg);
  const length = SIGNATURE_BYTES[alg];
  return async (data, signature) => {
    if (signature.length !== length) return false;
    const bytes = typeof data === 'string' ? utf8(data) : data;
    return crypto.subtle.verify(params, key, signature as BufferSource, bytes as BufferSource);
  };
}

/** The shared default WebCrypto provider. */
export const webCrypto: CryptoProvider = createWebCrypto();

/**
 * A signing key from a private JWK, imported once as a non-extractable WebCrypto key.
 * @example const issuerKey = await importSigningKey(privateJwk, 'ES256');
 */
export async function importSigningKey(privateJwk: Jwk, alg: JwsAlgorithm, kid?: string): Promise<SigningKey> {
  publicJwkFor(stripPrivate(privateJwk), alg);
  if (typeof privateJwk.d !== 'string') throw new TypeError('importSigningKey needs a private JWK (with "d")');
  const key = await crypto.subtle.importKey('jwk', privateJwk as JsonWebKey, importParams(alg), false, ['sign']);
  const params = signParams(alg);
  const signingKey: SigningKey = {
    alg,
    sign: async (data) => new Uint8Array(await crypto.subtle.sign(params, key, data as BufferSource)),
  };
  if (kid !== undefined) signingKey.kid = kid;
  return signingKey;
}

function stripPrivate(jwk: Jwk): Jwk {
  const { d: _d, ...rest } = jwk;
  return rest as Jwk;
}

/** A fresh key pair as JWKs (the private one includes the public members). */
export async function generateKeyPair(alg: JwsAlgorithm = 'ES256'): Promise<{ privateJwk: Jwk; publicJwk: Jwk }> {
  const pair = await joseGenerateKeyPair(alg, alg === 'EdDSA' ? { crv: 'Ed25519', extractable: true } : { extractable: true });
  const privateJwk = (await exportJWK(pair.privateKey)) as Jwk;
  return { privateJwk, publicJwk: stripPrivate(privateJwk) };
}

/** The public half of a private JWK. */
export function toPublicJwk(jwk: Jwk): Jwk {
  return stripPrivate(jwk);
}
