import { fail, type Jwk, jwtVcIssuerMetadataUrl, resolveJwtVcIssuerKey } from '@tessera/shared';
import type { SafeFetch } from '../fetch/safe-fetch.ts';

/**
 * Issuer keys from JWT VC Issuer Metadata (draft-ietf-oauth-sd-jwt-vc §5), through the verifier's
 * hardened fetch. The metadata rules (URL, exact `issuer`, `jwks` xor `jwks_uri`, picking by
 * `kid`, no private keys) live once in @tessera/shared, where the wallet uses them too.
 */

export interface IssuerMetadataOptions {
  /** The hardened fetch, for the metadata and for `jwks_uri`. */
  fetch: SafeFetch;
  /**
   * Development only: accept an `http://localhost`, `http://127.0.0.1` or `http://[::1]` issuer
   * (the specification requires https). The `SafeFetch` must also allow insecure localhost.
   */
  allowInsecureLocalhost?: boolean;
  /** Largest metadata or JWK Set document accepted, in bytes. Default: the fetch's limit. */
  maxBytes?: number;
}

/**
 * The metadata URL for an issuer identifier (draft-ietf-oauth-sd-jwt-vc §5, §5.1).
 * @example issuerMetadataUrl('https://issuer.example/tenant/1') // 'https://issuer.example/.well-known/jwt-vc-issuer/tenant/1'
 */
export const issuerMetadataUrl: (iss: string, options?: { allowInsecureLocalhost?: boolean }) => string = jwtVcIssuerMetadataUrl;

/**
 * The public JWK an issuer signed with, from its JWT VC Issuer Metadata (§5.2, §5.3). Fails with
 * `issuer_metadata_invalid`, `issuer_key_not_found` or a `fetch_*` code.
 * @example
 * const jwk = await resolveIssuerMetadataKey(payload.iss, header.kid, { fetch });
 */
export function resolveIssuerMetadataKey(iss: string, kid: string | undefined, options: IssuerMetadataOptions): Promise<Jwk> {
  return resolveJwtVcIssuerKey(iss, kid, {
    getJson: async (url, accept) => {
      const response = await options.fetch({
        url,
        accept,
        ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
      });
      try {
        return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(response.body));
      } catch {
        fail('issuer_metadata_invalid', 'A metadata document is not UTF-8 JSON');
      }
    },
    allowInsecureLocalhost: options.allowInsecureLocalhost === true,
  });
}
