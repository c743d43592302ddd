import { type JsonObject, type Jwk, type StatusListReference, statusClaim } from '@tessera/shared';
import { type CredentialType, w3cTypeName } from '../credential-types/index.ts';
import type { TenantKeyring } from '../tenants/index.ts';
import { didJwkOf } from './holder-did-jwk.ts';

/** VC Data Model 1.1 §4.1: the first `@context` of every credential. */
export const VC_CONTEXT_V1 = 'https://www.w3.org/2018/credentials/v1';

export interface IssueJwtVcJsonOptions {
  readonly keyring: TenantKeyring;
  readonly tenantId: string;
  readonly type: CredentialType;
  /** The offer's claims, already validated against the type; they go under `credentialSubject`. */
  readonly claims: JsonObject;
  /**
   * The holder from the proof: the DID its `kid` named, or else the did:jwk of its key, becomes
   * `credentialSubject.id`, so `sub`.
   */
  readonly holder: { readonly key: Jwk; readonly did?: string };
  /** This instance's entry in the tenant's Token Status List. */
  readonly status: StatusListReference;
  /** Seconds since the epoch: `issuanceDate`, so `nbf`. */
  readonly issuedAt: number;
  /** Seconds since the epoch: `expirationDate`, so `exp`. */
  readonly expiresAt: number;
}

/**
 * One `jwt_vc_json` credential (OpenID4VCI 1.0 Appendix A.1.1: a W3C VC Data Model 1.1 credential
 * secured as a JWT, §6.3.1), signed through Veramo with the tenant's key: `iss` = the tenant's
 * DID, `sub` = `credentialSubject.id` = the holder's did:jwk (the holder binding of this format:
 * the credential is bound to the DID the proof named, or the did:jwk of the key that signed it), `nbf`/`exp` =
 * `issuanceDate`/`expirationDate` in whole seconds, the type's claims under `credentialSubject`.
 *
 * Status: the JWT carries the Token Status List `status` claim beside `vc`, as
 * draft-ietf-oauth-status-list §6.2 prescribes for any JWT ("Referenced Token in JOSE"), and no
 * `credentialStatus`: VCDM 1.1 §7.1 needs a registered status `type`, and none exists for a Token
 * Status List (inventing one would be read by nobody; `StatusList2021Entry`/`BitstringStatusListEntry`
 * name a different list format). The list is the same one the tenant's SD-JWT VCs point into.
 * No `id`/`jti` and no `iat`: a per-credential identifier would let verifiers link presentations.
 * @example
 * const jwt = await issueJwtVcJson({ keyring, tenantId: 'bologna', type: residencePermit, claims,
 *   holder: { key: holderKey }, status: { idx: 42, uri }, issuedAt, expiresAt });
 */
export function issueJwtVcJson(options: IssueJwtVcJsonOptions): Promise<string> {
  const { keyring, tenantId, type, claims, holder, status, issuedAt, expiresAt } = options;
  return keyring.issueW3cCredentialJwt(tenantId, {
    credential: {
      '@context': [VC_CONTEXT_V1],
      type: ['VerifiableCredential', w3cTypeName(type)],
      // `id` last: a claim can never name the subject (`id` is a reserved claim name as well).
      // The holder's own DID string when it named one: its presentations are signed as that DID,
      // and a did:jwk re-encoded here (other member order) would be another string.
      credentialSubject: { ...claims, id: holder.did ?? didJwkOf(holder.key) },
      issuanceDate: dateTime(issuedAt),
      expirationDate: dateTime(expiresAt),
    },
    claims: { status: statusClaim(status) },
  });
}

/** An XML Schema dateTime in UTC for a NumericDate (VCDM 1.1 §4.6, §6.3.1). */
function dateTime(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}
