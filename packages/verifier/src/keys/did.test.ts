import { generateKeyPairSync } from 'node:crypto';
import { errorCodeOfAsync } from '@tessera/shared/testing';
import type { Resolvable } from 'did-resolver';
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
import { createDidResolver, didWebUrl, resolveDidKey } from './did.ts';

function publicJwk(curve: 'P-256' | 'P-384' = 'P-256'): { kty: string; crv: string; x: string; y: string } {
  const { kty, crv, x, y } = generateKeyPairSync('ec', { namedCurve: curve }).publicKey.export({ format: 'jwk' });
  return { kty: kty as string, crv: crv as string, x: x as string, y: y as string };
}

function didJwk(jwk: object): string {
  return `did:jwk:${Buffer.from(JSON.stringify(jwk)).toString('base64url')}`;
}

const resolver = createDidResolver();

describe('did:jwk', () => {
  const jwk = publicJwk();
  const did = didJwk(jwk);

  it('resolves to a document with one verification method #0 (did:jwk spec, Read)', async () => {
    const { didDocument } = await resolver.resolve(did);
    expect(didDocument).toMatchObject({
      id: did,
      verificationMethod: [{ id: `${did}#0`, type: 'JsonWebKey2020', controller: did, publicKeyJwk: jwk }],
      assertionMethod: [`${did}#0`],
    });
  });

  it('finds the key by absolute kid, relative kid, or without kid', async () => {
    expect(await resolveDidKey(did, `${did}#0`, { resolver })).toEqual(jwk);
    expect(await resolveDidKey(did, '#0', { resolver })).toEqual(jwk);
    expect(await resolveDidKey(did, undefined, { resolver })).toEqual(jwk);
  });

  it('refuses a kid that is not a verification method of the DID', async () => {
    expect(await errorCodeOfAsync(resolveDidKey(did, '#1', { resolver }))).toBe('issuer_key_not_found');
    expect(await errorCodeOfAsync(resolveDidKey(did, `${didJwk(publicJwk())}#0`, { resolver }))).toBe('issuer_key_not_found');
    expect(await errorCodeOfAsync(resolveDidKey(did, '0', { resolver }))).toBe('issuer_key_not_found');
  });

  it('refuses a key marked for encryption, which is no assertion method', async () => {
    const enc = didJwk({ ...publicJwk(), use: 'enc' });
    expect(await errorCodeOfAsync(resolveDidKey(enc, '#0', { resolver }))).toBe('issuer_key_not_found');
  });

  it('refuses a did:jwk with private key material, or that is not a base64url JSON JWK', async () => {
    expect(await errorCodeOfAsync(resolveDidKey(didJwk({ ...jwk, d: 'AAAA' }), '#0', { resolver }))).toBe('did_invalid');
    expect(await errorCodeOfAsync(resolveDidKey(didJwk({ kty: 'oct', k: 'AAAA' }), '#0', { resolver }))).toBe('did_invalid');
    expect(
      await errorCodeOfAsync(resolveDidKey(`did:jwk:${Buffer.from('not json').toString('base64url')}`, '#0', { resolver })),
    ).toBe('did_invalid');
    expect(await errorCodeOfAsync(resolveDidKey(`did:jwk:${Buffer.from('[1]').toString('base64url')}`, '#0', { resolver }))).toBe(
      'did_invalid',
    );
    expect(await errorCodeOfAsync(resolveDidKey('did:jwk:e', '#0', { resolver }))).toBe('did_invalid');
  });
});

describe('did:key', () => {
  // did:key spec test vector (w3c-ccg/did-method-key, test-vectors/nist-curves.json).
  const did = 'did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv';
  const jwk = {
    kty: 'EC',
    crv: 'P-256',
    x: 'igrFmi0whuihKnj9R3Om1SoMph72wUGeFaBbzG2vzns',
    y: 'efsX5b10x8yjyrj4ny3pGfLcY7Xby1KzgqOdqnsrJIM',
  };

  it('finds the key by did:key:z…#z…, by #z…, or without kid', async () => {
    expect(await resolveDidKey(did, `${did}#${did.slice(8)}`, { resolver })).toEqual(jwk);
    expect(await resolveDidKey(did, `#${did.slice(8)}`, { resolver })).toEqual(jwk);
    expect(await resolveDidKey(did, undefined, { resolver })).toEqual(jwk);
  });

  it('refuses a kid that names another fragment', async () => {
    expect(await errorCodeOfAsync(resolveDidKey(did, '#0', { resolver }))).toBe('issuer_key_not_found');
  });

  it('refuses a malformed did:key or one with an unsupported key type', async () => {
    expect(
      await errorCodeOfAsync(resolveDidKey('did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZp', undefined, { resolver })),
    ).toBe('did_invalid');
    expect(await errorCodeOfAsync(resolveDidKey('did:key:z0000', undefined, { resolver }))).toBe('did_invalid');
    // secp256k1 (test-vectors/secp256k1.json): valid did:key, but not a key type Tessera verifies.
    expect(
      await errorCodeOfAsync(resolveDidKey('did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme', undefined, { resolver })),
    ).toBe('did_invalid');
  });
});

