import { generateKeyPairSync } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { errorCodeOfAsync } from '@tessera/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBrowserFetch } from '../fetch/browser-fetch.ts';
import { createNodeFetch } from '../node/node-fetch.ts';
import {
  createTestCertificate,
  hasOpenssl,
  type Route,
  routes,
  startHttpServer,
  startHttpsServer,
  type TestCertificate,
  type TestServer,
} from '../node/test-servers.ts';
import { issuerMetadataUrl, resolveIssuerMetadataKey } from './issuer-metadata.ts';

function publicJwk(kid?: string): Record<string, string> {
  const { kty, crv, x, y } = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
  return { kty: kty as string, crv: crv as string, x: x as string, y: y as string, ...(kid === undefined ? {} : { kid }) };
}

function withoutKid(jwk: Record<string, string>): Record<string, string> {
  const { kid: _kid, ...rest } = jwk;
  return rest;
}

describe('issuerMetadataUrl', () => {
  it('inserts the well-known segment between host and path (draft-ietf-oauth-sd-jwt-vc §5.1)', () => {
    expect(issuerMetadataUrl('https://example.com')).toBe('https://example.com/.well-known/jwt-vc-issuer');
    expect(issuerMetadataUrl('https://example.com/')).toBe('https://example.com/.well-known/jwt-vc-issuer');
    expect(issuerMetadataUrl('https://example.com/tenant/1234')).toBe(
      'https://example.com/.well-known/jwt-vc-issuer/tenant/1234',
    );
    expect(issuerMetadataUrl('https://example.com/tenant/1234/')).toBe(
      'https://example.com/.well-known/jwt-vc-issuer/tenant/1234',
    );
    expect(issuerMetadataUrl('https://example.com:8443/tenant')).toBe(
      'https://example.com:8443/.well-known/jwt-vc-issuer/tenant',
    );
  });

  it('refuses issuers that are not https URLs without query, fragment or credentials, in canonical form', () => {
    for (const iss of [
      'http://example.com',
      'https://example.com/tenant?x=1',
      'https://example.com/tenant#frag',
      'https://user:pw@example.com',
      'https://example.com/a/../b',
      'https://EXAMPLE.com',
      'https://example.com:443/x',
      'did:web:example.com',
      'not a url',
      'http://localhost:8080',
    ]) {
      expect(() => issuerMetadataUrl(iss), iss).toThrow(expect.objectContaining({ code: 'issuer_metadata_invalid' }));
    }
  });

  it('accepts an http localhost issuer only behind the development flag', () => {
    const dev = { allowInsecureLocalhost: true };
    expect(issuerMetadataUrl('http://localhost:8080/t', dev)).toBe('http://localhost:8080/.well-known/jwt-vc-issuer/t');
    expect(issuerMetadataUrl('http://127.0.0.1:8080', dev)).toBe('http://127.0.0.1:8080/.well-known/jwt-vc-issuer');
    expect(() => issuerMetadataUrl('http://issuer.example', dev)).toThrow(
      expect.objectContaining({ code: 'issuer_metadata_invalid' }),
    );
  });
});

