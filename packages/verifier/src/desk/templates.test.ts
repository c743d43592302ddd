import { type DcqlCandidate, matchDcqlQuery, parseDcqlQuery } from '@tessera/shared';
import { describe, expect, it } from 'vitest';
import { DESK_CATALOGS } from './messages.ts';
import { createDeskTemplates, DEFAULT_CREDENTIAL_TYPES, findDeskTemplate, presentationRequest } from './templates.ts';

const templates = createDeskTemplates();
const byId = (id: string) => {
  const template = findDeskTemplate(templates, id);
  if (template === undefined) throw new Error(`no template ${id}`);
  return template;
};

describe('the desk templates', () => {
  it('offer the four checks of the issue, each as a valid DCQL query for one SD-JWT VC', () => {
    expect(templates.map((template) => template.id)).toEqual(['residence', 'age_over_18', 'language_level', 'ngo_registration']);
    for (const template of templates) {
      const query = parseDcqlQuery(template.query);
      expect(query.credentials).toHaveLength(1);
      expect(query.credentials[0]?.format).toBe('dc+sd-jwt');
    }
  });

  it('ask for the minimum: the claims that answer the question and nothing else', () => {
    const claims = (id: string) => (byId(id).query as { credentials: { claims: unknown }[] }).credentials[0]?.claims;
    expect(claims('residence')).toEqual([{ path: ['residence_status'] }]);
    expect(claims('age_over_18')).toEqual([{ path: ['age_equal_or_over', '18'], values: [true] }]);
    expect(claims('language_level')).toEqual([{ path: ['language'] }, { path: ['level'] }]);
    expect(claims('ngo_registration')).toEqual([{ path: ['organisation'] }, { path: ['registered'] }]);
  });

  it('match a wallet credential over 18 and not one under 18', () => {
    const query = parseDcqlQuery(byId('age_over_18').query);
    const permit = (over18: boolean): DcqlCandidate => ({
      id: over18 ? 'adult' : 'minor',
      format: 'dc+sd-jwt',
      vct: DEFAULT_CREDENTIAL_TYPES.residencePermit,
      claims: { given_name: 'x', birthdate: '2000-01-01', age_equal_or_over: { '18': over18 }, cnf: { jwk: { kty: 'EC' } } },
    });
    const result = matchDcqlQuery(query, [permit(true), permit(false)]);
    const candidates = result.credentials[0]?.candidates ?? [];
    expect(candidates.map((candidate) => candidate.candidateId)).toEqual(['adult']);
    // Only the one claim, never the date of birth or the name.
    expect(candidates[0]?.selection.disclose).toEqual([['age_equal_or_over', '18']]);
  });

  it('use the credential types the deployer gives', () => {
    const custom = createDeskTemplates({ languageCourseCertificate: 'https://school.example/vct/language' });
    const vct = (id: string) => {
      const query = findDeskTemplate(custom, id)?.query as { credentials: { meta: { vct_values: string[] } }[] } | undefined;
      return query?.credentials[0]?.meta.vct_values;
    };
    expect(vct('language_level')).toEqual(['https://school.example/vct/language']);
    expect(vct('residence')).toEqual([DEFAULT_CREDENTIAL_TYPES.residencePermit]);
    expect(vct('ngo_registration')).toEqual([DEFAULT_CREDENTIAL_TYPES.ngoRegistration]);
  });

  it('refuse a credential type that cannot be a URI', () => {
    expect(() => createDeskTemplates({ residencePermit: '' })).toThrow(TypeError);
    expect(() => createDeskTemplates({ residencePermit: 'has space' })).toThrow(TypeError);
    expect(() => createDeskTemplates({ ngoRegistration: 42 as unknown as string })).toThrow(TypeError);
  });

  it('find templates by id only', () => {
    expect(findDeskTemplate(templates, 'residence')?.id).toBe('residence');
    expect(findDeskTemplate(templates, 'toString')).toBeUndefined();
    expect(findDeskTemplate(templates, ['residence'])).toBeUndefined();
    expect(findDeskTemplate(templates, undefined)).toBeUndefined();
  });
});

describe('presentationRequest', () => {
  it('carries the query and the purpose in every catalog language', () => {
    const request = presentationRequest(byId('age_over_18'), DESK_CATALOGS);
    expect(request.query).toBe(byId('age_over_18').query);
    expect(Object.keys(request.purpose ?? {})).toEqual(['en', 'de', 'fr', 'ar']);
    expect(request.purpose?.en).toBe('To confirm that you are 18 or older. Your date of birth is not requested.');
    expect(request.purpose?.ar).toMatch(/18/);
    expect(new Set(Object.values(request.purpose ?? {})).size).toBe(4);
  });
});