describe('resolveDidKey input checks', () => {
  it('refuses DID URLs, unsupported methods and methods switched off', async () => {
    const did = 'did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv';
    for (const iss of [`${did}#x`, `${did}/path`, `${did}?q=1`, 'did:example:123', 'not-a-did', 'did:KEY:z']) {
      expect(await errorCodeOfAsync(resolveDidKey(iss, undefined, { resolver })), iss).toBe('did_invalid');
    }
    const onlyJwk = createDidResolver({ methods: ['jwk'] });
    expect(await errorCodeOfAsync(resolveDidKey(did, undefined, { resolver: onlyJwk }))).toBe('did_invalid');
  });

  it('refuses an assertion method that references no verification method', async () => {
    const did = 'did:example:dangling';
    const dangling: Resolvable = {
      resolve: async () => ({
        didResolutionMetadata: {},
        didDocument: { id: did, verificationMethod: [], assertionMethod: ['#gone'] },
        didDocumentMetadata: {},
      }),
    };
    expect(await errorCodeOfAsync(resolveDidKey(did, undefined, { resolver: dangling }))).toBe('issuer_key_not_found');
    expect(await errorCodeOfAsync(resolveDidKey(did, '#gone', { resolver: dangling }))).toBe('issuer_key_not_found');
  });

  it('refuses a deactivated DID and a document for another DID from any resolver', async () => {
    const did = 'did:example:abc';
    const document = { id: did, verificationMethod: [], assertionMethod: [] };
    const deactivated: Resolvable = {
      resolve: async () => ({ didResolutionMetadata: {}, didDocument: document, didDocumentMetadata: { deactivated: true } }),
    };
    expect(await errorCodeOfAsync(resolveDidKey(did, undefined, { resolver: deactivated }))).toBe('did_resolution_failed');
    const other: Resolvable = {
      resolve: async () => ({
        didResolutionMetadata: {},
        didDocument: { ...document, id: 'did:example:xyz' },
        didDocumentMetadata: {},
      }),
    };
    expect(await errorCodeOfAsync(resolveDidKey(did, undefined, { resolver: other }))).toBe('did_resolution_failed');
  });
});

describe('didWebUrl', () => {
  it('builds the document URL as the did:web method says (§3.2)', () => {
    expect(didWebUrl('did:web:example.com')).toBe('https://example.com/.well-known/did.json');
    expect(didWebUrl('did:web:example.com:user:alice')).toBe('https://example.com/user/alice/did.json');
    expect(didWebUrl('did:web:example.com%3A3000:user:alice')).toBe('https://example.com:3000/user/alice/did.json');
    expect(didWebUrl('did:web:localhost%3A8080')).toBe('https://localhost:8080/.well-known/did.json');
  });

  it('uses plain http only for localhost and 127.0.0.1 behind the development flag', () => {
    const dev = { allowInsecureLocalhost: true };
    expect(didWebUrl('did:web:localhost%3A8080', dev)).toBe('http://localhost:8080/.well-known/did.json');
    expect(didWebUrl('did:web:127.0.0.1%3A8080:a', dev)).toBe('http://127.0.0.1:8080/a/did.json');
    expect(didWebUrl('did:web:example.com', dev)).toBe('https://example.com/.well-known/did.json');
  });

  it('refuses identifiers that could escape the path or the host', () => {
    for (const did of [
      'did:web:',
      'did:web:example.com:%2e%2e:secret',
      'did:web:example.com:..',
      'did:web:example.com:a%2Fb',
      'did:web:example.com%2Fevil',
      'did:web:user%40example.com',
      'did:web:example.com%3A99999',
      'did:web:exa_mple.com',
      'did:web:example.com::a',
    ]) {
      expect(() => didWebUrl(did), did).toThrow(expect.objectContaining({ code: 'did_invalid' }));
    }
  });
});

