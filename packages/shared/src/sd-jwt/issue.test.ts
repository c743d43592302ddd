import { describe, expect, it } from 'vitest';
import type { HashAlgorithm } from '../crypto/types.ts';
import { decodeBase64UrlText } from '../encoding/base64url.ts';
import type { JsonObject, JsonValue } from '../encoding/json.ts';
import { decodeJws } from '../jws/compact.ts';
import { type IssueSdJwtOptions, issueSdJwt } from './issue.ts';
import { crypto, digest, issuer, noKbOptions } from './test-helpers.ts';
import { verifySdJwt } from './verify.ts';

const TYP = 'example+sd-jwt';
const CLAIMS: JsonObject = {
  iss: 'https://issuer.example',
  given_name: 'Erika-SECRET',
  family_name: 'Mustermann-SECRET',
  address: { street_address: 'Heidestr. 17-SECRET', locality: 'Köln-SECRET' },
  nationalities: ['DE-SECRET', 'FR-SECRET'],
  plain: 'in the clear',
};
const DISCLOSABLE = [['given_name'], ['family_name'], ['address'], ['address', 'locality'], ['nationalities', null]] as const;

function options(extra: Partial<IssueSdJwtOptions> = {}): IssueSdJwtOptions {
  return { claims: CLAIMS, disclosable: DISCLOSABLE, signingKey: issuer.signingKey, crypto, typ: TYP, ...extra };
}

interface Inspected {
  header: JsonObject;
  payload: JsonObject;
  disclosures: { encoded: string; array: JsonValue[] }[];
}

function inspect(sdJwt: string): Inspected {
  const [jwt, ...rest] = sdJwt.split('~');
  expect(rest.at(-1)).toBe('');
  const { header, payload } = decodeJws(jwt as string);
  const disclosures = rest.slice(0, -1).map((encoded) => ({
    encoded,
    array: JSON.parse(decodeBase64UrlText(encoded) as string) as JsonValue[],
  }));
  return { header, payload, disclosures };
}

/** Every digest string in a JSON value: `_sd` entries and `...` placeholders. */
function digestsIn(value: JsonValue): string[] {
  if (Array.isArray(value)) return value.flatMap(digestsIn);
  if (value === null || typeof value !== 'object') return [];
  const out: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    if (key === '_sd' && Array.isArray(child)) out.push(...(child as string[]));
    else if (key === '...' && typeof child === 'string') out.push(child);
    else out.push(...digestsIn(child));
  }
  return out;
}

