import { fail, type Jwk } from '@tessera/shared';
import type { SafeFetch } from '../fetch/safe-fetch.ts';

/**
 * Issuer keys from JWT VC Issuer Metadata (draft-ietf-oauth-sd-jwt-vc §5): the issuer `iss` (an
 * https URL) publishes `{ issuer, jwks | jwks_uri }` at `/.well-known/jwt-vc-issuer` inserted
 * between its host and path, and the metadata counts only when its `issuer` is exactly `iss`.
 */

export interface IssuerMetadataOptions {
  /** The hardened fetch, for the metadata and for `jwks_uri`. */
  fetch: SafeFetch;
  /**
   * Development only: accept an `http://localhost`, `http://127.0.0.1` or `http://[::1]` issuer
   * (the specification requires https). The `SafeFetch` must also allow insecure localhost.
   */
  allowInsecureLocalhost?: boolean;
  /** Largest metadata or JWK Set document accepted, in bytes. Default: the fetch's limit. */
  maxBytes?: number;
}

/** JWK members that only private or symmetric keys have (RFC 7518 §6.2.2, §6.3.2, §6.4.1). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
/** The members of a public key that travel on to signature verification. */
const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e', 'alg'];

/**
 * The metadata URL for an issuer identifier (draft-ietf-oauth-sd-jwt-vc §5, §5.1): any terminating
 * `/` of the path is removed and `/.well-known/jwt-vc-issuer` goes between host and path.
 * `iss` must be an https URL with no query, fragment or credentials, written in canonical form.
 * @example issuerMetadataUrl('https://issuer.example/tenant/1') // 'https://issuer.example/.well-known/jwt-vc-issuer/tenant/1'
 */
export function issuerMetadataUrl(iss: string, options: { allowInsecureLocalhost?: boolean } = {}): string {
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
 * const jwk = await resolveIssuerMetadataKey(payload.iss, header.kid, { fetch });
 */
export async function resolveIssuerMetadataKey(
  iss: string,
  kid: string | undefined,
  options: IssuerMetadataOptions,
): Promise<Jwk> {
  const metadata = await fetchJson(issuerMetadataUrl(iss, options), 'application/json', options);
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
    jwks = await fetchJson(jwksUri, 'application/jwk-set+json, application/json;q=0.9', options);
  }
  return pickKey(keysOf(jwks), kid);
}

async function fetchJson(url: string, accept: string, options: IssuerMetadataOptions): Promise<unknown> {
  const response = await options.fetch({
    url,
    accept,
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
  });
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(response.body));
  } catch {
    fail('issuer_metadata_invalid', 'A metadata document is not UTF-8 JSON');
  }
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
