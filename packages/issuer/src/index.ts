/**
 * @tessera/issuer: the issuer service (OpenID4VCI 1.0) for NGOs and authorities.
 */
export { type CreateIssuerAppOptions, createIssuerApp, type IssuerApp } from './app/create-issuer-app.ts';
export {
  DID_STATUS_LIST_ID,
  type IssuerContext,
  type IssuerUrls,
  issuerUrls,
  STATUS_LIST_ID,
  statusListIdFor,
} from './app/issuer-context.ts';
export {
  type IssuerConfig,
  type IssuerConfigInput,
  issuerConfigSchema,
  parseIssuerConfig,
  type TenantConfig,
  tenantConfigSchema,
} from './config/issuer-config.ts';
export * from './credential-types/index.ts';
export { ngoRegistration } from './credential-types/shipped/index.ts';
export {
  type CreatedCredentialOffer,
  createCredentialOffer,
  type NewCredentialOffer,
  OFFER_SCHEME,
  PRE_AUTHORIZED_GRANT,
} from './oid4vci/credential-offer.ts';
export { PROOF_JWT_TYP } from './oid4vci/proof-jwt.ts';
export { tenantIdentity } from './open-data/open-data-router.ts';
export { createOpenApiDocument, OPENAPI_VERSION } from './openapi/openapi-document.ts';
export { type RegisteredRoute, registeredRoutes } from './openapi/registered-routes.ts';
export { type CreatedStaffApiKey, createStaffApiKey } from './staff/staff-api-key.ts';
export type { StaffRouterOptions } from './staff/staff-router.ts';
export {
  type CreateOfferRequest,
  createOfferRequestSchema,
  type SetStatusRequest,
  STAFF_STATUSES,
  type StaffStatus,
  setStatusRequestSchema,
} from './staff/staff-schemas.ts';
export { type StatusTransition, statusTransition } from './staff/status-policy.ts';
export * from './store/index.ts';
export * from './tenants/index.ts';
export * from './w3c/index.ts';
