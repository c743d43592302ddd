import { encodeBase64Url, generateKeyPair, type Jwk } from '@tessera/shared';
import { errorCodeOfAsync } from '@tessera/shared/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DidKeyOptions, didWebUrl, resolveDidKey } from './did-key.ts';

/** did:jwk never reaches the network: a fetch that is called fails the test. */
const offline: DidKeyOptions['http'] = {
  fetch: async () => {
    throw new Error('did:jwk must not fetch');
  },
  allowInsecureLocalhost: false,
  timeoutMs: 1000,
  maxBytes: 1024,
};
const didJwk = (jwk: unknown): string => `did:jwk:${encodeBase64Url(new TextEncoder().encode(JSON.stringify(jwk)))}`;

describe('resolveDidKey for did:jwk (did:jwk §2.2)', () => {
  let publicJwk: Jwk;
  let did: string;
  const options = (kid: string | undefined): DidKeyOptions => ({
    kid,
    purpose: 'verificationMethod',
    http: offline,
    notFound: 'client_id_mismatch',
  });

  beforeAll(async () => {
    publicJwk = (await generateKeyPair()).publicJwk;
    did = didJwk(publicJwk);
  });

  it('decodes the key locally for the kid #0, absolute or relative, or no kid', async () => {
    for (const kid of [`${did}#0`, '#0', undefined]) expect(await resolveDidKey(did, options(kid))).toEqual(publicJwk);
  });

  it('refuses another fragment with the caller’s code, and a DID that holds no P-256 public key with did_invalid', async () => {
    expect(await errorCodeOfAsync(resolveDidKey(did, options(`${did}#1`)))).toBe('client_id_mismatch');
    const { privateJwk } = await generateKeyPair();
    expect(await errorCodeOfAsync(resolveDidKey(didJwk(privateJwk), options(undefined)))).toBe('did_invalid');
    expect(await errorCodeOfAsync(resolveDidKey(didJwk({ kty: 'OKP', crv: 'Ed25519', x: 'AAAA' }), options(undefined)))).toBe(
      'did_invalid',
    );
    expect(await errorCodeOfAsync(resolveDidKey('did:jwk:not*base64', options(undefined)))).toBe('did_invalid');
  });

  it('refuses DID methods it does not resolve with the caller’s code', async () => {
    expect(await errorCodeOfAsync(resolveDidKey('did:key:z6Mkexample', options(undefined)))).toBe('client_id_mismatch');
  });
});

describe('didWebUrl (did:web §3.2)', () => {
  it('maps loopback hosts to https unless insecure localhost is allowed', () => {
    expect(didWebUrl('did:web:127.0.0.1%3A8080:verifiers:desk', false)).toBe('https://127.0.0.1:8080/verifiers/desk/did.json');
    expect(didWebUrl('did:web:127.0.0.1%3A8080:verifiers:desk', true)).toBe('http://127.0.0.1:8080/verifiers/desk/did.json');
    expect(didWebUrl('did:web:desk.example', true)).toBe('https://desk.example/.well-known/did.json');
  });
});
