import { describe, expect, it } from 'vitest';
import { TesseraError } from '../errors/tessera-error.ts';
import {
  type DcqlQuery,
  DEFAULT_DCQL_LIMITS,
  isJwtVcJsonCredentialQuery,
  isSdJwtVcCredentialQuery,
  parseDcqlQuery,
} from './query.ts';

const VCT = 'https://credentials.example.com/identity_credential';

/** A valid SD-JWT VC credential query; tests override one member at a time. */
function sdJwtQuery(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: [VCT] }, claims: [{ path: ['given_name'] }], ...extra };
}

/** A whole query around one credential query. */
function withCredential(credential: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { credentials: [credential], ...extra };
}

function expectInvalid(value: unknown, fragment?: string): void {
  let caught: unknown;
  try {
    parseDcqlQuery(value);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(TesseraError);
  expect((caught as TesseraError).code).toBe('dcql_invalid');
  if (fragment !== undefined) expect((caught as TesseraError).message).toContain(fragment);
}

describe('parseDcqlQuery', () => {
  it('returns a copy equal to a valid query, without filling in defaults', () => {
    const input = withCredential(
      sdJwtQuery({
        claims: [
          { id: 'a', path: ['address', 'street_address'] },
          { id: 'b', path: ['nationalities', null], values: ['DE', 'FR'] },
          { id: 'c', path: ['age_equal_or_over', '18'], values: [true] },
          { id: 'd', path: ['degrees', 0, 'level'], values: [3, 4] },
        ],
        claim_sets: [['a', 'b'], ['c'], ['d']],
      }),
      { credential_sets: [{ options: [['pid']] }] },
    );
    const parsed = parseDcqlQuery(input);
    expect(parsed).toEqual(input);
    expect(parsed).not.toBe(input);
    expect(parsed.credentials[0]).not.toHaveProperty('multiple');
    expect(parsed.credential_sets?.[0]).not.toHaveProperty('required');
  });

  it('keeps every member OpenID4VP 1.0 defines for a credential query', () => {
    const input = withCredential(
      sdJwtQuery({
        multiple: true,
        require_cryptographic_holder_binding: false,
        trusted_authorities: [
          { type: 'aki', values: ['s9tIpPmhxdiuNkHMEWNpYim8S8Y'] },
          { type: 'etsi_tl', values: ['https://lotl.example.com'] },
          { type: 'openid_federation', values: ['https://trustanchor.example.com'] },
        ],
      }),
      { credential_sets: [{ options: [['pid']], required: false }] },
    );
    expect(parseDcqlQuery(input)).toEqual(input);
  });

  it('drops unknown members at every level, as §6 tells implementations to ignore them', () => {
    const parsed = parseDcqlQuery({
      credentials: [
        {
          ...sdJwtQuery(),
          purpose: 'x',
          meta: { vct_values: [VCT], extra: 1 },
          claims: [{ path: ['given_name'], intent_to_retain: true, extra: 1 }],
        },
      ],
      credential_sets: [{ options: [['pid']], purpose: 'x' }],
      future: { anything: true },
    });
    expect(parsed).toEqual({
      credentials: [{ id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: [VCT] }, claims: [{ path: ['given_name'] }] }],
      credential_sets: [{ options: [['pid']] }],
    });
  });

  it('accepts a credential query without claims (only the mandatory claims are asked for)', () => {
    const parsed = parseDcqlQuery(withCredential({ id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: [VCT] } }));
    expect(parsed.credentials[0]).not.toHaveProperty('claims');
  });

  it('models jwt_vc_json type_values and narrows with the format guards', () => {
    const parsed = parseDcqlQuery({
      credentials: [
        { id: 'vc', format: 'jwt_vc_json', meta: { type_values: [['VerifiableCredential', 'IDCredential'], ['Other']] } },
        sdJwtQuery(),
      ],
    });
    const [vc, pid] = parsed.credentials;
    if (vc === undefined || pid === undefined) throw new Error('two credential queries expected');
    expect(isJwtVcJsonCredentialQuery(vc) && vc.meta.type_values).toEqual([['VerifiableCredential', 'IDCredential'], ['Other']]);
    expect(isSdJwtVcCredentialQuery(pid) && pid.meta.vct_values).toEqual([VCT]);
    expect(isSdJwtVcCredentialQuery(vc)).toBe(false);
  });

  it('passes the meta of other formats through, keeping intent_to_retain for mso_mdoc claims', () => {
    const mdoc = {
      id: 'mdl',
      format: 'mso_mdoc',
      meta: { doctype_value: 'org.iso.18013.5.1.mDL', vendor: { x: [1] } },
      claims: [{ path: ['org.iso.18013.5.1', 'portrait'], intent_to_retain: false }],
    };
    const other = { id: 'anon', format: 'ac_vc', meta: { cred_def_id: 'x' } };
    const ldp = { id: 'ldp', format: 'ldp_vc', meta: { type_values: [['IDCredential']] } };
    expect(parseDcqlQuery({ credentials: [mdoc, other, ldp] })).toEqual({ credentials: [mdoc, other, ldp] });
  });

  it('accepts ids made of every allowed character', () => {
    const id = 'AZaz09_-';
    const parsed = parseDcqlQuery(
      withCredential(sdJwtQuery({ id, claims: [{ id, path: ['x'] }], claim_sets: [[id]] }), {
        credential_sets: [{ options: [[id]] }],
      }),
    );
    expect(parsed.credentials[0]?.id).toBe(id);
  });

  it('accepts the same claim id in two credential queries, since claim ids are unique per claims array', () => {
    const claims = [{ id: 'name', path: ['given_name'] }];
    expect(() =>
      parseDcqlQuery({ credentials: [sdJwtQuery({ id: 'one', claims }), sdJwtQuery({ id: 'two', claims })] }),
    ).not.toThrow();
  });

  it.each<[string, unknown, string]>([
    ['a query that is not an object', [], 'the DCQL query'],
    ['a query that is null', null, 'the DCQL query'],
    ['a query without credentials', {}, 'credentials'],
    ['credentials that are not an array', { credentials: {} }, 'credentials'],
    ['empty credentials', { credentials: [] }, 'must not be empty'],
    ['a credential query that is not an object', { credentials: ['pid'] }, 'credentials[0]'],
    ['a credential query without an id', withCredential(sdJwtQuery({ id: undefined })), 'credentials[0].id'],
    ['an empty id', withCredential(sdJwtQuery({ id: '' })), 'credentials[0].id'],
    ['an id with a space', withCredential(sdJwtQuery({ id: 'my pid' })), 'letters, digits'],
    ['an id with a dot', withCredential(sdJwtQuery({ id: 'pid.1' })), 'letters, digits'],
    ['an id with a non-ASCII letter', withCredential(sdJwtQuery({ id: 'pïd' })), 'letters, digits'],
    ['a numeric id', withCredential(sdJwtQuery({ id: 7 })), 'credentials[0].id'],
    ['a missing format', withCredential(sdJwtQuery({ format: undefined })), 'format'],
    ['an empty format', withCredential(sdJwtQuery({ format: '' })), 'format'],
    ['a missing meta', withCredential(sdJwtQuery({ meta: undefined })), 'meta'],
    ['a meta that is an array', withCredential(sdJwtQuery({ meta: [] })), 'meta'],
    ['dc+sd-jwt without vct_values', withCredential(sdJwtQuery({ meta: {} })), 'vct_values'],
    ['empty vct_values', withCredential(sdJwtQuery({ meta: { vct_values: [] } })), 'vct_values'],
    ['vct_values with an empty string', withCredential(sdJwtQuery({ meta: { vct_values: [''] } })), 'vct_values[0]'],
    ['vct_values that is a string', withCredential(sdJwtQuery({ meta: { vct_values: VCT } })), 'vct_values'],
    ['jwt_vc_json without type_values', withCredential({ id: 'vc', format: 'jwt_vc_json', meta: {} }), 'type_values'],
    [
      'type_values with an empty inner list',
      withCredential({ id: 'vc', format: 'jwt_vc_json', meta: { type_values: [[]] } }),
      'type_values[0]',
    ],
    [
      'type_values of strings instead of lists',
      withCredential({ id: 'vc', format: 'jwt_vc_json', meta: { type_values: ['IDCredential'] } }),
      'type_values[0]',
    ],
    ['ldp_vc without type_values', withCredential({ id: 'vc', format: 'ldp_vc', meta: {} }), 'type_values'],
    ['mso_mdoc without doctype_value', withCredential({ id: 'mdl', format: 'mso_mdoc', meta: {} }), 'doctype_value'],
    [
      'an mso_mdoc path of one step',
      withCredential({ id: 'mdl', format: 'mso_mdoc', meta: { doctype_value: 'x' }, claims: [{ path: ['given_name'] }] }),
      'namespace',
    ],
    [
      'an mso_mdoc path with a null step',
      withCredential({ id: 'mdl', format: 'mso_mdoc', meta: { doctype_value: 'x' }, claims: [{ path: ['ns', null] }] }),
      'namespace',
    ],
    ['multiple that is a string', withCredential(sdJwtQuery({ multiple: 'true' })), 'multiple'],
    [
      'require_cryptographic_holder_binding that is a number',
      withCredential(sdJwtQuery({ require_cryptographic_holder_binding: 0 })),
      'require_cryptographic_holder_binding',
    ],
    ['empty trusted_authorities', withCredential(sdJwtQuery({ trusted_authorities: [] })), 'trusted_authorities'],
    [
      'a trusted authority without values',
      withCredential(sdJwtQuery({ trusted_authorities: [{ type: 'aki' }] })),
      'trusted_authorities[0].values',
    ],
    [
      'a trusted authority with empty values',
      withCredential(sdJwtQuery({ trusted_authorities: [{ type: 'aki', values: [] }] })),
      'trusted_authorities[0].values',
    ],
    [
      'a trusted authority without a type',
      withCredential(sdJwtQuery({ trusted_authorities: [{ values: ['x'] }] })),
      'trusted_authorities[0].type',
    ],
    ['duplicate credential query ids', { credentials: [sdJwtQuery(), sdJwtQuery()] }, 'repeats the id "pid"'],
    ['empty claims', withCredential(sdJwtQuery({ claims: [] })), 'claims'],
    ['claims that are an object', withCredential(sdJwtQuery({ claims: {} })), 'claims'],
    ['a claim without a path', withCredential(sdJwtQuery({ claims: [{ id: 'a' }] })), 'claims[0].path'],
    ['an empty path', withCredential(sdJwtQuery({ claims: [{ path: [] }] })), 'claims[0].path'],
    ['a path with a negative position', withCredential(sdJwtQuery({ claims: [{ path: ['a', -1] }] })), 'claims[0].path'],
    ['a path with a fractional position', withCredential(sdJwtQuery({ claims: [{ path: ['a', 0.5] }] })), 'claims[0].path'],
    ['a path with a boolean step', withCredential(sdJwtQuery({ claims: [{ path: ['a', true] }] })), 'claims[0].path'],
    ['a path that is a string', withCredential(sdJwtQuery({ claims: [{ path: 'a.b' }] })), 'claims[0].path'],
    [
      'two claims with the same path',
      withCredential(sdJwtQuery({ claims: [{ path: ['a', null] }, { path: ['a', null], values: ['x'] }] })),
      'claims[1].path repeats',
    ],
    ['a claim with a bad id', withCredential(sdJwtQuery({ claims: [{ id: 'a/b', path: ['a'] }] })), 'claims[0].id'],
    [
      'duplicate claim ids',
      withCredential(
        sdJwtQuery({
          claims: [
            { id: 'a', path: ['a'] },
            { id: 'a', path: ['b'] },
          ],
        }),
      ),
      'repeats the id "a"',
    ],
    ['empty values', withCredential(sdJwtQuery({ claims: [{ path: ['a'], values: [] }] })), 'values'],
    ['values that are a string', withCredential(sdJwtQuery({ claims: [{ path: ['a'], values: 'x' }] })), 'values'],
    ['a null value', withCredential(sdJwtQuery({ claims: [{ path: ['a'], values: [null] }] })), 'values[0]'],
    ['a fractional value', withCredential(sdJwtQuery({ claims: [{ path: ['a'], values: [1.5] }] })), 'values[0]'],
    ['an unsafe integer value', withCredential(sdJwtQuery({ claims: [{ path: ['a'], values: [2 ** 53] }] })), 'values[0]'],
    ['an object value', withCredential(sdJwtQuery({ claims: [{ path: ['a'], values: [{}] }] })), 'values[0]'],
    ['an array value', withCredential(sdJwtQuery({ claims: [{ path: ['a'], values: [['x']] }] })), 'values[0]'],
    [
      'claim_sets without claims',
      withCredential({ id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: [VCT] }, claim_sets: [['a']] }),
      'without claims',
    ],
    [
      'claim_sets while a claim has no id',
      withCredential(sdJwtQuery({ claims: [{ id: 'a', path: ['a'] }, { path: ['b'] }], claim_sets: [['a']] })),
      'claims[1].id is required',
    ],
    [
      'claim_sets naming an unknown claim id',
      withCredential(sdJwtQuery({ claims: [{ id: 'a', path: ['a'] }], claim_sets: [['a', 'b']] })),
      'unknown claim id "b"',
    ],
    ['empty claim_sets', withCredential(sdJwtQuery({ claims: [{ id: 'a', path: ['a'] }], claim_sets: [] })), 'claim_sets'],
    [
      'an empty claim set',
      withCredential(sdJwtQuery({ claims: [{ id: 'a', path: ['a'] }], claim_sets: [['a'], []] })),
      'claim_sets[1]',
    ],
    [
      'a claim set naming a claim twice',
      withCredential(sdJwtQuery({ claims: [{ id: 'a', path: ['a'] }], claim_sets: [['a', 'a']] })),
      'names a claim twice',
    ],
    ['credential_sets that is an object', withCredential(sdJwtQuery(), { credential_sets: {} }), 'credential_sets'],
    ['empty credential_sets', withCredential(sdJwtQuery(), { credential_sets: [] }), 'credential_sets'],
    ['a credential set without options', withCredential(sdJwtQuery(), { credential_sets: [{}] }), 'options'],
    ['a credential set with empty options', withCredential(sdJwtQuery(), { credential_sets: [{ options: [] }] }), 'options'],
    [
      'a credential set with an empty option',
      withCredential(sdJwtQuery(), { credential_sets: [{ options: [['pid'], []] }] }),
      'options[1]',
    ],
    [
      'a credential set naming an unknown credential query',
      withCredential(sdJwtQuery(), { credential_sets: [{ options: [['pid', 'mdl']] }] }),
      'unknown credential query id "mdl"',
    ],
    [
      'a credential set option naming a query twice',
      withCredential(sdJwtQuery(), { credential_sets: [{ options: [['pid', 'pid']] }] }),
      'twice',
    ],
    [
      'a credential set with required as a string',
      withCredential(sdJwtQuery(), { credential_sets: [{ options: [['pid']], required: 'false' }] }),
      'required',
    ],
  ])('rejects %s', (_, value, fragment) => {
    expectInvalid(value, fragment);
  });

  it('reads own members only, never inherited ones', () => {
    expectInvalid(Object.create({ credentials: [sdJwtQuery()] }), 'credentials');
    expectInvalid(
      withCredential(Object.assign(Object.create({ meta: { vct_values: [VCT] } }), { id: 'pid', format: 'dc+sd-jwt' })),
      'meta',
    );
  });

  it('accepts __proto__ and constructor as ids, which the id rule allows', () => {
    const input = JSON.parse(
      `{"credentials":[${JSON.stringify(sdJwtQuery({ id: '__proto__' }))},${JSON.stringify(sdJwtQuery({ id: 'constructor' }))}],
        "credential_sets":[{"options":[["__proto__","constructor"]]}]}`,
    );
    const parsed = parseDcqlQuery(input);
    expect(parsed.credentials.map(({ id }) => id)).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
  });

  it('does not echo claim values or malformed ids in its messages', () => {
    expectInvalid(withCredential(sdJwtQuery({ id: 'SECRET id' })));
    try {
      parseDcqlQuery(withCredential(sdJwtQuery({ id: 'SECRET id' })));
    } catch (error) {
      expect((error as Error).message).not.toContain('SECRET');
    }
  });

  describe('limits', () => {
    it.each<[string, (n: number) => unknown, keyof typeof DEFAULT_DCQL_LIMITS]>([
      [
        'credential queries',
        (n) => ({ credentials: Array.from({ length: n }, (_, i) => sdJwtQuery({ id: `q${i}` })) }),
        'maxCredentialQueries',
      ],
      [
        'claims in one credential query',
        (n) => withCredential(sdJwtQuery({ claims: Array.from({ length: n }, (_, i) => ({ path: [`c${i}`] })) })),
        'maxClaimsPerQuery',
      ],
      [
        'steps in a path',
        (n) => withCredential(sdJwtQuery({ claims: [{ path: Array.from({ length: n }, () => 'a') }] })),
        'maxPathLength',
      ],
      [
        'claim sets',
        (n) =>
          withCredential(sdJwtQuery({ claims: [{ id: 'a', path: ['a'] }], claim_sets: Array.from({ length: n }, () => ['a']) })),
        'maxClaimSets',
      ],
      [
        'credential sets',
        (n) => withCredential(sdJwtQuery(), { credential_sets: Array.from({ length: n }, () => ({ options: [['pid']] })) }),
        'maxCredentialSets',
      ],
      [
        'options in a credential set',
        (n) => withCredential(sdJwtQuery(), { credential_sets: [{ options: Array.from({ length: n }, () => ['pid']) }] }),
        'maxOptions',
      ],
      [
        'values of a claim',
        (n) => withCredential(sdJwtQuery({ claims: [{ path: ['a'], values: Array.from({ length: n }, (_, i) => i) }] })),
        'maxValues',
      ],
      [
        'vct_values',
        (n) => withCredential(sdJwtQuery({ meta: { vct_values: Array.from({ length: n }, (_, i) => `t${i}`) } })),
        'maxValues',
      ],
      ['characters in an id', (n) => withCredential(sdJwtQuery({ id: 'x'.repeat(n) })), 'maxStringLength'],
      [
        'characters in a value',
        (n) => withCredential(sdJwtQuery({ claims: [{ path: ['a'], values: ['x'.repeat(n)] }] })),
        'maxStringLength',
      ],
      [
        'characters in a path step',
        (n) => withCredential(sdJwtQuery({ claims: [{ path: ['x'.repeat(n)] }] })),
        'maxStringLength',
      ],
      [
        'nesting of another format’s meta',
        (n) => {
          let meta: unknown = 1;
          for (let i = 0; i < n; i++) meta = { m: meta };
          return withCredential({ id: 'x', format: 'ac_vc', meta });
        },
        'maxMetaDepth',
      ],
    ])('allows %s up to the limit and rejects one more', (_, make, limit) => {
      const max = DEFAULT_DCQL_LIMITS[limit];
      expect(() => parseDcqlQuery(make(max))).not.toThrow();
      expectInvalid(make(max + 1));
    });

    it('takes tighter limits from the caller', () => {
      const query = { credentials: [sdJwtQuery({ id: 'a' }), sdJwtQuery({ id: 'b' })] };
      expect(() => parseDcqlQuery(query, { maxCredentialQueries: 1 })).toThrow(TesseraError);
    });

    it('treats a non-positive limit as a programmer mistake', () => {
      expect(() => parseDcqlQuery({ credentials: [sdJwtQuery()] }, { maxValues: 0 })).toThrow(TypeError);
    });
  });

  it('gives a query that type-checks as a literal', () => {
    const query: DcqlQuery = {
      credentials: [{ id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: [VCT] }, claims: [{ path: ['given_name'] }] }],
    };
    expect(parseDcqlQuery(query)).toEqual(query);
  });
});
