/**
 * The desk router's HTTP behaviour over a real socket on 127.0.0.1, with a stand-in `Verifier`
 * (page logic only: the real verifier and a wallet drive the page in desk-page.e2e.test.ts).
 */
import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PresentationRequest, TransactionView, Verifier } from '../openid4vp/types.ts';
import { createDeskRouter, type DeskRouterOptions } from './desk-router.ts';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: Record<string, unknown>;
}

/** A stand-in verifier: transactions in a map, ended by the test. */
function createFakeVerifier() {
  const views = new Map<string, TransactionView>();
  const waiters = new Set<() => void>();
  const started: PresentationRequest[] = [];
  let counter = 0;
  let failNext: Error | undefined;
  const verifier: Verifier = {
    async start(request) {
      if (failNext !== undefined) {
        const error = failNext;
        failNext = undefined;
        throw error;
      }
      started.push(request);
      const id = `tx_${++counter}_abcdefghijklmnop`;
      const now = Date.now();
      const link = `openid4vp://?client_id=x509_hash%3Aabc&request_uri=https%3A%2F%2Fdesk.example%2Fr%2F${id}`;
      views.set(id, { id, status: 'pending', createdAt: now, expiresAt: now + 300_000, link });
      return { id, link, expiresAt: now + 300_000 };
    },
    async get(id) {
      return views.get(id);
    },
    async wait(id, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (views.get(id)?.status === 'pending' && Date.now() < deadline) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, deadline - Date.now());
          waiters.add(done);
          function done() {
            clearTimeout(timer);
            waiters.delete(done);
            resolve();
          }
        });
      }
      return views.get(id);
    },
    onTransactionEnded: () => () => {},
    requestObject: () => Promise.reject(new Error('not in this test')),
    receiveResponse: () => Promise.reject(new Error('not in this test')),
  };
  return {
    verifier,
    started,
    end(id: string, view: Partial<TransactionView>) {
      const old = views.get(id);
      if (old === undefined) throw new Error(`no ${id}`);
      // Like the real verifier: only a pending transaction has a link to show.
      const { link, ...rest } = { ...old, ...view };
      views.set(id, rest.status === 'pending' && link !== undefined ? { ...rest, link } : rest);
      for (const wake of [...waiters]) wake();
    },
    failNextStart(error: Error) {
      failNext = error;
    },
  };
}

let server: Server;
let port: number;
const fake = createFakeVerifier();
const errors: unknown[] = [];
let desk = createDeskRouter(fake.verifier);
/** Replaces the router under /desk for one test; `afterEach` puts the default one back. */
const useDesk = (options: DeskRouterOptions) => {
  desk = createDeskRouter(fake.verifier, options);
};

beforeAll(async () => {
  const app = express();
  app.use('/desk', (request, response, next) => desk(request, response, next));
  const shared = createDeskRouter(fake.verifier, { onError: (error) => errors.push(error) });
  app.use('/fixed', shared);
  app.use(createDeskRouter(fake.verifier, { authorizeStaff: () => false }));
  app.get('/other', (_request, response) => {
    response.send('other route');
  });
  server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

afterEach(() => {
  desk = createDeskRouter(fake.verifier);
  errors.length = 0;
});

function send(
  method: string,
  path: string,
  { headers = {}, body }: { headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      { host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...headers } },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Record<string, unknown> = {};
          try {
            json = JSON.parse(text);
          } catch {
            // not JSON
          }
          resolve({ status: incoming.statusCode ?? 0, headers: incoming.headers, text, json });
        });
      },
    );
    outgoing.on('error', reject);
    if (body !== undefined) outgoing.end(body);
    else outgoing.end();
  });
}

const postJson = (path: string, value: unknown, headers: Record<string, string> = {}) =>
  send('POST', path, { headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(value) });

