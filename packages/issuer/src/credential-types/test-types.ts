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
