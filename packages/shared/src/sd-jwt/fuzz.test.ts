import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ClaimPath, selectClaims } from '../claim-path/claim-path.ts';
import { decodeBase64Url, encodeBase64Url, encodeBase64UrlText } from '../encoding/base64url.ts';
import type { JsonObject, JsonValue } from '../encoding/json.ts';
import { TesseraError } from '../errors/tessera-error.ts';
import { decodeJws } from '../jws/compact.ts';
import { issueSdJwtVc } from '../sd-jwt-vc/issue.ts';
import { verifySdJwtVc } from '../sd-jwt-vc/verify.ts';
import { decodeDisclosure } from './disclosure.ts';
import { issueSdJwt } from './issue.ts';
import { DEFAULT_LIMITS } from './limits.ts';
import { splitSdJwt } from './parse.ts';
import { presentSdJwt } from './present.ts';
import {
  AUDIENCE,
  clock,
  cnfOf,
  crypto,
  digest,
  holder,
  issuer,
  issuerJwt,
  kbOptions,
  NONCE,
  NOW,
  noKbOptions,
  vcPayload,
  withKb,
} from './test-helpers.ts';
import { verifySdJwt } from './verify.ts';

/**
 * Property-based tests: hostile input of every shape may only ever produce a `TesseraError`, and
 * a valid presentation, however mangled, either verifies to the very same claims or fails.
 */

const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype).sort();

/** Runs `run` and returns the error it throws, or undefined. Fails on any non-Tessera error. */
function onlyTesseraErrors(run: () => unknown): TesseraError | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (!(error instanceof TesseraError)) throw new Error(`Non-Tessera error: ${String(error)}`, { cause: error });
    return error;
  }
}

async function onlyTesseraRejections<T>(promise: Promise<T>): Promise<T | TesseraError> {
  try {
    return await promise;
  } catch (error) {
    if (!(error instanceof TesseraError)) throw new Error(`Non-Tessera error: ${String(error)}`, { cause: error });
    return error;
  }
}

/** Sets an own property even for `__proto__`. */
function put(object: JsonObject, key: string, value: JsonValue): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

function objectFrom(entries: readonly (readonly [string, JsonValue])[]): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of entries) put(out, key, value);
  return out;
}

/** True when `value` anywhere holds an `_sd` member: processed claims never may. */
function hasSdMember(value: JsonValue): boolean {
  if (Array.isArray(value)) return value.some(hasSdMember);
  if (value === null || typeof value !== 'object') return false;
  return Object.hasOwn(value, '_sd') || Object.values(value).some(hasSdMember);
}

// ---------------------------------------------------------------------------------------------
// (a) Garbage of every shape.

const B64_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const tokenChar = fc.constantFrom(...`${B64_CHARS}.~=+/ `);
const b64Json = fc.jsonValue({ maxDepth: 3 }).map((v) => encodeBase64UrlText(JSON.stringify(v)));
const segment = fc.oneof(
  b64Json,
  fc.string({ unit: tokenChar, maxLength: 30 }),
  fc.uint8Array({ maxLength: 70 }).map(encodeBase64Url),
  fc.constantFrom('', 'eyJhbGciOiJFUzI1NiIsInR5cCI6ImRjK3NkLWp3dCJ9', 'eyJ9', 'W10', 'bnVsbA'),
);
const jwsLike = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('.'));
const garbage = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 120 }),
  fc.string({ unit: tokenChar, maxLength: 200 }),
  fc.uint8Array({ maxLength: 120 }).map((bytes) => new TextDecoder().decode(bytes)),
  fc.array(fc.oneof(segment, jwsLike), { maxLength: 6 }).map((parts) => parts.join('~')),
  fc
    .tuple(jwsLike, fc.array(segment, { maxLength: 4 }), fc.oneof(fc.constant(''), jwsLike))
    .map(([jwt, disclosures, kb]) => `${jwt}~${disclosures.map((d) => `${d}~`).join('')}${kb}`),
);

