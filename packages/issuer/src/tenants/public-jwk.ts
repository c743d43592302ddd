import { ECDH } from 'node:crypto';
import type { Jwk } from '@tessera/shared';
import { calculateJwkThumbprint } from 'jose';

/**
 * The public JWK (RFC 7518 §6.2.1) of a P-256 key as Veramo's local KMS reports it: `publicKeyHex`
 * is the compressed SEC1 point (33 bytes), which JWK cannot carry, so it is decompressed here.
 */
export function p256PublicJwk(publicKeyHex: string): Jwk {
  if (!/^0[23][0-9a-f]{64}$/i.test(publicKeyHex)) throw new Error('The key is not a compressed P-256 public key');
  const point = ECDH.convertKey(publicKeyHex, 'prime256v1', 'hex', undefined, 'uncompressed') as Buffer;
  return {
    kty: 'EC',
    crv: 'P-256',
    x: point.subarray(1, 33).toString('base64url'),
    y: point.subarray(33, 65).toString('base64url'),
  };
}

/** The RFC 7638 SHA-256 thumbprint of a public JWK: a stable fragment for its verification method. */
export function jwkThumbprint(jwk: Jwk): Promise<string> {
  return calculateJwkThumbprint(
    { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y } as Parameters<typeof calculateJwkThumbprint>[0],
    'sha256',
  );
}
