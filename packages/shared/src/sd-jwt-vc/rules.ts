/** The SD-JWT VC media type (draft-ietf-oauth-sd-jwt-vc §3.1). */
export const SD_JWT_VC_TYP = 'dc+sd-jwt';

/**
 * Registered claims that must appear in the clear, never in a disclosure
 * (draft-ietf-oauth-sd-jwt-vc §3.2.2.2).
 */
export const NON_DISCLOSABLE_CLAIMS: readonly string[] = ['iss', 'nbf', 'exp', 'cnf', 'vct', 'vct#integrity', 'status'];
