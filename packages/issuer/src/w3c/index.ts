/**
 * W3C Verifiable Credentials issued by the service: `jwt_vc_json` (OpenID4VCI 1.0 Appendix A.1.1),
 * signed through Veramo with the tenant's key.
 */

export { didJwkOf } from './holder-did-jwk.ts';
export { type IssueJwtVcJsonOptions, issueJwtVcJson, VC_CONTEXT_V1 } from './issue-jwt-vc.ts';
