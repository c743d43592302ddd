/**
 * @tessera/verifier/w3c — W3C Verifiable Credentials and Presentations secured as JWTs
 * (`jwt_vc_json`, VC Data Model 1.1 §6.3.1), verified through Veramo and then checked again by
 * Tessera so the signed JWT claims always win. A subpath of its own because it brings Veramo
 * along: the main entry point stays small.
 */

export { VC_CONTEXT_V1, VC_JWT_TYP } from '@tessera/shared';
export { DEFAULT_W3C_ALGORITHMS } from './vc-jwt.ts';
export { type VerifiedW3cCredential, type VerifyW3cCredentialOptions, verifyW3cCredentialJwt } from './verify-credential.ts';
export {
  MAX_PRESENTED_CREDENTIALS,
  type VerifiedW3cPresentation,
  type VerifyW3cPresentationOptions,
  verifyW3cPresentationJwt,
} from './verify-presentation.ts';
