import type { JsonObject, SigningKey } from '@tessera/shared';
import { issueTenantCertificate } from '../tenants/index.ts';
import type { IssuerContext } from './issuer-context.ts';

/** What a tenant signs credentials and status lists with, and the `iss` verifiers see. */
export interface TenantSigner {
  /** `iss`: the tenant's DID (`keySource: 'did'`) or its https Credential Issuer Identifier (`x5c`). */
  readonly issuer: string;
  readonly signingKey: SigningKey;
  /** Extra JWS header members: `x5c` for certificate-based tenants (`kid` comes with `signingKey`). */
  readonly header: JsonObject;
}

/** The tenant's current signer; `keySource` overrides the tenant's own (its DID, for lists W3C credentials use). */
export type TenantSigners = (tenantId: string, keySource?: 'did' | 'x5c') => Promise<TenantSigner>;

/**
 * The tenant's current signer. With `keySource: 'did'`, verifiers resolve `kid` through the DID
 * (did:web document, or the did:jwk itself). With `x5c`, the header carries a certificate for the
 * current key from the development CA, naming the issuer identifier in its SAN (HAIP 1.0 §6.1.1);
 * certificates are made once per key and kept for the process's life.
 */
export function createTenantSigners(context: IssuerContext): TenantSigners {
  const certificates = new Map<string, Promise<string[]>>();
  return async (tenantId, keySource) => {
    const tenant = context.tenants.get(tenantId);
    if (tenant === undefined) throw new TypeError(`Unknown tenant ${tenantId}`);
    const identity = await context.keyring.identity(tenantId);
    if ((keySource ?? tenant.keySource) === 'did') return { issuer: identity.did, signingKey: identity.signingKey, header: {} };
    const ca = context.developmentCa;
    if (ca === undefined) throw new TypeError(`Tenant ${tenantId} signs with x5c but no certificate authority is configured`);
    const issuer = context.urls.issuer(tenantId);
    let x5c = certificates.get(identity.kid);
    if (x5c === undefined) {
      x5c = issueTenantCertificate(ca, { publicJwk: identity.publicJwk, issuer, name: tenant.name.en ?? tenantId }).then(
        (c) => c.x5c,
      );
      certificates.set(identity.kid, x5c);
      x5c.catch(() => certificates.delete(identity.kid));
    }
    // With x5c the certificate names the key: a `kid` would be a second, unverifiable pointer.
    const { kid: _kid, ...signingKey } = identity.signingKey;
    return { issuer, signingKey, header: { x5c: await x5c } };
  };
}
