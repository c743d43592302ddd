import { describe, expect, it } from 'vitest';
import type { HashAlgorithm } from '../crypto/types.ts';
import { webCrypto } from '../crypto/web.ts';
import { decodeBase64Url, decodeBase64UrlText, encodeBase64Url } from '../encoding/base64url.ts';
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

describe('issueSdJwt salts, disclosure text and disclosable lists', () => {
  it('gives every disclosure its own 16 fresh CSPRNG bytes, canonically encoded, across several random draws', async () => {
    // 20 disclosures need more than one draw of salts.
    const claims: JsonObject = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`claim_${i}`, `value-${i}`]));
    const draws: Uint8Array[] = [];
    const recording = {
      ...crypto,
      randomBytes: (n: number) => {
        const bytes = crypto.randomBytes(n);
        draws.push(bytes.slice());
        return bytes;
      },
    };
    const sdJwt = await issueSdJwt(
      options({ claims, disclosable: Object.keys(claims).map((name) => [name]), crypto: recording }),
    );
    const salts = inspect(sdJwt).disclosures.map((d) => d.array[0] as string);
    expect(salts).toHaveLength(20);
    expect(draws.length).toBeGreaterThan(1);
    // Each salt is the base64url of 16 bytes taken from a draw, no two salts sharing a byte.
    const expected = draws.flatMap((draw) => {
      const out: string[] = [];
      for (let offset = 0; offset + 16 <= draw.length; offset += 18)
        out.push(encodeBase64Url(draw.subarray(offset, offset + 16)));
      return out;
    });
    expect(salts).toEqual(expected.slice(0, 20));
    for (const salt of salts) {
      expect(salt).toMatch(/^[A-Za-z0-9_-]{21}[AQgw]$/);
      expect(decodeBase64Url(salt)).toHaveLength(16);
    }
    expect(new Set(salts).size).toBe(20);
  });

  it('refuses a provider whose randomBytes returns fewer bytes than asked for', async () => {
    const short = { ...crypto, randomBytes: (n: number) => crypto.randomBytes(Math.max(1, n - 1)) };
    await expect(issueSdJwt(options({ crypto: short }))).rejects.toThrow(TypeError);
  });

  it('writes each disclosure exactly as JSON.stringify writes its array, for awkward names and values', async () => {
    const claims = JSON.parse(String.raw`{
      "quote\"and\\backslash": "line\nbreak\ttab",
      "ünïcödé 名前 🎉": ["😀", "Ω", { "deep": [1, 2, { "x": null }] }],
      "\u2028separator": "\u2029",
      "": 0,
      "number": -0,
      "big": 1e21,
      "tiny": 5e-324,
      "fraction": 0.1,
      "flag": false,
      "nothing": null,
      "empty": {},
      "list": [],
      "lone": "\ud800",
      "__proto__": { "polluted": true }
    }`) as JsonObject;
    const disclosable = [...Object.keys(claims).map((name) => [name]), ['ünïcödé 名前 🎉', null]];
    const sdJwt = await issueSdJwt(options({ claims, disclosable }));
    const { disclosures } = inspect(sdJwt);
    expect(disclosures.length).toBeGreaterThan(Object.keys(claims).length);
    for (const { encoded } of disclosures) {
      const text = decodeBase64UrlText(encoded) as string;
      expect(text).toBe(JSON.stringify(JSON.parse(text)));
    }
    const byName = new Map(disclosures.filter((d) => d.array.length === 3).map((d) => [d.array[1] as string, d]));
    for (const name of ['quote"and\\backslash', '', 'lone', 'big', 'tiny', 'number', '__proto__']) {
      const disclosure = byName.get(name);
      const value = Object.getOwnPropertyDescriptor(claims, name)?.value as JsonValue;
      expect(decodeBase64UrlText(disclosure?.encoded as string)).toBe(JSON.stringify([disclosure?.array[0], name, value]));
    }
    // -0 travels as 0, as JSON.stringify writes it.
    expect((await verifySdJwt(sdJwt, noKbOptions({ typ: TYP }))).claims).toEqual(JSON.parse(JSON.stringify(claims)));
  });

  it('issues with the WebCrypto provider too, and the credential verifies', async () => {
    const sdJwt = await issueSdJwt(options({ crypto: webCrypto, maxDecoys: 2 }));
    const { disclosures } = inspect(sdJwt);
    expect(disclosures).toHaveLength(6);
    for (const d of disclosures) expect(d.array[0]).toMatch(/^[A-Za-z0-9_-]{21}[AQgw]$/);
    expect((await verifySdJwt(sdJwt, noKbOptions({ typ: TYP }))).claims).toEqual(CLAIMS);
  });

  it('follows a disclosable list that the caller changes between issuances', async () => {
    const disclosable: (readonly (string | number | null)[])[] = [['given_name']];
    const disclosedNames = async (): Promise<unknown[]> =>
      inspect(await issueSdJwt(options({ disclosable })))
        .disclosures.map((d) => d.array[1])
        .sort();
    expect(await disclosedNames()).toEqual(['given_name']);
    disclosable.push(['family_name']);
    expect(await disclosedNames()).toEqual(['family_name', 'given_name']);
    disclosable[0] = ['plain'];
    expect(await disclosedNames()).toEqual(['family_name', 'plain']);
    (disclosable[1] as (string | number | null)[])[0] = 'iss';
    expect(await disclosedNames()).toEqual(['iss', 'plain']);
    disclosable.pop();
    expect(await disclosedNames()).toEqual(['plain']);
    // A path made invalid after the list was used is refused, not served from before.
    (disclosable[0] as unknown[])[0] = {};
    await expect(issueSdJwt(options({ disclosable }))).rejects.toThrow(TypeError);
    disclosable[0] = 'plain' as never;
    await expect(issueSdJwt(options({ disclosable }))).rejects.toThrow(TypeError);
    // A one-character string has the length and first element of the path it replaces.
    disclosable[0] = ['x'];
    expect(await disclosedNames()).toEqual([]);
    disclosable[0] = 'x' as never;
    await expect(issueSdJwt(options({ disclosable }))).rejects.toThrow(TypeError);
  });
});
