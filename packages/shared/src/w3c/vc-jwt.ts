/**
 * The rules of a W3C VC or VP secured as a JWT (VC Data Model 1.1 §6.3.1, the `jwt_vc_json`
 * format) that need no key: the JOSE header, the `vc`/`vp` claim, and the mapping between the
 * credential's properties and the signed JWT claims. The wallet checks a credential it receives
 * with them and the verifier one it is shown, so both read a credential the same way. Every pair
 * of a property and its claim must agree, or the token is rejected: Veramo's JWT provider
 * (did-jwt-vc) lets properties beside the `vc` claim override the signed `iss`, `sub` and `nbf`,
 * and passes a `vc.issuer` or `vc.issuanceDate` that disagrees with them without a word.
 */
import type { JwsAlgorithm } from '../crypto/types.ts';
import type { JsonObject, JsonValue } from '../encoding/json.ts';
import { fail } from '../errors/tessera-error.ts';
import { allowedAlgorithm, type DecodedJws, decodeJws } from '../jws/compact.ts';
import { DEFAULT_LIMITS } from '../sd-jwt/limits.ts';

/** VC Data Model 1.1 §6.3.1: "typ, if present, MUST be set to JWT" (credentials and presentations). */
export const VC_JWT_TYP = 'JWT';

/** VC Data Model 1.1 §4.1: the first `@context` of a credential or presentation. */
export const VC_CONTEXT_V1 = 'https://www.w3.org/2018/credentials/v1';

/** Credential properties that belong inside the `vc` claim (VC Data Model 1.1 §6.3.1). */
export const VC_CREDENTIAL_PROPERTIES: readonly string[] = Object.freeze([
  '@context',
  'type',
  'issuer',
  'credentialSubject',
  'issuanceDate',
  'expirationDate',
  'validFrom',
  'validUntil',
  'credentialStatus',
]);

/** JOSE headers that would let a token name its own key; keys come only from the signer's DID. */
const SELF_CERTIFYING_HEADERS = ['jwk', 'jku', 'x5u'] as const;

/**
 * XML Schema 1.1 dateTime as VC Data Model 1.1 §4.6 uses it, with a required time zone so that
 * the instant is unambiguous; `Date.parse` alone accepts far looser text.
 */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

/**
 * Splits and decodes a VC or VP JWT under the size limit shared with SD-JWT.
 * @example const { header, payload } = decodeVcJwt(jwt);
 */
export function decodeVcJwt(token: string): DecodedJws {
  if (token.length > DEFAULT_LIMITS.maxLength)
    fail('token_too_large', `The JWT is longer than ${DEFAULT_LIMITS.maxLength} characters`);
  return decodeJws(token, 'malformed_jwt');
}

/**
 * The JOSE header: an allowed algorithm (RFC 8725 §3.1: never `none`, never one the token picks
 * for itself), no critical extensions (RFC 7515 §4.1.11), `typ` exactly `JWT` when present
 * (VC Data Model 1.1 §6.3.1), and no key carried by the token itself. Returns the algorithm and
 * the `kid`, if any.
 * @example const { alg, kid } = checkVcJwtHeader(header, ['ES256']);
 */
export function checkVcJwtHeader(
  header: JsonObject,
  algorithms: readonly JwsAlgorithm[],
): { alg: JwsAlgorithm; kid: string | undefined } {
  const alg = allowedAlgorithm(header, algorithms);
  if (header.typ !== undefined && header.typ !== VC_JWT_TYP)
    fail('invalid_typ', `The JWS typ, when present, must be ${VC_JWT_TYP}`);
  for (const name of SELF_CERTIFYING_HEADERS) {
    if (header[name] !== undefined) fail('key_source_forbidden', `A key named by the token itself (${name}) is never used`);
  }
  const kid = header.kid;
  if (kid !== undefined && (typeof kid !== 'string' || kid.length === 0))
    fail('malformed_jwt', 'The JWS kid must be a non-empty string');
  return { alg, kid };
}

/**
 * The `id` of an `issuer` or `holder` property: a string, or an object's `id` (VC Data Model 1.1 §4.5).
 * @example const claimedIssuer = idOf(vc.issuer, 'issuer');
 */
export function idOf(value: JsonValue | undefined, property: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && typeof value.id === 'string') return value.id;
  fail('w3c_invalid', `The ${property} property must be a string or an object with a string id`);
}

/**
 * `@context` must be an array (or one string) whose first item is the VC 1.1 context (§4.1).
 * @example checkContext(vc, 'vc');
 */
export function checkContext(container: JsonObject, claim: 'vc' | 'vp'): void {
  const context = container['@context'];
  const first = Array.isArray(context) ? context[0] : context;
  if (first !== VC_CONTEXT_V1) fail('w3c_invalid', `The ${claim} @context must begin with ${VC_CONTEXT_V1}`);
}

/**
 * `type`: one string or an array of strings that includes `required` (§4.3).
 * @example const types = typesOf(vc, 'VerifiableCredential');
 */
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
 * @example checkIdMapping(payload, vc);
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
 * @example checkDateMapping(vc, 'issuanceDate', 'nbf', payload.nbf);
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

/**
 * The NumericDate of a checked time claim as an XML Schema dateTime in UTC (§6.3.1 decoding).
 * @example credential.issuanceDate ??= toDateTime(payload.nbf);
 */
export function toDateTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

/**
 * The own `vc` or `vp` claim as a JSON object, or a `w3c_invalid` failure.
 * @example const vc = objectClaim(payload, 'vc');
 */
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
 * @example rejectPropertiesOutside(payload, 'vc', VC_CREDENTIAL_PROPERTIES);
 */
export function rejectPropertiesOutside(payload: JsonObject, claim: 'vc' | 'vp', names: readonly string[]): void {
  for (const name of names) {
    if (Object.hasOwn(payload, name)) fail('w3c_invalid', `The ${name} property must be inside the ${claim} claim`);
  }
}
