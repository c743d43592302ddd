/**
 * The verifier's own rules for a W3C VC or VP secured as a JWT (VC Data Model 1.1 §6.3.1, the
 * `jwt_vc_json` format), on top of the key-free rules the wallet shares (`checkVcJwtHeader`,
 * the claim mapping… in @tessera/shared): the algorithms a caller may allow, and a signer named
 * by a plain DID whose `kid` is one of its verification methods, since Veramo finds the key
 * through the DID.
 */
import { fail, type JsonObject, JWS_ALGORITHMS, type JwsAlgorithm } from '@tessera/shared';

/** Algorithms accepted unless the caller lists others: ES256, the HAIP baseline. */
export const DEFAULT_W3C_ALGORITHMS: readonly JwsAlgorithm[] = Object.freeze(['ES256']);

/** DID Core §3.1: `did:` method `:` method-specific id, with no path, query or fragment. */
const DID = /^did:[a-z0-9]+:(?:[A-Za-z0-9._%-]*:)*[A-Za-z0-9._%-]+$/;

/** Checked options shared by credential and presentation verification. */
export interface VcJwtPolicy {
  algorithms: readonly JwsAlgorithm[];
  nowMs: number;
  toleranceSeconds: number;
}

/** Checks the caller's algorithm list: only algorithms Tessera can verify, never `none` or HMAC. */
export function checkAlgorithms(algorithms: readonly JwsAlgorithm[]): readonly JwsAlgorithm[] {
  if (!Array.isArray(algorithms) || algorithms.length === 0) throw new TypeError('algorithms must be a non-empty array');
  for (const alg of algorithms) {
    if (!JWS_ALGORITHMS.includes(alg)) throw new TypeError(`algorithms may only list ${JWS_ALGORITHMS.join(', ')}`);
  }
  return algorithms;
}

/**
 * The signed `iss`, which must be a plain DID: Veramo finds the signing key through it, and a
 * non-DID value would send did-jwt down other paths (`https://self-issued.me` takes the key from
 * `sub`).
 */
export function requireDidIssuer(payload: JsonObject, role: 'issuer' | 'holder'): string {
  const iss = payload.iss;
  if (iss === undefined) fail('missing_claim', `The JWT has no iss claim (the ${role})`);
  if (typeof iss !== 'string' || !DID.test(iss)) fail('did_invalid', `The JWT iss claim (the ${role}) must be a DID`);
  return iss;
}

/**
 * A `kid` in the header must name a verification method of the signer's DID (issue 3: "kid must
 * be a verification method of iss"). Checked here before resolution; that this very method
 * verified the signature is checked once Veramo reports which one did. Returns the absolute id.
 */
export function absoluteKid(kid: string | undefined, did: string): string | undefined {
  if (kid === undefined) return undefined;
  const absolute = kid.startsWith('#') ? `${did}${kid}` : kid;
  const hash = absolute.indexOf('#');
  if (hash <= 0 || absolute.slice(0, hash) !== did || hash === absolute.length - 1) {
    fail('issuer_key_not_found', 'The JWS kid is not a verification method of the JWT iss');
  }
  return absolute;
}
