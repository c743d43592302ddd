import type { LookupAddress } from 'node:dns';
import type { TLSSocket } from 'node:tls';
import { isTesseraError } from '@tessera/shared';
import { errorCodeOfAsync } from '@tessera/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeFetch } from './node-fetch.ts';
import {
  createTestCertificate,
  hasOpenssl,
  routes,
  startHttpServer,
  startHttpsServer,
  type TestCertificate,
  type TestServer,
} from './test-servers.ts';

const big = 'x'.repeat(4096);
const table = {
  '/doc.json': { hello: 'world' },
  '/whoami': (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    const servername = (req.socket as TLSSocket).servername;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ host: req.headers.host, servername }));
  },
  '/redirect': (_req: unknown, res: import('node:http').ServerResponse) => res.writeHead(302, { location: '/doc.json' }).end(),
  '/error': (_req: unknown, res: import('node:http').ServerResponse) => res.writeHead(500).end('secret stack trace'),
  '/hang': () => undefined,
  '/slow-body': (_req: unknown, res: import('node:http').ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"a":');
  },
  '/big-declared': (_req: unknown, res: import('node:http').ServerResponse) =>
    res.writeHead(200, { 'content-length': String(big.length) }).end(big),
  '/big-chunked': (_req: unknown, res: import('node:http').ServerResponse) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    for (let i = 0; i < 4; i++) res.write(big);
    res.end();
  },
  '/gzip': (_req: unknown, res: import('node:http').ServerResponse) =>
    res.writeHead(200, { 'content-encoding': 'gzip' }).end('x'),
};

let http: TestServer;
beforeAll(async () => {
  http = await startHttpServer(routes(table));
});
afterAll(async () => {
  await http.close();
});

