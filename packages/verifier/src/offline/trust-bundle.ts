/**
 * Offline mode: a trust bundle holds everything verification needs from the network (the trust
 * list, issuer public keys, Status List Tokens), collected while online and carried to a desk with
 * no connectivity. Through `bundleKeyResolver` and `bundleFetch`, the same verification code runs
 * unchanged and makes no network call. Status List Tokens stay signed inside the bundle, so they
 * are verified again on use and stop counting at their `exp` (fail closed).
 */
import { type Clock, fail, type JsonObject, type Jwk } from '@tessera/shared';
import type { SafeFetch } from '../fetch/safe-fetch.ts';
import { STATUS_LIST_JWT_MEDIA_TYPE, type StatusListKeyContext } from '../status/status-checker.ts';
import { parseJsonText, parseTrustList, type TrustList } from '../trust/trust-list.ts';

/** A public key of an issuer (or Status Issuer), as resolved while online. */
export interface TrustBundleIssuerKey {
  /** The `iss` of the tokens this key signs. */
  issuer: string;
  /** The JWS `kid` those tokens carry; default: the key's own `kid` member. */
  kid?: string;
  /** Public members only: a key with `d` (or any private member) is refused. */
  jwk: Jwk;
}

/** A Status List Token as served at `uri`, still signed. */
export interface TrustBundleStatusList {
  uri: string;
  token: string;
}

export interface TrustBundle {
  version: 1;
  /** When the bundle was made, in seconds since the epoch. */
  createdAt: number;
  trustList: TrustList;
  issuerKeys: readonly TrustBundleIssuerKey[];
  statusLists: readonly TrustBundleStatusList[];
}

export interface CreateTrustBundleOptions {
  trustList: TrustList;
  issuerKeys: readonly TrustBundleIssuerKey[];
  /** Tokens fetched with `fetchStatusListToken`, keyed by the URI they were fetched from. */
  statusTokens: readonly TrustBundleStatusList[];
  /** Default `Date.now`. */
  clock?: Clock;
}

/** A key resolver over a bundle; fits both `IssuerKeyInput` and the status checker's `resolveKey`. */
export type BundleKeyResolver = (unverified: StatusListKeyContext) => Jwk;

/** Bounds on a bundle, which may arrive on a USB stick or from a file share. */
export const TRUST_BUNDLE_LIMITS = {
  maxJsonChars: 64 * 1024 * 1024,
  maxIssuerKeys: 1000,
  maxStatusLists: 1000,
  maxIdentifierLength: 2048,
  maxTokenLength: 4 * 1024 * 1024,
} as const;

const BUNDLE_MEMBERS = new Set(['version', 'createdAt', 'trustList', 'issuerKeys', 'statusLists']);
const KEY_MEMBERS = new Set(['issuer', 'kid', 'jwk']);
const STATUS_MEMBERS = new Set(['uri', 'token']);
/** Members that make a JWK private (RFC 7518 §6.2.2, §6.3.2, §6.4; RFC 8037 §2). */
const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const PUBLIC_JWK_MEMBERS = ['kty', 'crv', 'x', 'y', 'alg', 'use', 'kid'] as const;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/**
 * Assembles a bundle from what the verifier resolved while online, and checks it as
 * `parseTrustBundle` would. `createdAt` is now, in seconds.
 * @example
 * const bundle = createTrustBundle({ trustList, issuerKeys: [{ issuer, kid, jwk }],
 *   statusTokens: [{ uri, token: await fetchStatusListToken(safeFetch, uri) }] });
 * await writeFile('desk-bundle.json', JSON.stringify(bundle));
 */
export function createTrustBundle(options: CreateTrustBundleOptions): TrustBundle {
  const { trustList, issuerKeys, statusTokens, clock = Date.now } = options;
  return parseTrustBundle({
    version: 1,
    createdAt: Math.floor(clock() / 1000),
    trustList,
    issuerKeys,
    statusLists: statusTokens,
  });
}

/**
 * Validates a bundle (a parsed object or its JSON text) strictly and returns a copy. A bad trust
 * list inside fails with `trust_list_invalid`; anything else wrong (unknown version or member, a
 * private key, a duplicate key or status URI, a token that is not a compact JWS, sizes past
 * `TRUST_BUNDLE_LIMITS`) with `trust_bundle_invalid`.
 * @example const bundle = parseTrustBundle(await readFile('desk-bundle.json', 'utf8'));
 */
