import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../encoding/json.ts';
import { type DcqlCandidate, type DcqlCredentialQueryMatch, type DcqlMatchResult, matchDcqlQuery } from './match.ts';
import { type DcqlQuery, parseDcqlQuery } from './query.ts';

/** An example query of OpenID4VP 1.0 (see spec-examples/README.md). */
function example(name: string): DcqlQuery {
  return parseDcqlQuery(JSON.parse(readFileSync(new URL(`spec-examples/${name}.json`, import.meta.url), 'utf8')));
}

const PID = 'https://credentials.example.com/identity_credential';
const CNF = { jwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' } };

function sdJwt(id: string, vct: string, claims: JsonObject): DcqlCandidate {
  return { id, format: 'dc+sd-jwt', claims: { cnf: CNF, ...claims, vct } };
}

const ERIKA = sdJwt('erika-pid', PID, {
  given_name: 'Erika',
  family_name: 'Mustermann',
  last_name: 'Mustermann',
  date_of_birth: '1964-08-12',
  address: { street_address: 'Heidestr. 17', locality: 'Köln' },
  postal_code: '51147',
  locality: 'Köln',
  region: 'NRW',
});

function credential(result: DcqlMatchResult, queryId: string): DcqlCredentialQueryMatch {
  const found = result.credentials.find((match) => match.queryId === queryId);
  if (found === undefined) throw new Error(`no entry for ${queryId}`);
  return found;
}

const candidateIds = (result: DcqlMatchResult, queryId: string): string[] =>
  credential(result, queryId).candidates.map(({ candidateId }) => candidateId);

describe('matchDcqlQuery', () => {
  it('matches the §7.4 example to a PID holding the three claims and discloses exactly them', () => {
    const result = matchDcqlQuery(example('simple'), [ERIKA]);
    expect(result).toEqual({
      satisfiable: true,
      credentials: [
        {
          queryId: 'my_credential',
          format: 'dc+sd-jwt',
          multiple: false,
          requireCryptographicHolderBinding: true,
          candidates: [
            {
              candidateId: 'erika-pid',
              selection: { disclose: [['family_name'], ['given_name'], ['address', 'street_address']] },
              alternatives: [],
            },
          ],
        },
      ],
      credentialSets: [
        { required: true, implicit: true, options: [{ queryIds: ['my_credential'], satisfiable: true }], satisfiable: true },
      ],
    });
  });

  it('skips a credential of another type, another format, or missing a requested nested claim', () => {
    const result = matchDcqlQuery(example('simple'), [
      sdJwt('other-type', 'https://credentials.example.com/other', ERIKA.claims),
      { ...ERIKA, id: 'as-jwt-vc', format: 'jwt_vc_json' },
      sdJwt('no-street', PID, { given_name: 'A', family_name: 'B', address: { locality: 'Köln' } }),
      sdJwt('address-not-object', PID, { given_name: 'A', family_name: 'B', address: 'Heidestr. 17' }),
      ERIKA,
    ]);
    expect(candidateIds(result, 'my_credential')).toEqual(['erika-pid']);
  });

  it('reports a required credential query without candidates as unsatisfiable', () => {
    const result = matchDcqlQuery(example('simple'), []);
    expect(result.satisfiable).toBe(false);
    expect(result.credentialSets[0]).toMatchObject({ required: true, satisfiable: false });
  });

  it('prefers the verifier’s first claim set and reports the other satisfiable ones (Appendix D claims_alternatives)', () => {
    const onlyPostalCode = sdJwt('postal-only', PID, { last_name: 'M', date_of_birth: '1964-08-12', postal_code: '51147' });
    const neither = sdJwt('neither', PID, { last_name: 'M', date_of_birth: '1964-08-12', locality: 'Köln' });
    const result = matchDcqlQuery(example('claims_alternatives'), [ERIKA, onlyPostalCode, neither]);
    expect(credential(result, 'pid').candidates).toEqual([
      {
        candidateId: 'erika-pid',
        selection: { claimSetIndex: 0, disclose: [['last_name'], ['locality'], ['region'], ['date_of_birth']] },
        alternatives: [{ claimSetIndex: 1, disclose: [['last_name'], ['postal_code'], ['date_of_birth']] }],
      },
      {
        candidateId: 'postal-only',
        selection: { claimSetIndex: 1, disclose: [['last_name'], ['postal_code'], ['date_of_birth']] },
        alternatives: [],
      },
    ]);
  });

  it('satisfies a required credential set through its third option and leaves the optional set open (Appendix D credentials_alternatives)', () => {
    const reduced1 = sdJwt('reduced-1', 'https://credentials.example.com/reduced_identity_credential', {
      family_name: 'M',
      given_name: 'E',
    });
    const reduced2 = sdJwt('reduced-2', 'https://cred.example/residence_credential', {
      postal_code: '51147',
      locality: 'Köln',
      region: 'NRW',
    });
    const result = matchDcqlQuery(example('credentials_alternatives'), [reduced1, reduced2]);
    expect(result.satisfiable).toBe(true);
    expect(result.credentialSets).toEqual([
      {
        required: true,
        implicit: false,
        options: [
          { queryIds: ['pid'], satisfiable: false },
          { queryIds: ['other_pid'], satisfiable: false },
          { queryIds: ['pid_reduced_cred_1', 'pid_reduced_cred_2'], satisfiable: true },
        ],
        satisfiable: true,
      },
      { required: false, implicit: false, options: [{ queryIds: ['nice_to_have'], satisfiable: false }], satisfiable: false },
    ]);
    expect(candidateIds(result, 'pid_reduced_cred_2')).toEqual(['reduced-2']);

    // Without the second reduced credential no option of the required set can be answered.
    expect(matchDcqlQuery(example('credentials_alternatives'), [reduced1]).satisfiable).toBe(false);
  });

  it('lists every satisfiable option so the holder can choose (§6.4.3)', () => {
    const other = sdJwt('other', 'https://othercredentials.example/pid', ERIKA.claims);
    const rewards = sdJwt('rewards', 'https://company.example/company_rewards', { rewards_number: 'R-1' });
    const result = matchDcqlQuery(example('credentials_alternatives'), [ERIKA, other, rewards]);
    expect(result.credentialSets.map((set) => set.options.map((option) => option.satisfiable))).toEqual([
      [true, true, false],
      [true],
    ]);
  });

  it('matches a claim only when its value is among values (Appendix D value_matching_simple)', () => {
    const doe = (id: string, postalCode: string): DcqlCandidate =>
      sdJwt(id, PID, { family_name: 'Doe', given_name: 'J', address: { street_address: 'x' }, postal_code: postalCode });
    const result = matchDcqlQuery(example('value_matching_simple'), [
      doe('in-90211', '90211'),
      doe('in-10115', '10115'),
      sdJwt('roe', PID, { family_name: 'Roe', given_name: 'J', address: { street_address: 'x' }, postal_code: '90210' }),
      // Type and value must both match: the number 90210 is not the string "90210".
      sdJwt('number', PID, { family_name: 'Doe', given_name: 'J', address: { street_address: 'x' }, postal_code: 90210 }),
    ]);
    expect(candidateIds(result, 'my_credential')).toEqual(['in-90211']);
  });

  it('discloses only the matching elements of a null-step claim with values, and the whole pattern without values', () => {
    const query = parseDcqlQuery({
      credentials: [
        {
          id: 'degrees',
          format: 'dc+sd-jwt',
          meta: { vct_values: ['https://edu.example/degrees'] },
          claims: [
            { path: ['degrees', null, 'type'], values: ['MSc', 'PhD'] },
            { path: ['nationalities', null] },
            { path: ['address', 'locality'] },
          ],
        },
      ],
    });
    const holder = sdJwt('diploma', 'https://edu.example/degrees', {
      degrees: [{ type: 'BSc' }, { type: 'MSc' }, { type: 'PhD' }],
      nationalities: ['DE', 'FR'],
      address: { locality: 'Köln', street_address: 'Heidestr. 17' },
    });
    const [match] = credential(matchDcqlQuery(query, [holder]), 'degrees').candidates;
    expect(match?.selection.disclose).toEqual([
      ['degrees', 1, 'type'],
      ['degrees', 2, 'type'],
      ['nationalities', null],
      ['address', 'locality'],
    ]);

    const bachelorOnly = sdJwt('bachelor', 'https://edu.example/degrees', {
      degrees: [{ type: 'BSc' }],
      nationalities: ['DE'],
      address: { locality: 'Köln' },
    });
    expect(candidateIds(matchDcqlQuery(query, [bachelorOnly]), 'degrees')).toEqual([]);
  });

  it('reports every matching credential and whether the query allows more than one', () => {
    const query = parseDcqlQuery({
      credentials: [
        { id: 'many', format: 'dc+sd-jwt', meta: { vct_values: [PID] }, multiple: true, claims: [{ path: ['given_name'] }] },
        { id: 'one', format: 'dc+sd-jwt', meta: { vct_values: [PID] }, claims: [{ path: ['given_name'] }] },
      ],
    });
    const result = matchDcqlQuery(query, [ERIKA, { ...ERIKA, id: 'erika-pid-2' }]);
    expect(credential(result, 'many')).toMatchObject({ multiple: true, candidates: [{}, {}] });
    expect(credential(result, 'one')).toMatchObject({ multiple: false, candidates: [{}, {}] });
  });

  it('discloses nothing selectively disclosable for a credential query without claims', () => {
    const query = parseDcqlQuery({ credentials: [{ id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: [PID] } }] });
    expect(credential(matchDcqlQuery(query, [ERIKA]), 'pid').candidates).toEqual([
      { candidateId: 'erika-pid', selection: { disclose: [] }, alternatives: [] },
    ]);
  });

  it('excludes an SD-JWT VC without cnf unless the query waives holder binding (Appendix B.3)', () => {
    const unbound: DcqlCandidate = { id: 'unbound', format: 'dc+sd-jwt', claims: { vct: PID, given_name: 'E' } };
    const bound = (waive: boolean | undefined): DcqlQuery =>
      parseDcqlQuery({
        credentials: [
          {
            id: 'pid',
            format: 'dc+sd-jwt',
            meta: { vct_values: [PID] },
            claims: [{ path: ['given_name'] }],
            ...(waive === undefined ? {} : { require_cryptographic_holder_binding: !waive }),
          },
        ],
      });
    expect(candidateIds(matchDcqlQuery(bound(undefined), [unbound, ERIKA]), 'pid')).toEqual(['erika-pid']);
    expect(candidateIds(matchDcqlQuery(bound(false), [unbound, ERIKA]), 'pid')).toEqual(['erika-pid']);
    const waived = matchDcqlQuery(bound(true), [unbound, ERIKA]);
    expect(candidateIds(waived, 'pid')).toEqual(['unbound', 'erika-pid']);
    expect(credential(waived, 'pid').requireCryptographicHolderBinding).toBe(false);
  });

  it('uses the vct and types the caller gives over the claims', () => {
    const query = example('simple');
    const relabelled = { ...ERIKA, vct: 'https://credentials.example.com/other' };
    expect(candidateIds(matchDcqlQuery(query, [relabelled]), 'my_credential')).toEqual([]);
  });

  it('matches a jwt_vc_json credential by type_values, with paths from the credential root (Appendix B.1.3.1.4)', () => {
    // The example credential of Appendix B.1.3.1.2, as the `vc` object claims paths start from.
    const vc: JsonObject = {
      '@context': ['https://www.w3.org/2018/credentials/v1', 'https://www.w3.org/2018/credentials/examples/v1'],
      type: ['VerifiableCredential', 'IDCredential'],
      credentialSubject: { given_name: 'Max', family_name: 'Mustermann', birthdate: '1998-01-11' },
    };
    const other: JsonObject = { ...vc, type: ['VerifiableCredential', 'OtherCredential'] };
    const result = matchDcqlQuery(example('dcql_jwt_vc'), [
      { id: 'max', format: 'jwt_vc_json', claims: vc },
      { id: 'other', format: 'jwt_vc_json', claims: other },
      { id: 'typed', format: 'jwt_vc_json', types: ['IDCredential'], claims: other },
    ]);
    expect(credential(result, 'example_jwt_vc').candidates).toEqual([
      {
        candidateId: 'max',
        selection: {
          disclose: [
            ['credentialSubject', 'family_name'],
            ['credentialSubject', 'given_name'],
          ],
        },
        alternatives: [],
      },
      {
        candidateId: 'typed',
        selection: {
          disclose: [
            ['credentialSubject', 'family_name'],
            ['credentialSubject', 'given_name'],
          ],
        },
        alternatives: [],
      },
    ]);
  });

  it('finds no candidates for formats the wallet does not hold (Appendix D simple_mdoc, multi_credentials)', () => {
    expect(matchDcqlQuery(example('simple_mdoc'), [ERIKA]).satisfiable).toBe(false);
    const result = matchDcqlQuery(example('multi_credentials'), [ERIKA]);
    expect(result.satisfiable).toBe(false);
    expect(candidateIds(result, 'pid')).toEqual(['erika-pid']);
    expect(candidateIds(result, 'mdl')).toEqual([]);
  });

  it('handles credential query ids such as __proto__ and constructor as plain ids', () => {
    const query = parseDcqlQuery(
      JSON.parse(
        `{"credentials":[{"id":"__proto__","format":"dc+sd-jwt","meta":{"vct_values":["${PID}"]}},
          {"id":"constructor","format":"dc+sd-jwt","meta":{"vct_values":["none"]}}],
          "credential_sets":[{"options":[["constructor"],["__proto__"]]}]}`,
      ),
    );
    const result = matchDcqlQuery(query, [ERIKA]);
    expect(result.satisfiable).toBe(true);
    expect(result.credentialSets[0]?.options.map(({ satisfiable }) => satisfiable)).toEqual([false, true]);
  });

  it('treats a credential query named by no credential set as optional', () => {
    const query = parseDcqlQuery({
      credentials: [
        { id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: [PID] } },
        { id: 'unnamed', format: 'dc+sd-jwt', meta: { vct_values: ['none'] } },
      ],
      credential_sets: [{ options: [['pid']] }],
    });
    const result = matchDcqlQuery(query, [ERIKA]);
    expect(result.satisfiable).toBe(true);
    expect(result.credentialSets).toHaveLength(1);
    expect(candidateIds(result, 'unnamed')).toEqual([]);
  });

  it('returns plain data that survives structured cloning and JSON unchanged', () => {
    const result = matchDcqlQuery(example('claims_alternatives'), [ERIKA]);
    expect(structuredClone(result)).toEqual(result);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('treats two candidates with one id as a programmer mistake', () => {
    expect(() => matchDcqlQuery(example('simple'), [ERIKA, ERIKA])).toThrow(TypeError);
  });

  it('leaves the query and the candidates untouched', () => {
    const query = example('credentials_alternatives');
    const candidates = [ERIKA];
    const before = JSON.stringify([query, candidates]);
    matchDcqlQuery(query, candidates);
    expect(JSON.stringify([query, candidates])).toBe(before);
  });
});