describe('createNodeFetch over plain http', () => {
  const fetch = createNodeFetch({ allowInsecureLocalhost: true, timeoutMs: 2000 });

  it('fetches from 127.0.0.1 and localhost only behind the development flag', async () => {
    const response = await fetch({ url: `${http.origin}/doc.json`, accept: 'application/json' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(JSON.parse(new TextDecoder().decode(response.body))).toEqual({ hello: 'world' });
    const byName = await fetch({ url: `http://localhost:${http.port}/doc.json`, accept: 'application/json' });
    expect(byName.status).toBe(200);

    const before = http.requests.length;
    expect(await errorCodeOfAsync(createNodeFetch()({ url: `${http.origin}/doc.json`, accept: '*/*' }))).toBe('fetch_blocked');
    expect(await errorCodeOfAsync(createNodeFetch()({ url: `http://localhost:${http.port}/doc.json`, accept: '*/*' }))).toBe(
      'fetch_blocked',
    );
    expect(http.requests.length).toBe(before);
  });

  it('refuses a redirect instead of following it', async () => {
    const before = http.requests.length;
    expect(await errorCodeOfAsync(fetch({ url: `${http.origin}/redirect`, accept: '*/*' }))).toBe('fetch_blocked');
    expect(http.requests.slice(before)).toEqual(['GET /redirect']);
  });

  it('fails on 404 and 500 with the status code, never the body', async () => {
    const missing = await fetch({ url: `${http.origin}/nowhere`, accept: '*/*' }).catch((e: unknown) => e);
    expect(isTesseraError(missing, 'fetch_failed')).toBe(true);
    expect((missing as Error).message).toContain('404');
    const failed = await fetch({ url: `${http.origin}/error`, accept: '*/*' }).catch((e: unknown) => e);
    expect(isTesseraError(failed, 'fetch_failed')).toBe(true);
    expect((failed as Error).message).toContain('500');
    expect((failed as Error).message).not.toContain('secret');
  });

  it('times out on a server that sends no headers, or stalls in the body', async () => {
    const quick = createNodeFetch({ allowInsecureLocalhost: true, timeoutMs: 200 });
    const started = Date.now();
    expect(await errorCodeOfAsync(quick({ url: `${http.origin}/hang`, accept: '*/*' }))).toBe('fetch_timeout');
    expect(await errorCodeOfAsync(quick({ url: `${http.origin}/slow-body`, accept: '*/*' }))).toBe('fetch_timeout');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('refuses a body over the limit, with and without Content-Length', async () => {
    expect(await errorCodeOfAsync(fetch({ url: `${http.origin}/big-declared`, accept: '*/*', maxBytes: 1000 }))).toBe(
      'fetch_too_large',
    );
    expect(await errorCodeOfAsync(fetch({ url: `${http.origin}/big-chunked`, accept: '*/*', maxBytes: 10_000 }))).toBe(
      'fetch_too_large',
    );
    const fits = await fetch({ url: `${http.origin}/big-chunked`, accept: '*/*', maxBytes: 4 * 4096 });
    expect(fits.body.length).toBe(4 * 4096);
  });

  it('refuses a compressed body, whose real size the limit could not see', async () => {
    expect(await errorCodeOfAsync(fetch({ url: `${http.origin}/gzip`, accept: '*/*' }))).toBe('fetch_failed');
  });

  it('fails when nothing listens', async () => {
    const closed = await startHttpServer(routes({}));
    await closed.close();
    expect(await errorCodeOfAsync(fetch({ url: `${closed.origin}/`, accept: '*/*' }))).toBe('fetch_failed');
  });
});

describe('createNodeFetch address checks', () => {
  it('refuses SSRF targets before connecting: no lookup, no traffic, no waiting', async () => {
    let lookups = 0;
    const fetch = createNodeFetch({
      timeoutMs: 10_000,
      lookup: async () => {
        lookups++;
        return [];
      },
    });
    const started = Date.now();
    for (const url of [
      'https://169.254.169.254/latest/meta-data/',
      'https://10.0.0.1/',
      'https://[::ffff:127.0.0.1]/',
      'https://0.0.0.0/',
      'https://2130706433/',
      'https://[fe80::1]/',
      'https://localhost/',
      'https://user:pass@issuer.example/',
      'http://issuer.example/',
    ]) {
      expect(await errorCodeOfAsync(fetch({ url, accept: '*/*' })), url).toBe('fetch_blocked');
    }
    expect(Date.now() - started).toBeLessThan(500);
    expect(lookups).toBe(0);
  });

  it('refuses a host name if any address it resolves to is private or loopback', async () => {
    const resolved: Record<string, string[]> = {
      'loopback.test': ['127.0.0.1'],
      'mixed.test': ['93.184.215.14', '10.1.2.3'],
      'metadata.test': ['169.254.169.254'],
      'mapped.test': ['::ffff:127.0.0.1'],
      'garbage.test': ['not-an-ip'],
    };
    const fetch = createNodeFetch({
      lookup: async (host) => (resolved[host] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    });
    for (const host of Object.keys(resolved)) {
      expect(await errorCodeOfAsync(fetch({ url: `https://${host}/`, accept: '*/*' })), host).toBe('fetch_blocked');
    }
    expect(await errorCodeOfAsync(fetch({ url: 'https://nothing.test/', accept: '*/*' }))).toBe('fetch_failed');
    // Even with private networks allowed, the metadata endpoint stays closed.
    const intranet = createNodeFetch({
      allowPrivateNetworks: true,
      lookup: async () => [{ address: '169.254.169.254', family: 4 }],
    });
    expect(await errorCodeOfAsync(intranet({ url: 'https://metadata.test/', accept: '*/*' }))).toBe('fetch_blocked');
  });

  it('refuses "localhost" without the flag, which resolves to 127.0.0.1', async () => {
    expect(await errorCodeOfAsync(createNodeFetch()({ url: `https://localhost:${http.port}/`, accept: '*/*' }))).toBe(
      'fetch_blocked',
    );
  });

  it('fails a name that does not resolve', async () => {
    // A resolver error as the system resolver reports it; no DNS query leaves the machine in tests.
    const fetch = createNodeFetch({
      lookup: async () => {
        throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
      },
    });
    const error = await fetch({ url: 'https://does-not-exist.test/', accept: '*/*' }).catch((e: unknown) => e);
    expect(isTesseraError(error, 'fetch_failed')).toBe(true);
    expect((error as Error).message).toContain('ENOTFOUND');
  });
});

describe.skipIf(!hasOpenssl)('createNodeFetch over https with a test certificate', () => {
  let certificate: TestCertificate;
  let https: TestServer;
  beforeAll(async () => {
    certificate = createTestCertificate();
    https = await startHttpsServer(routes(table), certificate);
  });
  afterAll(async () => {
    await https.close();
  });

  it('verifies the certificate: an unknown CA fails, the test CA given as `ca` succeeds', async () => {
    const untrusted = createNodeFetch({ allowInsecureLocalhost: true, timeoutMs: 2000 });
    const error = await untrusted({ url: `${https.origin}/doc.json`, accept: '*/*' }).catch((e: unknown) => e);
    expect(isTesseraError(error, 'fetch_failed')).toBe(true);
    const trusted = createNodeFetch({ allowInsecureLocalhost: true, timeoutMs: 2000, ca: certificate.cert });
    const response = await trusted({ url: `${https.origin}/doc.json`, accept: 'application/json' });
    expect(JSON.parse(new TextDecoder().decode(response.body))).toEqual({ hello: 'world' });
  });

  it('keeps the host name for SNI and Host while connecting to the address it checked, resolving once', async () => {
    let lookups = 0;
    const fetch = createNodeFetch({
      allowInsecureLocalhost: true,
      ca: [certificate.cert],
      timeoutMs: 2000,
      // A rebinding resolver: the first answer is the checked one; any later answer would be hostile.
      lookup: async (): Promise<LookupAddress[]> => {
        lookups++;
        return lookups === 1 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '169.254.169.254', family: 4 }];
      },
    });
    const response = await fetch({ url: `https://issuer.test:${https.port}/whoami`, accept: 'application/json' });
    expect(JSON.parse(new TextDecoder().decode(response.body))).toEqual({
      host: `issuer.test:${https.port}`,
      servername: 'issuer.test',
    });
    expect(lookups).toBe(1);
  });

  it('connects to https://localhost through the system resolver behind the flag', async () => {
    const fetch = createNodeFetch({ allowInsecureLocalhost: true, ca: certificate.cert, timeoutMs: 2000 });
    const response = await fetch({ url: `https://localhost:${https.port}/whoami`, accept: 'application/json' });
    expect(JSON.parse(new TextDecoder().decode(response.body))).toMatchObject({ servername: 'localhost' });
  });

  it('applies redirects, status, size and time rules over https too', async () => {
    const fetch = createNodeFetch({ allowInsecureLocalhost: true, ca: certificate.cert, timeoutMs: 300 });
    expect(await errorCodeOfAsync(fetch({ url: `${https.origin}/redirect`, accept: '*/*' }))).toBe('fetch_blocked');
    expect(await errorCodeOfAsync(fetch({ url: `${https.origin}/error`, accept: '*/*' }))).toBe('fetch_failed');
    expect(await errorCodeOfAsync(fetch({ url: `${https.origin}/big-chunked`, accept: '*/*', maxBytes: 5000 }))).toBe(
      'fetch_too_large',
    );
    expect(await errorCodeOfAsync(fetch({ url: `${https.origin}/hang`, accept: '*/*' }))).toBe('fetch_timeout');
  });
});
