import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../encoding/json.ts';
import { TesseraError } from '../errors/tessera-error.ts';
import { checkDcqlResponse, type DcqlPresentation } from './check-response.ts';
import { type DcqlQuery, parseDcqlQuery } from './query.ts';

/** An example query of OpenID4VP 1.0 (see spec-examples/README.md). */
function example(name: string): DcqlQuery {
  return parseDcqlQuery(JSON.parse(readFileSync(new URL(`spec-examples/${name}.json`, import.meta.url), 'utf8')));
}

const PID = 'https://credentials.example.com/identity_credential';

/** A verified SD-JWT VC presentation whose disclosed claims are the top-level names of `claims`. */
function sdJwt(vct: string, claims: JsonObject, extra: Partial<DcqlPresentation> = {}): DcqlPresentation {
  return {
    format: 'dc+sd-jwt',
    claims: { iss: 'https://issuer.example', ...claims, vct },
    disclosed: Object.keys(claims).map((name) => [name]),
    ...extra,
  };
}

const SIMPLE_ANSWER = sdJwt(PID, { family_name: 'Doe', given_name: 'John', address: { street_address: 'Main St 1' } });

function expectUnsatisfied(run: () => unknown, fragment?: string): TesseraError {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(TesseraError);
  expect((caught as TesseraError).code).toBe('dcql_unsatisfied');
  if (fragment !== undefined) expect((caught as TesseraError).message).toContain(fragment);
  return caught as TesseraError;
}