describe('the desk page', () => {
  it('is served in the language of Accept-Language, with a strict content security policy', async () => {
    const answer = await send('GET', '/desk/', { headers: { 'accept-language': 'de-AT,de;q=0.9,en;q=0.5' } });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.headers['content-security-policy']).toMatch(/^default-src 'self';/);
    expect(answer.headers['x-content-type-options']).toBe('nosniff');
    expect(answer.headers['referrer-policy']).toBe('no-referrer');
    expect(answer.text).toContain('<html lang="de" dir="ltr">');
  });

  it('switches language with ?lang=, over Accept-Language', async () => {
    const answer = await send('GET', '/desk/?lang=ar', { headers: { 'accept-language': 'de' } });
    expect(answer.text).toContain('<html lang="ar" dir="rtl">');
  });

  it('falls back to English for a language it does not speak', async () => {
    const answer = await send('GET', '/desk/?lang=ti', { headers: { 'accept-language': 'so' } });
    expect(answer.text).toContain('<html lang="en" dir="ltr">');
  });

  it('redirects to the path with a trailing slash, keeping the query, so relative URLs resolve', async () => {
    const answer = await send('GET', '/desk?lang=fr');
    expect(answer.status).toBe(308);
    expect(answer.headers.location).toBe('/desk/?lang=fr');
  });

  it('serves its script and styles itself', async () => {
    const script = await send('GET', '/desk/desk.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.text).toContain("byId('desk-data')");
    const styles = await send('GET', '/desk/desk.css');
    expect(styles.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(styles.text).toContain('margin-inline');
    expect(styles.text).not.toMatch(/(?:margin|padding)-(?:left|right)|text-align:\s*(?:left|right)|url\(/);
  });
});

describe('POST /api/transactions', () => {
  it('starts a transaction for a template and answers with its link, expiry and QR code URL', async () => {
    const before = fake.started.length;
    const answer = await postJson('/desk/api/transactions', { template: 'age_over_18', lang: 'de' });
    expect(answer.status).toBe(201);
    expect(answer.headers['cache-control']).toBe('no-store');
    const { id, link, expiresAt, expiresIn, qrSvgUrl } = answer.json;
    expect(id).toMatch(/^tx_\d+_/);
    expect(link).toMatch(/^openid4vp:\/\/\?client_id=/);
    expect(expiresAt).toBeGreaterThan(Date.now());
    expect(expiresIn).toBeGreaterThan(290);
    expect(qrSvgUrl).toBe(`/desk/api/transactions/${id}/qr.svg`);

    const request = fake.started[before];
    expect(request?.query).toMatchObject({ credentials: [{ claims: [{ path: ['age_equal_or_over', '18'], values: [true] }] }] });
    expect(Object.keys(request?.purpose ?? {})).toEqual(['en', 'de', 'fr', 'ar']);
  });

  it('refuses an unknown template with 400 and a message in the staff language', async () => {
    const answer = await postJson('/desk/api/transactions', { template: 'passport', lang: 'fr' });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ error: 'unknown_template', message: 'Ce type de vérification n’existe pas.' });
  });

  it.each([
    ['no template', {}],
    ['an array', ['residence']],
    ['a lang that is not a string', { template: 'residence', lang: ['de'] }],
  ])('refuses a body with %s', async (_name, body) => {
    const answer = await postJson('/desk/api/transactions', body);
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatch(/^(unknown_template|invalid_request)$/);
  });

  it('refuses malformed JSON with 400', async () => {
    const answer = await send('POST', '/desk/api/transactions', {
      headers: { 'content-type': 'application/json' },
      body: '{"template":',
    });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toBe('invalid_json');
    expect(answer.headers['cache-control']).toBe('no-store');
  });

  it('refuses a body over 16 KiB with 413', async () => {
    const answer = await postJson('/desk/api/transactions', { template: 'residence', padding: 'x'.repeat(20 * 1024) });
    expect(answer.status).toBe(413);
    expect(answer.json.error).toBe('payload_too_large');
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded'])('refuses a %s body with 415', async (type) => {
    const answer = await send('POST', '/desk/api/transactions', {
      headers: { 'content-type': type },
      body: 'template=residence',
    });
    expect(answer.status).toBe(415);
    expect(answer.json.error).toBe('unsupported_media_type');
  });

  it('refuses a request another site makes the browser send', async () => {
    const answer = await postJson('/desk/api/transactions', { template: 'residence' }, { 'sec-fetch-site': 'cross-site' });
    expect(answer.status).toBe(403);
    expect(answer.json.error).toBe('forbidden');
    const sameOrigin = await postJson('/desk/api/transactions', { template: 'residence' }, { 'sec-fetch-site': 'same-origin' });
    expect(sameOrigin.status).toBe(201);
  });

  it('answers 500 without details when the verifier fails, and reports the error', async () => {
    fake.failNextStart(new Error('store down'));
    const answer = await postJson('/fixed/api/transactions', { template: 'residence', lang: 'en' });
    expect(answer.status).toBe(500);
    expect(answer.json).toEqual({ error: 'server_error', message: 'Something went wrong on the desk server. Please try again.' });
    expect(errors).toHaveLength(1);
  });
});

