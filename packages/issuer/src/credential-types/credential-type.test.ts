import { describe, expect, it } from 'vitest';
import {
  type CredentialTypeInput,
  credentialConfigurationId,
  credentialExpiresAt,
  credentialTypeSchema,
  describeCredentialTypeIssues,
  parseCredentialType,
  parseCredentialTypes,
} from './credential-type.ts';
import { sampleTypeInput } from './test-types.ts';

/** The problems `parseCredentialType` reports for an input, one per line. */
function problemsOf(input: unknown): string {
  try {
    parseCredentialType(input);
  } catch (error) {
    expect(error).toBeInstanceOf(TypeError);
    return (error as Error).message;
  }
  throw new Error('expected the credential type to be refused');
}

function withClaims(edit: (claims: CredentialTypeInput['claims']) => void): CredentialTypeInput {
  const input = sampleTypeInput();
  edit(input.claims);
  return input;
}

describe('credentialTypeSchema', () => {
  it('accepts a well-formed type and applies the defaults: required false, disclosure always', () => {
    const type = parseCredentialType(sampleTypeInput());
    const since = type.claims.find((claim) => claim.path[0] === 'member_since');
    expect(since).toMatchObject({ required: false, disclosure: 'always' });
    expect(type.claims.find((claim) => claim.path[0] === 'branch')?.disclosure).toBe('never');
    expect(credentialTypeSchema.safeParse(sampleTypeInput()).success).toBe(true);
  });

  it('refuses a type without an English display and says so at "display"', () => {
    const input = sampleTypeInput();
    delete input.display.en;
    for (const claim of input.claims) delete claim.display.en;
    expect(problemsOf(input)).toMatch(/^display: must have an "en" entry/m);
  });

  it('names the claim and locale of a missing label', () => {
    const input = withClaims((claims) => {
      delete claims[2]?.display.de;
    });
    expect(problemsOf(input)).toContain('claims[2].display.de: needs a label in "de"');
  });

  it('refuses a claim label in a locale the type does not display', () => {
    const input = withClaims((claims) => {
      if (claims[0] !== undefined) claims[0].display.fr = { label: 'Nom' };
    });
    expect(problemsOf(input)).toContain('claims[0].display.fr: "fr" is not a locale of the type\'s display');
  });

  it.each(['iss', 'nbf', 'exp', 'cnf', 'vct', 'status', 'iat', 'sub'])('refuses the registered claim name "%s"', (name) => {
    const input = withClaims((claims) => {
      if (claims[1] !== undefined) claims[1].path = [name];
    });
    expect(problemsOf(input)).toContain(`claims[1].path[0]: "${name}" is a registered claim`);
  });

  it('refuses reserved names such as _sd and __proto__ at any depth', () => {
    const input = withClaims((claims) => {
      if (claims[6] !== undefined) claims[6].path = ['card', '_sd'];
      if (claims[5] !== undefined) claims[5].path = ['card', '__proto__'];
    });
    const problems = problemsOf(input);
    expect(problems).toContain('claims[6].path[1]: "_sd" is a reserved name');
    expect(problems).toContain('claims[5].path[1]: "__proto__" is a reserved name');
  });

  it('refuses claim names that are not plain identifiers (vct#integrity, "...", spaces, array steps)', () => {
    for (const path of [['vct#integrity'], ['...'], ['full name'], ['nationalities', 0]]) {
      const input = withClaims((claims) => {
        if (claims[1] !== undefined) claims[1].path = path as string[];
      });
      expect(problemsOf(input)).toMatch(/claims\[1\]\.path\[\d\]/);
    }
  });

  it('refuses two claims with one path, naming both', () => {
    const input = withClaims((claims) => {
      if (claims[1] !== undefined) claims[1].path = ['member_name'];
    });
    expect(problemsOf(input)).toContain('claims[1].path: repeats the path of claims[0]');
  });

  it('refuses a nested claim whose parent is undeclared or not an object', () => {
    const orphan = withClaims((claims) => {
      if (claims[5] !== undefined) claims[5].path = ['wallet', 'number'];
    });
    expect(problemsOf(orphan)).toContain('claims[5].path: is nested under a claim that is not declared');
    const underString = withClaims((claims) => {
      if (claims[6] !== undefined) claims[6].path = ['member_name', 'premium'];
    });
    expect(problemsOf(underString)).toContain('claims[6].path: is nested under claims[0], which is not of valueType "object"');
  });

  it('refuses an object claim without members', () => {
    const input = withClaims((claims) => claims.splice(5, 2));
    expect(problemsOf(input)).toContain('claims[4].valueType: an "object" claim needs at least one nested claim declared');
  });

  it('refuses constraints that do not fit the value type, and bounds the wrong way round', () => {
    const input = withClaims((claims) => {
      Object.assign(claims[2] ?? {}, { enum: ['1'], minimum: 5, maximum: 1 });
      Object.assign(claims[1] ?? {}, { maxLength: 10 });
      Object.assign(claims[0] ?? {}, { minLength: 60 });
    });
    const problems = problemsOf(input);
    expect(problems).toContain('claims[2].enum: applies only to valueType "string"');
    expect(problems).toContain('claims[2].minimum: is greater than maximum');
    expect(problems).toContain('claims[1].maxLength: applies only to valueType "string"');
    expect(problems).toContain('claims[0].minLength: is greater than maxLength');
  });

  it('refuses a string claim longer than the hard ceiling of 1,000 characters', () => {
    const input = withClaims((claims) => Object.assign(claims[0] ?? {}, { maxLength: 5000 }));
    expect(problemsOf(input)).toMatch(/^claims\[0\]\.maxLength: /m);
  });

  it.each([
    ['http://issuer.example/credentials/x', 'plain http'],
    ['https://issuer.example/credentials/x#v1', 'a fragment'],
    ['https://issuer.example/credentials/x?v=1', 'a query'],
    ['https://user:pw@issuer.example/credentials/x', 'credentials'],
    ['urn:tessera:x', 'not a URL of https'],
  ])('refuses the vct %s (%s)', (vct) => {
    expect(problemsOf({ ...sampleTypeInput(), vct })).toMatch(/^vct: must be an https URL/m);
  });

  it('refuses unknown fields, repeated formats, unknown formats and bad colours', () => {
    const input = {
      ...sampleTypeInput(),
      formats: ['dc+sd-jwt', 'dc+sd-jwt', 'mso_mdoc'],
      colour: 'blue',
    } as unknown as CredentialTypeInput;
    if (input.display.de !== undefined) input.display.de.textColor = 'white';
    const problems = problemsOf(input);
    expect(problems).toMatch(/formats\[2\]/);
    expect(problems).toMatch(/colour/);
    expect(problems).toContain('display.de.textColor: must be a hex colour');
  });

  it('refuses an invalid locale tag and an empty label', () => {
    const input = sampleTypeInput();
    input.display.English = { name: 'x', description: 'y', backgroundColor: '#000', textColor: '#fff' };
    if (input.claims[0] !== undefined) input.claims[0].display.en = { label: '   ' };
    const problems = problemsOf(input);
    expect(problems).toMatch(/display\.English/);
    expect(problems).toContain('claims[0].display.en.label: must not be empty');
  });

  it('names the type in the error and lists each problem on its own line', () => {
    const input = withClaims((claims) => {
      delete claims[0]?.display.de;
      if (claims[1] !== undefined) claims[1].path = ['exp'];
    });
    const message = problemsOf(input);
    expect(message.split('\n')[0]).toBe('Credential type "library_card" is invalid:');
    expect(message.split('\n').length).toBeGreaterThanOrEqual(3);
    const parsed = credentialTypeSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    if (!parsed.success) expect(describeCredentialTypeIssues(parsed.error)).toContain('claims[1].path[0]');
  });

  it('accepts a validity.untilClaim that names a top-level date claim', () => {
    const input = { ...sampleTypeInput(), validity: { days: 30, untilClaim: 'member_since' } };
    expect(parseCredentialType(input).validity).toEqual({ days: 30, untilClaim: 'member_since' });
  });

  it.each([
    ['no_such_claim', 'validity.untilClaim: names "no_such_claim", which is not a top-level claim of the type'],
    ['loans', 'validity.untilClaim: names "loans", whose valueType is "integer", not "date"'],
    ['card', 'validity.untilClaim: names "card", whose valueType is "object", not "date"'],
    ['number', 'validity.untilClaim: names "number", which is not a top-level claim of the type'],
  ])('refuses a validity.untilClaim "%s" that is not a declared top-level date claim', (untilClaim, problem) => {
    expect(problemsOf({ ...sampleTypeInput(), validity: { days: 30, untilClaim } })).toContain(problem);
  });

  it('refuses a validity.untilClaim that is a path or not a claim name at all', () => {
    for (const untilClaim of ['card.number', '_sd', '', 'a'.repeat(65)]) {
      expect(problemsOf({ ...sampleTypeInput(), validity: { days: 30, untilClaim } })).toMatch(/^validity\.untilClaim: /m);
    }
    expect(problemsOf({ ...sampleTypeInput(), validity: { days: 30, untilClaim: ['member_since'] } })).toMatch(
      /^validity\.untilClaim: /m,
    );
  });

  it('refuses what is not an object at all', () => {
    expect(problemsOf(null)).toMatch(/^\(root\): /m);
    expect(problemsOf('residence_permit')).toMatch(/^\(root\): /m);
  });
});

