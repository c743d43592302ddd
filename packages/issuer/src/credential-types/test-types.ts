import type { CredentialTypeInput } from './credential-type.ts';

/**
 * A small valid credential type for tests, in two locales, to be bent into invalid ones.
 * Not exported from the package.
 */
export function sampleTypeInput(): CredentialTypeInput {
  const label = (en: string, de: string) => ({ en: { label: en }, de: { label: de } });
  return {
    id: 'library_card',
    vct: 'https://issuer.example/credentials/library-card',
    issuerKind: 'ngo',
    formats: ['dc+sd-jwt', 'jwt_vc_json'],
    validity: { days: 30 },
    display: {
      en: {
        name: 'Library card',
        description: 'Shows membership of the library.',
        backgroundColor: '#123456',
        textColor: '#fff',
      },
      de: { name: 'Bibliotheksausweis', description: 'Zeigt die Mitgliedschaft.', backgroundColor: '#123456', textColor: '#fff' },
    },
    claims: [
      { path: ['member_name'], valueType: 'string', required: true, maxLength: 50, display: label('Name', 'Name') },
      { path: ['member_since'], valueType: 'date', display: label('Member since', 'Mitglied seit') },
      {
        path: ['loans'],
        valueType: 'integer',
        minimum: 0,
        maximum: 20,
        disclosure: 'allowed',
        display: label('Loans', 'Ausleihen'),
      },
      {
        path: ['branch'],
        valueType: 'string',
        enum: ['north', 'south'],
        disclosure: 'never',
        display: label('Branch', 'Zweigstelle'),
      },
      { path: ['card'], valueType: 'object', required: true, display: label('Card', 'Ausweis') },
      { path: ['card', 'number'], valueType: 'string', required: true, display: label('Number', 'Nummer') },
      { path: ['card', 'premium'], valueType: 'boolean', display: label('Premium', 'Premium') },
    ],
  };
}

/**
 * The seven required claims of a shipped residence permit, with realistic values. `valid_until`
 * lies far ahead, so credentials issued from these claims live the type's 365 days (a sooner
 * `valid_until` would end them that day) and offers are not refused once a fixed date has passed.
 */
export const RESIDENCE_PERMIT_REQUIRED_CLAIMS = {
  given_name: 'Amina',
  family_name: 'Haile',
  birth_date: '1994-03-07',
  nationality: 'ER',
  residence_status: 'lawfully_resident',
  permit_type: 'humanitarian',
  valid_until: '2036-06-30',
} as const;

/**
 * A full residence permit: the required claims plus the selectively disclosable `address` and
 * `age_equal_or_over` objects. Tests that assert a value never leaks plant their own given name.
 */
export const RESIDENCE_PERMIT_CLAIMS = {
  ...RESIDENCE_PERMIT_REQUIRED_CLAIMS,
  address: { street_address: 'Hauptstraße 5', locality: 'Bologna', postal_code: '40121' },
  age_equal_or_over: { '18': true },
} as const;
