import { encodeBase64Url, type Jwk } from '@tessera/shared';

/**
 * The holder's `did:jwk` for a public key from a proof's `jwk` header (did:jwk method
 * specification, "Create": `did:jwk:` + base64url of the UTF-8 JSON of the JWK). Only the public
 * members RFC 7638 §3.2 names are kept, in its lexicographic order, so one key always gives one
 * DID whatever else the wallet put in its `jwk` header.
 * @example
 * didJwkOf({ kty: 'EC', crv: 'P-256', x: '…', y: '…' }) // 'did:jwk:eyJjcnYiOiJQLTI1NiIs…'
 */
export function didJwkOf(jwk: Jwk): string {
  if (jwk.kty !== 'EC' || typeof jwk.crv !== 'string' || typeof jwk.x !== 'string' || typeof jwk.y !== 'string') {
    throw new TypeError('A holder key for jwt_vc_json must be a public EC JWK');
  }
  const json = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y });
  return `did:jwk:${encodeBase64Url(new TextEncoder().encode(json))}`;
}
