import { describe, expect, it } from 'vitest';
import { type ClaimPath, selectClaims, selectWithPaths } from '../claim-path/claim-path.ts';
import type { JsonObject } from '../encoding/json.ts';
import { checkMeta, claimSetPlans, credentialSetPlans, findClaim, isAllowedValue, typesOf, vctOf } from './evaluate.ts';
import { type DcqlCredentialQuery, parseDcqlQuery } from './query.ts';

const CLAIMS: JsonObject = JSON.parse(
  JSON.stringify({
    given_name: 'Erika',
    address: { locality: 'Köln', street_address: 'Heidestr. 17' },
    nationalities: ['DE', 'FR'],
    degrees: [{ type: 'BSc', level: 6 }, { type: 'MSc', level: 7 }, { name: 'no type' }],
    mixed: [{ type: 'BSc' }, 'not an object'],
    age_equal_or_over: { '18': true, '65': false },
    empty: [],
    nothing: null,
    matrix: [
      [1, 2],
      [3, 4],
    ],
  }),
);

function credentialQuery(json: Record<string, unknown>): DcqlCredentialQuery {
  const query = parseDcqlQuery({ credentials: [{ id: 'q', format: 'dc+sd-jwt', meta: { vct_values: ['t'] }, ...json }] });
  return query.credentials[0] as DcqlCredentialQuery;
}

describe('selectWithPaths', () => {
  it.each<ClaimPath>([
    ['given_name'],
    ['address'],
    ['address', 'locality'],
    ['nationalities', null],
    ['nationalities', 1],
    ['nationalities', 2],
    ['degrees', null, 'type'],
    ['degrees', null, 'level'],
    ['degrees', 3],
    ['mixed', null, 'type'],
    ['matrix', null, null],
    ['matrix', 1, null],
    ['empty', null],
    ['nothing'],
    ['nothing', 'x'],
    ['address', null],
    ['nationalities', 'length'],
    ['constructor'],
    ['given_name', 'length'],
  ])('selects what selectClaims selects for %j', (...path) => {
    expect(selectWithPaths(CLAIMS, path).map(({ value }) => value)).toEqual(selectClaims(CLAIMS, path));
  });

  it('aborts (selects nothing) when a selected element is of the wrong kind for the step (§7.1 step 2)', () => {
    expect(selectWithPaths(CLAIMS, ['mixed', null, 'type'])).toEqual([]);
    expect(selectWithPaths(CLAIMS, ['given_name', 0])).toEqual([]);
    expect(selectWithPaths(CLAIMS, ['address', null])).toEqual([]);
    expect(selectWithPaths(CLAIMS, ['nationalities', 'length'])).toEqual([]);
    // A missing key or index only drops that element.
    expect(selectWithPaths(CLAIMS, ['degrees', null, 'type']).map(({ value }) => value)).toEqual(['BSc', 'MSc']);
    expect(selectWithPaths(CLAIMS, ['mixed', 0, 'type']).map(({ value }) => value)).toEqual(['BSc']);
  });

  it('reports concrete positions in place of null steps', () => {
    expect(selectWithPaths(CLAIMS, ['degrees', null, 'type'])).toEqual([
      { path: ['degrees', 0, 'type'], value: 'BSc' },
      { path: ['degrees', 1, 'type'], value: 'MSc' },
    ]);
    expect(selectWithPaths(CLAIMS, ['matrix', null, 1]).map(({ path }) => path)).toEqual([
      ['matrix', 0, 1],
      ['matrix', 1, 1],
    ]);
  });
});

describe('isAllowedValue', () => {
  it.each<[unknown, unknown[], boolean]>([
    ['DE', ['DE', 'FR'], true],
    ['AT', ['DE', 'FR'], false],
    [18, [18], true],
    ['18', [18], false],
    [18, ['18'], false],
    [true, [true], true],
    ['true', [true], false],
    [1, [true], false],
    [0, [false], false],
    [null, ['null'], false],
    [{ a: 1 }, ['[object Object]'], false],
    [['DE'], ['DE'], false],
  ])('%j among %j: %s', (value, values, expected) => {
    expect(isAllowedValue(value as never, values as never)).toBe(expected);
  });
});

describe('findClaim', () => {
  it('finds a claim without values wherever the path points', () => {
    expect(findClaim(CLAIMS, { path: ['address', 'locality'] })).toEqual([{ path: ['address', 'locality'], value: 'Köln' }]);
  });

  it('treats a claim whose value is not among values as missing', () => {
    expect(findClaim(CLAIMS, { path: ['given_name'], values: ['Max'] })).toEqual([]);
    expect(findClaim(CLAIMS, { path: ['age_equal_or_over', '18'], values: [true] })).toHaveLength(1);
    expect(findClaim(CLAIMS, { path: ['age_equal_or_over', '65'], values: [true] })).toEqual([]);
  });

  it('keeps only the matching elements under a null step', () => {
    expect(findClaim(CLAIMS, { path: ['nationalities', null], values: ['FR', 'IT'] })).toEqual([
      { path: ['nationalities', 1], value: 'FR' },
    ]);
    expect(findClaim(CLAIMS, { path: ['degrees', null, 'level'], values: [7, 8] })).toEqual([
      { path: ['degrees', 1, 'level'], value: 7 },
    ]);
  });

  it('never matches an object or array against values', () => {
    expect(findClaim(CLAIMS, { path: ['address'], values: ['Köln'] })).toEqual([]);
  });
});

