import type { ClaimPath } from '../claim-path/claim-path.ts';
import { defineOwn, hasOwn, isJsonObject, type JsonObject, type JsonValue } from '../encoding/json.ts';
import { fail } from '../errors/tessera-error.ts';
import type { Disclosure } from './disclosure.ts';

/** A claim that a disclosure revealed, with its concrete path in the resolved claims. */
export interface DisclosedClaim {
  path: ClaimPath;
  /** Index into the disclosures passed to `resolveDisclosures`. */
  index: number;
}

export interface ResolvedPayload {
  /** The payload with every disclosed claim in place and every digest removed. */
  claims: JsonObject;
  disclosed: DisclosedClaim[];
}

/**
 * RFC 9901 §7.1 steps 3–5: replaces digests with the claims their disclosures carry, recursively,
 * and enforces every structural rule on the way. It either returns the whole result or throws:
 * there is no partial output.
 *
 * `digests[i]` is the digest of `disclosures[i]` under the payload's `_sd_alg`.
 */
export function resolveDisclosures(
  payload: JsonObject,
  disclosures: readonly Disclosure[],
  digests: readonly string[],
  maxDepth: number,
): ResolvedPayload {
  const resolver = new Resolver(disclosures, digests, maxDepth);
  const claims = resolver.walk(payload, 0) as JsonObject;
  // RFC 9901 §7.1 step 5: every disclosure must be referenced by a digest.
  const unreferenced = resolver.used.indexOf(0);
  if (unreferenced !== -1) fail('disclosure_unreferenced', `Disclosure ${unreferenced + 1} is not referenced by any digest`);
  return { claims, disclosed: resolver.disclosed };
}

/** Marks a digest already met, decoys included. */
const SEEN = -1;

/** The state of one resolution; a class so the hot path allocates no closures per call. */
class Resolver {
  readonly disclosures: readonly Disclosure[];
  readonly maxDepth: number;
  /** Digest → index of its disclosure; SEEN once the digest has been met in the payload. */
  readonly byDigest = new Map<string, number>();
  readonly used: Uint8Array;
  readonly disclosed: DisclosedClaim[] = [];
  /**
   * The keys from the root to the value being walked (its length is the depth). One array for
   * the whole walk, copied only for a disclosed claim: most of the payload is never disclosed.
   */
  readonly path: (string | number)[] = [];

  constructor(disclosures: readonly Disclosure[], digests: readonly string[], maxDepth: number) {
    this.disclosures = disclosures;
    this.maxDepth = maxDepth;
    this.used = new Uint8Array(disclosures.length);
    for (let index = 0; index < digests.length; index++) {
      const digest = digests[index] as string;
      // Identical disclosure strings hash alike (RFC 9901 §7.1 step 4: each digest used once).
      if (this.byDigest.has(digest)) fail('duplicate_disclosure', 'The same disclosure appears twice');
      this.byDigest.set(digest, index);
    }
  }

  /** Marks a digest as seen and returns the disclosure it points to, if any. */
  lookUp(digest: string): number | undefined {
    // RFC 9901 §7.1 step 4: a digest must not appear more than once in the payload or in
    // disclosed values.
    const index = this.byDigest.get(digest);
    if (index === SEEN) fail('duplicate_digest', 'A digest appears more than once');
    this.byDigest.set(digest, SEEN);
    if (index !== undefined) this.used[index] = 1;
    return index;
  }

  walk(value: JsonValue, depth: number): JsonValue {
    if (typeof value !== 'object' || value === null) return value;
    if (depth > this.maxDepth) fail('nesting_too_deep', `Claims are nested deeper than ${this.maxDepth} levels`);
    return Array.isArray(value) ? this.walkArray(value, depth) : this.walkObject(value, depth);
  }

  /** Walks the value at `key` below the current path. */
  walkChild(value: JsonValue, key: string | number, depth: number): JsonValue {
    // Scalars need no walk (and no path): most claims are scalars, and this is the hot path.
    if (typeof value !== 'object' || value === null) return value;
    this.path.push(key);
    const out = this.walk(value, depth + 1);
    this.path.pop();
    return out;
  }

  /** Walks the value of the disclosure `index`, placed at `key`, and records its path. */
  walkDisclosed(index: number, key: string | number, depth: number): JsonValue {
    this.path.push(key);
    const path = this.path.slice();
    const out = this.walk((this.disclosures[index] as Disclosure).value, depth + 1);
    this.path.pop();
    this.disclosed.push({ path, index });
    return out;
  }

  walkArray(array: JsonValue[], depth: number): JsonValue[] {
    const out: JsonValue[] = [];
    for (const element of array) {
      if (isJsonObject(element) && hasOwn(element, '...')) {
        // RFC 9901 §4.2.4.2: an array placeholder is an object with the single key "...".
        const digest = element['...'];
        if (typeof digest !== 'string' || Object.keys(element).length !== 1) {
          fail('invalid_sd_structure', 'An array element placeholder must be {"...": "<digest>"}');
        }
        const index = this.lookUp(digest);
        if (index === undefined) continue; // a decoy, or an element not disclosed
        if ((this.disclosures[index] as Disclosure).name !== undefined) {
          fail('invalid_sd_structure', 'An object-property disclosure is referenced from an array');
        }
        out.push(this.walkDisclosed(index, out.length, depth));
      } else {
        out.push(this.walkChild(element, out.length, depth));
      }
    }
    return out;
  }

  walkObject(object: JsonObject, depth: number): JsonObject {
    const out: JsonObject = {};
    for (const key of Object.keys(object)) {
      if (key === '_sd') continue;
      if (key === '_sd_alg') {
        // RFC 9901 §4.1.1: `_sd_alg` is read from the top level only and used nowhere else.
        if (depth === 0) continue;
        fail('invalid_sd_structure', '_sd_alg may appear only at the top level of the payload');
      }
      defineOwn(out, key, this.walkChild(object[key] as JsonValue, key, depth));
    }
    if (!hasOwn(object, '_sd')) return out;
    const sd = object._sd;
    if (!Array.isArray(sd) || !sd.every(isString)) {
      fail('invalid_sd_structure', 'An _sd member must be an array of digest strings');
    }
    for (const digest of sd as string[]) {
      const index = this.lookUp(digest);
      if (index === undefined) continue;
      const name = (this.disclosures[index] as Disclosure).name;
      if (name === undefined) fail('invalid_sd_structure', 'An array-element disclosure is referenced from _sd');
      // RFC 9901 §7.1 step 3.3.2.3: the claim name must not already exist at this level
      // (own properties only: inherited names like "constructor" are not claims).
      if (hasOwn(out, name) || hasOwn(object, name)) fail('claim_collision', 'A disclosed claim name already exists');
      defineOwn(out, name, this.walkDisclosed(index, name, depth));
    }
    return out;
  }
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}
