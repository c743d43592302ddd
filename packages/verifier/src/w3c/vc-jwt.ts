/**
 * The checks Tessera makes itself on a W3C VC or VP secured as a JWT (VC Data Model 1.1 §6.3.1,
 * the `jwt_vc_json` format), before and after Veramo checks the signature. Veramo's JWT provider
 * (did-jwt-vc) lets credential properties placed beside the `vc` claim override the signed `iss`,
 * `sub` and `nbf` in the credential it returns, and passes a `vc.issuer` or `vc.issuanceDate` that
 * disagrees with them without a word, so a credential could show one issuer, subject or validity
 * period and be signed for another. Here every pair must agree, or the token is rejected.
 */
import {
  DEFAULT_LIMITS,
  type DecodedJws,
  decodeJws,
  fail,
  type JsonObject,
  type JsonValue,
  JWS_ALGORITHMS,
  type JwsAlgorithm,
} from '@tessera/shared';

/** VC Data Model 1.1 §6.3.1: "typ, if present, MUST be set to JWT" (credentials and presentations). */
export const VC_JWT_TYP = 'JWT';

/** Algorithms accepted unless the caller lists others: ES256, the HAIP baseline. */
export const DEFAULT_W3C_ALGORITHMS: readonly JwsAlgorithm[] = Object.freeze(['ES256']);

/** VC Data Model 1.1 §4.1: the first `@context` of a credential or presentation. */
export const VC_CONTEXT_V1 = 'https://www.w3.org/2018/credentials/v1';

/** Largest clock tolerance a caller may configure, in seconds (as for SD-JWT VC). */
const MAX_CLOCK_TOLERANCE = 60;

/** JOSE headers that would let a token name its own key; keys come only from the signer's DID. */
const SELF_CERTIFYING_HEADERS = ['jwk', 'jku', 'x5u'] as const;

/** DID Core §3.1: `did:` method `:` method-specific id, with no path, query or fragment. */
const DID = /^did:[a-z0-9]+:(?:[A-Za-z0-9._%-]*:)*[A-Za-z0-9._%-]+$/;

/**
 * XML Schema 1.1 dateTime as VC Data Model 1.1 §4.6 uses it, with a required time zone so that
 * the instant is unambiguous; `Date.parse` alone accepts far looser text.
 */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

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

/** Checks a clock tolerance option (seconds, 0–60). */
export function checkClockTolerance(seconds: number): number {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0 || seconds > MAX_CLOCK_TOLERANCE) {
    throw new TypeError(`clockTolerance must be between 0 and ${MAX_CLOCK_TOLERANCE} seconds`);
  }
  return seconds;
}

/** Splits and decodes a VC or VP JWT under the size limit shared with SD-JWT. */
export function decodeVcJwt(token: string): DecodedJws {
  if (token.length > DEFAULT_LIMITS.maxLength)
    fail('token_too_large', `The JWT is longer than ${DEFAULT_LIMITS.maxLength} characters`);
  return decodeJws(token, 'malformed_jwt');
}

/**
 * The JOSE header: an allowed algorithm (RFC 8725 §3.1: never `none`, never one the token picks
 * for itself), no critical extensions (RFC 7515 §4.1.11), `typ` exactly `JWT` when present, and
 * no key carried by the token itself. Returns the `kid`, if any.
 */
export function checkVcJwtHeader(header: JsonObject, algorithms: readonly JwsAlgorithm[]): string | undefined {
  const alg = header.alg;
  if (typeof alg !== 'string' || !(algorithms as readonly string[]).includes(alg)) {
    fail(
      'unsupported_algorithm',
      `JWS algorithm ${typeof alg === 'string' ? JSON.stringify(alg.slice(0, 20)) : '(missing)'} is not allowed`,
    );
  }
  if (header.crit !== undefined) fail('critical_header_unsupported', 'The JWS header lists critical extensions');
  if (header.typ !== undefined && header.typ !== VC_JWT_TYP)
    fail('invalid_typ', `The JWS typ, when present, must be ${VC_JWT_TYP}`);
  for (const name of SELF_CERTIFYING_HEADERS) {
    if (header[name] !== undefined) fail('key_source_forbidden', `A key named by the token itself (${name}) is never used`);
  }
  const kid = header.kid;
  if (kid !== undefined && (typeof kid !== 'string' || kid.length === 0))
    fail('malformed_jwt', 'The JWS kid must be a non-empty string');
  return kid;
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

/** The `id` of an `issuer` or `holder` property: a string, or an object's `id` (VC Data Model 1.1 §4.5). */
export function idOf(value: JsonValue | undefined, property: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && typeof value.id === 'string') return value.id;
  fail('w3c_invalid', `The ${property} property must be a string or an object with a string id`);
}

