import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createStatusList,
  createStatusListToken,
  type ErrorCode,
  generateKeyPair,
  importSigningKey,
  type JsonObject,
  type Jwk,
  type SigningKey,
  type StatusBits,
  StatusValue,
  signJwt,
  TesseraError,
  webCrypto,
} from '@tessera/shared';
import { errorCodeOf } from '@tessera/shared/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createBrowserFetch } from '../fetch/browser-fetch.ts';
import {
  assertStatusValid,
  createStatusChecker,
  fetchStatusListToken,
  STATUS_LIST_JWT_MEDIA_TYPE,
  type StatusCheckerOptions,
  type StatusListKeyContext,
  type StatusResult,
} from './status-checker.ts';

/** The frozen "now" of these tests (seconds), advanced by hand to test the cache. */
const NOW = 1_750_000_000;
let nowMs = NOW * 1000;
const clock = (): number => nowMs;
const advance = (seconds: number): void => {
  nowMs += seconds * 1000;
};

interface Route {
  status?: number;
  contentType?: string;
  body: string;
  delayMs?: number;
}

/** A real HTTP server on 127.0.0.1 that serves status list tokens by path and counts requests. */
const routes = new Map<string, Route>();
const requests: { path: string; accept: string | undefined }[] = [];
let server: Server;
let origin: string;
const hits = (path: string): number => requests.filter((request) => request.path === path).length;

let signingKey: SigningKey;
let publicJwk: Jwk;
let otherSigningKey: SigningKey;

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  signingKey = await importSigningKey(pair.privateJwk, 'ES256', 'status-1');
  publicJwk = pair.publicJwk;
  otherSigningKey = await importSigningKey((await generateKeyPair('ES256')).privateJwk, 'ES256', 'status-1');

  server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push({ path, accept: req.headers.accept });
    const route = routes.get(path);
    const answer = (): void => {
      if (route === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(route.status ?? 200, { 'content-type': route.contentType ?? STATUS_LIST_JWT_MEDIA_TYPE }).end(route.body);
    };
    if (route?.delayMs) setTimeout(answer, route.delayMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  nowMs = NOW * 1000;
  routes.clear();
  requests.length = 0;
});

const safeFetch = createBrowserFetch({ allowInsecureLocalhost: true });
const uriOf = (path: string): string => `${origin}${path}`;

function checker(overrides: Partial<StatusCheckerOptions> = {}) {
  return createStatusChecker({ fetch: safeFetch, crypto: webCrypto, resolveKey: publicJwk, clock, ...overrides });
}

interface ListSpec {
  bits?: StatusBits;
  size?: number;
  set?: Record<number, number>;
  ttl?: number;
  expiresIn?: number;
  issuedAgo?: number;
  uri?: string;
  key?: SigningKey;
}

/** Signs a status list token for `path` (or for `spec.uri`, to test `sub`) and serves it there. */
async function serveList(path: string, spec: ListSpec = {}): Promise<string> {
  const list = createStatusList(spec.size ?? 64, spec.bits ?? 1);
  for (const [idx, value] of Object.entries(spec.set ?? {})) list.set(Number(idx), value);
  const issuedAt = Math.floor(nowMs / 1000) - (spec.issuedAgo ?? 10);
  const token = await createStatusListToken({
    list,
    uri: spec.uri ?? uriOf(path),
    issuedAt,
    ...(spec.expiresIn === undefined ? {} : { expiresAt: Math.floor(nowMs / 1000) + spec.expiresIn }),
    ...(spec.ttl === undefined ? {} : { ttl: spec.ttl }),
    signingKey: spec.key ?? signingKey,
  });
  routes.set(path, { body: token });
  return token;
}

/** The code of the error a promise rejects with, and the code of its cause. */
async function failure(promise: Promise<unknown>): Promise<{ code: ErrorCode; cause?: ErrorCode }> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TesseraError);
    const { code, cause } = error as TesseraError;
    return cause instanceof TesseraError ? { code, cause: cause.code } : { code };
  }
  throw new Error('expected a rejection');
}

