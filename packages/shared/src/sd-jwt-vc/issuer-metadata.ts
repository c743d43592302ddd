import type { Jwk } from '../crypto/types.ts';
import { fail } from '../errors/tessera-error.ts';

/**
 * Issuer keys from JWT VC Issuer Metadata (draft-ietf-oauth-sd-jwt-vc §5): the issuer `iss` (an
 * https URL) publishes `{ issuer, jwks | jwks_uri }` at `/.well-known/jwt-vc-issuer` inserted
 * between its host and path, and the metadata counts only when its `issuer` is exactly `iss`.
 * The rules live here once; the network stays with the caller (the verifier's SafeFetch, the
 * wallet's hardened HTTP), passed in as `getJson`.
 */

/**
 * Fetches one JSON document (GET, the given Accept) through the caller's hardened HTTP: https
 * only, no redirects, size and time limits. Fails with a `fetch_*` code, or with
 * `issuer_metadata_invalid` when the body is not JSON.
 */
export type GetJson = (url: string, accept: string) => Promise<unknown>;

export interface JwtVcIssuerKeyOptions {
  /** The caller's hardened fetch, for the metadata and for `jwks_uri`. */
  getJson: GetJson;
  /**
   * Development only: accept an `http://localhost`, `http://127.0.0.1` or `http://[::1]` issuer
   * (the specification requires https). `getJson` must allow such URLs too.
   */
  allowInsecureLocalhost?: boolean;
}

/** JWK members that only private or symmetric keys have (RFC 7518 §6.2.2, §6.3.2, §6.4.1). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
/** The members of a public key that travel on to signature verification. */
const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e', 'alg'];

/**
 * The metadata URL for an issuer identifier (draft-ietf-oauth-sd-jwt-vc §5, §5.1): any terminating
 * `/` of the path is removed and `/.well-known/jwt-vc-issuer` goes between host and path.
 * `iss` must be an https URL with no query, fragment or credentials, written in canonical form.
 * @example jwtVcIssuerMetadataUrl('https://issuer.example/tenant/1') // 'https://issuer.example/.well-known/jwt-vc-issuer/tenant/1'
 */
export function jwtVcIssuerMetadataUrl(iss: string, options: { allowInsecureLocalhost?: boolean } = {}): string {
  let url: URL;
  try {
    url = new URL(iss);
  } catch {
    fail('issuer_metadata_invalid', 'The issuer identifier is not a URL');
  }
  const localhost = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  const insecureAllowed = options.allowInsecureLocalhost === true && url.protocol === 'http:' && localhost;
  if (url.protocol !== 'https:' && !insecureAllowed)
    fail('issuer_metadata_invalid', 'The issuer identifier must be an https URL');
  if (iss.includes('?') || iss.includes('#') || url.username !== '' || url.password !== '') {
    fail('issuer_metadata_invalid', 'The issuer identifier must have no query, fragment or credentials');
  }
  // A non-canonical spelling (dot segments, upper-case host, default port) would be fetched from
  // another path than it reads; `issuer` is compared as an exact string anyway.
  if (url.href !== iss && url.href !== `${iss}/`)
    fail('issuer_metadata_invalid', 'The issuer identifier is not in canonical URL form');
  const path = url.pathname.endsWith('/') ? url.pathname.slice(0, -1) : url.pathname;
  return `${url.origin}/.well-known/jwt-vc-issuer${path}`;
}

/**
 * The public JWK an issuer signed with, from its JWT VC Issuer Metadata: the metadata's `issuer`
 * must equal `iss` exactly (§5.3), its keys come from `jwks` or from `jwks_uri` (never both, §5.2),
 * and the key is picked by `kid` (required when the set has more than one signing key). Fails
 * with `issuer_metadata_invalid`, `issuer_key_not_found` or a `fetch_*` code.
 * @example
 * const jwk = await resolveJwtVcIssuerKey(payload.iss, header.kid, { getJson });
 */
export async function resolveJwtVcIssuerKey(iss: string, kid: string | undefined, options: JwtVcIssuerKeyOptions): Promise<Jwk> {
  const metadata = await options.getJson(jwtVcIssuerMetadataUrl(iss, options), 'application/json');
  if (!isObject(metadata)) fail('issuer_metadata_invalid', 'The issuer metadata is not a JSON object');
  // §5.3: "If these values are not identical, the data contained in the response MUST NOT be used."
  if (metadata.issuer !== iss) fail('issuer_metadata_invalid', 'The issuer metadata names another issuer');
  const { jwks: inline, jwks_uri: jwksUri } = metadata;
  if ((inline === undefined) === (jwksUri === undefined)) {
    fail('issuer_metadata_invalid', 'The issuer metadata must have exactly one of jwks and jwks_uri');
  }
  let jwks = inline;
  if (jwksUri !== undefined) {
    if (typeof jwksUri !== 'string') fail('issuer_metadata_invalid', 'jwks_uri is not a string');
    // §5.2 names no origin for `jwks_uri` (its example points to another host): the metadata,
    // fetched from the issuer's own origin and naming it exactly, is what vouches for the set.
    jwks = await options.getJson(jwksUri, 'application/jwk-set+json, application/json;q=0.9');
  }
  return pickKey(keysOf(jwks), kid);
}

/** The keys of a JWK Set (RFC 7517 §5), refusing the whole set if any key is private. */
function keysOf(jwks: unknown): Record<string, unknown>[] {
  if (!isObject(jwks) || !Array.isArray(jwks.keys)) fail('issuer_metadata_invalid', 'The issuer keys are not a JWK Set');
  const keys: Record<string, unknown>[] = [];
  for (const key of jwks.keys) {
    if (!isObject(key) || typeof key.kty !== 'string')
      fail('issuer_metadata_invalid', 'The JWK Set holds an entry that is not a JWK');
    if (PRIVATE_MEMBERS.some((name) => Object.hasOwn(key, name))) {
      fail('issuer_metadata_invalid', 'The JWK Set holds private key material');
    }
    // RFC 7517 §4.2: a key meant for encryption does not verify signatures.
    if (key.use === undefined || key.use === 'sig') keys.push(key);
  }
  return keys;
}

function pickKey(keys: Record<string, unknown>[], kid: string | undefined): Jwk {
  let key: Record<string, unknown>;
  if (kid === undefined) {
    if (keys.length !== 1)
      fail('issuer_key_not_found', 'The token has no kid, and the issuer does not have exactly one signing key');
    key = keys[0] as Record<string, unknown>;
  } else {
    const matches = keys.filter((candidate) => candidate.kid === kid);
    if (matches.length === 0) fail('issuer_key_not_found', 'No signing key of the issuer has the kid of the token');
    if (matches.length > 1) fail('issuer_metadata_invalid', 'Several keys of the issuer share the kid of the token');
    key = matches[0] as Record<string, unknown>;
  }
  const jwk: Jwk = { kty: key.kty as string };
  for (const name of PUBLIC_MEMBERS) if (key[name] !== undefined) jwk[name] = key[name];
  return jwk;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
