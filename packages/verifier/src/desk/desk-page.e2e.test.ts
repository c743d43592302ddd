/**
 * The service-desk page in a real browser: headless Chromium (the system one, through
 * playwright-core, which downloads nothing) against a real express server on 127.0.0.1 with the
 * desk router, the real OpenID4VP verifier and its wallet endpoints. A test wallet answers the
 * QR code's link over HTTP, and the page must show the outcome live, in the staff's language,
 * with only the disclosed claims, and without one request leaving 127.0.0.1.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ClaimPath,
  createStatusList,
  createStatusListToken,
  encodeBase64Url,
  generateKeyPair,
  issueSdJwtVc,
  type Jwk,
  type SigningKey,
  StatusValue,
} from '@tessera/shared';
import { nodeCrypto, nodeSigningKey } from '@tessera/shared/node';
import { accessibilityViolations, launchHeadlessChromium } from '@tessera/shared/node/testing';
import express from 'express';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createVerifierRouter } from '../node/verifier-router.ts';
import { openRequest, present, respond } from '../openid4vp/test-wallet.ts';
import type { Verifier } from '../openid4vp/types.ts';
import { createVerifier } from '../openid4vp/verifier.ts';
import { parseTrustList } from '../trust/trust-list.ts';
import { createDeskRouter } from './desk-router.ts';
import { DEFAULT_CREDENTIAL_TYPES } from './templates.ts';

const VCT = DEFAULT_CREDENTIAL_TYPES.residencePermit;
const CLAIMS = {
  given_name: 'Amina-SECRET',
  family_name: 'Yusuf-SECRET',
  birthdate: '1990-04-02',
  residence_status: 'lawfully_resident',
  age_equal_or_over: { '18': true },
};
const DISCLOSABLE: ClaimPath[] = [
  ['given_name'],
  ['family_name'],
  ['birthdate'],
  ['residence_status'],
  ['age_equal_or_over', '18'],
];
/** Indexes in the issuer's status list. */
const VALID = 3;
const REVOKED = 7;
/** `expect.poll` gives up after one second by default: too little on a busy two-core CI machine. */
const POLL = { timeout: 10_000 };

let server: Server;
let origin: string;
let verifier: Verifier;
let browser: Browser;
let page: Page;
let issuerDid: string;
let issuerKey: SigningKey;
let holderKey: SigningKey;
let holderPublic: Jwk;
let statusUri: string;
/** Every URL the page requested, and every console error or CSP report it raised. */
let requested: string[];
let consoleErrors: string[];

