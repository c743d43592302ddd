import { describe, expect, it } from 'vitest';
import {
  credentialConfigurationsSupported,
  type JwtVcJsonCredentialConfiguration,
  type SdJwtVcCredentialConfiguration,
  w3cTypeName,
} from './credential-configurations.ts';
import { parseCredentialType } from './credential-type.ts';
import { residencePermit, SHIPPED_CREDENTIAL_TYPES } from './shipped/index.ts';
import { sampleTypeInput } from './test-types.ts';

describe('credentialConfigurationsSupported', () => {
  const all = credentialConfigurationsSupported(SHIPPED_CREDENTIAL_TYPES);

  it('has one configuration per type and format', () => {
    expect(Object.keys(all).sort()).toEqual(
      [
        'asylum_seeker_registration',
        'asylum_seeker_registration_jwt_vc_json',
        'language_course_certificate',
        'language_course_certificate_jwt_vc_json',
        'ngo_registration',
        'ngo_registration_jwt_vc_json',
        'professional_qualification_recognition',
        'professional_qualification_recognition_jwt_vc_json',
        'residence_permit',
        'residence_permit_jwt_vc_json',
      ].sort(),
    );
  });

  it('describes the SD-JWT VC by its vct, with ES256, jwk binding and jwt proofs (OpenID4VCI 1.0 Appendix A.3)', () => {
    const config = all.residence_permit as SdJwtVcCredentialConfiguration;
    expect(config).toMatchObject({
      format: 'dc+sd-jwt',
      vct: 'https://tessera.example/credentials/residence-permit',
      credential_signing_alg_values_supported: ['ES256'],
      cryptographic_binding_methods_supported: ['jwk'],
      proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256'] } },
    });
    expect(config).not.toHaveProperty('credential_definition');
    // The 1.0 shape: display and claims live in credential_metadata, not at the top.
    expect(config).not.toHaveProperty('display');
    expect(config).not.toHaveProperty('claims');
  });

  it('describes the W3C form by credential_definition.type, with claims under credentialSubject (Appendix A.1.1)', () => {
    const config = all.residence_permit_jwt_vc_json as JwtVcJsonCredentialConfiguration;
    expect(config.format).toBe('jwt_vc_json');
    expect(config.credential_definition).toEqual({ type: ['VerifiableCredential', 'ResidencePermitCredential'] });
    expect(config).not.toHaveProperty('vct');
    expect(config.credential_metadata.claims.map((claim) => claim.path)).toContainEqual([
      'credentialSubject',
      'age_equal_or_over',
      '18',
    ]);
  });

  it('lists claims in declared order with mandatory and one display name per locale', () => {
    const { claims } = (all.residence_permit as SdJwtVcCredentialConfiguration).credential_metadata;
    expect(claims.map((claim) => claim.path)).toEqual(residencePermit.claims.map((claim) => claim.path));
    const status = claims.find((claim) => claim.path[0] === 'residence_status');
    expect(status?.mandatory).toBe(true);
    expect(status?.display).toHaveLength(10);
    expect(status?.display).toContainEqual({ name: 'Aufenthaltsstatus', locale: 'de' });
    expect(claims.find((claim) => claim.path.join('.') === 'address.locality')?.mandatory).toBe(false);
  });

  it('carries the credential display with colours in every locale by default', () => {
    const { display } = (all.residence_permit as SdJwtVcCredentialConfiguration).credential_metadata;
    expect(display.map((entry) => entry.locale)).toEqual(['en', 'de', 'fr', 'it', 'es', 'ar', 'fa', 'uk', 'ti', 'so']);
    expect(display.find((entry) => entry.locale === 'ar')).toEqual({
      name: 'تصريح الإقامة',
      locale: 'ar',
      description: 'يُثبت الحق في العيش في هذا البلد.',
      background_color: '#1f4e79',
      text_color: '#ffffff',
    });
  });

  it('publishes only the chosen locales, in the chosen order', () => {
    const chosen = credentialConfigurationsSupported([residencePermit], { locales: ['ti', 'en'] });
    const { display, claims } = (chosen.residence_permit as SdJwtVcCredentialConfiguration).credential_metadata;
    expect(display.map((entry) => entry.locale)).toEqual(['ti', 'en']);
    expect(claims[0]?.display).toEqual([
      { name: 'ሽም', locale: 'ti' },
      { name: 'Given name', locale: 'en' },
    ]);
  });

  it('falls back to English for a type that has none of the chosen locales', () => {
    const type = parseCredentialType(sampleTypeInput());
    const chosen = credentialConfigurationsSupported([type], { locales: ['ar'] });
    expect(chosen.library_card?.credential_metadata.display.map((entry) => entry.locale)).toEqual(['en']);
  });

  it('takes other algorithms and binding methods when asked, and the logo with its alt text', () => {
    const input = sampleTypeInput();
    if (input.display.en !== undefined) input.display.en.logo = { uri: 'https://issuer.example/logo.png', altText: 'Logo' };
    const [config] = Object.values(
      credentialConfigurationsSupported([parseCredentialType({ ...input, formats: ['jwt_vc_json'] })], {
        signingAlgorithms: ['ES384'],
        proofSigningAlgorithms: ['ES256', 'EdDSA'],
        bindingMethods: ['jwk', 'did:jwk'],
        locales: ['en'],
      }),
    );
    expect(config).toMatchObject({
      credential_signing_alg_values_supported: ['ES384'],
      cryptographic_binding_methods_supported: ['jwk', 'did:jwk'],
      proof_types_supported: { jwt: { proof_signing_alg_values_supported: ['ES256', 'EdDSA'] } },
    });
    expect(config?.credential_metadata.display[0]?.logo).toEqual({ uri: 'https://issuer.example/logo.png', alt_text: 'Logo' });
  });
});

describe('w3cTypeName', () => {
  it('turns the id into a PascalCase type name unless the type sets one', () => {
    expect(w3cTypeName({ id: 'professional_qualification_recognition' })).toBe('ProfessionalQualificationRecognitionCredential');
    expect(w3cTypeName({ id: 'x', w3cType: 'LibraryCard' })).toBe('LibraryCard');
  });
});