describe('GET /api/transactions/:id', () => {
  it('answers the pending view at once without wait', async () => {
    const { id } = (await postJson('/desk/api/transactions', { template: 'residence' })).json;
    const answer = await send('GET', `/desk/api/transactions/${id}`);
    expect(answer.status).toBe(200);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.json).toMatchObject({ id, outcome: 'pending' });
  });

  it('holds a long poll until the transaction ends, then answers the view in the staff language', async () => {
    const { id } = (await postJson('/desk/api/transactions', { template: 'residence' })).json as { id: string };
    const started = Date.now();
    const polling = send('GET', `/desk/api/transactions/${id}?wait=10&lang=fr`);
    setTimeout(() => fake.end(id, { status: 'failed', error: { code: 'access_denied', message: 'declined' } }), 150);
    const answer = await polling;
    expect(Date.now() - started).toBeLessThan(5000);
    expect(answer.json).toMatchObject({ id, outcome: 'rejected', title: 'Non accepté', errorCode: 'access_denied' });
  });

  it('ends a long poll when the wait runs out, still pending', async () => {
    const { id } = (await postJson('/desk/api/transactions', { template: 'residence' })).json;
    const answer = await send('GET', `/desk/api/transactions/${id}?wait=1`);
    expect(answer.json).toMatchObject({ outcome: 'pending' });
  });

  it.each(['abc', '-1', '1.5', '1000'])('refuses wait=%s', async (wait) => {
    const answer = await send('GET', `/desk/api/transactions/tx_1_abcdefghijklmnop?wait=${wait}`);
    expect(answer.status).toBe(400);
    expect(answer.json.error).toBe('invalid_request');
  });

  it('answers 404 for an unknown or malformed transaction id', async () => {
    const unknown = await send('GET', '/desk/api/transactions/nope?lang=de');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({
      error: 'unknown_transaction',
      message: 'Diese Prüfung gibt es nicht oder sie wurde bereits gelöscht.',
    });
    expect((await send('GET', `/desk/api/transactions/${'%C3%A9'.repeat(3)}`)).status).toBe(404);
  });
});