describe('issueSdJwt', () => {
  it('replaces each disclosable claim by a digest and keeps the rest in the clear', async () => {
    const { header, payload, disclosures } = inspect(await issueSdJwt(options()));
    expect(header).toEqual({ alg: 'ES256', typ: TYP });
    expect(payload._sd_alg).toBe('sha-256');
    expect(payload).toMatchObject({ iss: 'https://issuer.example', plain: 'in the clear' });
    for (const name of ['given_name', 'family_name', 'address']) expect(payload).not.toHaveProperty(name);
    expect(JSON.stringify(payload)).not.toContain('SECRET');
    // RFC 9901 §4.2.4.1: digests are sorted so the order of claims does not leak.
    const sd = payload._sd as string[];
    expect(sd).toHaveLength(3);
    expect([...sd].sort()).toEqual(sd);
    expect(payload.nationalities).toEqual([{ '...': expect.any(String) }, { '...': expect.any(String) }]);
    // given, family, address, locality, two nationalities.
    expect(disclosures).toHaveLength(6);
    expect(disclosures.filter((d) => d.array.length === 3).map((d) => d.array[1])).toEqual(
      expect.arrayContaining(['given_name', 'family_name', 'address', 'locality']),
    );
    expect(disclosures.filter((d) => d.array.length === 2).map((d) => d.array[1])).toEqual(['DE-SECRET', 'FR-SECRET']);
  });

  it('references each disclosure by exactly one digest, nesting the locality digest in the address disclosure', async () => {
    const { payload, disclosures } = inspect(await issueSdJwt(options()));
    const all = [...digestsIn(payload), ...disclosures.flatMap((d) => digestsIn(d.array))];
    expect(new Set(all).size).toBe(all.length);
    const digests = await Promise.all(disclosures.map((d) => digest(d.encoded)));
    for (const d of digests) expect(all.filter((x) => x === d)).toHaveLength(1);
    const address = disclosures.find((d) => d.array[1] === 'address');
    expect(address?.array[2]).toEqual({ street_address: 'Heidestr. 17-SECRET', _sd: [expect.any(String)] });
  });

  it('uses fresh 128-bit salts, so two issuances of the same claims share no digest', async () => {
    const first = inspect(await issueSdJwt(options()));
    const second = inspect(await issueSdJwt(options()));
    const salts = [...first.disclosures, ...second.disclosures].map((d) => d.array[0] as string);
    expect(new Set(salts).size).toBe(salts.length);
    for (const salt of salts) expect(salt).toMatch(/^[A-Za-z0-9_-]{22,}$/);
    const shared = (first.payload._sd as string[]).filter((d) => (second.payload._sd as string[]).includes(d));
    expect(shared).toEqual([]);
  });

  it('round-trips through verifySdJwt to exactly the original claims', async () => {
    const { claims } = await verifySdJwt(await issueSdJwt(options()), noKbOptions({ typ: TYP }));
    expect(claims).toEqual(CLAIMS);
  });

  it('adds between 0 and maxDecoys decoy digests that verification ignores', async () => {
    const counts = new Set<number>();
    for (let i = 0; i < 30; i++) {
      const sdJwt = await issueSdJwt(options({ maxDecoys: 4 }));
      const { payload } = inspect(sdJwt);
      const sd = payload._sd as string[];
      const nationalities = payload.nationalities as JsonValue[];
      expect(sd.length).toBeGreaterThanOrEqual(3);
      expect(sd.length).toBeLessThanOrEqual(7);
      expect([...sd].sort()).toEqual(sd);
      expect(nationalities.length).toBeGreaterThanOrEqual(2);
      expect(nationalities.length).toBeLessThanOrEqual(6);
      for (const d of sd) expect(d).toMatch(/^[A-Za-z0-9_-]{43}$/);
      counts.add(sd.length);
      expect((await verifySdJwt(sdJwt, noKbOptions({ typ: TYP }))).claims).toEqual(CLAIMS);
    }
    expect(counts.size).toBeGreaterThan(1);
  });

  it('adds no decoys by default', async () => {
    const { payload } = inspect(await issueSdJwt(options()));
    expect(payload._sd).toHaveLength(3);
    expect(payload.nationalities).toHaveLength(2);
  });

  it('draws the decoy count without hanging when maxDecoys exceeds 2^16', async () => {
    // With all-zero randomness the old 16-bit rejection sampling never terminated for bounds
    // above 65536; the count drawn here is 0. The call budget turns a regression into a failure
    // instead of a hang.
    let calls = 0;
    const zeros = {
      hash: crypto.hash,
      randomBytes: (n: number) => {
        if (++calls > 100) throw new Error('randomBytes called in an endless loop');
        return new Uint8Array(n);
      },
    };
    const { payload } = inspect(
      await issueSdJwt(options({ claims: { a: 1 }, disclosable: [['a']], maxDecoys: 70_000, crypto: zeros })),
    );
    expect(payload._sd).toHaveLength(1);
  });

  it('places decoys in an array longer than 2^16 elements', async () => {
    const long = Array.from({ length: 70_000 }, (_, i) => i);
    const sdJwt = await issueSdJwt(options({ claims: { long }, disclosable: [['long', 0]], maxDecoys: 1 }));
    const { payload } = inspect(sdJwt);
    expect((payload.long as JsonValue[]).length).toBeGreaterThanOrEqual(70_000);
  });

  it.each([
    ['sha-384', 64],
    ['sha-512', 86],
  ] as const)('uses %s for every digest when asked', async (alg: HashAlgorithm, length) => {
    const sdJwt = await issueSdJwt(options({ hashAlgorithm: alg }));
    const { payload } = inspect(sdJwt);
    expect(payload._sd_alg).toBe(alg);
    for (const d of digestsIn(payload)) expect(d).toHaveLength(length);
    expect((await verifySdJwt(sdJwt, noKbOptions({ typ: TYP }))).claims).toEqual(CLAIMS);
  });

  it('ignores disclosable paths that match no claim', async () => {
    const sdJwt = await issueSdJwt(
      options({ disclosable: [['missing'], ['given_name', 'x'], ['nationalities', 5], ['plain', 0]] }),
    );
    const { payload, disclosures } = inspect(sdJwt);
    expect(disclosures).toEqual([]);
    expect(payload).not.toHaveProperty('_sd');
    expect(payload.given_name).toBe('Erika-SECRET');
  });

  it('makes array elements and claims inside them disclosable recursively', async () => {
    const claims: JsonObject = {
      degrees: [
        { type: 'BSc', name: 'Physics' },
        { type: 'MSc', name: 'Maths' },
      ],
    };
    const sdJwt = await issueSdJwt(
      options({
        claims,
        disclosable: [
          ['degrees', null],
          ['degrees', null, 'type'],
        ],
      }),
    );
    const { payload, disclosures } = inspect(sdJwt);
    expect(disclosures).toHaveLength(4);
    expect(JSON.stringify(payload)).not.toContain('BSc');
    expect((await verifySdJwt(sdJwt, noKbOptions({ typ: TYP }))).claims).toEqual(claims);
  });

  it('round-trips claims named after Object.prototype members without polluting prototypes', async () => {
    const claims = JSON.parse('{"__proto__":{"polluted":true},"constructor":"c","toString":"t","nested":{"__proto__":1}}');
    const sdJwt = await issueSdJwt(options({ claims, disclosable: [['__proto__'], ['constructor'], ['nested', '__proto__']] }));
    expect(inspect(sdJwt).disclosures).toHaveLength(3);
    const verified = await verifySdJwt(sdJwt, noKbOptions({ typ: TYP }));
    expect(Object.getOwnPropertyDescriptor(verified.claims, '__proto__')?.value).toEqual({ polluted: true });
    expect(verified.claims).toEqual(claims);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('takes alg from the key, typ from the option, and other header members from header', async () => {
    const { header } = inspect(await issueSdJwt(options({ header: { kid: 'issuer-key-1', typ: 'ignored', alg: 'none' } })));
    expect(header).toEqual({ alg: 'ES256', typ: TYP, kid: 'issuer-key-1' });
  });

  it.each([
    ['an array', []],
    ['null', null],
    ['a string', 'claims'],
  ])('refuses claims that are %s', async (_, claims) => {
    await expect(issueSdJwt(options({ claims: claims as never }))).rejects.toThrow(TypeError);
  });

  it.each([
    ['_sd at the top level', { _sd: [] }],
    ['_sd_alg at the top level', { _sd_alg: 'sha-256' }],
    ['... at the top level', { '...': 'x' }],
    ['_sd inside an object', { a: { _sd: ['x'] } }],
    ['... inside an array element', { a: [{ '...': 'x' }] }],
  ])('refuses claims that already use SD-JWT syntax: %s', async (_, claims) => {
    await expect(issueSdJwt(options({ claims: claims as JsonObject }))).rejects.toThrow(TypeError);
  });

  it.each([[[]], [[-1]], [[1.5]], [['a', {}]], ['a'], [[Number.MAX_SAFE_INTEGER + 1]]])(
    'refuses the disclosable path %j',
    async (path) => {
      await expect(issueSdJwt(options({ disclosable: [path as never] }))).rejects.toThrow(TypeError);
    },
  );

  it.each([
    ['a negative maxDecoys', { maxDecoys: -1 }],
    ['a fractional maxDecoys', { maxDecoys: 1.5 }],
    ['an unsupported hash algorithm', { hashAlgorithm: 'md5' as never }],
  ])('refuses %s', async (_, extra) => {
    await expect(issueSdJwt(options(extra))).rejects.toThrow(TypeError);
  });
});
