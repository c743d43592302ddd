import type { JsonObject } from '@tessera/shared';
import { errorCodeOfAsync } from '@tessera/shared/testing';
import { CompactEncrypt, importJWK, type JWK } from 'jose';
import { describe, expect, it } from 'vitest';
import { createResponseKey, decryptResponse, publicResponseKey } from './response-encryption.ts';

async function encrypt(publicJwk: JsonObject, plaintext: string, header: Record<string, unknown> = {}): Promise<string> {
  const key = await importJWK(publicJwk as JWK, 'ECDH-ES');
  return new CompactEncrypt(new TextEncoder().encode(plaintext))
    .setProtectedHeader({ alg: 'ECDH-ES', enc: 'A128GCM', kid: String(publicJwk.kid), ...header })
    .encrypt(key);
}

describe('response encryption (direct_post.jwt)', () => {
  it('creates a P-256 ECDH-ES key whose public half has no private part', async () => {
    const { privateJwk, publicJwk } = await createResponseKey('k1');
    expect(publicJwk).toMatchObject({ kty: 'EC', crv: 'P-256', kid: 'k1', use: 'enc', alg: 'ECDH-ES' });
    expect(publicJwk.d).toBeUndefined();
    expect(typeof privateJwk.d).toBe('string');
    expect(publicResponseKey(privateJwk)).toEqual(publicJwk);
  });

  it('decrypts A128GCM and A256GCM to the JSON payload', async () => {
    const { privateJwk, publicJwk } = await createResponseKey('k1');
    for (const enc of ['A128GCM', 'A256GCM']) {
      const jwe = await encrypt(publicJwk, '{"vp_token":{"q":["x~"]},"state":"s"}', { enc });
      expect(await decryptResponse(jwe, privateJwk, ['A128GCM', 'A256GCM'])).toEqual({ vp_token: { q: ['x~'] }, state: 's' });
    }
  });

  it('refuses an enc the verifier did not offer', async () => {
    const { privateJwk, publicJwk } = await createResponseKey('k1');
    const jwe = await encrypt(publicJwk, '{}', { enc: 'A256GCM' });
    expect(await errorCodeOfAsync(decryptResponse(jwe, privateJwk, ['A128GCM']))).toBe('response_undecryptable');
  });

  it('refuses a response encrypted to another key, or naming another kid', async () => {
    const mine = await createResponseKey('k1');
    const other = await createResponseKey('k2');
    expect(await errorCodeOfAsync(decryptResponse(await encrypt(other.publicJwk, '{}'), mine.privateJwk, ['A128GCM']))).toBe(
      'response_undecryptable',
    );
    const wrongKid = await encrypt(mine.publicJwk, '{}', { kid: 'k2' });
    expect(await errorCodeOfAsync(decryptResponse(wrongKid, mine.privateJwk, ['A128GCM']))).toBe('response_undecryptable');
  });

  it('refuses a nested or compressed payload header', async () => {
    const { privateJwk, publicJwk } = await createResponseKey('k1');
    const nested = await encrypt(publicJwk, '{}', { cty: 'JWT' });
    expect(await errorCodeOfAsync(decryptResponse(nested, privateJwk, ['A128GCM']))).toBe('response_undecryptable');
  });

  it('refuses what is not a compact JWE, a payload that is not a JSON object, and an oversized response', async () => {
    const { privateJwk, publicJwk } = await createResponseKey('k1');
    expect(await errorCodeOfAsync(decryptResponse('a.b.c', privateJwk, ['A128GCM']))).toBe('response_malformed');
    expect(await errorCodeOfAsync(decryptResponse(await encrypt(publicJwk, '[1]'), privateJwk, ['A128GCM']))).toBe(
      'response_malformed',
    );
    expect(await errorCodeOfAsync(decryptResponse(await encrypt(publicJwk, 'not json'), privateJwk, ['A128GCM']))).toBe(
      'response_malformed',
    );
    expect(await errorCodeOfAsync(decryptResponse(`${'a'.repeat(1024 * 1024)}.b.c.d.e`, privateJwk, ['A128GCM']))).toBe(
      'response_malformed',
    );
  });

  it('refuses a tampered ciphertext', async () => {
    const { privateJwk, publicJwk } = await createResponseKey('k1');
    const parts = (await encrypt(publicJwk, '{"a":1}')).split('.');
    parts[3] = `${parts[3]?.startsWith('A') ? 'B' : 'A'}${parts[3]?.slice(1)}`;
    expect(await errorCodeOfAsync(decryptResponse(parts.join('.'), privateJwk, ['A128GCM']))).toBe('response_undecryptable');
  });
});
