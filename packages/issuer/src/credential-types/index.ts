/**
 * Credential types: how a type is declared in config, the four types Tessera ships, claim
 * validation for offers, and the metadata published about types (OpenID4VCI 1.0 issuer metadata
 * and SD-JWT VC Type Metadata).
 */

export {
  type ClaimDescription,
  type CredentialConfiguration,
  type CredentialConfigurationsOptions,
  type CredentialDisplayMetadata,
  credentialConfigurationsSupported,
  defaultBindingMethods,
  type JwtVcJsonCredentialConfiguration,
  type SdJwtVcCredentialConfiguration,
  selectLocales,
  w3cTypeName,
} from './credential-configurations.ts';
export {
  CLAIM_DISCLOSURES,
  CLAIM_VALUE_TYPES,
  type ClaimDefinition,
  type ClaimDisclosure,
  type ClaimValueType,
  CREDENTIAL_FORMATS,
  type CredentialFormat,
  type CredentialType,
  type CredentialTypeDisplay,
  type CredentialTypeInput,
  credentialConfigurationId,
  credentialExpiresAt,
  credentialTypeSchema,
  describeCredentialTypeIssues,
  MAX_CLAIM_STRING_LENGTH,
  MAX_CLAIMS_BYTES,
  parseCredentialType,
  parseCredentialTypes,
  RESERVED_CLAIM_NAMES,
  SHIPPED_LOCALES,
  STRING_FORMATS,
  type StringFormat,
} from './credential-type.ts';
export { disclosablePaths } from './disclosable-paths.ts';
export { availableLocales, type DisplayLocaleSelection, displayForLocales } from './display-locales.ts';
export {
  asylumSeekerRegistration,
  CEFR_LEVELS,
  languageCourseCertificate,
  professionalQualificationRecognition,
  residencePermit,
  SHIPPED_CREDENTIAL_TYPES,
} from './shipped/index.ts';
export {
  type SimpleRendering,
  serializeTypeMetadata,
  type TypeClaimMetadata,
  type TypeDisplayMetadata,
  type TypeMetadata,
  typeMetadata,
  typeMetadataIntegrity,
} from './type-metadata.ts';
export { type ValidateClaimsOptions, validateClaims } from './validate-claims.ts';