export function parseTrustBundle(value: unknown): TrustBundle {
  const input =
    typeof value === 'string' ? parseJsonText(value, TRUST_BUNDLE_LIMITS.maxJsonChars, 'trust_bundle_invalid') : value;
  if (!isPlainObject(input)) invalid('The trust bundle must be a JSON object');
  onlyMembers(input, BUNDLE_MEMBERS, 'The trust bundle');
  if (input.version !== 1) invalid('The trust bundle version must be 1');
  const { createdAt, issuerKeys, statusLists } = input;
  if (typeof createdAt !== 'number' || !Number.isFinite(createdAt) || createdAt < 0) {
    invalid('createdAt must be a number of seconds since the epoch');
  }
  const trustList = parseTrustList(input.trustList);

  if (!Array.isArray(issuerKeys)) invalid('issuerKeys must be an array');
  if (issuerKeys.length > TRUST_BUNDLE_LIMITS.maxIssuerKeys) invalid('The trust bundle holds too many issuer keys');
  const seenKeys = new Set<string>();
  const keys = issuerKeys.map((entry: unknown, position: number): TrustBundleIssuerKey => {
    const key = parseIssuerKey(entry, position);
    const id = `${key.issuer}\n${normaliseKid(effectiveKid(key), key.issuer) ?? ''}`;
    if (seenKeys.has(id)) invalid(`Issuer key ${position} repeats the issuer and kid of an earlier key`);
    seenKeys.add(id);
    return key;
  });

  if (!Array.isArray(statusLists)) invalid('statusLists must be an array');
  if (statusLists.length > TRUST_BUNDLE_LIMITS.maxStatusLists) invalid('The trust bundle holds too many status lists');
  const seenUris = new Set<string>();
  const lists = statusLists.map((entry: unknown, position: number): TrustBundleStatusList => {
    const where = `Status list ${position}`;
    if (!isPlainObject(entry)) invalid(`${where} must be a JSON object`);
    onlyMembers(entry, STATUS_MEMBERS, where);
    const { uri, token } = entry;
    if (typeof uri !== 'string' || !isAbsoluteUri(uri)) invalid(`${where} must have an absolute uri`);
    if (seenUris.has(uri)) invalid(`${where} repeats the uri of an earlier status list`);
    seenUris.add(uri);
    if (typeof token !== 'string' || token.length > TRUST_BUNDLE_LIMITS.maxTokenLength || !COMPACT_JWS.test(token)) {
      invalid(`${where} must hold a compact JWS token`);
    }
    return { uri, token };
  });

  return { version: 1, createdAt, trustList, issuerKeys: keys, statusLists: lists };
}

/**
 * A key resolver that answers from the bundle only: the key listed for the token's `iss` (or,
 * for a Status List Token without `iss`, the credential's issuer) and its `kid`. A token without
 * `kid` needs its issuer to have exactly one key in the bundle. Anything else fails with
 * `issuer_key_not_found`; the token's own header never supplies a key.
 * @example
 * const verified = await verifySdJwtVc(vp, { issuerKey: bundleKeyResolver(bundle), … });
 */
export function bundleKeyResolver(bundle: TrustBundle): BundleKeyResolver {
  const byIssuer = new Map<string, TrustBundleIssuerKey[]>();
  for (const entry of bundle.issuerKeys) {
    const list = byIssuer.get(entry.issuer) ?? [];
    list.push(entry);
    byIssuer.set(entry.issuer, list);
  }
  return ({ header, payload, referencedIssuer }) => {
    const issuer = typeof payload.iss === 'string' ? payload.iss : referencedIssuer;
    if (issuer === undefined) fail('issuer_key_not_found', 'The token names no issuer to look up a key for');
    const candidates = byIssuer.get(issuer) ?? [];
    const kid = header.kid;
    if (kid !== undefined && typeof kid !== 'string') fail('issuer_key_not_found', 'The kid header must be a string');
    const matches =
      kid === undefined
        ? candidates
        : candidates.filter((entry) => normaliseKid(effectiveKid(entry), issuer) === normaliseKid(kid, issuer));
    const [match, ...others] = matches;
    if (match === undefined) fail('issuer_key_not_found', 'The trust bundle holds no key for this issuer and kid');
    if (others.length > 0)
      fail('issuer_key_not_found', 'The trust bundle holds several keys for this issuer; the token must name one by kid');
    // A bundle built by hand bypasses parseTrustBundle; a private key must still never be used.
    if (PRIVATE_JWK_MEMBERS.some((member) => member in match.jwk))
      fail('invalid_key', 'The trust bundle key has private members');
    return { ...match.jwk };
  };
}

