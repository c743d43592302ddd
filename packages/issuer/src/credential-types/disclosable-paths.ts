import type { ClaimPath } from '@tessera/shared';
import type { CredentialType } from './credential-type.ts';

/**
 * The claims path pointers to pass as `disclosable` to `issueSdJwtVc`: every claim whose
 * disclosure is `always` or `allowed`. Tessera turns `allowed` into disclosable too, for data
 * minimisation; `never` claims stay in the clear (draft-ietf-oauth-sd-jwt-vc, "Claim Selective
 * Disclosure Metadata"). A nested disclosable claim under a disclosable object becomes a
 * recursive disclosure (RFC 9901 §4.2.6), so `["age_equal_or_over", "18"]` can be shown alone.
 * @example
 * await issueSdJwtVc({ issuer, vct: type.vct, claims, disclosable: disclosablePaths(type), ... });
 */
export function disclosablePaths(type: CredentialType): ClaimPath[] {
  return type.claims.filter((claim) => claim.disclosure !== 'never').map((claim) => [...claim.path]);
}