describe('hostile input of every shape', () => {
  it('makes the synchronous parsers throw nothing but TesseraError, and decodeBase64Url only return undefined', () => {
    fc.assert(
      fc.property(garbage, (text) => {
        onlyTesseraErrors(() => splitSdJwt(text, DEFAULT_LIMITS));
        onlyTesseraErrors(() => decodeJws(text));
        onlyTesseraErrors(() => decodeDisclosure(text, DEFAULT_LIMITS.maxDepth));
        const bytes = decodeBase64Url(text);
        expect(bytes === undefined || bytes instanceof Uint8Array).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });

  it('makes verifySdJwt, verifySdJwtVc and presentSdJwt reject with nothing but TesseraError', async () => {
    await fc.assert(
      fc.asyncProperty(garbage, async (text) => {
        for (const outcome of [
          await onlyTesseraRejections(verifySdJwt(text, noKbOptions())),
          await onlyTesseraRejections(verifySdJwt(text, kbOptions())),
          await onlyTesseraRejections(
            verifySdJwtVc(text, { issuerKey: issuer.publicJwk, crypto, keyBinding: 'forbidden', clock }),
          ),
        ]) {
          // Garbage is not signed by the issuer, so it can never verify.
          expect(outcome).toBeInstanceOf(TesseraError);
        }
        // presentSdJwt does not check signatures (the holder trusts its own store), so garbage
        // that happens to decode may be presented; it must still never throw anything else.
        await onlyTesseraRejections(presentSdJwt(text, { disclose: [['a']], crypto }));
      }),
      { numRuns: 500 },
    );
  });

  // Signed garbage gets past the signature check and exercises disclosure processing: random
  // payloads whose digests really reference random (often malformed) disclosures.
  const REF = 'REF:';
  const keyName = fc.constantFrom(
    '_sd',
    '...',
    '_sd_alg',
    'a',
    'b',
    'iss',
    'vct',
    'cnf',
    'jwk',
    'exp',
    'nbf',
    'iat',
    'status',
    '__proto__',
    'constructor',
  );
  const ref = fc.nat(9).map((n) => `${REF}${n}`);
  const leaf = fc.oneof(
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.string({ maxLength: 6 }),
    ref,
    fc.constantFrom(NOW - 10, NOW + 10, 'sha-256', 'sha-512', 'md5'),
  );
  const { value: randomValue } = fc.letrec<{ value: JsonValue; array: JsonValue[]; object: JsonObject }>((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
    array: fc.array(
      fc.oneof(
        tie('value'),
        ref.map((r) => ({ '...': r }) as JsonObject),
      ),
      { maxLength: 4 },
    ),
    object: fc
      .tuple(
        fc.uniqueArray(fc.tuple(keyName, tie('value')), { maxLength: 4, selector: ([key]) => key }),
        fc.option(fc.array(fc.oneof(ref, leaf), { maxLength: 4 })),
      )
      .map(([entries, sd]) => {
        const object = objectFrom(entries);
        if (sd !== null) put(object, '_sd', sd);
        return object;
      }),
  }));
  const salt = fc.string({ maxLength: 4 });
  // Mostly well-formed disclosures, so that most runs get past decoding into resolution.
  const disclosureShape = fc.oneof(
    { arbitrary: fc.tuple(salt, keyName, randomValue).map((array) => JSON.stringify(array)), weight: 12 },
    { arbitrary: fc.tuple(salt, randomValue).map((array) => JSON.stringify(array)), weight: 6 },
    { arbitrary: fc.tuple(fc.integer(), keyName, randomValue).map((array) => JSON.stringify(array)), weight: 1 },
    { arbitrary: randomValue.map((value) => JSON.stringify(value)), weight: 1 },
    { arbitrary: fc.string({ maxLength: 10 }), weight: 1 },
  );

  /** Replaces every `REF:n` string with a digest; `digests` may be empty. */
  function resolveRefs(value: JsonValue, digests: readonly string[]): JsonValue {
    if (typeof value === 'string' && value.startsWith(REF)) {
      const n = Number(value.slice(REF.length));
      return digests.length === 0 ? `decoy${n}` : (digests[n % digests.length] as string);
    }
    if (Array.isArray(value)) return value.map((v) => resolveRefs(v, digests));
    if (value !== null && typeof value === 'object') {
      return objectFrom(Object.entries(value).map(([k, v]) => [k, resolveRefs(v, digests)] as const));
    }
    return value;
  }

  const signedGarbage = fc.record({
    payload: fc.tuple(randomValue, fc.boolean()),
    disclosures: fc.array(disclosureShape, { maxLength: 5 }),
    kb: fc.constantFrom('none', 'valid', 'garbage'),
  });

  it('makes signed payloads with random disclosures fail only with TesseraError, and never leak _sd', async () => {
    await fc.assert(
      fc.asyncProperty(signedGarbage, async ({ payload: [rawPayload, asVc], disclosures: texts, kb }) => {
        // Each disclosure may reference only later ones, so digests can be computed back to front.
        const encoded: string[] = new Array(texts.length);
        const digests: string[] = new Array(texts.length);
        for (let i = texts.length - 1; i >= 0; i--) {
          const parsed = (() => {
            try {
              return JSON.parse(texts[i] as string) as JsonValue;
            } catch {
              return undefined;
            }
          })();
          const text = parsed === undefined ? (texts[i] as string) : JSON.stringify(resolveRefs(parsed, digests.slice(i + 1)));
          encoded[i] = encodeBase64UrlText(text);
          digests[i] = await digest(encoded[i] as string);
        }
        const body = resolveRefs(rawPayload, digests);
        const payload = body !== null && typeof body === 'object' && !Array.isArray(body) ? body : { value: body };
        const jwt = await issuerJwt(asVc ? { ...vcPayload(), ...payload } : payload);
        let presentation = `${jwt}~${encoded.map((d) => `${d}~`).join('')}`;
        if (kb === 'valid') presentation = await withKb(presentation);
        if (kb === 'garbage') presentation += 'eyJ9.eyJ9.AAAA';

        const outcomes = [
          await onlyTesseraRejections(verifySdJwt(presentation, noKbOptions())),
          await onlyTesseraRejections(verifySdJwt(presentation, kbOptions())),
          await onlyTesseraRejections(verifySdJwtVc(presentation, kbOptions())),
          await onlyTesseraRejections(presentSdJwt(presentation, { disclose: [['a']], crypto })),
        ];
        for (const outcome of outcomes) {
          if (outcome instanceof TesseraError || typeof outcome === 'string') continue;
          expect(hasSdMember(outcome.claims)).toBe(false);
          expect(Object.hasOwn(outcome.claims, '_sd_alg')).toBe(false);
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 300 },
    );
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_NAMES);
  });
});

// ---------------------------------------------------------------------------------------------
// (b) Mutations of a valid presentation.

const CLAIMS: JsonObject = {
  given_name: 'Erika',
  family_name: 'Mustermann',
  address: { street_address: 'Heidestr. 17', locality: 'Köln' },
  nationalities: ['DE', 'FR'],
};
const DISCLOSABLE: ClaimPath[] = [['given_name'], ['family_name'], ['address'], ['address', 'locality'], ['nationalities', null]];
const DISCLOSE: ClaimPath[] = [['given_name'], ['address', 'locality'], ['nationalities', null]];

interface Fixture {
  bound: string;
  unbound: string;
  boundClaims: JsonObject;
  unboundClaims: JsonObject;
  /** Disclosures of a second credential with the same claims (other salts). */
  foreign: string[];
}

let fixture: Fixture;

async function issueCredential(): Promise<string> {
  return issueSdJwtVc({
    issuer: 'https://issuer.example',
    vct: 'https://credentials.example/person',
    claims: CLAIMS,
    disclosable: DISCLOSABLE,
    holderKey: holder.publicJwk,
    issuedAt: NOW - 60,
    signingKey: issuer.signingKey,
    crypto,
    maxDecoys: 2,
  });
}

beforeAll(async () => {
  const credential = await issueCredential();
  const other = await issueCredential();
  const keyBinding = { signingKey: holder.signingKey, audience: AUDIENCE, nonce: NONCE, issuedAt: NOW };
  const bound = await presentSdJwt(credential, { disclose: DISCLOSE, crypto, keyBinding });
  const unbound = await presentSdJwt(credential, { disclose: DISCLOSE, crypto });
  fixture = {
    bound,
    unbound,
    boundClaims: (await verifySdJwt(bound, kbOptions())).claims,
    unboundClaims: (await verifySdJwt(unbound, noKbOptions())).claims,
    foreign: other.split('~').slice(1, -1),
  };
});

type Mutation =
  | { kind: 'flip'; at: number; char: string }
  | { kind: 'drop'; at: number }
  | { kind: 'duplicate'; at: number }
  | { kind: 'swap'; a: number; b: number }
  | { kind: 'reorder'; keys: number[] }
  | { kind: 'truncate'; at: number }
  | { kind: 'insertTilde'; at: number }
  | { kind: 'foreign'; at: number; pick: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), char: fc.constantFrom(...`${B64_CHARS}.~=`) }),
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({
    kind: fc.constant('reorder' as const),
    keys: fc.array(fc.double({ noNaN: true }), { minLength: 8, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insertTilde' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('foreign' as const), at: fc.nat(), pick: fc.nat() }),
);

/** Applies one mutation; disclosure-level mutations keep any KB-JWT as it was. */
function mutate(presentation: string, m: Mutation, foreign: readonly string[]): string {
  const parts = presentation.split('~');
  const jwt = parts[0] as string;
  const kb = parts.at(-1) as string;
  const disclosures = parts.slice(1, -1);
  const join = (list: readonly string[]): string => `${jwt}~${list.map((d) => `${d}~`).join('')}${kb}`;
  const n = disclosures.length;
  switch (m.kind) {
    case 'flip': {
      const at = m.at % presentation.length;
      return presentation.slice(0, at) + m.char + presentation.slice(at + 1);
    }
    case 'drop':
      return join(disclosures.filter((_, i) => i !== m.at % n));
    case 'duplicate': {
      const copy = [...disclosures];
      copy.splice(m.at % (n + 1), 0, disclosures[m.at % n] as string);
      return join(copy);
    }
    case 'swap': {
      const copy = [...disclosures];
      const [a, b] = [m.a % n, m.b % n];
      [copy[a], copy[b]] = [copy[b] as string, copy[a] as string];
      return join(copy);
    }
    case 'reorder':
      return join(
        disclosures
          .map((d, i) => [d, m.keys[i] ?? 0] as const)
          .sort((x, y) => x[1] - y[1])
          .map(([d]) => d),
      );
    case 'truncate':
      return presentation.slice(0, m.at % presentation.length);
    case 'insertTilde': {
      const at = m.at % (presentation.length + 1);
      return `${presentation.slice(0, at)}~${presentation.slice(at)}`;
    }
    case 'foreign': {
      const copy = [...disclosures];
      copy[m.at % n] = foreign[m.pick % foreign.length] as string;
      return join(copy);
    }
  }
}

/** True when every claim of `part` is also in `whole` (array elements as a subsequence). */
function isSubClaims(part: JsonValue, whole: JsonValue): boolean {
  if (Array.isArray(part)) {
    if (!Array.isArray(whole)) return false;
    let j = 0;
    for (const element of part) {
      while (j < whole.length && !isSubClaims(element, whole[j] as JsonValue)) j++;
      if (j === whole.length) return false;
      j++;
    }
    return true;
  }
  if (part !== null && typeof part === 'object') {
    if (whole === null || typeof whole !== 'object' || Array.isArray(whole)) return false;
    return Object.keys(part).every(
      (key) => Object.hasOwn(whole, key) && isSubClaims(part[key] as JsonValue, whole[key] as JsonValue),
    );
  }
  return Object.is(part, whole);
}

describe('mutations of a valid presentation', () => {
  it('either verify to exactly the same claims or fail with a TesseraError, with key binding', async () => {
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const mutated = mutate(fixture.bound, m, fixture.foreign);
        const outcome = await onlyTesseraRejections(verifySdJwt(mutated, kbOptions()));
        if (outcome instanceof TesseraError) {
          expect(mutated).not.toBe(fixture.bound);
          return;
        }
        // sd_hash binds the exact string: only a no-op mutation can still verify.
        expect(mutated).toBe(fixture.bound);
        expect(outcome.claims).toEqual(fixture.boundClaims);
      }),
      { numRuns: 400 },
    );
  });

  it('without key binding, verify to the same claims when only the order changes, and to a subset at most otherwise', async () => {
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        const mutated = mutate(fixture.unbound, m, fixture.foreign);
        const outcome = await onlyTesseraRejections(verifySdJwt(mutated, noKbOptions()));
        if (m.kind === 'reorder' || m.kind === 'swap') {
          // RFC 9901 §4: the order of disclosures carries no meaning.
          expect(outcome).not.toBeInstanceOf(TesseraError);
        }
        if (outcome instanceof TesseraError) return;
        if (m.kind === 'drop' || m.kind === 'truncate') {
          expect(isSubClaims(outcome.claims, fixture.unboundClaims)).toBe(true);
        } else {
          expect(outcome.claims).toEqual(fixture.unboundClaims);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('rejects every duplicated or foreign disclosure with the matching code', async () => {
    const n = fixture.unbound.split('~').length - 2;
    for (let at = 0; at < n; at++) {
      const duplicated = await onlyTesseraRejections(
        verifySdJwt(mutate(fixture.unbound, { kind: 'duplicate', at }, []), noKbOptions()),
      );
      expect(duplicated).toMatchObject({ code: 'duplicate_disclosure' });
      const foreign = await onlyTesseraRejections(
        verifySdJwt(mutate(fixture.unbound, { kind: 'foreign', at, pick: at }, fixture.foreign), noKbOptions()),
      );
      expect(foreign).toMatchObject({ code: 'disclosure_unreferenced' });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// (d) issue → present → verify round trip.

type Path = (string | number)[];

const claimKey = fc.constantFrom('a', 'b', 'c', 'given_name', 'constructor', '__proto__', 'toString', 'x y', 'ü', '');
const claimLeaf = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.string({ maxLength: 8 }));
const { object: claimObject } = fc.letrec<{ value: JsonValue; object: JsonObject }>((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, claimLeaf, fc.array(tie('value'), { maxLength: 3 }), tie('object')),
  object: fc.uniqueArray(fc.tuple(claimKey, tie('value')), { maxLength: 4, selector: ([key]) => key }).map(objectFrom),
}));

/** Every path to every node below the root. */
function allPaths(value: JsonValue, prefix: Path = []): Path[] {
  const children: [string | number, JsonValue][] = Array.isArray(value)
    ? value.map((v, i) => [i, v])
    : value !== null && typeof value === 'object'
      ? Object.keys(value).map((k) => [k, value[k] as JsonValue])
      : [];
  return children.flatMap(([step, child]) => [[...prefix, step], ...allPaths(child, [...prefix, step])]);
}

function overlaps(pattern: ClaimPath, concrete: Path): boolean {
  for (let i = 0; i < Math.min(pattern.length, concrete.length); i++) {
    const step = pattern[i];
    if (step === null ? typeof concrete[i] !== 'number' : step !== concrete[i]) return false;
  }
  return true;
}

/** The claims a verifier should see: every disclosable claim that no selected path needs is gone. */
function expectedClaims(
  value: JsonValue,
  disclosable: readonly Path[],
  selected: readonly ClaimPath[],
  prefix: Path = [],
): JsonValue {
  const hidden = (path: Path): boolean =>
    disclosable.some((d) => d.length === path.length && d.every((s, i) => s === path[i])) &&
    !selected.some((s) => overlaps(s, path));
  if (Array.isArray(value)) {
    return value.flatMap((child, i) =>
      hidden([...prefix, i]) ? [] : [expectedClaims(child, disclosable, selected, [...prefix, i])],
    );
  }
  if (value !== null && typeof value === 'object') {
    const out: JsonObject = {};
    for (const key of Object.keys(value)) {
      if (!hidden([...prefix, key]))
        put(out, key, expectedClaims(value[key] as JsonValue, disclosable, selected, [...prefix, key]));
    }
    return out;
  }
  return value;
}

const roundTripCase = claimObject.chain((claims) => {
  const paths = allPaths(claims);
  const selection = fc.subarray(paths).chain((chosen) =>
    fc.tuple(
      ...chosen.map((p) =>
        fc.boolean().map((wild): ClaimPath => {
          // A wildcard selects nothing when some element on its way is of the wrong kind
          // (OpenID4VP 1.0 §7.1), so keep it only where it still reaches a claim.
          const wildcard = p.map((s) => (typeof s === 'number' ? null : s));
          return wild && selectClaims(claims, wildcard).length > 0 ? wildcard : p;
        }),
      ),
    ),
  );
  return fc.record({
    claims: fc.constant(claims),
    disclosable: fc.subarray(paths),
    selected: selection,
    maxDecoys: fc.nat(2),
    keyBound: fc.boolean(),
  });
});

describe('issue → present → verify round trip', () => {
  it('returns exactly the selected claims for random claims, disclosable paths and selections', async () => {
    await fc.assert(
      fc.asyncProperty(roundTripCase, async ({ claims, disclosable, selected, maxDecoys, keyBound }) => {
        // Object spread copies an own `__proto__` key as a plain property, so nothing is lost.
        const payload = keyBound ? { ...claims, cnf: cnfOf() } : claims;
        const sdJwt = await issueSdJwt({
          claims: payload,
          disclosable,
          signingKey: issuer.signingKey,
          crypto,
          typ: 'example+sd-jwt',
          maxDecoys,
        });
        const keyBinding = { signingKey: holder.signingKey, audience: AUDIENCE, nonce: NONCE, issuedAt: NOW };
        const presentation = await presentSdJwt(sdJwt, { disclose: selected, crypto, ...(keyBound ? { keyBinding } : {}) });
        const options = keyBound ? kbOptions({ typ: 'example+sd-jwt' }) : noKbOptions({ typ: 'example+sd-jwt' });
        const { claims: verified } = await verifySdJwt(presentation, options);
        expect(verified).toEqual(expectedClaims(payload, disclosable, selected));
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      }),
      { numRuns: 150 },
    );
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(PROTOTYPE_NAMES);
  });
});
