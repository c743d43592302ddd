import type { CryptoProvider, HashAlgorithm, JwsAlgorithm, SigningKey } from '../crypto/types.ts';
import { codecOf } from '../encoding/base64url.ts';
import { isJsonObject, type JsonObject } from '../encoding/json.ts';
import { fail } from '../errors/tessera-error.ts';
import { allowedAlgorithm, checkJwsSignature, type DecodedJws, decodeJws, requireTyp, signJwt } from '../jws/compact.ts';
import { type DigestCrypto, digestOf } from './disclosure.ts';

/** The Key Binding JWT media type (RFC 9901 §4.3). */
export const KB_JWT_TYP = 'kb+jwt';

export interface KeyBindingInput {
  /** The holder key matching the credential's `cnf.jwk`. */
  signingKey: SigningKey;
  /** The verifier: in OpenID4VP, the client identifier. */
  audience: string;
  /** The verifier's fresh nonce for this transaction. */
  nonce: string;
  /** `iat` in seconds; default: now. */
  issuedAt?: number;
}

/** Signs a KB-JWT over the exact presented string (everything up to and including the last `~`). */
export async function createKbJwt(
  presentedWithoutKb: string,
  input: KeyBindingInput,
  hashAlgorithm: HashAlgorithm,
  crypto: DigestCrypto,
): Promise<string> {
  const sdHash = await digestOf(presentedWithoutKb, hashAlgorithm, crypto);
  const payload: JsonObject = {
    iat: input.issuedAt ?? Math.floor(Date.now() / 1000),
    aud: input.audience,
    nonce: input.nonce,
    sd_hash: sdHash,
  };
  return signJwt({ typ: KB_JWT_TYP }, payload, input.signingKey, codecOf(crypto));
}

export interface KbExpectations {
  audience: string;
  nonce: string;
  algorithms: readonly JwsAlgorithm[];
  nowMs: number;
  /** How old a KB-JWT may be, in seconds. */
  maxAge: number;
  clockTolerance: number;
}

export interface VerifiedKbJwt {
  header: JsonObject;
  payload: JsonObject;
}

/**
 * RFC 9901 §7.3 step 5: checks a KB-JWT against the credential's `cnf` key and the caller's
 * expectations. Synchronous when the provider is (node:crypto).
 */
export function verifyKbJwt(
  kbJwt: string,
  presentedWithoutKb: string,
  claims: JsonObject,
  hashAlgorithm: HashAlgorithm,
  crypto: CryptoProvider,
  expect: KbExpectations,
): VerifiedKbJwt | Promise<VerifiedKbJwt> {
  const cnf = claims.cnf;
  if (!isJsonObject(cnf) || !isJsonObject(cnf.jwk)) fail('kb_missing_cnf', 'The credential has no cnf.jwk holder key');
  const jws = decodeJws(kbJwt, 'kb_malformed', codecOf(crypto));
  requireTyp(jws.header, KB_JWT_TYP, 'kb_invalid_typ');
  const alg = allowedAlgorithm(jws.header, expect.algorithms);
  const checked = checkJwsSignature(jws, alg, cnf.jwk as never, crypto, 'kb_invalid_signature');
  if (checked !== undefined) return checked.then(() => checkKbClaims(jws, presentedWithoutKb, hashAlgorithm, crypto, expect));
  return checkKbClaims(jws, presentedWithoutKb, hashAlgorithm, crypto, expect);
}

/** The KB-JWT's claims, once its signature holds: audience, nonce, freshness, then `sd_hash`. */
function checkKbClaims(
  jws: DecodedJws,
  presentedWithoutKb: string,
  hashAlgorithm: HashAlgorithm,
  crypto: CryptoProvider,
  expect: KbExpectations,
): VerifiedKbJwt | Promise<VerifiedKbJwt> {
  const { iat, aud, nonce } = jws.payload;
  if (typeof aud !== 'string' || aud !== expect.audience) fail('kb_aud_mismatch', 'The KB-JWT is for another audience');
  if (typeof nonce !== 'string' || nonce !== expect.nonce) fail('kb_nonce_mismatch', 'The KB-JWT nonce does not match');
  const now = expect.nowMs / 1000;
  if (typeof iat !== 'number' || !Number.isFinite(iat)) fail('kb_iat_invalid', 'The KB-JWT iat must be a number');
  if (iat > now + expect.clockTolerance || iat < now - expect.maxAge - expect.clockTolerance) {
    fail('kb_iat_invalid', 'The KB-JWT was not issued within the accepted time window');
  }
  const expected = digestOf(presentedWithoutKb, hashAlgorithm, crypto);
  if (typeof expected !== 'string') return Promise.resolve(expected).then((digest) => matchSdHash(jws, digest));
  return matchSdHash(jws, expected);
}

function matchSdHash(jws: DecodedJws, expected: string): VerifiedKbJwt {
  if (jws.payload.sd_hash !== expected) fail('kb_sd_hash_mismatch', 'The KB-JWT sd_hash does not match the presentation');
  return { header: jws.header, payload: jws.payload };
}
