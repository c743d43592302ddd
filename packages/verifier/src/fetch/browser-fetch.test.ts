import { isTesseraError } from '@tessera/shared';
import { errorCodeOfAsync } from '@tessera/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes, startHttpServer, type TestServer } from '../node/test-servers.ts';
import { createBrowserFetch } from './browser-fetch.ts';

/** Node 20 has the WHATWG `fetch` a browser has, so the browser implementation runs here against real local servers. */

let server: TestServer;
const big = 'x'.repeat(4096);

beforeAll(async () => {
  server = await startHttpServer(
    routes({
      '/doc.json': { hello: 'world' },
      '/echo-accept': (req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end(req.headers.accept ?? ''),
      '/redirect': (_req, res) => res.writeHead(302, { location: '/doc.json' }).end(),
      '/moved': (_req, res) => res.writeHead(301, { location: 'https://169.254.169.254/' }).end(),
      '/error': (_req, res) => res.writeHead(500, { 'content-type': 'text/plain' }).end('secret stack trace'),
      '/hang': () => undefined,
      '/slow-body': (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"a":');
      },
      '/big-declared': (_req, res) => res.writeHead(200, { 'content-length': String(big.length) }).end(big),
      '/big-chunked': (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        for (let i = 0; i < 4; i++) res.write(big);
        res.end();
      },
      '/empty': (_req, res) => res.writeHead(204).end(),
    }),
  );
});

afterAll(async () => {
  await server.close();
});

describe('createBrowserFetch', () => {
  const fetch = createBrowserFetch({ allowInsecureLocalhost: true, timeoutMs: 2000 });

  it('fetches a body from a local server behind the development flag, with the Accept header', async () => {
    const response = await fetch({ url: `${server.origin}/doc.json`, accept: 'application/json' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(JSON.parse(new TextDecoder().decode(response.body))).toEqual({ hello: 'world' });
    const echo = await fetch({ url: `${server.origin}/echo-accept`, accept: 'application/did+json' });
    expect(new TextDecoder().decode(echo.body)).toBe('application/did+json');
  });

  it('returns an empty body for 204', async () => {
    const response = await fetch({ url: `${server.origin}/empty`, accept: '*/*' });
    expect(response.status).toBe(204);
    expect(response.body).toEqual(new Uint8Array(0));
  });

  it('refuses plain http to the local server without the development flag, before any request', async () => {
    const before = server.requests.length;
    expect(await errorCodeOfAsync(createBrowserFetch()({ url: `${server.origin}/doc.json`, accept: '*/*' }))).toBe(
      'fetch_blocked',
    );
    expect(server.requests.length).toBe(before);
  });

  it('refuses a redirect instead of following it', async () => {
    const before = server.requests.length;
    expect(await errorCodeOfAsync(fetch({ url: `${server.origin}/redirect`, accept: '*/*' }))).toBe('fetch_blocked');
    expect(await errorCodeOfAsync(fetch({ url: `${server.origin}/moved`, accept: '*/*' }))).toBe('fetch_blocked');
    expect(server.requests.slice(before)).toEqual(['GET /redirect', 'GET /moved']);
  });

  it('fails on a non-2xx status with the status code and without the body', async () => {
    const error = await fetch({ url: `${server.origin}/nowhere`, accept: '*/*' }).catch((e: unknown) => e);
    expect(isTesseraError(error, 'fetch_failed')).toBe(true);
    expect((error as Error).message).toContain('404');
    const failed = await fetch({ url: `${server.origin}/error`, accept: '*/*' }).catch((e: unknown) => e);
    expect(isTesseraError(failed, 'fetch_failed')).toBe(true);
    expect((failed as Error).message).toContain('500');
    expect((failed as Error).message).not.toContain('secret');
  });

  it('times out when the server sends no headers, or stops halfway through the body', async () => {
    const quick = createBrowserFetch({ allowInsecureLocalhost: true, timeoutMs: 200 });
    expect(await errorCodeOfAsync(quick({ url: `${server.origin}/hang`, accept: '*/*' }))).toBe('fetch_timeout');
    expect(await errorCodeOfAsync(quick({ url: `${server.origin}/slow-body`, accept: '*/*' }))).toBe('fetch_timeout');
  });

  it('refuses a body over the limit, declared or streamed', async () => {
    expect(await errorCodeOfAsync(fetch({ url: `${server.origin}/big-declared`, accept: '*/*', maxBytes: 1000 }))).toBe(
      'fetch_too_large',
    );
    expect(await errorCodeOfAsync(fetch({ url: `${server.origin}/big-chunked`, accept: '*/*', maxBytes: 10_000 }))).toBe(
      'fetch_too_large',
    );
    const fits = await fetch({ url: `${server.origin}/big-chunked`, accept: '*/*', maxBytes: 4 * 4096 });
    expect(fits.body.length).toBe(4 * 4096);
  });

  it('refuses SSRF targets at once, without any network traffic', async () => {
    const strict = createBrowserFetch();
    const started = Date.now();
    for (const url of [
      'https://169.254.169.254/latest/meta-data/',
      'https://10.0.0.1/',
      'https://[::ffff:127.0.0.1]/',
      'https://0.0.0.0/',
      'https://2130706433/',
      'https://localhost/',
      'http://issuer.example/',
    ]) {
      expect(await errorCodeOfAsync(strict({ url, accept: '*/*' })), url).toBe('fetch_blocked');
    }
    expect(Date.now() - started).toBeLessThan(500);
  });
});