describe('did:web over a local server', () => {
  let server: TestServer;
  const table: Record<string, Route> = {};
  const key1 = publicJwk();
  const key2 = publicJwk();
  const key3 = publicJwk('P-384');
  let did: string;
  let aliceDid: string;
  const fetch = createBrowserFetch({ allowInsecureLocalhost: true, timeoutMs: 2000 });
  const web = createDidResolver({ fetch, allowInsecureLocalhost: true });

  beforeAll(async () => {
    server = await startHttpServer(routes(table));
    did = `did:web:localhost%3A${server.port}`;
    aliceDid = `${did}:user:alice`;
    table['/.well-known/did.json'] = {
      '@context': ['https://www.w3.org/ns/did/v1'],
      id: did,
      verificationMethod: [
        { id: '#key-1', type: 'JsonWebKey2020', controller: did, publicKeyJwk: key1 },
        { id: `${did}#key-2`, type: 'JsonWebKey2020', controller: did, publicKeyJwk: key2 },
        {
          id: `${did}#multikey`,
          type: 'Multikey',
          controller: did,
          publicKeyMultibase: 'z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp',
        },
        { id: '#private', type: 'JsonWebKey2020', controller: did, publicKeyJwk: { ...key1, d: 'AAAA' } },
        { id: '#none', type: 'JsonWebKey2020', controller: did },
      ],
      assertionMethod: [
        '#key-1',
        `${did}#multikey`,
        '#private',
        '#none',
        { id: '#embedded', type: 'JsonWebKey2020', controller: did, publicKeyJwk: key3 },
      ],
      authentication: ['#key-2'],
    };
    table['/user/alice/did.json'] = {
      id: aliceDid,
      verificationMethod: [{ id: '#k', type: 'JsonWebKey2020', controller: aliceDid, publicKeyJwk: key1 }],
      assertionMethod: ['#k'],
    };
    table['/user/mallory/did.json'] = {
      id: did, // served for did:web:…:user:mallory, but claims to be the domain's DID
      verificationMethod: [{ id: '#k', type: 'JsonWebKey2020', controller: did, publicKeyJwk: key1 }],
      assertionMethod: ['#k'],
    };
    table['/user/redirect/did.json'] = (_req: unknown, res: import('node:http').ServerResponse) =>
      res.writeHead(302, { location: '/user/alice/did.json' }).end();
    table['/user/huge/did.json'] = { id: `${did}:user:huge`, padding: 'x'.repeat(5000) };
    table['/user/text/did.json'] = (_req: unknown, res: import('node:http').ServerResponse) => res.writeHead(200).end('not json');
  });

  afterAll(async () => {
    await server.close();
  });

  it('resolves the domain DID from /.well-known/did.json and a path DID from /user/alice/did.json', async () => {
    expect(await resolveDidKey(did, '#key-1', { resolver: web })).toEqual(key1);
    expect(await resolveDidKey(did, `${did}#key-1`, { resolver: web })).toEqual(key1);
    expect(await resolveDidKey(aliceDid, '#k', { resolver: web })).toEqual(key1);
    expect(await resolveDidKey(aliceDid, undefined, { resolver: web })).toEqual(key1);
    expect(server.requests).toContain('GET /.well-known/did.json');
    expect(server.requests).toContain('GET /user/alice/did.json');
  });

  it('accepts an assertion method embedded in assertionMethod, and a Multikey one', async () => {
    expect(await resolveDidKey(did, '#embedded', { resolver: web })).toEqual(key3);
    expect((await resolveDidKey(did, '#multikey', { resolver: web })).crv).toBe('Ed25519');
  });

  it('refuses a kid that is a verification method but not an assertion method', async () => {
    expect(await errorCodeOfAsync(resolveDidKey(did, '#key-2', { resolver: web }))).toBe('issuer_key_not_found');
  });

  it('refuses a kid that is not a verification method at all', async () => {
    expect(await errorCodeOfAsync(resolveDidKey(did, '#key-9', { resolver: web }))).toBe('issuer_key_not_found');
  });

  it('refuses a missing kid when the DID has several assertion methods', async () => {
    expect(await errorCodeOfAsync(resolveDidKey(did, undefined, { resolver: web }))).toBe('issuer_key_not_found');
  });

  it('refuses a method with a private key, and one without a key', async () => {
    expect(await errorCodeOfAsync(resolveDidKey(did, '#private', { resolver: web }))).toBe('did_resolution_failed');
    expect(await errorCodeOfAsync(resolveDidKey(did, '#none', { resolver: web }))).toBe('issuer_key_not_found');
  });

  it('refuses a document whose id is not the DID', async () => {
    expect(await errorCodeOfAsync(resolveDidKey(`${did}:user:mallory`, '#k', { resolver: web }))).toBe('did_resolution_failed');
  });

  it('refuses redirects, oversized documents, non-JSON and missing documents', async () => {
    expect(await errorCodeOfAsync(resolveDidKey(`${did}:user:redirect`, '#k', { resolver: web }))).toBe('fetch_blocked');
    const small = createDidResolver({ fetch, allowInsecureLocalhost: true, maxBytes: 1000 });
    expect(await errorCodeOfAsync(resolveDidKey(`${did}:user:huge`, '#k', { resolver: small }))).toBe('fetch_too_large');
    expect(await errorCodeOfAsync(resolveDidKey(`${did}:user:text`, '#k', { resolver: web }))).toBe('did_resolution_failed');
    expect(await errorCodeOfAsync(resolveDidKey(`${did}:user:nobody`, '#k', { resolver: web }))).toBe('fetch_failed');
  });

  it('sends no request to the local server without the development flags', async () => {
    const before = server.requests.length;
    // The resolver asks for https, which a plain http server cannot answer.
    const noDevResolver = createDidResolver({ fetch });
    expect(await errorCodeOfAsync(resolveDidKey(did, '#key-1', { resolver: noDevResolver }))).toBe('fetch_failed');
    // The fetch refuses plain http to localhost without its own flag.
    const noDevFetch = createDidResolver({ fetch: createBrowserFetch(), allowInsecureLocalhost: true });
    expect(await errorCodeOfAsync(resolveDidKey(did, '#key-1', { resolver: noDevFetch }))).toBe('fetch_blocked');
    expect(server.requests.length).toBe(before);
  });

  it('fails did:web without a fetch', async () => {
    expect(await errorCodeOfAsync(resolveDidKey(did, '#key-1', { resolver: createDidResolver() }))).toBe('did_resolution_failed');
  });
});

