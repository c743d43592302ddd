import { encodeBase64Url, generateKeyPair, issueSdJwtVc } from '@tessera/shared';
import { nodeCrypto, nodeSigningKey } from '@tessera/shared/node';
import { describe, expect, it } from 'vitest';
import { holderView } from './held-credentials.ts';

const b64 = (value: unknown): string => encodeBase64Url(new TextEncoder().encode(JSON.stringify(value)));

describe('holderView', () => {
  it('puts every disclosure in place, nested and in arrays, and drops the digests', async () => {
    const issuer = await generateKeyPair();
    const sdJwt = await issueSdJwtVc({
      issuer: 'did:example:issuer',
      vct: 'urn:test',
      claims: { given_name: 'A', address: { locality: 'Bologna' }, nationalities: ['SY', 'IT'] },
      disclosable: [['given_name'], ['address'], ['address', 'locality'], ['nationalities', 0]],
      signingKey: nodeSigningKey(issuer.privateJwk, 'ES256'),
      crypto: nodeCrypto,
    });
    const claims = await holderView(sdJwt);
    expect(claims).toMatchObject({
      given_name: 'A',
      address: { locality: 'Bologna' },
      nationalities: ['SY', 'IT'],
      vct: 'urn:test',
    });
    expect(JSON.stringify(claims)).not.toMatch(/_sd|\.\.\./);
  });

  it('keeps a disclosed "__proto__" as a plain property, never as the prototype', async () => {
    const disclosure = b64(['salt', '__proto__', { polluted: true }]);
    const digest = encodeBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(disclosure))));
    const jwt = `${b64({ alg: 'ES256' })}.${b64({ _sd: [digest], _sd_alg: 'sha-256' })}.${b64('sig')}`;
    const claims = await holderView(`${jwt}~${disclosure}~`);
    expect(Object.getPrototypeOf(claims)).toBe(Object.prototype);
    expect((claims as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.hasOwn(claims, '__proto__')).toBe(true);
  });

  it('fails with a typed error on a string that is not an SD-JWT', async () => {
    await expect(holderView('not-an-sd-jwt')).rejects.toMatchObject({ code: 'not_sd_jwt' });
  });
});
