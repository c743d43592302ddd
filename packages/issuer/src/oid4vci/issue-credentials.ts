import { issueSdJwtVc, type Jwk, randomToken } from '@tessera/shared';
import { nodeCrypto } from '@tessera/shared/node';
import { type IssuerContext, statusListIdFor } from '../app/issuer-context.ts';
import type { TenantSigner } from '../app/tenant-signer.ts';
import {
  type CredentialFormat,
  type CredentialType,
  credentialExpiresAt,
  disclosablePaths,
  typeMetadata,
  typeMetadataIntegrity,
} from '../credential-types/index.ts';
import type { NewIssuanceRecord } from '../store/index.ts';
import { issueJwtVcJson } from '../w3c/index.ts';
import { CredentialRequestError } from './credential-request-error.ts';

export interface IssueRequest {
  readonly tenantId: string;
  readonly offerId: string;
  readonly type: CredentialType;
  readonly format: CredentialFormat;
  readonly configurationId: string;
  /** One holder per credential instance, each with its own key (checked by the caller). */
  readonly holders: readonly Holder[];
}

/** Whom one instance is bound to: the proof's key, and the DID its `kid` named, if it named one. */
export interface Holder {
  readonly key: Jwk;
  readonly did?: string;
}

/**
 * Signs one credential per holder key and ends the offer (OpenID4VCI 1.0 §8.3): each instance
 * bound to its own key, with its own salts (every `issueSdJwtVc` call draws fresh ones) and its
 * own random status index, so two instances share nothing a verifier could link (§13.4 on
 * unlinkability). The offer's claim values are deleted in the same transaction that writes the
 * records, unless the tenant keeps them.
 *
 * Both formats get one `exp` from `credentialExpiresAt`: `validity.days` after issuance, or the end
 * of the type's `untilClaim` day (UTC) when sooner; `jwt_vc_json` carries it as `expirationDate`.
 *
 * `dc+sd-jwt` is signed with the tenant's signer (its DID, or x5c); `jwt_vc_json` through Veramo's
 * credential plugin with the tenant's DID and key (`issueJwtVcJson`): a W3C credential names its
 * issuer by DID, so x5c tenants sign it with their DID too.
 */
export async function issueCredentials(context: IssuerContext, signer: TenantSigner, request: IssueRequest): Promise<string[]> {
  const { tenantId, offerId, type, format, configurationId, holders } = request;
  if (format !== 'dc+sd-jwt' && format !== 'jwt_vc_json') {
    throw new CredentialRequestError('unknown_credential_configuration', `The format ${format} is not issued`);
  }
  const claims = await context.store.getOfferClaims(tenantId, offerId);
  if (claims === undefined)
    throw new CredentialRequestError('credential_request_denied', 'The offer was already issued or has expired');
  const tenant = context.tenants.get(tenantId);
  const listId = tenant === undefined ? undefined : statusListIdFor(tenant, format);
  if (listId === undefined) throw new TypeError(`Unknown tenant ${tenantId}`);
  const issuedAt = Math.floor(context.clock() / 1000);
  // The type's own end date (a permit's valid_until) bounds exp. The offer was checked when it was
  // made, but it is redeemed up to offerTtlSeconds later: the day may have ended since. A credential
  // born expired is refused before any status index is spent (§8.3.1.2: not accepted, final).
  const expiresAt = credentialExpiresAt(type, issuedAt, claims);
  if (expiresAt <= issuedAt) {
    throw new CredentialRequestError(
      'credential_request_denied',
      `The day the claim ${type.validity.untilClaim ?? 'validity'} names is over: the credential would be born expired`,
    );
  }
  const indices = await context.store.allocateStatusIndices(tenantId, listId, holders.length);
  const statusUri = context.urls.statusList(tenantId, listId);
  const disclosable = format === 'dc+sd-jwt' ? disclosablePaths(type) : [];
  // SD-JWT VC "Document Integrity": wallets and verifiers that fetch the type metadata (served at
  // /types/<id> byte for byte) can check it is the document this credential was issued against.
  const vctIntegrity = format === 'dc+sd-jwt' ? typeMetadataIntegrity(typeMetadata(type)) : undefined;
  const credentials = await Promise.all(
    holders.map((holder, position) => {
      const status = { idx: indices[position] as number, uri: statusUri };
      if (format === 'jwt_vc_json') {
        return issueJwtVcJson({ keyring: context.keyring, tenantId, type, claims, holder, status, issuedAt, expiresAt });
      }
      return issueSdJwtVc({
        issuer: signer.issuer,
        vct: type.vct,
        ...(vctIntegrity !== undefined ? { vctIntegrity } : {}),
        claims,
        disclosable,
        holderKey: holder.key,
        status,
        issuedAt,
        expiresAt,
        signingKey: signer.signingKey,
        header: signer.header,
        crypto: nodeCrypto,
      });
    }),
  );
  const records: NewIssuanceRecord[] = indices.map((statusIndex) => ({
    id: randomToken(16),
    configurationId,
    format,
    statusListId: listId,
    statusIndex,
    ...(tenant?.keepClaims === true ? { claims } : {}),
  }));
  // Exactly once: a concurrent request for the same offer loses here and its credentials are discarded.
  if (!(await context.store.completeIssuance(tenantId, offerId, records))) {
    throw new CredentialRequestError('credential_request_denied', 'The offer was already issued');
  }
  return credentials;
}