describe('createStatusChecker reading a status list over real HTTP', () => {
  it('reports a valid credential and asks for application/statuslist+jwt', async () => {
    await serveList('/status/1');
    const result = await checker().check({ idx: 3, uri: uriOf('/status/1') });
    expect(result).toEqual<StatusResult>({ status: 'valid', value: 0, checkedAt: NOW, fromCache: false });
    expect(() => assertStatusValid(result)).not.toThrow();
    expect(requests).toEqual([{ path: '/status/1', accept: 'application/statuslist+jwt' }]);
  });

  it('reports a revoked credential, which assertStatusValid rejects as credential_revoked', async () => {
    await serveList('/status/1', { set: { 5: StatusValue.INVALID } });
    const result = await checker().check({ idx: 5, uri: uriOf('/status/1') });
    expect(result).toMatchObject({ status: 'invalid', value: 1 });
    expect(errorCodeOf(() => assertStatusValid(result))).toBe('credential_revoked');
  });

  it('reports a suspended credential in a 2-bit list, which assertStatusValid rejects as credential_suspended', async () => {
    await serveList('/status/2', { bits: 2, set: { 7: StatusValue.SUSPENDED } });
    const result = await checker().check({ idx: 7, uri: uriOf('/status/2') });
    expect(result).toMatchObject({ status: 'suspended', value: 2 });
    expect(errorCodeOf(() => assertStatusValid(result))).toBe('credential_suspended');
  });

  it('reads every entry of a 2-bit list and names an application-specific value "other", which is not accepted', async () => {
    await serveList('/status/2', { bits: 2, size: 16, set: { 0: 1, 1: 2, 3: 3, 15: 1 } });
    const status = checker();
    const read = async (idx: number) => status.check({ idx, uri: uriOf('/status/2') });
    const results = await Promise.all([0, 1, 2, 3, 15].map(read));
    expect(results.map(({ status: name, value }) => [name, value])).toEqual([
      ['invalid', 1],
      ['suspended', 2],
      ['valid', 0],
      ['other', 3],
      ['invalid', 1],
    ]);
    expect(errorCodeOf(() => assertStatusValid(results[3] as StatusResult))).toBe('status_unavailable');
  });

  it('accepts a token served with a charset parameter and a trailing newline', async () => {
    const token = await serveList('/status/1');
    routes.set('/status/1', { body: `${token}\n`, contentType: 'Application/StatusList+JWT; charset=utf-8' });
    expect((await checker().check({ idx: 0, uri: uriOf('/status/1') })).status).toBe('valid');
  });
});

