import { fail } from '../errors/tessera-error.ts';
import type { Jwk, JwsAlgorithm } from './types.ts';

/** The key type and curve each algorithm requires (RFC 7518 §3.4, RFC 8037 §3.1). */
const KEY_SHAPE: Record<JwsAlgorithm, { kty: string; crv: string; coordinateBytes: number }> = {
  ES256: { kty: 'EC', crv: 'P-256', coordinateBytes: 32 },
  ES384: { kty: 'EC', crv: 'P-384', coordinateBytes: 48 },
  ES512: { kty: 'EC', crv: 'P-521', coordinateBytes: 66 },
  EdDSA: { kty: 'OKP', crv: 'Ed25519', coordinateBytes: 32 },
};

/** Length of a raw JWS signature for each algorithm. */
export const SIGNATURE_BYTES: Record<JwsAlgorithm, number> = {
  ES256: 64,
  ES384: 96,
  ES512: 132,
  EdDSA: 64,
};

/** JWK members that carry private or secret key material (RFC 7517 §9.3, RFC 7518 §6.2.2, §6.3.2, §6.4.1). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** Whether a JWK carries private or secret key material, which a published key must never hold. */
export function carriesPrivateKey(jwk: object): boolean {
  return PRIVATE_MEMBERS.some((name) => Object.hasOwn(jwk, name));
}

/**
 * Reduces a JWK to its public members after checking it fits `alg`. Private members are refused:
 * a key that arrives inside a token (`cnf.jwk`) must never carry `d`.
 */
export function publicJwkFor(jwk: unknown, alg: JwsAlgorithm): Jwk {
  const shape = KEY_SHAPE[alg];
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) {
    fail('invalid_key', 'The key is not a JWK object');
  }
  const key = jwk as Record<string, unknown>;
  if (key.kty !== shape.kty || key.crv !== shape.crv) {
    fail('invalid_key', `The key does not fit algorithm ${alg}`);
  }
  if ('d' in key) fail('invalid_key', 'A public key must not contain private key material');
  if (typeof key.x !== 'string' || key.x.length !== Math.ceil((shape.coordinateBytes * 4) / 3)) {
    fail('invalid_key', 'The key has a malformed x coordinate');
  }
  if (shape.kty === 'EC') {
    if (typeof key.y !== 'string' || key.y.length !== key.x.length) {
      fail('invalid_key', 'The key has a malformed y coordinate');
    }
    return { kty: shape.kty, crv: shape.crv, x: key.x, y: key.y };
  }
  return { kty: shape.kty, crv: shape.crv, x: key.x };
}

/**
 * The cached verifier for a key and algorithm, importing it on a miss. A hit needs no validation
 * beyond plain string members and no `d`: only keys that passed `publicJwkFor` are ever stored,
 * and a hit means the very same members.
 */
export function cachedVerifier<V>(cache: VerifierCache<V>, jwk: unknown, alg: JwsAlgorithm, load: (publicJwk: Jwk) => V): V {
  if (typeof jwk === 'object' && jwk !== null && !('d' in jwk)) {
    const { kty, crv, x, y } = jwk as Record<string, unknown>;
    if (
      typeof kty === 'string' &&
      typeof crv === 'string' &&
      typeof x === 'string' &&
      (y === undefined || typeof y === 'string')
    ) {
      const hit = cache.get(alg, kty, crv, x, y ?? '');
      if (hit !== undefined) return hit;
    }
  }
  const publicJwk = publicJwkFor(jwk, alg);
  const value = load(publicJwk);
  cache.set(publicJwk, alg, value);
  return value;
}

/** A cached verifier with the key members it was imported for. */
interface CacheEntry<V> {
  alg: JwsAlgorithm;
  kty: string;
  crv: string;
  /** `''` for a key without `y` (OKP). */
  y: string;
  value: V;
}

/**
 * A small bounded cache of verifiers: keys are imported once, and hostile input cannot grow it
 * without end. An entry is found by the `x` coordinate, which every supported key has, and then
 * compared member by member: a third of a microsecond cheaper per lookup than building and hashing
 * a composite key string, and just as exact. Two keys sharing `x` take turns in one slot.
 */
export class VerifierCache<V> {
  readonly #entries = new Map<string, CacheEntry<V>>();
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** The verifier stored for exactly these key members, if any. */
  get(alg: JwsAlgorithm, kty: string, crv: string, x: string, y: string): V | undefined {
    const entry = this.#entries.get(x);
    if (entry === undefined || entry.alg !== alg || entry.kty !== kty || entry.crv !== crv || entry.y !== y) return undefined;
    return entry.value;
  }

  set(publicJwk: Jwk, alg: JwsAlgorithm, value: V): void {
    const x = publicJwk.x as string;
    if (!this.#entries.has(x) && this.#entries.size >= this.#limit) {
      // Evict the oldest entry (Map keeps insertion order).
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(x, { alg, kty: publicJwk.kty, crv: publicJwk.crv as string, y: publicJwk.y ?? '', value });
  }

  /** Forgets `value` (a verifier whose import failed), unless another key has taken its slot since. */
  delete(publicJwk: Jwk, value: V): void {
    const x = publicJwk.x as string;
    if (this.#entries.get(x)?.value === value) this.#entries.delete(x);
  }
}
