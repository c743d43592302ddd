import { fail, type JsonObject } from '@tessera/shared';
import type { CredentialOffer } from './credential-offer.ts';
import { checkUrl, getJsonObject, isObject, type WalletHttp } from './wallet-http.ts';

/** What the wallet uses of the Credential Issuer Metadata (OpenID4VCI 1.0 §12.2.4). */
export interface IssuerMetadata {
  credentialIssuer: string;
  credentialEndpoint: string;
  nonceEndpoint?: string;
  authorizationServers?: string[];
  /** `batch_credential_issuance.batch_size`; 1 when the issuer does not offer batches. */
  batchSize: number;
  /** The issuer's `display` entries (name, locale, logo), as published. */
  display: JsonObject[];
  /** `credential_configurations_supported`. */
  configurations: Record<string, JsonObject>;
}

/**
 * `https://host/.well-known/<name>/<path>`: the well-known segment goes between host and path
 * (OpenID4VCI 1.0 §12.2.2, RFC 8414 §3.1), not after the path.
 */
export function wellKnownUrl(identifier: string, name: string): string {
  const url = new URL(identifier);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  return `${url.origin}/.well-known/${name}${path}`;
}

/**
 * Fetches and checks the Credential Issuer Metadata of the offer's issuer. `Accept-Language: *`
 * asks for every language (§12.2.2), because the wallet stores the display data in all of them and
 * picks one at display time. The metadata's `credential_issuer` must equal the offer's (§12.2.2:
 * otherwise the metadata is not to be used). Fails with `issuer_metadata_invalid` or `fetch_*`.
 */
export async function fetchIssuerMetadata(offer: CredentialOffer, http: WalletHttp): Promise<IssuerMetadata> {
  const url = wellKnownUrl(offer.credentialIssuer, 'openid-credential-issuer');
  const value = await getJsonObject(url, { 'accept-language': '*' }, http, 'issuer_metadata_invalid', 'The issuer metadata');
  if (value.credential_issuer !== offer.credentialIssuer) {
    fail('issuer_metadata_invalid', 'The issuer metadata is for another credential_issuer than the offer');
  }
  const insecure = http.allowInsecureLocalhost;
  const endpoint = (name: string) => checkUrl(value[name], `The ${name}`, insecure, 'issuer_metadata_invalid').href;
  const metadata: IssuerMetadata = {
    credentialIssuer: offer.credentialIssuer,
    credentialEndpoint: endpoint('credential_endpoint'),
    batchSize: 1,
    display: [],
    configurations: {},
  };
  if (value.nonce_endpoint !== undefined) metadata.nonceEndpoint = endpoint('nonce_endpoint');
  if (value.authorization_servers !== undefined) {
    const servers = value.authorization_servers;
    if (!Array.isArray(servers) || servers.length === 0) {
      fail('issuer_metadata_invalid', 'authorization_servers must be a non-empty list');
    }
    for (const server of servers) checkUrl(server, 'An authorization server', insecure, 'issuer_metadata_invalid');
    metadata.authorizationServers = servers as string[];
  }
  const batch = value.batch_credential_issuance;
  if (batch !== undefined) {
    const size = isObject(batch) ? batch.batch_size : undefined;
    // §12.2.4: batch_size is an integer of 2 or more.
    if (!Number.isSafeInteger(size) || (size as number) < 2) fail('issuer_metadata_invalid', 'batch_size must be an integer ≥ 2');
    metadata.batchSize = size as number;
  }
  if (value.display !== undefined) {
    if (!Array.isArray(value.display) || !value.display.every(isObject)) {
      fail('issuer_metadata_invalid', 'The issuer display must be a list of objects');
    }
    metadata.display = value.display as JsonObject[];
  }
  const configurations = value.credential_configurations_supported;
  if (!isObject(configurations) || !Object.values(configurations).every(isObject)) {
    fail('issuer_metadata_invalid', 'credential_configurations_supported must be an object of objects');
  }
  metadata.configurations = configurations as Record<string, JsonObject>;
  return metadata;
}

/**
 * The token endpoint of the authorization server for this offer: the one the offer names (it must
 * be listed in `authorization_servers`), the only one listed, or the issuer itself when none is
 * listed (§12.2.4). Its RFC 8414 metadata must name it as `issuer` (§3.3).
 */
export async function fetchTokenEndpoint(offer: CredentialOffer, metadata: IssuerMetadata, http: WalletHttp): Promise<string> {
  const listed = metadata.authorizationServers;
  let server: string;
  if (listed === undefined) {
    if (offer.authorizationServer !== undefined && offer.authorizationServer !== metadata.credentialIssuer) {
      fail('offer_invalid', 'The offer names an authorization server the issuer does not list');
    }
    server = metadata.credentialIssuer;
  } else if (offer.authorizationServer !== undefined) {
    if (!listed.includes(offer.authorizationServer)) {
      fail('offer_invalid', 'The offer names an authorization server the issuer does not list');
    }
    server = offer.authorizationServer;
  } else {
    if (listed.length !== 1) fail('offer_invalid', 'The issuer lists several authorization servers and the offer names none');
    server = listed[0] as string;
  }
  const url = wellKnownUrl(server, 'oauth-authorization-server');
  const value = await getJsonObject(url, {}, http, 'issuer_metadata_invalid', 'The authorization server metadata');
  if (value.issuer !== server) fail('issuer_metadata_invalid', 'The authorization server metadata names another issuer');
  return checkUrl(value.token_endpoint, 'The token_endpoint', http.allowInsecureLocalhost, 'issuer_metadata_invalid').href;
}