describe('the status list cache', () => {
  it('answers from the cache within ttl, for any index of the same list, without another request', async () => {
    await serveList('/status/1', { ttl: 60, set: { 9: 1 } });
    const status = checker();
    const first = await status.check({ idx: 1, uri: uriOf('/status/1') });
    advance(59);
    const second = await status.check({ idx: 9, uri: uriOf('/status/1') });
    expect(hits('/status/1')).toBe(1);
    expect(first.fromCache).toBe(false);
    expect(second).toEqual<StatusResult>({ status: 'invalid', value: 1, checkedAt: NOW, fromCache: true });
  });

  it('fetches again once ttl has passed and sees a revocation made meanwhile', async () => {
    await serveList('/status/1', { ttl: 60 });
    const status = checker();
    expect((await status.check({ idx: 4, uri: uriOf('/status/1') })).status).toBe('valid');
    await serveList('/status/1', { ttl: 60, set: { 4: 1 } });
    advance(60);
    const after = await status.check({ idx: 4, uri: uriOf('/status/1') });
    expect(hits('/status/1')).toBe(2);
    expect(after).toEqual<StatusResult>({ status: 'invalid', value: 1, checkedAt: NOW + 60, fromCache: false });
  });

  it('keeps a token without ttl for defaultTtlSeconds', async () => {
    await serveList('/status/1');
    const status = checker({ defaultTtlSeconds: 120 });
    await status.check({ idx: 0, uri: uriOf('/status/1') });
    advance(119);
    expect((await status.check({ idx: 0, uri: uriOf('/status/1') })).fromCache).toBe(true);
    advance(1);
    expect((await status.check({ idx: 0, uri: uriOf('/status/1') })).fromCache).toBe(false);
    expect(hits('/status/1')).toBe(2);
  });

  it('caps a long ttl at maxTtlSeconds', async () => {
    await serveList('/status/1', { ttl: 10_000_000 });
    const status = checker({ maxTtlSeconds: 3600 });
    await status.check({ idx: 0, uri: uriOf('/status/1') });
    advance(3599);
    await status.check({ idx: 0, uri: uriOf('/status/1') });
    expect(hits('/status/1')).toBe(1);
    advance(1);
    await status.check({ idx: 0, uri: uriOf('/status/1') });
    expect(hits('/status/1')).toBe(2);
  });

  it('fetches the list for every check when maxTtlSeconds is 0, so a revocation shows at once', async () => {
    await serveList('/status/1', { ttl: 3600 });
    const status = checker({ maxTtlSeconds: 0 });
    expect((await status.check({ idx: 4, uri: uriOf('/status/1') })).status).toBe('valid');
    await serveList('/status/1', { ttl: 3600, set: { 4: 1 } });
    const after = await status.check({ idx: 4, uri: uriOf('/status/1') });
    expect(after).toMatchObject({ status: 'invalid', fromCache: false });
    expect(hits('/status/1')).toBe(2);
  });

  it('never uses a cached token past its exp, and fails closed when only the expired token is served', async () => {
    await serveList('/status/1', { ttl: 3600, expiresIn: 30 });
    const status = checker();
    expect((await status.check({ idx: 0, uri: uriOf('/status/1') })).status).toBe('valid');
    advance(29);
    expect((await status.check({ idx: 0, uri: uriOf('/status/1') })).fromCache).toBe(true);
    advance(1);
    expect(await failure(status.check({ idx: 0, uri: uriOf('/status/1') }))).toEqual({
      code: 'status_unavailable',
      cause: 'expired',
    });
    expect(hits('/status/1')).toBe(2);
  });

  it('shares one request among concurrent checks of the same list', async () => {
    const token = await serveList('/status/1', { set: { 2: 1 } });
    routes.set('/status/1', { body: token, delayMs: 50 });
    const status = checker();
    const results = await Promise.all([0, 1, 2, 3, 2].map((idx) => status.check({ idx, uri: uriOf('/status/1') })));
    expect(hits('/status/1')).toBe(1);
    expect(results.map((result) => result.value)).toEqual([0, 0, 1, 0, 1]);
  });

  it('does not cache a failure: the next check fetches again', async () => {
    routes.set('/status/1', { status: 500, body: 'oops', contentType: 'text/plain' });
    const status = checker();
    expect((await failure(status.check({ idx: 0, uri: uriOf('/status/1') }))).code).toBe('status_unavailable');
    await serveList('/status/1');
    expect((await status.check({ idx: 0, uri: uriOf('/status/1') })).status).toBe('valid');
    expect(hits('/status/1')).toBe(2);
  });

  it('evicts the least recently used list beyond maxCacheEntries', async () => {
    for (const path of ['/a', '/b', '/c']) await serveList(path, { ttl: 3600 });
    const status = checker({ maxCacheEntries: 2 });
    const check = (path: string) => status.check({ idx: 0, uri: uriOf(path) });
    await check('/a');
    await check('/b');
    await check('/a'); // a is now the most recently used
    await check('/c'); // evicts b
    expect((await check('/a')).fromCache).toBe(true);
    expect((await check('/b')).fromCache).toBe(false);
    expect([hits('/a'), hits('/b'), hits('/c')]).toEqual([1, 2, 1]);
  });

  it('clear() drops every cached list', async () => {
    await serveList('/status/1', { ttl: 3600 });
    const status = checker();
    await status.check({ idx: 0, uri: uriOf('/status/1') });
    status.clear();
    expect((await status.check({ idx: 0, uri: uriOf('/status/1') })).fromCache).toBe(false);
  });
});

