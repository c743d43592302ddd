/** Test-only helpers for other packages' tests (`@tessera/issuer/testing`). */
export {
  permitTenant,
  type StartTestIssuerOptions,
  startTestIssuer,
  type TestIssuer,
  type TestTenant,
} from './app/test-issuer.ts';
export { RESIDENCE_PERMIT_CLAIMS, RESIDENCE_PERMIT_REQUIRED_CLAIMS } from './credential-types/test-types.ts';