describe('did:web SSRF targets', () => {
  it('refuses private, loopback and metadata hosts before any connection', async () => {
    const strict = createDidResolver({ fetch: createNodeFetch({ timeoutMs: 10_000 }) });
    const started = Date.now();
    for (const did of [
      'did:web:169.254.169.254',
      'did:web:10.0.0.1',
      'did:web:192.168.0.1%3A8443:issuer',
      'did:web:127.0.0.1',
      'did:web:localhost',
      'did:web:0.0.0.0',
      'did:web:2130706433',
    ]) {
      expect(await errorCodeOfAsync(resolveDidKey(did, '#key-1', { resolver: strict })), did).toBe('fetch_blocked');
    }
    expect(Date.now() - started).toBeLessThan(500);
  });
});

describe.skipIf(!hasOpenssl)('did:web over https with a test certificate', () => {
  let certificate: TestCertificate;
  let server: TestServer;
  const table: Record<string, Route> = {};
  const key = publicJwk();

  beforeAll(async () => {
    certificate = createTestCertificate();
    server = await startHttpsServer(routes(table), certificate);
    const did = `did:web:localhost%3A${server.port}`;
    table['/.well-known/did.json'] = {
      id: did,
      verificationMethod: [{ id: '#key-1', type: 'JsonWebKey2020', controller: did, publicKeyJwk: key }],
      assertionMethod: ['#key-1'],
    };
  });

  afterAll(async () => {
    await server.close();
  });

  it('resolves through the Node fetch with the test CA, as in deployment but on loopback', async () => {
    const resolverOverHttps = createDidResolver({
      fetch: createNodeFetch({ allowInsecureLocalhost: true, ca: certificate.cert }),
    });
    expect(await resolveDidKey(`did:web:localhost%3A${server.port}`, '#key-1', { resolver: resolverOverHttps })).toEqual(key);
  });
});
