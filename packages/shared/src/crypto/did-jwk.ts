import { decodeBase64Url } from '../encoding/base64url.ts';
import type { JsonObject } from '../encoding/json.ts';
import { fail } from '../errors/tessera-error.ts';
import { carriesPrivateKey } from './jwk.ts';

/**
 * The JWK a did:jwk holds (did:jwk method specification, "Read": `did:jwk:` + base64url of the
 * UTF-8 JSON of the key). No network: the key is the identifier. Fails with `did_invalid` for a
 * value that is not base64url, not a UTF-8 JSON object with a `kty`, or that carries private key
 * material (the method's "Security Considerations": such a DID must be rejected). Whether the key
 * fits an algorithm is the caller's check (`publicJwkFor`).
 * @example
 * jwkOfDidJwk('did:jwk:eyJjcnYiOiJQLTI1NiIs…') // { crv: 'P-256', kty: 'EC', x: '…', y: '…' }
 */
export function jwkOfDidJwk(did: string): JsonObject {
  const match = typeof did === 'string' ? /^did:jwk:([A-Za-z0-9_-]+)$/.exec(did) : null;
  const bytes = match === null ? undefined : decodeBase64Url(match[1] as string);
  if (bytes === undefined) fail('did_invalid', 'A did:jwk must be did:jwk: followed by base64url');
  let jwk: unknown;
  try {
    jwk = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    fail('did_invalid', 'The did:jwk value is not UTF-8 JSON', cause);
  }
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk) || typeof (jwk as JsonObject).kty !== 'string') {
    fail('did_invalid', 'The did:jwk value is not a JWK');
  }
  if (carriesPrivateKey(jwk as object)) {
    fail('did_invalid', 'A did:jwk must not contain private key material');
  }
  return jwk as JsonObject;
}