/** `@context` must be an array (or one string) whose first item is the VC 1.1 context (§4.1). */
export function checkContext(container: JsonObject, claim: 'vc' | 'vp'): void {
  const context = container['@context'];
  const first = Array.isArray(context) ? context[0] : context;
  if (first !== VC_CONTEXT_V1) fail('w3c_invalid', `The ${claim} @context must begin with ${VC_CONTEXT_V1}`);
}

/** `type`: one string or an array of strings that includes `required` (§4.3). */
export function typesOf(container: JsonObject, required: 'VerifiableCredential' | 'VerifiablePresentation'): string[] {
  const type = container.type;
  const types = Array.isArray(type) ? type : [type];
  if (!types.every((item): item is string => typeof item === 'string') || !types.includes(required)) {
    fail('w3c_invalid', `The type property must be a string or array of strings including ${required}`);
  }
  return types;
}

/**
 * VC Data Model 1.1 §6.3.1: `jti` represents the `id` property, "instead of or in addition to"
 * it. So `id` alone (no `jti`) breaks the mapping, and both must be equal when both appear.
 */
export function checkIdMapping(payload: JsonObject, container: JsonObject): void {
  const id = container.id;
  const jti = payload.jti;
  if (jti !== undefined && typeof jti !== 'string') fail('invalid_claim', 'The jti claim must be a string');
  if (id !== undefined && id !== jti) fail('w3c_claims_mismatch', 'The id property differs from the signed jti claim');
}

/**
 * A date property (`issuanceDate`/`validFrom` against `nbf`, `expirationDate`/`validUntil` against
 * `exp`) must name the same second as its JWT claim (§6.3.1: "nbf MUST represent issuanceDate",
 * "exp MUST represent the expirationDate property"; encoders round down to whole seconds). A date
 * property with no JWT claim to represent it fails too: the claim is what was checked at the clock.
 */
export function checkDateMapping(
  container: JsonObject,
  property: string,
  claim: 'nbf' | 'exp',
  claimValue: JsonValue | undefined,
): void {
  const value = container[property];
  if (value === undefined) return;
  if (typeof value !== 'string' || !DATE_TIME.test(value) || Number.isNaN(Date.parse(value))) {
    fail('w3c_invalid', `The ${property} property must be an XML Schema dateTime with a time zone`);
  }
  if (claimValue === undefined)
    fail('w3c_claims_mismatch', `The ${property} property is not represented by a signed ${claim} claim`);
  if (Math.floor(Date.parse(value) / 1000) !== claimValue) {
    fail('w3c_claims_mismatch', `The ${property} property differs from the signed ${claim} claim`);
  }
}

/** The NumericDate of a checked time claim as an XML Schema dateTime in UTC (§6.3.1 decoding). */
export function toDateTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

/** Own JSON object or a failure with `code`. */
export function objectClaim(payload: JsonObject, name: 'vc' | 'vp'): JsonObject {
  const value = Object.hasOwn(payload, name) ? payload[name] : undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail('w3c_invalid', `The JWT has no ${name} claim object`);
  }
  return value;
}

/**
 * Credential or presentation properties placed beside the `vc`/`vp` claim instead of inside it.
 * did-jwt-vc merges them into the credential it returns; Tessera refuses the ambiguity.
 */
export function rejectPropertiesOutside(payload: JsonObject, claim: 'vc' | 'vp', names: readonly string[]): void {
  for (const name of names) {
    if (Object.hasOwn(payload, name)) fail('w3c_invalid', `The ${name} property must be inside the ${claim} claim`);
  }
}
