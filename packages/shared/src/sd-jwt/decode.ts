import type { CryptoProvider, HashAlgorithm } from '../crypto/types.ts';
import { HASH_ALGORITHMS } from '../crypto/types.ts';
import type { JsonObject } from '../encoding/json.ts';
import { fail } from '../errors/tessera-error.ts';
import { type DecodedJws, decodeJws } from '../jws/compact.ts';
import { type Disclosure, decodeDisclosure, digestsOf } from './disclosure.ts';
import type { SdJwtLimits } from './limits.ts';
import { type SdJwtParts, splitSdJwt } from './parse.ts';
import { type ResolvedPayload, resolveDisclosures } from './resolve.ts';

/** An SD-JWT taken apart: parts, decoded JWT, disclosures. Nothing here is verified yet. */
export interface DecodedSdJwt {
  parts: SdJwtParts;
  jws: DecodedJws;
  hashAlgorithm: HashAlgorithm;
  disclosures: Disclosure[];
}

/** Splits and decodes an SD-JWT without checking any signature. */
export function decodeSdJwt(text: string, limits: SdJwtLimits): DecodedSdJwt {
  const parts = splitSdJwt(text, limits);
  const jws = decodeJws(parts.jwt);
  return {
    parts,
    jws,
    hashAlgorithm: hashAlgorithmOf(jws.payload),
    disclosures: parts.disclosures.map((d) => decodeDisclosure(d, limits.maxDepth)),
  };
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

/** Hashes the disclosures and resolves them into the payload (RFC 9901 §7.1 steps 3–5). */
export async function resolveDecoded(
  decoded: DecodedSdJwt,
  hash: CryptoProvider['hash'],
  limits: SdJwtLimits,
): Promise<ResolvedPayload> {
  const digests = await digestsOf(decoded.parts.disclosures, decoded.hashAlgorithm, hash);
  return resolveDisclosures(decoded.jws.payload, decoded.disclosures, digests, limits.maxDepth);
}