describe('parseCredentialTypes', () => {
  it('refuses two types with one id or one vct', () => {
    const a = sampleTypeInput();
    const b = { ...sampleTypeInput(), vct: 'https://issuer.example/credentials/other' };
    expect(() => parseCredentialTypes([a, b])).toThrow('credentialTypes[1].id: repeats the id of credentialTypes[0]');
    const c = { ...sampleTypeInput(), id: 'other' };
    expect(() => parseCredentialTypes([a, c])).toThrow('credentialTypes[1].vct: repeats the vct of credentialTypes[0]');
  });

  it('refuses an id that collides with another type’s jwt_vc_json configuration id', () => {
    const a = sampleTypeInput();
    const b = { ...sampleTypeInput(), id: 'library_card_jwt_vc_json', vct: 'https://issuer.example/credentials/b' };
    expect(() => parseCredentialTypes([a, b])).toThrow(/configuration id "library_card_jwt_vc_json" is taken/);
  });

  it('says which entry of the list is broken', () => {
    expect(() => parseCredentialTypes([sampleTypeInput(), { id: 'x' }])).toThrow(
      /^credentialTypes\[1\]: Credential type "x" is invalid/,
    );
  });
});

describe('credentialConfigurationId and credentialExpiresAt', () => {
  it('keys SD-JWT VC by the id and the W3C form by id_jwt_vc_json', () => {
    expect(credentialConfigurationId({ id: 'residence_permit' }, 'dc+sd-jwt')).toBe('residence_permit');
    expect(credentialConfigurationId({ id: 'residence_permit' }, 'jwt_vc_json')).toBe('residence_permit_jwt_vc_json');
  });

  it('adds the validity in days to the issuance time', () => {
    expect(credentialExpiresAt({ validity: { days: 2 } }, 1_000)).toBe(1_000 + 2 * 86_400);
  });

  describe('with a validity.untilClaim', () => {
    const permit = { validity: { days: 365, untilClaim: 'valid_until' } };
    /** 2026-11-27T15:00:00Z */
    const issuedAt = Date.UTC(2026, 10, 27, 15) / 1000;
    const seconds = (...date: [number, number, number]) => Date.UTC(...date) / 1000;

    it('ends the credential at 00:00:00 UTC after the claimed day when that is sooner than the days', () => {
      const exp = credentialExpiresAt(permit, issuedAt, { valid_until: '2027-06-30' });
      expect(exp).toBe(seconds(2027, 6, 1));
      expect(new Date(exp * 1000).toISOString()).toBe('2027-07-01T00:00:00.000Z');
    });

    it('keeps issuance plus the days when the claimed day ends later, or on the same second', () => {
      expect(credentialExpiresAt(permit, issuedAt, { valid_until: '2030-01-31' })).toBe(issuedAt + 365 * 86_400);
      const sameSecond = seconds(2026, 0, 1) - 365 * 86_400;
      expect(credentialExpiresAt(permit, sameSecond, { valid_until: '2025-12-31' })).toBe(seconds(2026, 0, 1));
    });

    it('keeps the days when the claims lack the claim, are not given, or the type names no untilClaim', () => {
      expect(credentialExpiresAt(permit, issuedAt, {})).toBe(issuedAt + 365 * 86_400);
      expect(credentialExpiresAt(permit, issuedAt)).toBe(issuedAt + 365 * 86_400);
      expect(credentialExpiresAt({ validity: { days: 365 } }, issuedAt, { valid_until: '2027-06-30' })).toBe(
        issuedAt + 365 * 86_400,
      );
    });

    it('counts a leap day, the turn of a year and a day that is already over', () => {
      const inLeapYear = seconds(2028, 0, 10);
      expect(credentialExpiresAt(permit, inLeapYear, { valid_until: '2028-02-29' })).toBe(seconds(2028, 2, 1));
      expect(credentialExpiresAt(permit, issuedAt, { valid_until: '2026-12-31' })).toBe(seconds(2027, 0, 1));
      // Over: exp at or before iat, which issuance refuses.
      expect(credentialExpiresAt(permit, issuedAt, { valid_until: '2026-11-26' })).toBe(seconds(2026, 10, 27));
      expect(credentialExpiresAt(permit, issuedAt, { valid_until: '2026-11-26' })).toBeLessThan(issuedAt);
    });

    it('throws a TypeError naming the claim, not its value, for claims that were not validated', () => {
      for (const valid_until of ['2027-02-29', '30/06/2027', 20270630, null]) {
        expect(() => credentialExpiresAt(permit, issuedAt, { valid_until })).toThrow(TypeError);
      }
      expect(() => credentialExpiresAt(permit, issuedAt, { valid_until: 'SECRET-2027' })).toThrow(/^Claim valid_until is not/);
      expect(() => credentialExpiresAt(permit, issuedAt, { valid_until: 'SECRET-2027' })).not.toThrow(/SECRET/);
    });
  });
});