describe('checkDcqlResponse', () => {
  it('accepts the answer to the §7.4 example and reports what it answered', () => {
    expect(checkDcqlResponse(example('simple'), { my_credential: [SIMPLE_ANSWER] })).toEqual({
      satisfied: true,
      queryIds: ['my_credential'],
      queries: [{ queryId: 'my_credential', requireCryptographicHolderBinding: true, presentations: [{ unrequested: [] }] }],
      credentialSets: [{ required: true, implicit: true, satisfiedOptions: [0] }],
    });
  });

  it('accepts a nested claim disclosed through its own disclosure and its parent’s', () => {
    const presentation = {
      ...SIMPLE_ANSWER,
      disclosed: [['family_name'], ['given_name'], ['address'], ['address', 'street_address']],
    };
    const result = checkDcqlResponse(example('simple'), { my_credential: [presentation] });
    expect(result.queries[0]?.presentations[0]?.unrequested).toEqual([]);
  });

  it('reports disclosures no claim of the query asked for', () => {
    const presentation = {
      ...SIMPLE_ANSWER,
      claims: { ...SIMPLE_ANSWER.claims, birthdate: '1940-01-01' },
      disclosed: [...SIMPLE_ANSWER.disclosed, ['birthdate'], ['address', 'locality']],
    };
    const result = checkDcqlResponse(example('simple'), { my_credential: [presentation] });
    expect(result.queries[0]?.presentations[0]?.unrequested).toEqual([['birthdate'], ['address', 'locality']]);
  });

  it('rejects a presentation for a credential query id the query does not contain', () => {
    expectUnsatisfied(
      () => checkDcqlResponse(example('simple'), { my_credential: [SIMPLE_ANSWER], other_credential: [SIMPLE_ANSWER] }),
      'does not contain',
    );
    expectUnsatisfied(() => checkDcqlResponse(example('simple'), { other_credential: [SIMPLE_ANSWER] }), 'does not contain');
  });

  it('rejects ids that exist only as inherited names, such as constructor and __proto__', () => {
    const proto = JSON.parse('{"__proto__":[]}') as Record<string, DcqlPresentation[]>;
    proto.my_credential = [SIMPLE_ANSWER];
    expectUnsatisfied(() => checkDcqlResponse(example('simple'), proto), 'does not contain');
    expectUnsatisfied(
      () => checkDcqlResponse(example('simple'), { my_credential: [SIMPLE_ANSWER], constructor: [SIMPLE_ANSWER] }),
      'does not contain',
    );
  });

  it('answers a credential query whose id is __proto__', () => {
    const query = parseDcqlQuery(
      JSON.parse(`{"credentials":[{"id":"__proto__","format":"dc+sd-jwt","meta":{"vct_values":["${PID}"]}}]}`),
    );
    const empty = JSON.parse('{"__proto__":[]}') as Record<string, DcqlPresentation[]>;
    expectUnsatisfied(() => checkDcqlResponse(query, empty), 'holds no presentation');
    const answered = JSON.parse(`{"__proto__":[${JSON.stringify(sdJwt(PID, {}))}]}`) as Record<string, DcqlPresentation[]>;
    expect(checkDcqlResponse(query, answered).queryIds).toEqual(['__proto__']);
  });

  it('never echoes the unknown id the response used', () => {
    const error = expectUnsatisfied(() => checkDcqlResponse(example('simple'), { 'SECRET-id': [SIMPLE_ANSWER] }));
    expect(error.message).not.toContain('SECRET');
  });

  it('rejects an empty list and a value that is not a list', () => {
    expectUnsatisfied(() => checkDcqlResponse(example('simple'), { my_credential: [] }), 'no presentation');
    expectUnsatisfied(
      () => checkDcqlResponse(example('simple'), { my_credential: 'eyJ...' as unknown as DcqlPresentation[] }),
      'no presentation',
    );
  });

  it('rejects two presentations for a credential query without multiple (§8.1)', () => {
    expectUnsatisfied(
      () => checkDcqlResponse(example('simple'), { my_credential: [SIMPLE_ANSWER, SIMPLE_ANSWER] }),
      'holds 2 presentations',
    );
  });

  it('accepts several presentations when multiple is true, checking each of them', () => {
    const query = parseDcqlQuery({
      credentials: [
        { id: 'pids', format: 'dc+sd-jwt', meta: { vct_values: [PID] }, multiple: true, claims: [{ path: ['given_name'] }] },
      ],
    });
    const a = sdJwt(PID, { given_name: 'A' });
    expect(checkDcqlResponse(query, { pids: [a, a, a] }).queries[0]?.presentations).toHaveLength(3);
    expectUnsatisfied(() => checkDcqlResponse(query, { pids: [a, sdJwt(PID, { family_name: 'B' })] }), '"given_name" is missing');
  });

  it('rejects a response that leaves out a required credential query', () => {
    const pid = sdJwt(PID, { given_name: 'E', family_name: 'M', address: { street_address: 'x' } });
    expectUnsatisfied(() => checkDcqlResponse(example('multi_credentials'), { pid: [pid] }), 'required credential query "mdl"');
    expectUnsatisfied(() => checkDcqlResponse(example('simple'), {}), 'required credential query "my_credential"');
  });

  describe('credential sets (Appendix D credentials_alternatives)', () => {
    const reduced1 = sdJwt('https://credentials.example.com/reduced_identity_credential', { family_name: 'M', given_name: 'E' });
    const reduced2 = sdJwt('https://cred.example/residence_credential', { postal_code: '1', locality: 'K', region: 'N' });
    const rewards = sdJwt('https://company.example/company_rewards', { rewards_number: 'R-1' });

    it('accepts an answer through the two-credential option, without the optional set', () => {
      const result = checkDcqlResponse(example('credentials_alternatives'), {
        pid_reduced_cred_1: [reduced1],
        pid_reduced_cred_2: [reduced2],
      });
      expect(result.queryIds).toEqual(['pid_reduced_cred_1', 'pid_reduced_cred_2']);
      expect(result.credentialSets).toEqual([
        { required: true, implicit: false, satisfiedOptions: [2] },
        { required: false, implicit: false, satisfiedOptions: [] },
      ]);
    });

    it('reports the optional set when it is answered too', () => {
      const result = checkDcqlResponse(example('credentials_alternatives'), {
        other_pid: [sdJwt('https://othercredentials.example/pid', SIMPLE_ANSWER.claims)],
        nice_to_have: [rewards],
      });
      expect(result.credentialSets.map(({ satisfiedOptions }) => satisfiedOptions)).toEqual([[1], [0]]);
    });

    it('rejects half of a two-credential option', () => {
      expectUnsatisfied(
        () => checkDcqlResponse(example('credentials_alternatives'), { pid_reduced_cred_1: [reduced1], nice_to_have: [rewards] }),
        'no option of the required credential set 0',
      );
    });

    it('rejects an answer to the optional set alone', () => {
      expectUnsatisfied(() => checkDcqlResponse(example('credentials_alternatives'), { nice_to_have: [rewards] }), 'set 0');
    });

    it('accepts an empty response when every credential set is optional', () => {
      const query = parseDcqlQuery({
        credentials: [{ id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: [PID] } }],
        credential_sets: [{ options: [['pid']], required: false }],
      });
      expect(checkDcqlResponse(query, {})).toMatchObject({ satisfied: true, queryIds: [], queries: [] });
    });

    it('accepts an answer for a credential query named by no credential set', () => {
      const query = parseDcqlQuery({
        credentials: [
          { id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: [PID] } },
          { id: 'extra', format: 'dc+sd-jwt', meta: { vct_values: [PID] } },
        ],
        credential_sets: [{ options: [['pid']] }],
      });
      expect(checkDcqlResponse(query, { pid: [sdJwt(PID, {})], extra: [sdJwt(PID, {})] }).queryIds).toEqual(['pid', 'extra']);
    });
  });

  describe('claims', () => {
    it('rejects a missing claim and a missing nested claim, naming only the path', () => {
      const noGiven = sdJwt(PID, { family_name: 'Doe-SECRET', address: { street_address: 'x' } });
      const error = expectUnsatisfied(
        () => checkDcqlResponse(example('simple'), { my_credential: [noGiven] }),
        '"given_name" is missing',
      );
      expect(error.message).not.toContain('SECRET');
      const noStreet = sdJwt(PID, { family_name: 'Doe', given_name: 'J', address: { locality: 'x' } });
      expectUnsatisfied(
        () => checkDcqlResponse(example('simple'), { my_credential: [noStreet] }),
        '"address"."street_address" is missing',
      );
    });

    it('counts never-disclosable claims, which appear in claims but not in disclosed', () => {
      const query = parseDcqlQuery({
        credentials: [{ id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: [PID] }, claims: [{ path: ['iss'] }] }],
      });
      expect(checkDcqlResponse(query, { pid: [sdJwt(PID, {})] }).queryIds).toEqual(['pid']);
    });

    it('rejects a value outside values, comparing type and value (Appendix D value_matching_simple)', () => {
      const answer = (familyName: string, postalCode: string | number): DcqlPresentation =>
        sdJwt(PID, { family_name: familyName, given_name: 'J', address: { street_address: 'x' }, postal_code: postalCode });
      const query = example('value_matching_simple');
      expect(checkDcqlResponse(query, { my_credential: [answer('Doe', '90211')] }).satisfied).toBe(true);
      const error = expectUnsatisfied(
        () => checkDcqlResponse(query, { my_credential: [answer('Roe-SECRET', '90210')] }),
        '"family_name" has no value among the requested values',
      );
      expect(error.message).not.toContain('SECRET');
      expectUnsatisfied(() => checkDcqlResponse(query, { my_credential: [answer('Doe', 90210)] }), '"postal_code"');
    });

    it('accepts a null-step claim with values when one element matches', () => {
      const query = parseDcqlQuery({
        credentials: [
          {
            id: 'pid',
            format: 'dc+sd-jwt',
            meta: { vct_values: [PID] },
            claims: [{ path: ['nationalities', null], values: ['DE'] }, { path: ['degrees', null, 'type'] }],
          },
        ],
      });
      const answer = (nationalities: string[]): DcqlPresentation =>
        sdJwt(PID, { nationalities, degrees: [{ type: 'BSc' }, { name: 'x' }] });
      expect(checkDcqlResponse(query, { pid: [answer(['FR', 'DE'])] }).satisfied).toBe(true);
      expectUnsatisfied(() => checkDcqlResponse(query, { pid: [answer(['FR'])] }), '"nationalities".[*]');
      expectUnsatisfied(() => checkDcqlResponse(query, { pid: [answer([])] }), '"nationalities".[*] is missing');
    });

    it('reports the first claim set satisfied (Appendix D claims_alternatives)', () => {
      const query = example('claims_alternatives');
      const base = { last_name: 'M', date_of_birth: '1964-08-12' };
      const check = (claims: JsonObject): unknown =>
        checkDcqlResponse(query, { pid: [sdJwt(PID, { ...base, ...claims })] }).queries[0]?.presentations[0]?.claimSetIndex;
      expect(check({ postal_code: '1' })).toBe(1);
      expect(check({ locality: 'K', region: 'N' })).toBe(0);
      expect(check({ locality: 'K', region: 'N', postal_code: '1' })).toBe(0);
      expectUnsatisfied(() => check({ locality: 'K' }), 'in every claim set misses a requested claim');
    });

    it('asks nothing of a credential query without claims, and reports every disclosure as unrequested', () => {
      const query = parseDcqlQuery({ credentials: [{ id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: [PID] } }] });
      const result = checkDcqlResponse(query, { pid: [sdJwt(PID, { given_name: 'E' })] });
      expect(result.queries[0]?.presentations[0]).toEqual({ unrequested: [['given_name']] });
    });
  });

  describe('credential type, format and holder binding', () => {
    it('rejects a vct outside vct_values, and a missing vct', () => {
      const wrong = { ...SIMPLE_ANSWER, claims: { ...SIMPLE_ANSWER.claims, vct: 'https://credentials.example.com/other' } };
      expectUnsatisfied(() => checkDcqlResponse(example('simple'), { my_credential: [wrong] }), 'credential type');
      const { vct: _, ...claims } = SIMPLE_ANSWER.claims;
      expectUnsatisfied(
        () => checkDcqlResponse(example('simple'), { my_credential: [{ ...SIMPLE_ANSWER, claims }] }),
        'credential type',
      );
      const relabelled = { ...SIMPLE_ANSWER, vct: 'https://credentials.example.com/other' };
      expectUnsatisfied(() => checkDcqlResponse(example('simple'), { my_credential: [relabelled] }), 'credential type');
    });

    it('rejects another format', () => {
      expectUnsatisfied(
        () => checkDcqlResponse(example('simple'), { my_credential: [{ ...SIMPLE_ANSWER, format: 'jwt_vc_json' }] }),
        'another format',
      );
    });

    it('checks a jwt_vc_json credential’s types against type_values (Appendix B.1.3.1.4)', () => {
      const vc = (type: string[]): DcqlPresentation => ({
        format: 'jwt_vc_json',
        claims: { type, credentialSubject: { given_name: 'Max', family_name: 'Mustermann' } },
        disclosed: [],
      });
      expect(
        checkDcqlResponse(example('dcql_jwt_vc'), { example_jwt_vc: [vc(['VerifiableCredential', 'IDCredential'])] }).satisfied,
      ).toBe(true);
      expectUnsatisfied(
        () => checkDcqlResponse(example('dcql_jwt_vc'), { example_jwt_vc: [vc(['VerifiableCredential'])] }),
        'credential type',
      );
    });

    it('fails closed on formats whose meta it cannot check (Appendix D simple_mdoc)', () => {
      const mdoc: DcqlPresentation = {
        format: 'mso_mdoc',
        claims: { 'org.iso.7367.1': { vehicle_holder: 'x' }, 'org.iso.18013.5.1': { given_name: 'y' } },
        disclosed: [],
      };
      expectUnsatisfied(() => checkDcqlResponse(example('simple_mdoc'), { my_credential: [mdoc] }), 'cannot be checked');
    });

    it('rejects a presentation without holder binding unless the query waives it', () => {
      const unbound = { ...SIMPLE_ANSWER, holderBound: false };
      expectUnsatisfied(() => checkDcqlResponse(example('simple'), { my_credential: [unbound] }), 'holder binding');
      expect(checkDcqlResponse(example('simple'), { my_credential: [{ ...SIMPLE_ANSWER, holderBound: true }] }).satisfied).toBe(
        true,
      );
      const waived = parseDcqlQuery({
        credentials: [
          { id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: [PID] }, require_cryptographic_holder_binding: false },
        ],
      });
      const result = checkDcqlResponse(waived, { pid: [unbound] });
      expect(result.queries[0]?.requireCryptographicHolderBinding).toBe(false);
    });
  });
});
