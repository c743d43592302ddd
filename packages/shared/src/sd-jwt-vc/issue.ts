import type { ClaimPath } from '../claim-path/claim-path.ts';
import type { CryptoProvider, HashAlgorithm, Jwk, SigningKey } from '../crypto/types.ts';
import type { JsonObject } from '../encoding/json.ts';
import { fail } from '../errors/tessera-error.ts';
import { issueSdJwt } from '../sd-jwt/issue.ts';
import { type StatusListReference, statusClaim } from '../status-list/reference.ts';
import { NON_DISCLOSABLE_CLAIMS, SD_JWT_VC_TYP } from './rules.ts';

export interface IssueSdJwtVcOptions {
  /** `iss`: the issuer identifier (a DID or an HTTPS URL). */
  issuer: string;
  /** `vct`: the credential type. */
  vct: string;
  /** `vct#integrity`: the hash of the type metadata document (draft-ietf-oauth-sd-jwt-vc, "Document Integrity"); always in the clear. */
  vctIntegrity?: string;
  /** The subject's claims (given_name, address…). Must not contain the registered claims set below. */
  claims: JsonObject;
  /** Which claims are selectively disclosable. Registered claims (`iss`, `vct`, `cnf`…) never are. */
  disclosable: readonly ClaimPath[];
  /** The holder's public key, bound as `cnf.jwk` (RFC 7800). */
  holderKey?: Jwk;
  /** Where the credential's revocation status is published. */
  status?: StatusListReference;
  /** Seconds since the epoch. Default: now. */
  issuedAt?: number;
  notBefore?: number;
  expiresAt?: number;
  signingKey: SigningKey;
  crypto: Pick<CryptoProvider, 'hash' | 'digest' | 'randomBytes' | 'base64url'>;
  header?: JsonObject;
  hashAlgorithm?: HashAlgorithm;
  maxDecoys?: number;
}

/** Claims the options set, which `claims` must therefore not carry. */
const SET_BY_OPTIONS: readonly string[] = [...NON_DISCLOSABLE_CLAIMS, 'iat'];

/**
 * Issues an SD-JWT VC (draft-ietf-oauth-sd-jwt-vc §3): `typ: dc+sd-jwt`, with `iss`, `vct`,
 * `iat`, optional `nbf`/`exp`/`cnf`/`status` always in the clear.
 * @example
 * const credential = await issueSdJwtVc({ issuer: did, vct: 'https://tessera.example/residence-permit',
 *   claims, disclosable: [['given_name']], holderKey, signingKey, crypto: nodeCrypto });
 */
export async function issueSdJwtVc(options: IssueSdJwtVcOptions): Promise<string> {
  const { issuer, vct, claims, disclosable, holderKey, status } = options;
  if (typeof issuer !== 'string' || issuer.length === 0) throw new TypeError('issuer must be a non-empty string');
  if (typeof vct !== 'string' || vct.length === 0) throw new TypeError('vct must be a non-empty string');
  for (const path of disclosable) {
    // draft-ietf-oauth-sd-jwt-vc §3.2.2.2: these claims must not be selectively disclosable.
    if (path.length >= 1 && NON_DISCLOSABLE_CLAIMS.includes(path[0] as string)) {
      fail('non_disclosable_claim', `The ${String(path[0])} claim can never be selectively disclosable`);
    }
  }
  for (const name of SET_BY_OPTIONS) {
    if (name in claims) throw new TypeError(`Set ${name} through its own option, not in claims`);
  }
  const payload: JsonObject = {
    iss: issuer,
    iat: options.issuedAt ?? Math.floor(Date.now() / 1000),
    vct,
  };
  if (options.vctIntegrity !== undefined) payload['vct#integrity'] = options.vctIntegrity;
  if (options.notBefore !== undefined) payload.nbf = options.notBefore;
  if (options.expiresAt !== undefined) payload.exp = options.expiresAt;
  if (holderKey !== undefined) payload.cnf = { jwk: publicMembers(holderKey) };
  if (status !== undefined) payload.status = statusClaim(status);
  Object.assign(payload, claims);
  const sdJwtOptions: Parameters<typeof issueSdJwt>[0] = {
    claims: payload,
    disclosable,
    signingKey: options.signingKey,
    crypto: options.crypto,
    typ: SD_JWT_VC_TYP,
  };
  if (options.header !== undefined) sdJwtOptions.header = options.header;
  if (options.hashAlgorithm !== undefined) sdJwtOptions.hashAlgorithm = options.hashAlgorithm;
  if (options.maxDecoys !== undefined) sdJwtOptions.maxDecoys = options.maxDecoys;
  return issueSdJwt(sdJwtOptions);
}

/** Only the public members of a holder key go into `cnf`. */
function publicMembers(jwk: Jwk): JsonObject {
  if ('d' in jwk) throw new TypeError('holderKey must be a public key');
  const out: JsonObject = { kty: jwk.kty };
  for (const member of ['crv', 'x', 'y', 'kid'] as const) {
    const value = jwk[member];
    if (typeof value === 'string') out[member] = value;
  }
  return out;
}
