import { fail, isTesseraError, type JsonObject } from '@tessera/shared';
import { compactDecrypt, exportJWK, generateKeyPair, importJWK } from 'jose';
import type { ResponseEncryptionEnc } from './types.ts';

/**
 * `direct_post.jwt` (OpenID4VP 1.0 §8.3): the wallet encrypts its Authorization Response as an
 * unsigned JWT in a JWE to a key from the request's `client_metadata.jwks`. Each transaction gets
 * its own ephemeral P-256 key (HAIP: ECDH-ES with A128GCM or A256GCM), so a leaked key opens one
 * response at most.
 */

/** The only key agreement accepted: ECDH-ES direct, with the JWK's `alg` saying so (§8.3: `alg` MUST be present). */
export const RESPONSE_KEY_ALG = 'ECDH-ES';

/** Larger encrypted responses are refused before any decryption work (the form body itself is capped by the router). */
export const MAX_ENCRYPTED_RESPONSE_LENGTH = 1024 * 1024;

export interface ResponseKeyPair {
  /** Stored with the transaction; never leaves the verifier. */
  readonly privateJwk: JsonObject;
  /** Published in `client_metadata.jwks`. */
  readonly publicJwk: JsonObject;
}

/** A fresh ECDH-ES P-256 key with a random `kid`, `use: enc` and `alg: ECDH-ES`. */
export async function createResponseKey(kid: string): Promise<ResponseKeyPair> {
  const { privateKey } = await generateKeyPair(RESPONSE_KEY_ALG, { crv: 'P-256', extractable: true });
  const { kty, crv, x, y, d } = await exportJWK(privateKey);
  const publicJwk: JsonObject = {
    kty: kty ?? 'EC',
    crv: crv ?? 'P-256',
    x: x ?? '',
    y: y ?? '',
    kid,
    use: 'enc',
    alg: RESPONSE_KEY_ALG,
  };
  return { publicJwk, privateJwk: { ...publicJwk, d: d ?? '' } };
}

/** The public half of a stored response key. */
export function publicResponseKey(privateJwk: JsonObject): JsonObject {
  const { d: _private, ...publicJwk } = privateJwk;
  return publicJwk;
}

/**
 * Decrypts a `direct_post.jwt` response and returns its payload (the Authorization Response
 * parameters as top-level members). Only ECDH-ES with the allowed `enc`, only to the
 * transaction's own key (`kid` must match when present), and the plaintext must be a JSON object.
 */
export async function decryptResponse(
  jwe: string,
  privateJwk: JsonObject,
  allowedEnc: readonly ResponseEncryptionEnc[],
): Promise<JsonObject> {
  if (jwe.length > MAX_ENCRYPTED_RESPONSE_LENGTH) fail('response_malformed', 'The encrypted response is too large');
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(jwe)) {
    fail('response_malformed', 'The response parameter is not a compact JWE');
  }
  let plaintext: Uint8Array;
  try {
    const key = await importJWK({ ...privateJwk }, RESPONSE_KEY_ALG);
    const result = await compactDecrypt(jwe, key, {
      keyManagementAlgorithms: [RESPONSE_KEY_ALG],
      contentEncryptionAlgorithms: [...allowedEnc],
    });
    // §8.3: when the chosen key has a `kid`, the JWE MUST carry the same `kid`.
    if (result.protectedHeader.kid !== privateJwk.kid)
      fail('response_undecryptable', 'The response was encrypted to another key');
    // An unsigned, encrypted JWT: nothing may be compressed or nested (no `zip`, no `cty: JWT`).
    if (result.protectedHeader.zip !== undefined || result.protectedHeader.cty !== undefined) {
      fail('response_undecryptable', 'The encrypted response uses an unsupported header (zip or cty)');
    }
    plaintext = result.plaintext;
  } catch (error) {
    if (isTesseraError(error)) throw error;
    fail('response_undecryptable', 'The encrypted response could not be decrypted with the transaction key');
  }
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext));
  } catch {
    fail('response_malformed', 'The decrypted response is not JSON');
  }
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    fail('response_malformed', 'The decrypted response is not a JSON object');
  }
  return payload as JsonObject;
}