describe('vctOf and typesOf', () => {
  it('prefer what the caller gave over the claims', () => {
    expect(vctOf('given', { vct: 'claimed' })).toBe('given');
    expect(typesOf(['A'], { type: ['B'] })).toEqual(['A']);
  });

  it('fall back to the vct claim and the type property', () => {
    expect(vctOf(undefined, { vct: 'claimed' })).toBe('claimed');
    expect(vctOf(undefined, { vct: 7 })).toBeUndefined();
    expect(typesOf(undefined, { type: ['VerifiableCredential', 'IDCredential', 3] })).toEqual([
      'VerifiableCredential',
      'IDCredential',
    ]);
    expect(typesOf(undefined, { type: 'IDCredential' })).toEqual(['IDCredential']);
    expect(typesOf(undefined, {})).toEqual([]);
  });
});

describe('checkMeta', () => {
  it('matches an SD-JWT VC whose vct is among vct_values, exactly', () => {
    const query = credentialQuery({ meta: { vct_values: ['https://a.example/pid', 'https://b.example/pid'] } });
    expect(checkMeta(query, 'https://b.example/pid', [])).toBe('match');
    expect(checkMeta(query, 'https://b.example/pid/', [])).toBe('mismatch');
    expect(checkMeta(query, undefined, [])).toBe('mismatch');
  });

  it('matches a jwt_vc_json credential holding all types of one type_values entry (Appendix B.1.1)', () => {
    // The type_values example of Appendix B.1.1, with types compared as given (no JSON-LD).
    const query = parseDcqlQuery({
      credentials: [
        {
          id: 'vc',
          format: 'jwt_vc_json',
          meta: {
            type_values: [
              [
                'https://www.w3.org/2018/credentials#VerifiableCredential',
                'https://example.org/examples#AlumniCredential',
                'https://example.org/examples#BachelorDegree',
              ],
              [
                'https://www.w3.org/2018/credentials#VerifiableCredential',
                'https://example.org/examples#UniversityDegreeCredential',
              ],
              ['IdentityCredential'],
            ],
          },
        },
      ],
    }).credentials[0] as DcqlCredentialQuery;
    expect(checkMeta(query, undefined, ['VerifiableCredential', 'IdentityCredential'])).toBe('match');
    expect(
      checkMeta(query, undefined, [
        'https://example.org/examples#BachelorDegree',
        'https://www.w3.org/2018/credentials#VerifiableCredential',
        'https://example.org/examples#AlumniCredential',
      ]),
    ).toBe('match');
    expect(checkMeta(query, undefined, ['https://example.org/examples#UniversityDegreeCredential'])).toBe('mismatch');
    expect(checkMeta(query, undefined, [])).toBe('mismatch');
  });

  it('cannot evaluate the meta of other formats', () => {
    const query = parseDcqlQuery({ credentials: [{ id: 'm', format: 'mso_mdoc', meta: { doctype_value: 'x' } }] })
      .credentials[0] as DcqlCredentialQuery;
    expect(checkMeta(query, undefined, [])).toBe('unsupported');
  });
});

describe('claimSetPlans', () => {
  it('asks for nothing selectively disclosable without claims', () => {
    expect(claimSetPlans(credentialQuery({}))).toEqual([{ claims: [] }]);
  });

  it('asks for all claims without claim_sets', () => {
    const query = credentialQuery({ claims: [{ path: ['a'] }, { path: ['b'] }] });
    expect(claimSetPlans(query)).toEqual([{ claims: [{ path: ['a'] }, { path: ['b'] }] }]);
  });

  it('gives one plan per claim set, in order, resolving ids to claims', () => {
    const query = credentialQuery({
      claims: [
        { id: 'a', path: ['a'] },
        { id: 'b', path: ['b'] },
      ],
      claim_sets: [['b', 'a'], ['a']],
    });
    expect(claimSetPlans(query)).toEqual([
      {
        index: 0,
        claims: [
          { id: 'b', path: ['b'] },
          { id: 'a', path: ['a'] },
        ],
      },
      { index: 1, claims: [{ id: 'a', path: ['a'] }] },
    ]);
  });
});

describe('credentialSetPlans', () => {
  it('makes one required set per credential query without credential_sets', () => {
    const query = parseDcqlQuery({
      credentials: [
        { id: 'a', format: 'x', meta: {} },
        { id: 'b', format: 'x', meta: {} },
      ],
    });
    expect(credentialSetPlans(query)).toEqual([
      { required: true, implicit: true, options: [['a']] },
      { required: true, implicit: true, options: [['b']] },
    ]);
  });

  it('applies the required default of true', () => {
    const query = parseDcqlQuery({
      credentials: [
        { id: 'a', format: 'x', meta: {} },
        { id: 'b', format: 'x', meta: {} },
      ],
      credential_sets: [{ options: [['a']] }, { options: [['b']], required: false }, { options: [['a', 'b']], required: true }],
    });
    expect(credentialSetPlans(query).map(({ required, implicit }) => [required, implicit])).toEqual([
      [true, false],
      [false, false],
      [true, false],
    ]);
  });
});
