import type { Jwk } from '@tessera/shared';

/** A DID document as the service serves it for a did:web tenant. */
export interface TenantDidDocument {
  '@context': string[];
  id: string;
  verificationMethod: TenantVerificationMethod[];
  assertionMethod: string[];
}

export interface TenantVerificationMethod {
  id: string;
  type: 'JsonWebKey2020';
  controller: string;
  publicKeyJwk: Jwk;
}

/**
 * Builds the document of a did:web tenant from its keys, the current one first. Every key the
 * tenant ever signed with stays listed as an assertion method (DID Core §5.3.2), so credentials
 * issued before a rotation still verify; `id` is exactly the DID (did:web method §3.2).
 */
export function buildDidDocument(did: string, keys: readonly { kid: string; publicJwk: Jwk }[]): TenantDidDocument {
  const verificationMethod = keys.map(
    ({ kid, publicJwk }): TenantVerificationMethod => ({
      id: kid,
      type: 'JsonWebKey2020',
      controller: did,
      publicKeyJwk: publicOnly(publicJwk),
    }),
  );
  return {
    '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/jws-2020/v1'],
    id: did,
    verificationMethod,
    assertionMethod: verificationMethod.map((method) => method.id),
  };
}

/** The members of an EC public key (RFC 7518 §6.2.1), so nothing else in a JWK can leak into the document. */
function publicOnly(jwk: Jwk): Jwk {
  const { kty, crv, x, y } = jwk;
  if (kty !== 'EC' || typeof crv !== 'string' || typeof x !== 'string' || typeof y !== 'string') {
    throw new TypeError('A tenant key must be an EC public JWK');
  }
  return { kty, crv, x, y };
}
