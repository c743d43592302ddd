import { describe, expect, it } from 'vitest';
import { encodeBase64Url } from '../encoding/base64url.ts';
import { isTesseraError } from '../errors/tessera-error.ts';
import { nodeCrypto } from './node.ts';
import type { CryptoProvider, Jwk } from './types.ts';
import { generateKeyPair, webCrypto } from './web.ts';

// A point with well-formed coordinates that is not on P-256: x = 1, y = 1.
const one = encodeBase64Url(new Uint8Array(32).fill(0).map((_, i) => (i === 31 ? 1 : 0)));
const offCurve: Jwk = { kty: 'EC', crv: 'P-256', x: one, y: one };

describe.each([
  ['node:crypto', nodeCrypto],
  ['WebCrypto', webCrypto],
] as [string, CryptoProvider][])('the %s provider', (_name, crypto) => {
  it('refuses a key whose point is not on the curve, every time it is asked', async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await Promise.resolve()
        .then(() => crypto.verifier(offCurve, 'ES256'))
        .then(
          () => undefined,
          (e: unknown) => e,
        );
      expect(isTesseraError(error, 'invalid_key')).toBe(true);
    }
  });

  it('refuses a public key carrying private material even after the same key was cached', async () => {
    const { privateJwk, publicJwk } = await generateKeyPair();
    await crypto.verifier(publicJwk, 'ES256');
    expect(() => crypto.verifier(privateJwk, 'ES256')).toThrow(expect.objectContaining({ code: 'invalid_key' }));
  });

  it('refuses a cached key under an algorithm it does not fit', async () => {
    const { publicJwk } = await generateKeyPair();
    await crypto.verifier(publicJwk, 'ES256');
    expect(() => crypto.verifier(publicJwk, 'ES384')).toThrow(expect.objectContaining({ code: 'invalid_key' }));
    expect(() => crypto.verifier({ ...publicJwk, x: [publicJwk.x] } as unknown as Jwk, 'ES256')).toThrow(
      expect.objectContaining({ code: 'invalid_key' }),
    );
  });
});