describe('failing closed', () => {
  const unavailableBecause = async (
    cause: ErrorCode,
    path = '/status/1',
    options: Partial<StatusCheckerOptions> = {},
    idx = 0,
  ) => {
    expect(await failure(checker(options).check({ idx, uri: uriOf(path) }))).toEqual({ code: 'status_unavailable', cause });
  };

  it('rejects when the status server is down', async () => {
    const down = createServer();
    await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
    const port = (down.address() as AddressInfo).port;
    await new Promise<void>((resolve) => down.close(() => resolve()));
    const result = await failure(checker().check({ idx: 0, uri: `http://127.0.0.1:${port}/status/1` }));
    expect(result).toEqual({ code: 'status_unavailable', cause: 'fetch_failed' });
  });

  it('rejects an HTTP 500 and a 404', async () => {
    routes.set('/status/1', { status: 500, body: 'internal error', contentType: 'text/plain' });
    await unavailableBecause('fetch_failed');
    await unavailableBecause('fetch_failed', '/nowhere');
  });

  it('rejects a response that is not application/statuslist+jwt (§8.2)', async () => {
    const token = await serveList('/status/1');
    routes.set('/status/1', { body: token, contentType: 'application/json' });
    await unavailableBecause('status_list_malformed');
    routes.set('/status/1', { body: token, contentType: 'application/statuslist+cwt' });
    await unavailableBecause('status_list_malformed');
  });

  it('rejects a token with the wrong typ', async () => {
    const payload: JsonObject = {
      sub: uriOf('/status/1'),
      iat: NOW - 10,
      status_list: { bits: 1, lst: 'eNrbuRgAAhcBXQ' },
    };
    routes.set('/status/1', { body: await signJwt({ typ: 'JWT' }, payload, signingKey) });
    await unavailableBecause('invalid_typ');
  });

  it('rejects a token whose sub names another list', async () => {
    await serveList('/status/1', { uri: uriOf('/status/2') });
    await unavailableBecause('invalid_claim');
  });

  it('rejects a token signed by another key', async () => {
    await serveList('/status/1', { key: otherSigningKey });
    await unavailableBecause('invalid_signature');
  });

  it('rejects an index past the end of the list, keeping status_index_out_of_range as the cause', async () => {
    await serveList('/status/1', { size: 16 });
    await unavailableBecause('status_index_out_of_range', '/status/1', {}, 16);
  });

  it('rejects a token issued in the future and one older than maxTokenAgeSeconds', async () => {
    await serveList('/status/1', { issuedAgo: -120 });
    await unavailableBecause('issued_in_future');
    await serveList('/status/1', { issuedAgo: 7200 });
    await unavailableBecause('expired', '/status/1', { maxTokenAgeSeconds: 3600 });
  });

  it('rejects a body that is not a JWS, and a token larger than maxResponseBytes', async () => {
    routes.set('/status/1', { body: '<html>maintenance</html>' });
    await unavailableBecause('malformed_jwt');
    await serveList('/status/1');
    await unavailableBecause('fetch_too_large', '/status/1', { maxResponseBytes: 100 });
  });

  it('rejects a list that decompresses to more than maxBytes', async () => {
    await serveList('/status/1', { size: 80_000 });
    await unavailableBecause('status_list_too_large', '/status/1', { maxBytes: 1000 });
  });

  it('fails with invalid_status_reference, unwrapped, for a malformed reference', async () => {
    expect(await failure(checker().check({ idx: -1, uri: uriOf('/status/1') }))).toEqual({ code: 'invalid_status_reference' });
    expect(await failure(checker().check({ idx: 0, uri: 'not a uri' }))).toEqual({ code: 'invalid_status_reference' });
    expect(requests).toEqual([]);
  });

  it('lets a programmer error in the key resolver through as it is', async () => {
    await serveList('/status/1');
    const resolveKey = (): Jwk => {
      throw new TypeError('bug in resolver');
    };
    await expect(checker({ resolveKey }).check({ idx: 0, uri: uriOf('/status/1') })).rejects.toThrow(TypeError);
  });
});

describe('key resolution for the status list token', () => {
  it("hands the resolver the token's header and the credential's issuer, and caches per issuer", async () => {
    await serveList('/status/1', { ttl: 3600 });
    const seen: StatusListKeyContext[] = [];
    const status = checker({
      resolveKey: (unverified) => {
        seen.push(unverified);
        return publicJwk;
      },
    });
    await status.check({ idx: 0, uri: uriOf('/status/1') }, { issuer: 'https://issuer-a.example' });
    await status.check({ idx: 0, uri: uriOf('/status/1') }, { issuer: 'https://issuer-a.example' });
    await status.check({ idx: 0, uri: uriOf('/status/1') }, { issuer: 'https://issuer-b.example' });
    expect(seen.map((context) => [context.header.kid, context.referencedIssuer])).toEqual([
      ['status-1', 'https://issuer-a.example'],
      ['status-1', 'https://issuer-b.example'],
    ]);
    expect(hits('/status/1')).toBe(2);
  });

  it('reports a resolver that finds no key as status_unavailable with the resolver error as cause', async () => {
    await serveList('/status/1');
    const resolveKey = (): Jwk => {
      throw new TesseraError('issuer_key_not_found', 'no key');
    };
    expect(await failure(checker({ resolveKey }).check({ idx: 0, uri: uriOf('/status/1') }))).toEqual({
      code: 'status_unavailable',
      cause: 'issuer_key_not_found',
    });
  });
});

describe('fetchStatusListToken', () => {
  it('returns the served token unverified', async () => {
    const token = await serveList('/status/1');
    expect(await fetchStatusListToken(safeFetch, uriOf('/status/1'))).toBe(token);
  });
});

describe('createStatusChecker options', () => {
  it('refuses nonsensical limits with a TypeError', () => {
    for (const bad of [
      { maxTtlSeconds: -1 },
      { defaultTtlSeconds: 0 },
      { defaultTtlSeconds: -1 },
      { maxCacheEntries: 1.5 },
      { maxBytes: Number.NaN },
    ]) {
      expect(() => checker(bad)).toThrow(TypeError);
    }
  });
});
