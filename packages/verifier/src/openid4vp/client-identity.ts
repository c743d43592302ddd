import { encodeBase64Url, type JsonObject } from '@tessera/shared';
import type { ClientIdentity } from './types.ts';

/** RFC 9101 §4 / OpenID4VP 1.0 §5: the `typ` of every request object. */
export const REQUEST_OBJECT_TYP = 'oauth-authz-req+jwt';

/**
 * The client id a wallet sees and its KB-JWTs must name as `aud` (OpenID4VP 1.0 §5.9.3). For
 * `redirect_uri:` it is the response URI, so it differs per transaction.
 */
export async function clientIdFor(identity: ClientIdentity, responseUri: string): Promise<string> {
  switch (identity.prefix) {
    case 'x509_hash':
      return `x509_hash:${await x509Hash(leafOf(identity.certificateChain))}`;
    case 'decentralized_identifier':
      return `decentralized_identifier:${identity.did}`;
    case 'redirect_uri':
      return `redirect_uri:${responseUri}`;
  }
}

/**
 * The JOSE header of a request object: `x5c` for `x509_hash:` (the wallet hashes the leaf and
 * compares it with the client id), `kid` (a DID URL of the verifier's DID) for
 * `decentralized_identifier:`. `redirect_uri:` requests are never signed (§5.9.3).
 */
export function requestObjectHeader(identity: ClientIdentity): JsonObject {
  switch (identity.prefix) {
    case 'x509_hash':
      return { typ: REQUEST_OBJECT_TYP, x5c: [...identity.certificateChain] };
    case 'decentralized_identifier':
      return { typ: REQUEST_OBJECT_TYP, kid: identity.signingKey.kid };
    case 'redirect_uri':
      throw new TypeError('redirect_uri: requests are unsigned and travel by value');
  }
}

/** Checks a client identity at start-up, so a misconfigured desk fails before it shows any QR code. */
export function checkClientIdentity(identity: ClientIdentity): void {
  switch (identity.prefix) {
    case 'x509_hash': {
      if (identity.certificateChain.length === 0) throw new TypeError('x509_hash: needs the certificate chain, leaf first');
      for (const entry of identity.certificateChain) {
        if (typeof entry !== 'string' || !/^[A-Za-z0-9+/]+={0,2}$/.test(entry)) {
          throw new TypeError('x509_hash: certificateChain entries are standard base64 DER (the x5c form)');
        }
      }
      return;
    }
    case 'decentralized_identifier': {
      if (!/^did:[a-z0-9]+:\S+$/.test(identity.did)) throw new TypeError('decentralized_identifier: did must be a DID');
      // §5.9.3: the wallet finds the key through the `kid`, which must be a DID URL of this DID.
      if (!identity.signingKey.kid.startsWith(`${identity.did}#`)) {
        throw new TypeError('decentralized_identifier: signingKey.kid must be a DID URL of the DID (did#fragment)');
      }
      return;
    }
    case 'redirect_uri':
      if (identity.development !== true) throw new TypeError('redirect_uri: is for development only: set development: true');
      return;
  }
}

/** base64url(SHA-256(DER)) of a certificate given in the standard base64 of `x5c` (OpenID4VP 1.0 §5.9.3, `x509_hash`). */
export async function x509Hash(certificateBase64: string): Promise<string> {
  const der = Uint8Array.from(atob(certificateBase64), (char) => char.charCodeAt(0));
  return encodeBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', der)));
}

function leafOf(chain: readonly string[]): string {
  const leaf = chain[0];
  if (leaf === undefined) throw new TypeError('x509_hash: needs the certificate chain, leaf first');
  return leaf;
}