/**
 * A SafeFetch that serves the bundle's Status List Tokens by exact URI and never touches the
 * network. Any other URL, or a request for anything but a Status List Token, fails with
 * `fetch_failed`.
 * @example
 * const status = createStatusChecker({ fetch: bundleFetch(bundle), crypto, resolveKey: bundleKeyResolver(bundle) });
 */
export function bundleFetch(bundle: TrustBundle): SafeFetch {
  const tokens = new Map(bundle.statusLists.map(({ uri, token }) => [uri, token]));
  const encoder = new TextEncoder();
  return async (request) => {
    if (request.accept !== STATUS_LIST_JWT_MEDIA_TYPE)
      fail('fetch_failed', 'Offline, the trust bundle serves status list tokens only');
    const token = tokens.get(request.url);
    if (token === undefined) fail('fetch_failed', 'Offline, and the trust bundle holds no status list for this URL');
    const body = encoder.encode(token);
    if (request.maxBytes !== undefined && body.length > request.maxBytes) {
      fail('fetch_too_large', 'The status list token exceeds the size limit');
    }
    return { status: 200, headers: { 'content-type': STATUS_LIST_JWT_MEDIA_TYPE }, body };
  };
}

function parseIssuerKey(entry: unknown, position: number): TrustBundleIssuerKey {
  const where = `Issuer key ${position}`;
  if (!isPlainObject(entry)) invalid(`${where} must be a JSON object`);
  onlyMembers(entry, KEY_MEMBERS, where);
  const { issuer, kid, jwk } = entry;
  if (!isIdentifier(issuer)) invalid(`${where} must name its issuer`);
  if (kid !== undefined && !isIdentifier(kid)) invalid(`${where} has a malformed kid`);
  if (!isPlainObject(jwk) || typeof jwk.kty !== 'string') invalid(`${where} must hold a JWK`);
  if (PRIVATE_JWK_MEMBERS.some((member) => member in jwk)) invalid(`${where} holds a private key`);
  const publicJwk: JsonObject = {};
  for (const member of PUBLIC_JWK_MEMBERS) {
    const memberValue = jwk[member];
    if (memberValue === undefined) continue;
    if (typeof memberValue !== 'string' || memberValue.length > TRUST_BUNDLE_LIMITS.maxIdentifierLength) {
      invalid(`${where} has a malformed JWK member`);
    }
    publicJwk[member] = memberValue;
  }
  const key: TrustBundleIssuerKey = { issuer, jwk: publicJwk as Jwk };
  if (kid !== undefined) key.kid = kid;
  return key;
}

/** A DID issuer's relative `kid` (`#key-1`) names the same method as the absolute DID URL. */
function normaliseKid(kid: string | undefined, issuer: string): string | undefined {
  return kid?.startsWith('#') && issuer.startsWith('did:') ? `${issuer}${kid}` : kid;
}

/** The kid tokens must carry for this key: the entry's own, else the JWK's `kid` member. */
function effectiveKid(entry: TrustBundleIssuerKey): string | undefined {
  return entry.kid ?? (typeof entry.jwk.kid === 'string' ? entry.jwk.kid : undefined);
}

function isIdentifier(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= TRUST_BUNDLE_LIMITS.maxIdentifierLength;
}

function isAbsoluteUri(value: string): boolean {
  if (value.length === 0 || value.length > TRUST_BUNDLE_LIMITS.maxIdentifierLength) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

function onlyMembers(object: Record<string, unknown>, allowed: ReadonlySet<string>, where: string): void {
  for (const key of Object.keys(object)) if (!allowed.has(key)) invalid(`${where} has an unknown member`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function invalid(message: string): never {
  fail('trust_bundle_invalid', message);
}
