import type { Jwk } from '@tessera/shared';
import type { Resolvable } from 'did-resolver';
import { resolveDidKey } from './did.ts';

/**
 * A did:jwk or did:key names its key in the identifier itself, and neither method can update or
 * deactivate a DID (the "Update" and "Deactivate" operations of both specifications): resolving
 * one is a pure function of the DID and the `kid`. A verifier that sees many presentations from one issuer
 * would otherwise decode and check the same DID every time: ~16–25 µs per presentation for a
 * did:jwk (base64url, JSON, the DID document and its checks), ~1.6 µs from this cache (Node 20).
 *
 * Only successful resolutions are kept: a failure throws as before and is asked again next time.
 * The cache is bounded (least recently used entries go first), and identifiers longer than any
 * real key's are resolved but never kept, so hostile input cannot make it grow.
 */

/** Default number of (DID, kid) pairs kept. */
const LOCAL_DID_KEY_CACHE_SIZE = 256;
/**
 * Longest DID plus kid kept, in characters. A did:jwk of a 4096-bit RSA key is about 1,000;
 * did:key identifiers are at most ~140 (see MAX_MULTIBASE_LENGTH in did-key.ts).
 */
const MAX_CACHED_LENGTH = 2048;

/**
 * The DIDs kept: did:jwk (base64url) and did:key (base58btc multibase), in the character sets
 * their drivers in did.ts and did-key.ts accept. Anything else is resolved without the cache.
 */
const LOCAL_DID = /^did:(?:jwk:[A-Za-z0-9_-]+|key:z[1-9A-HJ-NP-Za-km-z]+)$/;

/** Resolves the issuer key of a did:jwk or did:key; the same contract as `resolveDidKey`. */
export type LocalDidKeyResolver = (did: string, kid: string | undefined) => Promise<Jwk>;

/**
 * `resolveDidKey` for did:jwk and did:key with a bounded cache of the keys it found. Other DID
 * methods (did:web documents change) pass straight through, uncached.
 * @example
 * const localDidKey = cachedLocalDidKeyResolver(resolver);
 * const jwk = await localDidKey(payload.iss, header.kid);
 */
export function cachedLocalDidKeyResolver(
  resolver: Resolvable,
  { maxEntries = LOCAL_DID_KEY_CACHE_SIZE }: { maxEntries?: number } = {},
): LocalDidKeyResolver {
  if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw new TypeError('maxEntries must be a positive integer');
  /** Frozen keys by `cacheKey`; Map order is recency order, oldest first. */
  const entries = new Map<string, Readonly<Jwk>>();
  return async (did, kid) => {
    if (!LOCAL_DID.test(did) || did.length + (kid?.length ?? 0) > MAX_CACHED_LENGTH) {
      return resolveDidKey(did, kid, { resolver });
    }
    // A DID that passed LOCAL_DID holds no space, so this key is unambiguous.
    const key = kid === undefined ? did : `${did} ${kid}`;
    const hit = entries.get(key);
    if (hit !== undefined) {
      entries.delete(key);
      entries.set(key, hit);
      return { ...hit };
    }
    // Throws on failure, before anything is stored.
    const jwk = await resolveDidKey(did, kid, { resolver });
    if (!entries.has(key) && entries.size >= maxEntries) {
      const oldest = entries.keys().next();
      if (!oldest.done) entries.delete(oldest.value);
    }
    entries.set(key, Object.freeze({ ...jwk }));
    return jwk;
  };
}
