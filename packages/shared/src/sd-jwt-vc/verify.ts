import type { ClaimPath } from '../claim-path/claim-path.ts';
import type { Jwk } from '../crypto/types.ts';
import { isJsonObject, type JsonObject } from '../encoding/json.ts';
import { fail } from '../errors/tessera-error.ts';
import type { VerifiedKbJwt } from '../sd-jwt/kb-jwt.ts';
import { type ProfileRules, type VerifiedSdJwt, type VerifySdJwtOptions, verifyWithRules } from '../sd-jwt/verify.ts';
import { parseStatusReference, type StatusListReference } from '../status-list/reference.ts';
import { NON_DISCLOSABLE_CLAIMS, SD_JWT_VC_TYP } from './rules.ts';

export interface VerifySdJwtVcOptions extends Omit<VerifySdJwtOptions, 'typ' | 'nonDisclosable'> {
  /** Accept only these credential types; default: any `vct`. */
  vct?: string | readonly string[];
}

const SD_JWT_VC_RULES: ProfileRules = { typ: SD_JWT_VC_TYP, nonDisclosable: new Set(NON_DISCLOSABLE_CLAIMS) };

export interface VerifiedSdJwtVc {
  issuer: string;
  vct: string;
  /** Every claim the presentation carries after processing (registered ones included). */
  claims: JsonObject;
  /** Paths of the claims revealed by disclosures. */
  disclosed: ClaimPath[];
  header: JsonObject;
  holderKey?: Jwk;
  status?: StatusListReference;
  keyBinding?: VerifiedKbJwt;
}

/**
 * Verifies an SD-JWT VC presentation: everything `verifySdJwt` checks, plus exact
 * `typ: dc+sd-jwt`, a string `iss` and `vct`, registered claims only in the clear, and a
 * well-formed `status` reference. Status itself is looked up by the caller (the verifier).
 */
export function verifySdJwtVc(presentation: string, options: VerifySdJwtVcOptions): Promise<VerifiedSdJwtVc> {
  return verifyWithRules(presentation, options, SD_JWT_VC_RULES, (verified) => sdJwtVcResult(verified, options.vct));
}

/** The SD-JWT VC checks on a verified SD-JWT, and the credential it describes. */
function sdJwtVcResult(verified: VerifiedSdJwt, acceptedTypes: string | readonly string[] | undefined): VerifiedSdJwtVc {
  const { claims } = verified;
  if (typeof claims.iss !== 'string' || claims.iss.length === 0) fail('missing_claim', 'The credential has no iss claim');
  if (typeof claims.vct !== 'string' || claims.vct.length === 0) fail('missing_claim', 'The credential has no vct claim');
  if (acceptedTypes !== undefined) {
    const accepted = typeof acceptedTypes === 'string' ? [acceptedTypes] : acceptedTypes;
    if (!accepted.includes(claims.vct)) fail('invalid_claim', 'The credential type is not accepted');
  }
  const result: VerifiedSdJwtVc = {
    issuer: claims.iss,
    vct: claims.vct,
    claims,
    disclosed: verified.disclosed,
    header: verified.header,
  };
  if (claims.cnf !== undefined) {
    if (!isJsonObject(claims.cnf) || !isJsonObject(claims.cnf.jwk)) fail('invalid_claim', 'The cnf claim must hold a jwk');
    result.holderKey = claims.cnf.jwk as Jwk;
  }
  if (claims.status !== undefined) result.status = parseStatusReference(claims.status);
  if (verified.keyBinding !== undefined) result.keyBinding = verified.keyBinding;
  return result;
}
