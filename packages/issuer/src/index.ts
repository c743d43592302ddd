/**
 * @tessera/issuer: the issuer service (OpenID4VCI 1.0) for NGOs and authorities.
 */
export { type CreateIssuerAppOptions, createIssuerApp, type IssuerApp } from './app/create-issuer-app.ts';
export { type IssuerContext, type IssuerUrls, issuerUrls, STATUS_LIST_ID } from './app/issuer-context.ts';
export {
  type IssuerConfig,
  type IssuerConfigInput,
  issuerConfigSchema,
  parseIssuerConfig,
  type TenantConfig,
  tenantConfigSchema,
} from './config/issuer-config.ts';
export * from './credential-types/index.ts';
export {
  type CreatedCredentialOffer,
  createCredentialOffer,
  type NewCredentialOffer,
  OFFER_SCHEME,
  PRE_AUTHORIZED_GRANT,
} from './oid4vci/credential-offer.ts';
export { PROOF_JWT_TYP } from './oid4vci/proof-jwt.ts';
export * from './store/index.ts';
export * from './tenants/index.ts';
