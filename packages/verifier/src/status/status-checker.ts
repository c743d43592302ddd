/**
 * Token Status List checks for the verifier (draft-ietf-oauth-status-list §8): fetch the Status
 * List Token a credential points at, verify it, read the credential's entry, and cache the
 * verified list as long as its `ttl` and `exp` allow. Fail closed: whenever no statement about
 * the status can be made, `check` throws `status_unavailable` and never answers "valid".
 */
import {
  type Clock,
  type CryptoProvider,
  DEFAULT_MAX_STATUS_LIST_BYTES,
  fail,
  type Inflate,
  isTesseraError,
  type JsonObject,
  type Jwk,
  type JwsAlgorithm,
  lookUpStatus,
  parseStatusReference,
  type StatusListReference,
  type StatusType,
  statusType,
  TesseraError,
  type VerifiedStatusListToken,
  verifyStatusListToken,
} from '@tessera/shared';
import type { SafeFetch } from '../fetch/safe-fetch.ts';

/** The media type of a Status List Token in JWT form (§8.1 `Accept`, §8.2 `Content-Type`). */
export const STATUS_LIST_JWT_MEDIA_TYPE = 'application/statuslist+jwt';

/** What a key resolver sees of a Status List Token before its signature is checked. */
export interface StatusListKeyContext {
  /** Unverified JWS header: treat `kid` as a hint, never take a key from it. */
  header: JsonObject;
  /** Unverified payload; `iss` is optional in a Status List Token. */
  payload: JsonObject;
  /** The `iss` of the credential whose status is checked, when the caller passed it to `check`. */
  referencedIssuer?: string;
}

/**
 * The Status Issuer's public key, or a function that finds it. Any `IssuerKeyInput` from
 * `@tessera/shared` fits; the function form also receives the credential's issuer, for lists
 * without `iss` signed by the credential issuer's key (Security Considerations, "Key Resolution and Trust Management").
 */
export type StatusListKeyInput = Jwk | ((unverified: StatusListKeyContext) => Jwk | Promise<Jwk>);

export interface StatusCheckerOptions {
  /** The hardened fetch every status list goes through (or `bundleFetch` offline). */
  fetch: SafeFetch;
  crypto: CryptoProvider;
  /** Finds the key that signed the Status List Token. */
  resolveKey: StatusListKeyInput;
  /** Default `Date.now`. */
  clock?: Clock;
  /** Seconds of clock skew allowed for the token's `iat`/`exp`, 0–60. Default 0. */
  clockTolerance?: number;
  /** Allowed JWS algorithms for the token. Default `['ES256']`. */
  algorithms?: readonly JwsAlgorithm[];
  /** ZLIB decompressor; default `DecompressionStream`. On Node pass `nodeInflate` from `@tessera/shared/node`. */
  inflate?: Inflate;
  /** Largest decompressed status list accepted, in bytes. Default 16 MiB. */
  maxBytes?: number;
  /** Largest Status List Token accepted on the wire; default: the SafeFetch's own limit. */
  maxResponseBytes?: number;
  /** Time limit for one fetch; default: the SafeFetch's own limit. */
  timeoutMs?: number;
  /** Most status lists kept. Default 100. */
  maxCacheEntries?: number;
  /** Most decompressed bytes kept across all cached lists. Default 64 MiB. */
  maxCacheBytes?: number;
  /** How long to keep a token that has no `ttl`, in seconds. Default 300. */
  defaultTtlSeconds?: number;
  /**
   * Upper bound on any `ttl`, in seconds: an issuer cannot make us trust a list for a year. Default
   * 86400. 0 caches nothing: every check fetches the list (concurrent checks still share one
   * fetch), for a desk that must see a revocation the moment it is published.
   */
  maxTtlSeconds?: number;
  /** Refuse tokens whose `iat` is older than this many seconds (§8.3 step 4b). Default: no limit. */
  maxTokenAgeSeconds?: number;
}

/** The status a list gives a credential, named after §7.1. */
export type StatusName = 'valid' | 'invalid' | 'suspended' | 'other';

export interface StatusResult {
  /** `valid` (0x00), `invalid` (0x01, revoked), `suspended` (0x02), or `other` for any other value. */
  status: StatusName;
  /** The raw status value, 0–255. */
  value: number;
  /** When the Status List Token this was read from was fetched and verified, in seconds since the epoch. */
  checkedAt: number;
  /** True when the answer came from a cached token, without a fetch. */
  fromCache: boolean;
}

export interface StatusCheckContext {
  /** The `iss` of the credential being checked; passed on to `resolveKey` as `referencedIssuer`. */
  issuer?: string;
}

