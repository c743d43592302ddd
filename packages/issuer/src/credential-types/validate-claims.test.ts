import { isTesseraError, type JsonObject } from '@tessera/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CredentialTypeInput, parseCredentialType } from './credential-type.ts';
import { residencePermit } from './shipped/index.ts';
import { RESIDENCE_PERMIT_REQUIRED_CLAIMS, sampleTypeInput } from './test-types.ts';
import { validateClaims } from './validate-claims.ts';

const sample = parseCredentialType(sampleTypeInput());
const sampleUntil = parseCredentialType({ ...sampleTypeInput(), validity: { days: 30, untilClaim: 'member_since' } });
/** A value that must never show up in an error message. */
const SECRET = 'Zz-SECRET-9f3b';

function valid(): JsonObject {
  return { member_name: 'Ana', member_since: '2024-02-29', loans: 3, branch: 'north', card: { number: 'C-17', premium: false } };
}

/** The message of the `claims_invalid` error that validating `input` throws. */
function refusal(input: unknown, type = sample, now?: number): string {
  try {
    validateClaims(type, input, now === undefined ? {} : { now });
  } catch (error) {
    expect(isTesseraError(error, 'claims_invalid'), String(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected the claims to be refused');
}

describe('validateClaims', () => {
  it('returns a copy of valid claims, in declared order, that is not the input object', () => {
    const input = { card: { premium: true, number: 'C-17' }, member_name: 'Ana' };
    const claims = validateClaims(sample, input);
    expect(claims).toEqual({ member_name: 'Ana', card: { number: 'C-17', premium: true } });
    expect(Object.keys(claims)).toEqual(['member_name', 'card']);
    expect(claims).not.toBe(input);
    expect(claims.card).not.toBe(input.card);
  });

  it.each([
    ['null', null],
    ['an array', [valid()]],
    ['a string', JSON.stringify(valid())],
    ['a number', 42],
    ['a Date', new Date()],
    ['a Map', new Map([['member_name', 'Ana']])],
    [
      'a class instance',
      new (class Claims {
        member_name = 'Ana';
      })(),
    ],
  ])('refuses %s in place of the claims object', (_name, input) => {
    expect(refusal(input)).toBe('The claims must be a JSON object');
  });

  it('refuses an unknown claim, naming it', () => {
    expect(refusal({ ...valid(), email: SECRET })).toBe('Claim "email" is not a claim of library_card');
  });

  it('refuses an unknown member of a nested object, naming its full path', () => {
    expect(refusal({ ...valid(), card: { number: 'C-17', pin: '1234' } })).toBe(
      'Claim "card"."pin" is not a claim of library_card',
    );
  });

  it('cuts a very long unknown name short in the message', () => {
    const message = refusal({ ...valid(), ['x'.repeat(500)]: 1 });
    expect(message.length).toBeLessThan(120);
  });

  it('refuses registered claims such as iss, exp, cnf, vct and status as unknown claims', () => {
    for (const name of ['iss', 'nbf', 'exp', 'cnf', 'vct', 'status', '_sd']) {
      expect(refusal({ ...valid(), [name]: 'x' })).toContain(`Claim "${name}" is not a claim`);
    }
  });

  it('refuses a __proto__ member that came from JSON.parse without touching any prototype', () => {
    const input = JSON.parse('{"member_name":"Ana","card":{"number":"C-17"},"__proto__":{"polluted":true}}');
    expect(refusal(input)).toBe('Claim "__proto__" is not a claim of library_card');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('requires required claims, also inside a present object', () => {
    const { member_name: _dropped, ...withoutName } = valid();
    expect(refusal(withoutName)).toBe('Claim "member_name" is required');
    expect(refusal({ ...valid(), card: { premium: true } })).toBe('Claim "card"."number" is required');
  });

  it('lets optional claims be left out', () => {
    expect(validateClaims(sample, { member_name: 'Ana', card: { number: 'C-17' } })).toEqual({
      member_name: 'Ana',
      card: { number: 'C-17' },
    });
  });

  it.each([
    ['member_name', 17, 'Claim "member_name" must be a string'],
    ['member_name', null, 'Claim "member_name" must be a string'],
    ['member_name', ['Ana'], 'Claim "member_name" must be a string'],
    ['member_name', '   ', 'Claim "member_name" must not be empty'],
    ['member_name', `${SECRET}${'a'.repeat(50)}`, 'Claim "member_name" must be at most 50 characters'],
    ['member_name', `${SECRET}\u0000`, 'Claim "member_name" must not contain control characters'],
    ['member_name', `${SECRET}\u001b[31m`, 'Claim "member_name" must not contain control characters'],
    ['member_name', `${SECRET}\ud800`, 'Claim "member_name" must be well-formed Unicode text'],
    ['member_since', '2023-02-29', 'Claim "member_since" must be a calendar date written YYYY-MM-DD'],
    ['member_since', '2024-13-01', 'Claim "member_since" must be a calendar date written YYYY-MM-DD'],
    ['member_since', '24-01-01', 'Claim "member_since" must be a calendar date written YYYY-MM-DD'],
    ['member_since', '2024-01-01T00:00:00Z', 'Claim "member_since" must be a calendar date written YYYY-MM-DD'],
    ['member_since', 1704067200, 'Claim "member_since" must be a calendar date written YYYY-MM-DD'],
    ['loans', 2.5, 'Claim "loans" must be a whole number'],
    ['loans', '3', 'Claim "loans" must be a whole number'],
    ['loans', Number.NaN, 'Claim "loans" must be a whole number'],
    ['loans', 2 ** 60, 'Claim "loans" must be a whole number'],
    ['loans', -1, 'Claim "loans" must be at least 0'],
    ['loans', 21, 'Claim "loans" must be at most 20'],
    ['branch', SECRET, 'Claim "branch" must be one of the values its type allows (north, south)'],
    ['card', 'C-17', 'Claim "card" must be an object'],
    ['card', {}, 'Claim "card"."number" is required'],
  ])('refuses %s = %j with "%s"', (name, value, message) => {
    expect(refusal({ ...valid(), [name]: value })).toBe(message);
  });

  it('refuses a boolean claim given as a string', () => {
    expect(refusal({ ...valid(), card: { number: 'C-17', premium: 'yes' } })).toBe(
      'Claim "card"."premium" must be true or false',
    );
  });

  it('refuses an object claim with no members when none is required', () => {
    const type = parseCredentialType({
      ...sampleTypeInput(),
      claims: sampleTypeInput().claims.map((claim) => ({ ...claim, required: false })),
    });
    expect(refusal({ card: {} }, type)).toBe('Claim "card" must have at least one member');
  });

  it('caps any string at 1,000 characters even when the type sets no maxLength', () => {
    expect(refusal({ ...valid(), card: { number: 'x'.repeat(1001) } })).toBe(
      'Claim "card"."number" must be at most 1000 characters',
    );
  });

  it('refuses claims larger than 64 KiB of JSON in total', () => {
    const label = { en: { label: 'Note' } };
    const display = { en: { name: 'Notes', description: 'Notes.', backgroundColor: '#000', textColor: '#fff' } };
    const input: CredentialTypeInput = {
      ...sampleTypeInput(),
      display,
      claims: Array.from({ length: 70 }, (_, i) => ({ path: [`note_${i}`], valueType: 'string' as const, display: label })),
    };
    const type = parseCredentialType(input);
    const claims = Object.fromEntries(type.claims.map((claim) => [claim.path[0], 'n'.repeat(1000)]));
    expect(refusal(claims, type)).toBe('The claims are larger than 65536 bytes of JSON');
    const fewer = Object.fromEntries(Object.entries(claims).slice(0, 60));
    expect(Object.keys(validateClaims(type, fewer))).toHaveLength(60);
  });

  it('measures the 64 KiB in UTF-8 bytes, so multi-byte scripts count fully', () => {
    const label = { en: { label: 'Note' } };
    const display = { en: { name: 'Notes', description: 'Notes.', backgroundColor: '#000', textColor: '#fff' } };
    const type = parseCredentialType({
      ...sampleTypeInput(),
      display,
      claims: Array.from({ length: 30 }, (_, i) => ({ path: [`note_${i}`], valueType: 'string' as const, display: label })),
    });
    // 30 × 1,000 Ethiopic characters: 30,000 UTF-16 units but 90,000 UTF-8 bytes.
    const claims = Object.fromEntries(type.claims.map((claim) => [claim.path[0], 'ሰ'.repeat(1000)]));
    expect(refusal(claims, type)).toBe('The claims are larger than 65536 bytes of JSON');
  });

  it('refuses accessor properties and hostile proxies with claims_invalid, without running the getter', () => {
    let ran = false;
    const withGetter = { card: { number: 'C-17' } };
    Object.defineProperty(withGetter, 'member_name', {
      enumerable: true,
      get() {
        ran = true;
        return 'Ana';
      },
    });
    expect(refusal(withGetter)).toBe('Claim "member_name" must be a data value');
    expect(ran).toBe(false);
    const proxy = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error(SECRET);
        },
      },
    );
    expect(refusal(proxy)).toBe('The claims could not be read as plain JSON data');
  });

  it('never puts a claim value into its message', () => {
    const hostile = [
      { ...valid(), member_name: `${SECRET}${'x'.repeat(100)}` },
      { ...valid(), branch: SECRET },
      { ...valid(), loans: SECRET },
      { ...valid(), member_since: SECRET },
      { ...valid(), card: SECRET },
      { ...valid(), card: { number: 'C', premium: SECRET } },
    ];
    for (const input of hostile) expect(refusal(input)).not.toContain('SECRET');
  });

  it('checks the residence permit address members one by one', () => {
    const base = RESIDENCE_PERMIT_REQUIRED_CLAIMS;
    expect(validateClaims(residencePermit, { ...base, address: { locality: 'Berlin' } })).toMatchObject({
      address: { locality: 'Berlin' },
    });
    expect(refusal({ ...base, address: { locality: 'Berlin', country: 'DE' } }, residencePermit)).toBe(
      'Claim "address"."country" is not a claim of residence_permit',
    );
    expect(refusal({ ...base, nationality: 'Eritrea' }, residencePermit)).toBe(
      'Claim "nationality" must be an ISO 3166-1 alpha-2 country code such as "DE"',
    );
    expect(refusal({ ...base, age_equal_or_over: { '18': 'yes' } }, residencePermit)).toBe(
      'Claim "age_equal_or_over"."18" must be true or false',
    );
  });

  describe('with now, for a type whose validity.untilClaim names a date claim', () => {
    /** 2026-11-27T15:00:00Z */
    const now = Date.UTC(2026, 10, 27, 15);
    const permit = (valid_until: string) => ({ ...RESIDENCE_PERMIT_REQUIRED_CLAIMS, valid_until });

    it('refuses a day that is over, naming the claim and not the date', () => {
      for (const day of ['2026-11-26', '2001-01-01']) {
        const message = refusal(permit(day), residencePermit, now);
        expect(message).toBe('Claim "valid_until" names a day that is over: the credential would be born expired');
        expect(message).not.toContain(day);
      }
    });

    it('accepts today, whose day is not over until 00:00 UTC, and any later day', () => {
      for (const day of ['2026-11-27', '2026-11-28', '2036-06-30']) {
        expect(validateClaims(residencePermit, permit(day), { now })).toMatchObject({ valid_until: day });
      }
      // The last millisecond of the day is still in it; the next one is not.
      const midnight = Date.UTC(2026, 10, 28);
      expect(validateClaims(residencePermit, permit('2026-11-27'), { now: midnight - 1 })).toBeDefined();
      expect(refusal(permit('2026-11-27'), residencePermit, midnight)).toMatch(/^Claim "valid_until" names a day that is over/);
    });

    it('checks no date without now, and reports a malformed date as a malformed date', () => {
      expect(validateClaims(residencePermit, permit('2001-01-01'))).toMatchObject({ valid_until: '2001-01-01' });
      expect(refusal(permit('2001-02-29'), residencePermit, now)).toBe(
        'Claim "valid_until" must be a calendar date written YYYY-MM-DD',
      );
    });

    it('leaves an optional untilClaim that is absent to the days', () => {
      const type = parseCredentialType({ ...sampleTypeInput(), validity: { days: 30, untilClaim: 'member_since' } });
      const { member_since: _absent, ...withoutDate } = valid();
      expect(validateClaims(type, withoutDate, { now })).toEqual(withoutDate);
      expect(refusal({ ...valid(), member_since: '2026-11-26' }, type, now)).toMatch(
        /^Claim "member_since" names a day that is over/,
      );
    });
  });

  it('throws nothing but claims_invalid for arbitrary input, and returns only JSON it checked', () => {
    const claimsLike = fc.record(
      {
        member_name: fc.oneof(fc.string({ maxLength: 60 }), fc.anything()),
        member_since: fc.oneof(
          fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
          fc.anything(),
        ),
        loans: fc.oneof(fc.integer({ min: -5, max: 25 }), fc.anything()),
        branch: fc.oneof(fc.constantFrom('north', 'south', 'east'), fc.anything()),
        card: fc.oneof(fc.record({ number: fc.string(), premium: fc.boolean() }, { requiredKeys: [] }), fc.anything()),
        ['__proto__']: fc.anything(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.oneof(fc.anything({ withObjectString: true, withNullPrototype: true, withMap: true, withSet: true }), claimsLike),
        (input) => {
          try {
            const claims = validateClaims(sample, input);
            expect(JSON.parse(JSON.stringify(claims))).toEqual(claims);
            // The same claims against a type that ends on member_since: still claims_invalid or a copy.
            expect(validateClaims(sampleUntil, input, { now: Date.UTC(2026, 10, 27) })).toEqual(claims);
          } catch (error) {
            if (!isTesseraError(error, 'claims_invalid')) throw error;
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