describe('GET /api/transactions/:id/qr.svg', () => {
  it('draws the link as an SVG QR code on the server', async () => {
    const { qrSvgUrl } = (await postJson('/desk/api/transactions', { template: 'ngo_registration' })).json as {
      qrSvgUrl: string;
    };
    const answer = await send('GET', qrSvgUrl);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.text).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(answer.text).not.toMatch(/<script|href=/);
  });

  it('has no QR code once the transaction has ended (the link comes from the verifier)', async () => {
    const { id, qrSvgUrl } = (await postJson('/desk/api/transactions', { template: 'residence' })).json as {
      id: string;
      qrSvgUrl: string;
    };
    expect((await send('GET', qrSvgUrl)).status).toBe(200);
    fake.end(id, { status: 'expired' });
    expect((await send('GET', qrSvgUrl)).status).toBe(404);
  });

  it('draws a long link (a request signed into it) at level L, and refuses one too long for any QR code', async () => {
    const { id, qrSvgUrl } = (await postJson('/desk/api/transactions', { template: 'residence' })).json as {
      id: string;
      qrSvgUrl: string;
    };
    // 2,600 bytes: over level M's 2,331-byte capacity, within level L's 2,953 (ISO/IEC 18004, version 40).
    fake.end(id, { link: `openid4vp://?client_id=x&request=${'a'.repeat(2560)}` });
    const drawn = await send('GET', qrSvgUrl);
    expect(drawn.status).toBe(200);
    const side = Number(/viewBox="0 0 (\d+) \1"/.exec(drawn.text)?.[1]);
    expect(side).toBeGreaterThan(160);
    fake.end(id, { link: `openid4vp://?client_id=x&request=${'a'.repeat(3000)}` });
    const refused = await send('GET', qrSvgUrl);
    expect(refused.status).toBe(422);
    expect(refused.json).toEqual({
      error: 'link_too_long_for_qr',
      message:
        'This request is too long for a QR code. Open the link on the phone instead, or start the check again with the request sent by reference.',
    });
    expect(errors).toEqual([]);
  });

  it('answers 404 for a transaction it did not start', async () => {
    const answer = await send('GET', '/desk/api/transactions/tx_999_abcdefghijklmnop/qr.svg');
    expect(answer.status).toBe(404);
    expect(answer.json.error).toBe('unknown_transaction');
  });
});

describe('createDeskRouter', () => {
  it('refuses a time zone that does not exist when it is made', () => {
    expect(() => createDeskRouter(fake.verifier, { timeZone: 'Mars/Olympus_Mons' })).toThrow(TypeError);
    expect(() => createDeskRouter(fake.verifier, { credentialTypes: { residencePermit: '' } })).toThrow(TypeError);
  });
});

describe('staff access', () => {
  it('refuses a request that names another host, as a DNS-rebinding page would', async () => {
    const answer = await send('GET', '/desk/', { headers: { host: 'evil.example' } });
    expect(answer.status).toBe(403);
    expect(answer.json.error).toBe('forbidden');
  });

  it.each([
    ['x-forwarded-for', '203.0.113.7'],
    ['forwarded', 'for=203.0.113.7'],
    ['x-real-ip', '203.0.113.7'],
  ])('refuses a request that passed a proxy (%s)', async (header, value) => {
    const answer = await send('GET', '/desk/api/transactions/x', { headers: { [header]: value } });
    expect(answer.status).toBe(403);
  });

  it('accepts localhost as the host name', async () => {
    expect((await send('GET', '/desk/', { headers: { host: `localhost:${port}` } })).status).toBe(200);
  });

  it('follows authorizeStaff instead of the loopback rule when given', async () => {
    useDesk({ authorizeStaff: (request) => request.get('x-staff-token') === 'let-me-in' });
    expect((await send('GET', '/desk/', { headers: { 'x-staff-token': 'let-me-in', host: 'desk.example.org' } })).status).toBe(
      200,
    );
    // Refused before its body is read: the language comes from the query or Accept-Language.
    const refused = await postJson('/desk/api/transactions', { template: 'residence' }, { 'accept-language': 'ar' });
    expect(refused.status).toBe(403);
    expect(refused.json.message).toBe('هذه الصفحة مخصصة لموظفي مكتب الخدمة فقط.');
  });

  it('guards its own routes only, so it can be mounted beside others', async () => {
    const refused = await send('GET', '/');
    expect(refused.status).toBe(403);
    const other = await send('GET', '/other');
    expect(other.status).toBe(200);
    expect(other.text).toBe('other route');
  });
});