beforeAll(async () => {
  const app = express();
  let statusToken = '';
  app.get('/status/1', (_request, response) => {
    response.type('application/statuslist+jwt').send(statusToken);
  });
  server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;

  const issuer = await generateKeyPair();
  issuerDid = `did:jwk:${encodeBase64Url(new TextEncoder().encode(JSON.stringify(issuer.publicJwk)))}`;
  issuerKey = nodeSigningKey(issuer.privateJwk, 'ES256', `${issuerDid}#0`);
  const holder = await generateKeyPair();
  holderKey = nodeSigningKey(holder.privateJwk, 'ES256');
  holderPublic = holder.publicJwk;
  // The fetch policy lets the verifier reach http:// on localhost only: the status list is served here.
  statusUri = `http://localhost:${port}/status/1`;
  const list = createStatusList(64, 1);
  list.set(REVOKED, StatusValue.INVALID);
  statusToken = await createStatusListToken({ list, uri: statusUri, issuer: issuerDid, ttl: 1, signingKey: issuerKey });

  const verifierKey = await generateKeyPair();
  const verifierDid = `did:jwk:${encodeBase64Url(new TextEncoder().encode(JSON.stringify(verifierKey.publicJwk)))}`;
  verifier = createVerifier({
    baseUrl: `${origin}/verify`,
    allowInsecureBaseUrl: true,
    client: {
      prefix: 'decentralized_identifier',
      did: verifierDid,
      signingKey: { ...nodeSigningKey(verifierKey.privateJwk, 'ES256'), kid: `${verifierDid}#0` },
    },
    presentations: {
      trust: parseTrustList({
        version: 1,
        issuers: [
          {
            id: issuerDid,
            name: { en: 'City of Bologna', de: 'Stadt Bologna', ar: 'بلدية بولونيا', it: 'Comune di Bologna' },
            credentialTypes: [VCT],
          },
        ],
      }),
      fetchPolicy: { allowInsecureLocalhost: true, timeoutMs: 2000 },
      crypto: nodeCrypto,
    },
  });
  app.use('/verify', createVerifierRouter(verifier));
  app.use('/desk', createDeskRouter(verifier, { timeZone: 'UTC' }));
  // The same verifier, but its links are longer than any QR code holds (a large request signed
  // into the link): what the page does when the server cannot draw the code.
  const longLink = `openid4vp://?client_id=x&request=${'a'.repeat(3000)}`;
  const longLinks: Verifier = {
    ...verifier,
    start: async (request) => ({ ...(await verifier.start(request)), link: longLink }),
    get: async (id) => {
      const view = await verifier.get(id);
      return view?.status === 'pending' ? { ...view, link: longLink } : view;
    },
  };
  app.use('/desk-long', createDeskRouter(longLinks, { timeZone: 'UTC' }));

  browser = await launchHeadlessChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(async () => {
  requested = [];
  consoleErrors = [];
  page = await browser.newPage();
  page.on('request', (request) => requested.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(`${message.text()} ${message.location().url}`);
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
});

afterEach(async () => {
  await page.close();
  // Privacy: the page talks to the desk server and nothing else, whatever it shows.
  expect(requested.length).toBeGreaterThan(0);
  expect(requested.filter((url) => new URL(url).origin !== origin)).toEqual([]);
  expect(consoleErrors).toEqual([]);
});

async function issue(idx: number): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return issueSdJwtVc({
    issuer: issuerDid,
    vct: VCT,
    claims: CLAIMS,
    disclosable: DISCLOSABLE,
    holderKey: holderPublic,
    status: { idx, uri: statusUri },
    issuedAt: now - 60,
    expiresAt: now + 3600,
    signingKey: issuerKey,
    crypto: nodeCrypto,
  });
}

/** Picks a template on the page, asks for the QR code, and returns the link the page shows. */
async function startCheck(templateLabel: string | RegExp, buttonLabel: string | RegExp): Promise<string> {
  await page.getByLabel(templateLabel).check();
  await page.getByRole('button', { name: buttonLabel }).click();
  await page.locator('#request').waitFor({ state: 'visible' });
  // The QR code is an SVG the server drew, loaded from the same origin.
  await expect
    .poll(() => page.locator('#request-qr').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0))
    .toBe(true);
  const link = await page.locator('#request-link').inputValue();
  expect(link).toMatch(/^openid4vp:\/\/\?/);
  expect(await page.locator('#request-open').getAttribute('href')).toBe(link);
  return link;
}

/** The wallet side: opens the link, presents the credential disclosing `disclose`, posts the response. */
async function walletAnswers(link: string, sdJwt: string, disclose: ClaimPath[]): Promise<void> {
  const { request } = await openRequest(link);
  const queryId = String(((request.dcql_query as { credentials: { id: string }[] }).credentials[0] as { id: string }).id);
  const vp = await present(request, { sdJwt, holderKey }, disclose);
  await respond(request, { vpToken: { [queryId]: [vp] } });
}

describe('the service-desk page in Chromium', () => {
  it('shows the QR code and link, then the verified answer live: issuer, type, only the disclosed claim, status', async () => {
    await page.goto(`${origin}/desk/?lang=en`);
    expect(await page.locator('html').getAttribute('dir')).toBe('ltr');
    await expect.poll(() => page.locator('h1').textContent(), POLL).toBe('Check a credential');
    expect(await accessibilityViolations(page)).toEqual([]);

    const link = await startCheck('Proof of residence', 'Show QR code');
    await expect.poll(() => page.locator('#request-countdown').textContent(), POLL).toMatch(/^Expires in [45]:\d\d$/);
    await expect.poll(() => page.locator('#request-waiting').isVisible(), POLL).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);

    await walletAnswers(link, await issue(VALID), [['residence_status']]);

    const result = page.locator('#result');
    await page.locator('#result-heading').waitFor();
    expect(await result.getAttribute('aria-live')).toBe('polite');
    expect(await page.locator('#result-heading').textContent()).toBe('Verified');
    const facts = await result.locator('dt, dd').allTextContents();
    expect(facts).toEqual([
      'Issued by',
      'City of Bologna',
      'Document',
      'Residence permit',
      'Status',
      expect.stringMatching(/^Valid checked on /),
      'Residence status',
      'lawfully_resident',
    ]);
    expect(await page.locator('body').textContent()).not.toMatch(/SECRET|1990/);
    expect(await page.locator('#request').isHidden()).toBe(true);
    expect(await page.getByRole('button', { name: 'New check' }).isVisible()).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('renders Arabic right to left and explains a revoked credential in Arabic', async () => {
    await page.goto(`${origin}/desk/?lang=ar`);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.locator('html').getAttribute('lang')).toBe('ar');
    expect(await page.locator('main').evaluate((main) => getComputedStyle(main).direction)).toBe('rtl');

    const link = await startCheck('السن فوق 18 عامًا', 'عرض رمز QR');
    await walletAnswers(link, await issue(REVOKED), [['age_equal_or_over', '18']]);

    await page.locator('#result-heading').waitFor();
    expect(await page.locator('#result-heading').textContent()).toBe('غير مقبول');
    expect(await page.locator('#result .badge').textContent()).toBe('ملغاة');
    expect(await page.locator('#result .explanation').textContent()).toBe('ألغت الجهة المُصدِرة هذه الوثيقة. لم تعد صالحة.');
    expect(await page.locator('#result .error-code').textContent()).toBe('الرمز التقني: credential_revoked');
    // Logical properties: in rtl the result's accent border is on the right, where the text starts.
    const border = await page
      .locator('#result-heading')
      .evaluate((heading) => [getComputedStyle(heading).borderRightWidth, getComputedStyle(heading).borderLeftWidth]);
    expect(border).toEqual(['8px', '0px']);
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('tells German staff that the person declined, and starts over on "Neue Prüfung"', async () => {
    await page.setExtraHTTPHeaders({ 'Accept-Language': 'de-DE,de;q=0.9' });
    await page.goto(`${origin}/desk/`);
    expect(await page.locator('html').getAttribute('lang')).toBe('de');

    const link = await startCheck('Registrierung als NGO', 'QR-Code anzeigen');
    const { request } = await openRequest(link);
    await respond(request, { error: 'access_denied' });

    await page.locator('#result-heading').waitFor();
    expect(await page.locator('#result .explanation').textContent()).toBe(
      'Die Person hat das Teilen abgelehnt oder in ihrer Wallet abgebrochen.',
    );

    await page.getByRole('button', { name: 'Neue Prüfung' }).click();
    expect(await page.locator('#result').textContent()).toBe('');
    expect(await page.locator('#desk-form').isVisible()).toBe(true);
    expect(await page.locator('input[name="template"]:checked').count()).toBe(0);
  });

  it('says why there is no QR code when the link is too long for one, and still offers the link', async () => {
    await page.goto(`${origin}/desk-long/?lang=en`);
    await page.getByLabel('Proof of residence').check();
    await page.getByRole('button', { name: 'Show QR code' }).click();
    await page.locator('#request').waitFor({ state: 'visible' });
    await expect
      .poll(() => page.locator('#request-problem').textContent(), POLL)
      .toBe(
        'This request is too long for a QR code. Open the link on the phone instead, or start the check again with the request sent by reference.',
      );
    expect(await page.locator('#request-qr').isHidden()).toBe(true);
    expect(await page.locator('#request-link').inputValue()).toMatch(/^openid4vp:\/\/\?client_id=x&request=a{3000}$/);
    // The browser reports the refused picture (HTTP 422) on its console, for the image and for the
    // page's read of the reason: those are expected.
    const refused = consoleErrors.filter((error) => error.includes('status of 422') && error.includes('/qr.svg'));
    expect(refused).toHaveLength(2);
    consoleErrors = consoleErrors.filter((error) => !refused.includes(error));
  });

  it('asks staff to choose a template first, and keeps every target at least 44 px high', async () => {
    await page.goto(`${origin}/desk/?lang=fr`);
    await page.getByRole('button', { name: 'Afficher le code QR' }).click();
    expect(await page.getByRole('alert').textContent()).toBe('Choisissez ce que vous devez vérifier.');
    expect(await page.locator('#request').isHidden()).toBe(true);

    const heights = await page
      .locator('.choice label, button:visible, .languages a')
      .evaluateAll((elements) => elements.map((element) => element.getBoundingClientRect().height));
    expect(heights.length).toBeGreaterThanOrEqual(9);
    for (const height of heights) expect(height).toBeGreaterThanOrEqual(44);
  });
});
