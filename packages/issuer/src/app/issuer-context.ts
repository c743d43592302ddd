import type { Clock } from '@tessera/shared';
import type { DevelopmentCa } from '@tessera/shared/node';
import type { IssuerConfig, TenantConfig } from '../config/issuer-config.ts';
import type { CredentialType } from '../credential-types/index.ts';
import type { IssuerStore } from '../store/index.ts';
import type { TenantKeyring } from '../tenants/index.ts';

/**
 * Everything a route of the issuer service needs, built once by `createIssuerApp`: the parsed
 * configuration, the credential types, storage, the tenants' keys, the clock and the URLs.
 */
export interface IssuerContext {
  readonly config: IssuerConfig;
  readonly tenants: ReadonlyMap<string, TenantConfig>;
  /** Credential types by id. */
  readonly types: ReadonlyMap<string, CredentialType>;
  readonly store: IssuerStore;
  readonly keyring: TenantKeyring;
  readonly clock: Clock;
  readonly urls: IssuerUrls;
  /** For `keySource: 'x5c'` tenants: the CA that certifies their current key. */
  readonly developmentCa?: DevelopmentCa;
}

/**
 * The service's URLs. A tenant's Credential Issuer Identifier is `<baseUrl>/tenants/<id>`
 * (OpenID4VCI 1.0 §12.2.1: https, host and path); its well-known documents are found by inserting
 * the well-known segment between host and path (§12.2.2, RFC 8414 §3, SD-JWT VC §5.1).
 */
export interface IssuerUrls {
  readonly base: string;
  issuer(tenantId: string): string;
  credentialIssuerMetadata(tenantId: string): string;
  authorizationServerMetadata(tenantId: string): string;
  jwtVcIssuerMetadata(tenantId: string): string;
  token(tenantId: string): string;
  nonce(tenantId: string): string;
  credential(tenantId: string): string;
  offer(tenantId: string, offerId: string): string;
  statusList(tenantId: string, listId: string): string;
  didDocument(tenantId: string): string;
  typeMetadata(typeId: string): string;
}

export function issuerUrls(baseUrl: string): IssuerUrls {
  const base = baseUrl.replace(/\/+$/, '');
  const tenantPath = (tenantId: string) => `/tenants/${encodeURIComponent(tenantId)}`;
  const issuer = (tenantId: string) => `${base}${tenantPath(tenantId)}`;
  return {
    base,
    issuer,
    credentialIssuerMetadata: (tenantId) => `${base}/.well-known/openid-credential-issuer${tenantPath(tenantId)}`,
    authorizationServerMetadata: (tenantId) => `${base}/.well-known/oauth-authorization-server${tenantPath(tenantId)}`,
    jwtVcIssuerMetadata: (tenantId) => `${base}/.well-known/jwt-vc-issuer${tenantPath(tenantId)}`,
    token: (tenantId) => `${issuer(tenantId)}/token`,
    nonce: (tenantId) => `${issuer(tenantId)}/nonce`,
    credential: (tenantId) => `${issuer(tenantId)}/credential`,
    offer: (tenantId, offerId) => `${issuer(tenantId)}/offers/${encodeURIComponent(offerId)}`,
    statusList: (tenantId, listId) => `${issuer(tenantId)}/status/${encodeURIComponent(listId)}`,
    didDocument: (tenantId) => `${issuer(tenantId)}/did.json`,
    typeMetadata: (typeId) => `${base}/types/${encodeURIComponent(typeId)}`,
  };
}

/** The status list each tenant issues into (more lists when it fills up: a later step). */
export const STATUS_LIST_ID = 'main';
/**
 * For `keySource: 'x5c'` tenants, the list their W3C credentials point to: those are signed with
 * the tenant's DID (a W3C VC-JWT issuer is a DID), and a status list token must come from the
 * same issuer as the credentials that use it, so this list is signed with the DID too.
 */
export const DID_STATUS_LIST_ID = 'did';

/** The list a credential of `format` from `tenant` points to. */
export function statusListIdFor(tenant: { keySource: 'did' | 'x5c' }, format: string): string {
  return tenant.keySource === 'x5c' && format === 'jwt_vc_json' ? DID_STATUS_LIST_ID : STATUS_LIST_ID;
}