export interface StatusChecker {
  /**
   * The status of one credential. Throws `invalid_status_reference` for a malformed reference and
   * `status_unavailable` (with the underlying `TesseraError` as `cause`) for everything else that
   * stops a statement about the status: fetch failure, wrong `Content-Type`, bad signature, wrong
   * `typ` or `sub`, expired or too old token, malformed list, index out of range.
   */
  check(reference: StatusListReference, context?: StatusCheckContext): Promise<StatusResult>;
  /** Drops every cached list. */
  clear(): void;
}

interface CacheEntry {
  token: VerifiedStatusListToken;
  fetchedAtMs: number;
  freshUntilMs: number;
  bytes: number;
}

/**
 * A status checker with its own cache. Concurrent checks against the same list share one fetch;
 * failures are never cached, so the next check tries again.
 * @example
 * const status = createStatusChecker({ fetch: createBrowserFetch(), crypto: webCrypto, resolveKey });
 * assertStatusValid(await status.check(verified.status, { issuer: verified.issuer }));
 */
export function createStatusChecker(options: StatusCheckerOptions): StatusChecker {
  const {
    fetch,
    crypto,
    resolveKey,
    clock = Date.now,
    algorithms,
    inflate,
    maxBytes = DEFAULT_MAX_STATUS_LIST_BYTES,
    maxResponseBytes,
    timeoutMs,
    maxCacheEntries = 100,
    maxCacheBytes = 64 * 1024 * 1024,
    defaultTtlSeconds = 300,
    maxTtlSeconds = 86_400,
    maxTokenAgeSeconds,
    clockTolerance,
  } = options;
  if (typeof fetch !== 'function') throw new TypeError('fetch must be a SafeFetch function');
  if (resolveKey === undefined || resolveKey === null) throw new TypeError('resolveKey is required');
  requirePositive('maxBytes', maxBytes, true);
  requirePositive('maxCacheEntries', maxCacheEntries, true);
  requirePositive('maxCacheBytes', maxCacheBytes, true);
  requirePositive('defaultTtlSeconds', defaultTtlSeconds);
  if (maxTtlSeconds !== 0) requirePositive('maxTtlSeconds', maxTtlSeconds);
  if (maxResponseBytes !== undefined) requirePositive('maxResponseBytes', maxResponseBytes, true);
  if (timeoutMs !== undefined) requirePositive('timeoutMs', timeoutMs);
  if (maxTokenAgeSeconds !== undefined) requirePositive('maxTokenAgeSeconds', maxTokenAgeSeconds);

  const cache = new Map<string, CacheEntry>();
  const inFlight = new Map<string, Promise<CacheEntry>>();
  let cachedBytes = 0;

  const forget = (key: string): void => {
    const entry = cache.get(key);
    if (entry === undefined) return;
    cache.delete(key);
    cachedBytes -= entry.bytes;
  };

  const remember = (key: string, entry: CacheEntry): void => {
    forget(key);
    if (entry.bytes > maxCacheBytes) return;
    cache.set(key, entry);
    cachedBytes += entry.bytes;
    // Map keeps insertion order and hits re-insert, so the first key is the least recently used.
    for (const oldest of cache.keys()) {
      if (cache.size <= maxCacheEntries && cachedBytes <= maxCacheBytes) break;
      forget(oldest);
    }
  };

  const keyFor = (issuer: string | undefined): StatusListKeyInput => {
    if (typeof resolveKey !== 'function' || issuer === undefined) return resolveKey;
    return (unverified) => resolveKey({ ...unverified, referencedIssuer: issuer });
  };

  const load = async (key: string, uri: string, issuer: string | undefined): Promise<CacheEntry> => {
    const fetchedAtMs = clock();
    const token = await fetchStatusListToken(fetch, uri, {
      ...(maxResponseBytes === undefined ? {} : { maxBytes: maxResponseBytes }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
    const verified = await verifyStatusListToken(token, {
      issuerKey: keyFor(issuer),
      crypto,
      expectedUri: uri,
      clock,
      maxBytes,
      ...(algorithms === undefined ? {} : { algorithms }),
      ...(clockTolerance === undefined ? {} : { clockTolerance }),
      ...(inflate === undefined ? {} : { inflate }),
    });
    // §8.3 step 4b: a local freshness policy on `iat`, for desks that must not act on old lists.
    if (maxTokenAgeSeconds !== undefined && clock() / 1000 - verified.iat > maxTokenAgeSeconds) {
      fail('expired', 'The status list token is older than the freshness policy allows');
    }
    // §8.3 step 4d and "Status List Update Interval and Caching": cache for `ttl` from the time of
    // fetching, within our own bounds ("Expiration and Caching": clients SHOULD bound both values),
    // and never past `exp`, after which the list "MUST NOT be relied upon any longer".
    const ttlSeconds = Math.min(verified.ttl ?? defaultTtlSeconds, maxTtlSeconds);
    let freshUntilMs = fetchedAtMs + ttlSeconds * 1000;
    if (verified.exp !== undefined) freshUntilMs = Math.min(freshUntilMs, verified.exp * 1000);
    const entry: CacheEntry = { token: verified, fetchedAtMs, freshUntilMs, bytes: verified.list.bytes.length };
    remember(key, entry);
    return entry;
  };

  const fresh = (key: string, uri: string, issuer: string | undefined): Promise<CacheEntry> => {
    let pending = inFlight.get(key);
    if (pending === undefined) {
      pending = load(key, uri, issuer).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  };

  return {
    async check(reference, context = {}) {
      const { idx, uri } = parseStatusReference({ status_list: reference });
      const issuer = context.issuer;
      if (issuer !== undefined && typeof issuer !== 'string') throw new TypeError('context.issuer must be a string');
      // The key a list verifies under may depend on the credential's issuer, so a list verified
      // for one issuer is never reused for another.
      const key = `${issuer ?? ''}\n${uri}`;
      try {
        let entry = cache.get(key);
        let fromCache = false;
        if (entry !== undefined && clock() < entry.freshUntilMs) {
          fromCache = true;
          remember(key, entry);
        } else {
          if (entry !== undefined) forget(key);
          entry = await fresh(key, uri, issuer);
        }
        // §8.3 step 6: an index past the end leaves no statement about the status.
        const value = lookUpStatus(entry.token, { idx, uri });
        return { status: statusName(value), value, checkedAt: Math.floor(entry.fetchedAtMs / 1000), fromCache };
      } catch (cause) {
        // Programmer errors (TypeError) stay visible; everything hostile input can cause is
        // reported as one code so that a 'fail-open' policy has exactly one thing to match.
        if (!isTesseraError(cause)) throw cause;
        throw new TesseraError('status_unavailable', `The credential status could not be established (${cause.code})`, {
          cause,
        });
      }
    },
    clear() {
      cache.clear();
      cachedBytes = 0;
    },
  };
}

/**
 * Fetches a Status List Token in JWT form (§8.1, §8.2): a GET with
 * `Accept: application/statuslist+jwt` through the SafeFetch, a 2xx answer whose `Content-Type`
 * is that media type, and a UTF-8 body holding the compact JWS. Redirects are not followed here
 * (the SafeFetch refuses them; §11.4 leaves following them to the client's judgement). Returns the
 * token unverified. Used by the checker and to collect tokens for an offline trust bundle.
 * @example const token = await fetchStatusListToken(safeFetch, reference.uri);
 */
export async function fetchStatusListToken(
  fetch: SafeFetch,
  uri: string,
  options: { maxBytes?: number; timeoutMs?: number } = {},
): Promise<string> {
  const response = await fetch({ url: uri, accept: STATUS_LIST_JWT_MEDIA_TYPE, ...options });
  if (!(response.status >= 200 && response.status <= 299)) fail('fetch_failed', 'The status list endpoint did not answer 2xx');
  // §8.2: "the Status Provider MUST use the following content-type": anything else is not the
  // token that was asked for (a CWT, an HTML error page from a proxy…).
  const mediaType = (response.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (mediaType !== STATUS_LIST_JWT_MEDIA_TYPE) {
    fail('status_list_malformed', `The status list response is not ${STATUS_LIST_JWT_MEDIA_TYPE}`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(response.body);
  } catch (cause) {
    fail('status_list_malformed', 'The status list response is not UTF-8 text', cause);
  }
  // A file served statically may end in a newline; a compact JWS itself never contains whitespace.
  return text.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '');
}

/**
 * Turns a status into the verifier's decision: `valid` passes; `invalid` fails with
 * `credential_revoked`; `suspended` with `credential_suspended`; any other value (application
 * specific or unregistered, §7.1) with `status_unavailable`, since its meaning is unknown here.
 * @example assertStatusValid(await statusChecker.check(verified.status));
 */
export function assertStatusValid(result: StatusResult): void {
  if (result.status === 'valid') return;
  if (result.status === 'invalid') fail('credential_revoked', 'The issuer has revoked the credential');
  if (result.status === 'suspended') fail('credential_suspended', 'The issuer has suspended the credential');
  fail('status_unavailable', `The status list gives the credential the status value ${result.value}, which has no known meaning`);
}

const STATUS_NAMES: Partial<Record<StatusType, StatusName>> = { VALID: 'valid', INVALID: 'invalid', SUSPENDED: 'suspended' };

/** The registered meaning of a status value (draft-ietf-oauth-status-list §7.1), or 'other'. */
function statusName(value: number): StatusName {
  return STATUS_NAMES[statusType(value)] ?? 'other';
}

function requirePositive(name: string, value: number, integer = false): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isSafeInteger(value))) {
    throw new TypeError(`${name} must be a positive ${integer ? 'integer' : 'number'}`);
  }
}
