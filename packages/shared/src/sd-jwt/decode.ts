import type { HashAlgorithm } from '../crypto/types.ts';
import { HASH_ALGORITHMS } from '../crypto/types.ts';
import { type Base64UrlCodec, codecOf, portableBase64Url } from '../encoding/base64url.ts';
import type { JsonObject } from '../encoding/json.ts';
import { fail } from '../errors/tessera-error.ts';
import { type DecodedJws, decodeJws } from '../jws/compact.ts';
import { type DigestCrypto, type Disclosure, decodeDisclosure, digestsOf } from './disclosure.ts';
import type { SdJwtLimits } from './limits.ts';
import { type SdJwtParts, splitSdJwt } from './parse.ts';
import { type ResolvedPayload, resolveDisclosures } from './resolve.ts';

/** An SD-JWT split into its parts, with the issuer-signed JWT decoded. Nothing is verified yet. */
export interface DecodedSdJwt {
  parts: SdJwtParts;
  jws: DecodedJws;
}

/**
 * Splits an SD-JWT and decodes its issuer-signed JWT, without checking any signature. The
 * disclosures stay undecoded until `resolveDecoded`, so a verifier checks the signature first
 * (RFC 9901 §7.1 step 2 before step 3) and spends nothing on a forged token's disclosures.
 */
export function decodeSdJwt(text: string, limits: SdJwtLimits, codec: Base64UrlCodec = portableBase64Url): DecodedSdJwt {
  const parts = splitSdJwt(text, limits);
  return { parts, jws: decodeJws(parts.jwt, 'malformed_jwt', codec) };
}

/** The processed payload, and the hash algorithm that the KB-JWT's `sd_hash` must use too. */
export interface ResolvedSdJwt extends ResolvedPayload {
  hashAlgorithm: HashAlgorithm;
}

/** RFC 9901 §4.1.1: `_sd_alg` defaults to sha-256; we accept sha-256/384/512 only. */
function hashAlgorithmOf(payload: JsonObject): HashAlgorithm {
  const alg = payload._sd_alg;
  if (alg === undefined) return 'sha-256';
  if (typeof alg !== 'string' || !(HASH_ALGORITHMS as readonly string[]).includes(alg)) {
    fail('unsupported_hash_algorithm', 'The _sd_alg hash algorithm is not supported');
  }
  return alg as HashAlgorithm;
}

/**
 * Decodes and hashes the disclosures and resolves them into the payload (RFC 9901 §7.1 steps 3–5).
 * Synchronous when the hasher is (node:crypto), so the verify hot path spends no promise round trip.
 */
export function resolveDecoded(
  decoded: DecodedSdJwt,
  crypto: DigestCrypto,
  limits: SdJwtLimits,
): ResolvedSdJwt | Promise<ResolvedSdJwt> {
  const hashAlgorithm = hashAlgorithmOf(decoded.jws.payload);
  const codec = codecOf(crypto);
  const disclosures: Disclosure[] = decoded.parts.disclosures.map((d) => decodeDisclosure(d, limits.maxDepth, codec));
  const digests = digestsOf(decoded.parts.disclosures, hashAlgorithm, crypto);
  if (!Array.isArray(digests))
    return digests.then((d) => resolveWith(decoded.jws.payload, disclosures, d, hashAlgorithm, limits));
  return resolveWith(decoded.jws.payload, disclosures, digests, hashAlgorithm, limits);
}

function resolveWith(
  payload: JsonObject,
  disclosures: readonly Disclosure[],
  digests: readonly string[],
  hashAlgorithm: HashAlgorithm,
  limits: SdJwtLimits,
): ResolvedSdJwt {
  const { claims, disclosed } = resolveDisclosures(payload, disclosures, digests, limits.maxDepth);
  return { claims, disclosed, hashAlgorithm };
}
