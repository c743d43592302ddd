/**
 * Tenant identities and their keys: DIDs (did:web, did:jwk) and ES256 keys through Veramo with
 * private keys encrypted at rest, DID documents for did:web, and a development PKI for `x5c`.
 */

export { buildDidDocument, type TenantDidDocument, type TenantVerificationMethod } from './did-document.ts';
export { isTenantId, type TenantDidWeb, tenantDidWeb } from './did-web.ts';
export { issuerKeyMigrations } from './migrations.ts';
export { type IssueTenantCertificateOptions, issueTenantCertificate } from './tenant-certificate.ts';
export {
  createTenantKeyring,
  type TenantDidMethod,
  type TenantIdentity,
  type TenantKeyring,
  type TenantKeyringOptions,
  type W3cCredentialJwtRequest,
} from './tenant-keyring.ts';
