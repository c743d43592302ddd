import { encodeBase64Url } from '../encoding/base64url.ts';

/**
 * `bytes` bytes from the CSPRNG, base64url: the one way Tessera makes nonces, `state`s,
 * transaction ids, pre-authorized codes, access tokens and API key secrets (and short public ids).
 * URL-safe, as OpenID4VP 1.0 §5.2 asks of `nonce` and `state`; secrets take at least 16 bytes,
 * the 128 bits those specs require.
 */
export function randomToken(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > 1024) throw new TypeError('bytes must be a whole number from 1 to 1024');
  return encodeBase64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}
