import { type Catalogs, createTranslator, type JsonObject, parseDcqlQuery } from '@tessera/shared';
import type { PresentationRequest } from '../openid4vp/types.ts';
import type { DeskMessageKey } from './messages.ts';

/** The credential types (`vct`) the desk's templates ask for; a deployment whose issuers use other URLs overrides them. */
export interface DeskCredentialTypes {
  readonly residencePermit: string;
  readonly languageCourseCertificate: string;
  readonly ngoRegistration: string;
}

export const DEFAULT_CREDENTIAL_TYPES: DeskCredentialTypes = Object.freeze({
  residencePermit: 'https://tessera.example/credentials/residence-permit',
  languageCourseCertificate: 'https://tessera.example/credentials/language-course-certificate',
  ngoRegistration: 'https://tessera.example/credentials/ngo-registration',
});

export type DeskTemplateId = 'residence' | 'age_over_18' | 'language_level' | 'ngo_registration';

/** One thing a desk can ask for: a DCQL query for the minimum that answers it, and its texts. */
export interface DeskTemplate {
  readonly id: DeskTemplateId;
  /** The DCQL query (OpenID4VP 1.0 §6) in its wire form. */
  readonly query: JsonObject;
  readonly titleKey: DeskMessageKey;
  readonly descriptionKey: DeskMessageKey;
  /** Why the desk asks, addressed to the holder; sent to the wallet in every catalog language. */
  readonly purposeKey: DeskMessageKey;
}

/** A `vct` names a type by URI (SD-JWT VC §3.2.2.1.1); refuse what cannot be one before it reaches a request. */
const VCT_SHAPE = /^[\x21-\x7E]{1,2048}$/;

/**
 * The desk's four request templates, each asking for no more than the fact it checks (data
 * minimisation, OpenID4VP 1.0 §6 and §14): residence status; only "18 or older" (a claim whose
 * value must be `true`, never a date of birth); the language and level of a course certificate;
 * an NGO's name and registration. `types` overrides the credential type URLs.
 * @example
 * const templates = createDeskTemplates({ residencePermit: 'https://permits.example.gov/vct/residence' });
 */
export function createDeskTemplates(types: Partial<DeskCredentialTypes> = {}): readonly DeskTemplate[] {
  const vct = { ...DEFAULT_CREDENTIAL_TYPES, ...types };
  for (const [name, value] of Object.entries(vct)) {
    if (typeof value !== 'string' || !VCT_SHAPE.test(value))
      throw new TypeError(`credentialTypes.${name} must be a credential type URI`);
  }
  const sdJwtVc = (id: string, type: string, claims: JsonObject[]): JsonObject => ({
    credentials: [{ id, format: 'dc+sd-jwt', meta: { vct_values: [type] }, claims }],
  });
  const templates: DeskTemplate[] = [
    {
      id: 'residence',
      query: sdJwtVc('residence_permit', vct.residencePermit, [{ path: ['residence_status'] }]),
      titleKey: 'template.residence.title',
      descriptionKey: 'template.residence.description',
      purposeKey: 'template.residence.purpose',
    },
    {
      id: 'age_over_18',
      // §6.3 `values`: the wallet may only answer with a credential whose claim is `true`.
      query: sdJwtVc('residence_permit', vct.residencePermit, [{ path: ['age_equal_or_over', '18'], values: [true] }]),
      titleKey: 'template.age_over_18.title',
      descriptionKey: 'template.age_over_18.description',
      purposeKey: 'template.age_over_18.purpose',
    },
    {
      id: 'language_level',
      query: sdJwtVc('language_certificate', vct.languageCourseCertificate, [{ path: ['language'] }, { path: ['level'] }]),
      titleKey: 'template.language_level.title',
      descriptionKey: 'template.language_level.description',
      purposeKey: 'template.language_level.purpose',
    },
    {
      id: 'ngo_registration',
      query: sdJwtVc('ngo_registration', vct.ngoRegistration, [{ path: ['organisation'] }, { path: ['registered'] }]),
      titleKey: 'template.ngo_registration.title',
      descriptionKey: 'template.ngo_registration.description',
      purposeKey: 'template.ngo_registration.purpose',
    },
  ];
  // A query the verifier would refuse is a configuration mistake: say so at start-up, not at the counter.
  for (const template of templates) parseDcqlQuery(template.query);
  return Object.freeze(templates.map((template) => Object.freeze(template)));
}

/** The template with this id, or undefined (for ids that come from a request body). */
export function findDeskTemplate(templates: readonly DeskTemplate[], id: unknown): DeskTemplate | undefined {
  return typeof id === 'string' ? templates.find((template) => template.id === id) : undefined;
}

/**
 * The presentation request for a template: its query and its purpose in every language of
 * `catalogs`, so the wallet can show the holder why the desk asks in the holder's own language.
 */
export function presentationRequest(template: DeskTemplate, catalogs: Catalogs<DeskMessageKey>): PresentationRequest {
  const purpose: Record<string, string> = {};
  for (const locale of Object.keys(catalogs)) purpose[locale] = createTranslator(catalogs, [locale]).t(template.purposeKey);
  return { query: template.query, purpose };
}
