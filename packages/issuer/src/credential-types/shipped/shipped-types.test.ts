import { describe, expect, it } from 'vitest';
import { credentialExpiresAt, credentialTypeSchema, parseCredentialTypes, SHIPPED_LOCALES } from '../credential-type.ts';
import { disclosablePaths } from '../disclosable-paths.ts';
import { RESIDENCE_PERMIT_CLAIMS } from '../test-types.ts';
import { validateClaims } from '../validate-claims.ts';
import {
  asylumSeekerRegistration,
  languageCourseCertificate,
  ngoRegistration,
  professionalQualificationRecognition,
  residencePermit,
  SHIPPED_CREDENTIAL_TYPES,
} from './index.ts';

const ARABIC_SCRIPT = /\p{Script=Arabic}/u;
const ETHIOPIC_SCRIPT = /\p{Script=Ethiopic}/u;
const CYRILLIC_SCRIPT = /\p{Script=Cyrillic}/u;

/** WCAG 2.2 relative luminance of a #rrggbb or #rgb colour. */
function luminance(hex: string): number {
  const digits = hex.length === 4 ? [...hex.slice(1)].map((d) => d + d).join('') : hex.slice(1);
  const [r, g, b] = [0, 2, 4].map((i) => {
    const c = Number.parseInt(digits.slice(i, i + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
}

describe.each(SHIPPED_CREDENTIAL_TYPES.map((type) => [type.id, type] as const))('shipped type %s', (_id, type) => {
  it('passes the config schema as it is shipped', () => {
    expect(credentialTypeSchema.safeParse(type).success).toBe(true);
  });

  it('has a display in exactly the ten shipped languages', () => {
    expect(Object.keys(type.display).sort()).toEqual([...SHIPPED_LOCALES].sort());
  });

  it('labels every claim in all ten languages, with no empty label', () => {
    for (const claim of type.claims) {
      for (const locale of SHIPPED_LOCALES) {
        expect(claim.display[locale]?.label.trim(), `${claim.path.join('.')} in ${locale}`).toBeTruthy();
      }
    }
  });

  it('writes Arabic and Farsi in Arabic script, Tigrinya in Ethiopic, Ukrainian in Cyrillic', () => {
    for (const locale of ['ar', 'fa'] as const) {
      expect(type.display[locale]?.name).toMatch(ARABIC_SCRIPT);
      expect(type.display[locale]?.description).toMatch(ARABIC_SCRIPT);
      for (const claim of type.claims) expect(claim.display[locale]?.label).toMatch(ARABIC_SCRIPT);
    }
    expect(type.display.ti?.name).toMatch(ETHIOPIC_SCRIPT);
    for (const claim of type.claims) expect(claim.display.ti?.label).toMatch(ETHIOPIC_SCRIPT);
    expect(type.display.uk?.name).toMatch(CYRILLIC_SCRIPT);
  });

  it('does not leave a translation as a copy of the English text (other than the Latin-script ones)', () => {
    for (const locale of ['ar', 'fa', 'uk', 'ti'] as const) {
      expect(type.display[locale]?.name).not.toBe(type.display.en?.name);
      expect(type.display[locale]?.description).not.toBe(type.display.en?.description);
    }
  });

  it('lives under https://tessera.example/credentials/ with its kebab-case id', () => {
    expect(type.vct).toBe(`https://tessera.example/credentials/${type.id.replaceAll('_', '-')}`);
    expect(type.formats).toEqual(['dc+sd-jwt', 'jwt_vc_json']);
  });

  it('makes every personal claim selectively disclosable (data minimisation)', () => {
    expect(type.claims.every((claim) => claim.disclosure === 'always')).toBe(true);
    expect(disclosablePaths(type)).toHaveLength(type.claims.length);
  });

  it('prints its text with at least WCAG AA contrast (4.5:1) on its card colour', () => {
    for (const display of Object.values(type.display)) {
      expect(contrast(display.backgroundColor, display.textColor)).toBeGreaterThanOrEqual(4.5);
    }
  });
});

describe('the shipped types together', () => {
  it('have unique ids and vct values', () => {
    expect(() => parseCredentialTypes(SHIPPED_CREDENTIAL_TYPES)).not.toThrow();
    expect(SHIPPED_CREDENTIAL_TYPES).toHaveLength(5);
  });

  it('issue three through authorities, and the language course certificate and NGO registration through NGOs', () => {
    expect(residencePermit.issuerKind).toBe('authority');
    expect(asylumSeekerRegistration.issuerKind).toBe('authority');
    expect(professionalQualificationRecognition.issuerKind).toBe('authority');
    expect(languageCourseCertificate.issuerKind).toBe('ngo');
    expect(ngoRegistration.issuerKind).toBe('ngo');
  });
});

describe('residence permit', () => {
  it('keeps the exact paths the verifier desk template asks for', () => {
    const paths = residencePermit.claims.map((claim) => JSON.stringify(claim.path));
    expect(paths).toContain(JSON.stringify(['residence_status']));
    expect(paths).toContain(JSON.stringify(['age_equal_or_over', '18']));
    for (const name of ['given_name', 'family_name', 'birth_date', 'nationality', 'permit_type', 'valid_until']) {
      expect(paths).toContain(JSON.stringify([name]));
    }
  });

  it('declares the address as an object of separately disclosable parts', () => {
    const address = residencePermit.claims.filter((claim) => claim.path[0] === 'address');
    expect(address.map((claim) => claim.path)).toEqual([
      ['address'],
      ['address', 'street_address'],
      ['address', 'locality'],
      ['address', 'postal_code'],
    ]);
    expect(address[0]?.valueType).toBe('object');
  });

  it('accepts a realistic permit', () => {
    expect(validateClaims(residencePermit, RESIDENCE_PERMIT_CLAIMS)).toEqual(RESIDENCE_PERMIT_CLAIMS);
  });

  it('ends the credential no later than the permit’s own valid_until, a required date', () => {
    expect(residencePermit.validity).toEqual({ days: 365, untilClaim: 'valid_until' });
    const validUntil = residencePermit.claims.find((claim) => claim.path.join() === 'valid_until');
    expect(validUntil).toMatchObject({ valueType: 'date', required: true });
    const issuedAt = Date.UTC(2026, 10, 27, 15) / 1000;
    expect(credentialExpiresAt(residencePermit, issuedAt, { ...RESIDENCE_PERMIT_CLAIMS, valid_until: '2027-06-30' })).toBe(
      Date.UTC(2027, 6, 1) / 1000,
    );
  });
});

describe('the other shipped types', () => {
  it('name no untilClaim: their dates say when something happened, not when it ends', () => {
    for (const type of SHIPPED_CREDENTIAL_TYPES.filter((shipped) => shipped !== residencePermit)) {
      expect(type.validity.untilClaim, type.id).toBeUndefined();
    }
  });
});

describe('the other shipped types accept realistic claims', () => {
  it('asylum-seeker registration', () => {
    const claims = {
      given_name: 'Farid',
      family_name: 'Ahmadi',
      birth_date: '2001-11-20',
      nationality: 'AF',
      registration_number: 'REG-2025-004711',
      registration_date: '2025-02-14',
      reception_centre: 'Erstaufnahme Nord',
    };
    expect(validateClaims(asylumSeekerRegistration, claims)).toEqual(claims);
  });

  it('language course certificate, refusing a level outside CEFR A1–C2', () => {
    const claims = {
      given_name: 'Hodan',
      family_name: 'Abdi',
      language: 'de',
      level: 'B1',
      course_name: 'Integrationskurs',
      completion_date: '2025-05-30',
      school: 'Volkshochschule Mitte',
    };
    expect(validateClaims(languageCourseCertificate, claims)).toEqual(claims);
    expect(() => validateClaims(languageCourseCertificate, { ...claims, level: 'B3' })).toThrow(/Claim "level" must be one of/);
    expect(() => validateClaims(languageCourseCertificate, { ...claims, language: 'German' })).toThrow(/ISO 639/);
  });

  it('professional qualification recognition, refusing a decision other than full or partial', () => {
    const claims = {
      given_name: 'Olena',
      family_name: 'Kovalenko',
      qualification_title: 'Bachelor of Nursing',
      profession: 'Nurse',
      recognition_decision: 'partial',
      recognising_authority: 'Landesamt für Gesundheit',
      decision_date: '2025-04-01',
      country_of_qualification: 'UA',
    };
    expect(validateClaims(professionalQualificationRecognition, claims)).toEqual(claims);
    expect(() => validateClaims(professionalQualificationRecognition, { ...claims, recognition_decision: 'maybe' })).toThrow(
      /recognition_decision/,
    );
  });
});

describe('NGO registration', () => {
  const claims = {
    given_name: 'Yonas',
    family_name: 'Tesfaye',
    organisation: 'Associazione Accoglienza Bologna',
    registered: true,
    registration_date: '2025-03-12',
    services: 'Legal advice; language café',
  };

  it('keeps the vct and the claim names the verifier desk template asks for', () => {
    expect(ngoRegistration.vct).toBe('https://tessera.example/credentials/ngo-registration');
    const paths = ngoRegistration.claims.map((claim) => claim.path.join('.'));
    expect(paths).toEqual(['given_name', 'family_name', 'organisation', 'registered', 'registration_date', 'services']);
  });

  it('accepts a realistic registration, with and without the optional services', () => {
    expect(validateClaims(ngoRegistration, claims)).toEqual(claims);
    const { services: _, ...withoutServices } = claims;
    expect(validateClaims(ngoRegistration, withoutServices)).toEqual(withoutServices);
  });

  it('refuses "registered" that is not a boolean and a missing organisation, naming the claim only', () => {
    expect(() => validateClaims(ngoRegistration, { ...claims, registered: 'yes' })).toThrow(
      /Claim "?registered"? must be true or false/,
    );
    const { organisation: _, ...withoutOrganisation } = claims;
    expect(() => validateClaims(ngoRegistration, withoutOrganisation)).toThrow(/organisation"? is required/);
    expect(() => validateClaims(ngoRegistration, { ...claims, registration_date: '2025-02-30' })).toThrow(/YYYY-MM-DD/);
  });
});