describe('resolveIssuerMetadataKey against a local server', () => {
  let server: TestServer;
  let origin: string;
  const table: Record<string, Route> = {};
  const keyA = publicJwk('key-a');
  const keyB = publicJwk('key-b');
  const single = publicJwk();
  const fetch = createBrowserFetch({ allowInsecureLocalhost: true, timeoutMs: 2000 });
  const options = { fetch, allowInsecureLocalhost: true };

  const serve = (tenant: string, metadata: (iss: string) => Record<string, unknown>): void => {
    table[`/.well-known/jwt-vc-issuer/${tenant}`] = metadata(`${origin}/${tenant}`);
  };

  beforeAll(async () => {
    server = await startHttpServer(routes(table));
    origin = server.origin;
    table['/.well-known/jwt-vc-issuer'] = { issuer: origin, jwks: { keys: [single] } };
    serve('inline', (issuer) => ({ issuer, jwks: { keys: [keyA, keyB, { ...publicJwk('enc-key'), use: 'enc' }] } }));
    serve('by-uri', (issuer) => ({ issuer, jwks_uri: `${origin}/keys/by-uri.json` }));
    table['/keys/by-uri.json'] = { keys: [keyA, keyB] };
    serve('other-issuer', () => ({ issuer: `${origin}/someone-else`, jwks: { keys: [keyA] } }));
    serve('trailing-slash', (issuer) => ({ issuer: `${issuer}/`, jwks: { keys: [keyA] } }));
    serve('both', (issuer) => ({ issuer, jwks: { keys: [keyA] }, jwks_uri: `${origin}/keys/by-uri.json` }));
    serve('neither', (issuer) => ({ issuer }));
    serve('private', (issuer) => ({ issuer, jwks: { keys: [keyA, { ...keyB, d: 'AAAA' }] } }));
    serve('duplicate-kid', (issuer) => ({ issuer, jwks: { keys: [keyA, { ...keyB, kid: 'key-a' }] } }));
    serve('not-a-set', (issuer) => ({ issuer, jwks: [keyA] }));
    serve('metadata-uri', (issuer) => ({ issuer, jwks_uri: 'https://169.254.169.254/latest/meta-data/keys' }));
    serve('redirecting-uri', (issuer) => ({ issuer, jwks_uri: `${origin}/keys/redirect` }));
    table['/keys/redirect'] = (_req: unknown, res: ServerResponse) => res.writeHead(302, { location: '/keys/by-uri.json' }).end();
    table['/.well-known/jwt-vc-issuer/not-json'] = (_req: unknown, res: ServerResponse) => res.writeHead(200).end('<html>');
  });

  afterAll(async () => {
    await server.close();
  });

  it('picks the key by kid from inline jwks, and the only key without kid', async () => {
    expect(await resolveIssuerMetadataKey(`${origin}/inline`, 'key-b', options)).toEqual(withoutKid(keyB));
    expect(await resolveIssuerMetadataKey(origin, undefined, options)).toEqual(single);
    expect(server.requests).toContain('GET /.well-known/jwt-vc-issuer/inline');
  });

  it('fetches the JWK Set from jwks_uri through the same fetch', async () => {
    expect(await resolveIssuerMetadataKey(`${origin}/by-uri`, 'key-a', options)).toEqual(withoutKid(keyA));
    expect(server.requests).toContain('GET /keys/by-uri.json');
  });

  it('refuses metadata whose issuer is not exactly iss', async () => {
    expect(await errorCodeOfAsync(resolveIssuerMetadataKey(`${origin}/other-issuer`, 'key-a', options))).toBe(
      'issuer_metadata_invalid',
    );
    expect(await errorCodeOfAsync(resolveIssuerMetadataKey(`${origin}/trailing-slash`, 'key-a', options))).toBe(
      'issuer_metadata_invalid',
    );
  });

  it('refuses metadata with both jwks and jwks_uri, or neither, or a malformed set', async () => {
    expect(await errorCodeOfAsync(resolveIssuerMetadataKey(`${origin}/both`, 'key-a', options))).toBe('issuer_metadata_invalid');
    expect(await errorCodeOfAsync(resolveIssuerMetadataKey(`${origin}/neither`, 'key-a', options))).toBe(
      'issuer_metadata_invalid',
    );
    expect(await errorCodeOfAsync(resolveIssuerMetadataKey(`${origin}/not-a-set`, 'key-a', options))).toBe(
      'issuer_metadata_invalid',
    );
    expect(await errorCodeOfAsync(resolveIssuerMetadataKey(`${origin}/not-json`, 'key-a', options))).toBe(
      'issuer_metadata_invalid',
    );
  });

  it('requires a kid when the issuer has several signing keys, and one that matches', async () => {
    expect(await errorCodeOfAsync(resolveIssuerMetadataKey(`${origin}/inline`, undefined, options))).toBe('issuer_key_not_found');
    expect(await errorCodeOfAsync(resolveIssuerMetadataKey(`${origin}/inline`, 'key-z', options))).toBe('issuer_key_not_found');
    expect(await errorCodeOfAsync(resolveIssuerMetadataKey(`${origin}/duplicate-kid`, 'key-a', options))).toBe(
      'issuer_metadata_invalid',
    );
  });

  it('never returns an encryption key or accepts a set with private key material', async () => {
    expect(await errorCodeOfAsync(resolveIssuerMetadataKey(`${origin}/inline`, 'enc-key', options))).toBe('issuer_key_not_found');
    expect(await errorCodeOfAsync(resolveIssuerMetadataKey(`${origin}/private`, 'key-a', options))).toBe(
      'issuer_metadata_invalid',
    );
  });

  it('applies the fetch policy to jwks_uri: no SSRF target, no redirect', async () => {
    expect(await errorCodeOfAsync(resolveIssuerMetadataKey(`${origin}/metadata-uri`, 'key-a', options))).toBe('fetch_blocked');
    expect(await errorCodeOfAsync(resolveIssuerMetadataKey(`${origin}/redirecting-uri`, 'key-a', options))).toBe('fetch_blocked');
  });

  it('fails when the issuer publishes no metadata', async () => {
    expect(await errorCodeOfAsync(resolveIssuerMetadataKey(`${origin}/nobody`, 'key-a', options))).toBe('fetch_failed');
  });

  it('sends nothing for an http issuer without the development flag, or for a private-address issuer', async () => {
    const before = server.requests.length;
    expect(await errorCodeOfAsync(resolveIssuerMetadataKey(origin, undefined, { fetch }))).toBe('issuer_metadata_invalid');
    expect(
      await errorCodeOfAsync(
        resolveIssuerMetadataKey(origin, undefined, { fetch: createBrowserFetch(), allowInsecureLocalhost: true }),
      ),
    ).toBe('fetch_blocked');
    const strict = { fetch: createNodeFetch() };
    for (const iss of ['https://169.254.169.254', 'https://10.0.0.1/tenant', 'https://[::ffff:7f00:1]', 'https://0.0.0.0']) {
      expect(await errorCodeOfAsync(resolveIssuerMetadataKey(iss, undefined, strict)), iss).toBe('fetch_blocked');
    }
    // Other spellings of those addresses are not canonical issuer identifiers in the first place.
    for (const iss of ['https://[::ffff:127.0.0.1]', 'https://2130706433', 'https://0x7f.1']) {
      expect(await errorCodeOfAsync(resolveIssuerMetadataKey(iss, undefined, strict)), iss).toBe('issuer_metadata_invalid');
    }
    expect(server.requests.length).toBe(before);
  });

  it('honours a size limit on the metadata', async () => {
    expect(await errorCodeOfAsync(resolveIssuerMetadataKey(`${origin}/inline`, 'key-a', { ...options, maxBytes: 50 }))).toBe(
      'fetch_too_large',
    );
  });
});

describe.skipIf(!hasOpenssl)('resolveIssuerMetadataKey over https with a test certificate', () => {
  let certificate: TestCertificate;
  let server: TestServer;
  const table: Record<string, Route> = {};
  const key = publicJwk('k1');

  beforeAll(async () => {
    certificate = createTestCertificate();
    server = await startHttpsServer(routes(table), certificate);
    table['/.well-known/jwt-vc-issuer/tenant/1'] = {
      issuer: `https://localhost:${server.port}/tenant/1`,
      jwks_uri: `https://localhost:${server.port}/jwks`,
    };
    table['/jwks'] = { keys: [key] };
  });

  afterAll(async () => {
    await server.close();
  });

  it('resolves through the Node fetch with the test CA', async () => {
    const fetch = createNodeFetch({ allowInsecureLocalhost: true, ca: certificate.cert });
    expect(await resolveIssuerMetadataKey(`https://localhost:${server.port}/tenant/1`, 'k1', { fetch })).toEqual(withoutKid(key));
    expect(server.requests).toEqual(['GET /.well-known/jwt-vc-issuer/tenant/1', 'GET /jwks']);
  });
});
