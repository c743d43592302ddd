/**
 * The wallet app's second increment in a real browser, against the real peers: the production
 * build served on 127.0.0.1 and driven in the system's headless Chromium (with a fake camera that
 * films a QR code), the real issuer app (PGlite) and the real verifier (its express router, an
 * x509_hash: desk certified by a development CA that the app's config trusts, and a second desk
 * from a CA it does not). A holder receives a document by scanning the office's QR code and typing
 * the PIN, shares it with one optional claim switched on (the verifier's own result holds exactly
 * the required claim and that one), refuses an unverified desk, reads and clears the history, backs
 * up, deletes the document and restores the backup into a new wallet; then the same screens in
 * Arabic, where a second document is received and the holder picks which one to share. On the way:
 * the backup reminder, an offline reload with the document, 200 % zoom, and read-aloud.
 * axe-core (WCAG 2.2 AA) runs on every screen visited and must find no serious or critical
 * violation. No request leaves 127.0.0.1; screenshots go to packages/wallet/test-artifacts.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCredentialOffer } from '@tessera/issuer';
import { permitTenant, RESIDENCE_PERMIT_CLAIMS, startTestIssuer, type TestIssuer } from '@tessera/issuer/testing';
import type { JsonObject } from '@tessera/shared';
import { createDevelopmentCa, type Database, nodeCrypto, openDatabase } from '@tessera/shared/node';
import { accessibilityViolations, launchHeadlessChromium } from '@tessera/shared/node/testing';
import { type ClientIdentity, createVerifier, parseTrustList, type Verifier } from '@tessera/verifier';
import { createDevelopmentClient, createVerifierRouter } from '@tessera/verifier/node';
import express from 'express';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DESK_NAME, PURPOSE, QUERY_WITH_OPTIONAL as QUERY, PERMIT_VCT as VCT } from '../present/test-requests.ts';
import ar from './messages/ar.json' with { type: 'json' };
import en from './messages/en.json' with { type: 'json' };
import { buildApp, listenOnLoopback, openRecordedPage, PACKAGE, speechStub } from './node/test-browser.ts';

const ARTIFACTS = join(PACKAGE, 'test-artifacts');
const PIN = '493817';
const BACKUP_PASSPHRASE = 'blue river 2026';
const POLL = { timeout: 10_000 };
const COURSE_VCT = 'https://tessera.example/credentials/language-course-certificate';
const COURSE_NAME_AR = 'شهادة دورة اللغة';
/** The holder's given name, planted: it may reach the verifier when switched on, never the history. */
const GIVEN_NAME = 'Amina-PLANTED';
/** Either document, for the holder to choose: both carry a given name. */
const EITHER_DOCUMENT: JsonObject = {
  credentials: [
    { id: 'person', format: 'dc+sd-jwt', meta: { vct_values: [VCT, COURSE_VCT] }, claims: [{ path: ['given_name'] }] },
  ],
};
const COURSE_CLAIMS = {
  family_name: 'Haile',
  language: 'it',
  level: 'B1',
  course_name: 'Italian for work',
  completion_date: '2026-01-20',
  school: 'Scuola Aperta',
};

/** Speech synthesis with local English and Arabic voices and a network Arabic one. */
const SPEECH_STUB = speechStub([
  { lang: 'en-GB', localService: true, name: 'English', voiceURI: 'en', default: true },
  { lang: 'ar-SA', localService: false, name: 'Arabic (network)', voiceURI: 'ar-net', default: false },
  { lang: 'ar-SA', localService: true, name: 'Arabic', voiceURI: 'ar', default: false },
]);

let workDir: string;
let videoFile: string;
let appServer: Server;
let peerServer: Server;
let appOrigin: string;
let database: Database;
let issuer: TestIssuer;
let desk: Verifier;
let strangerDesk: Verifier;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const requested: string[] = [];
const consoleErrors: string[] = [];

/** Writes a fake camera film (YUV4MPEG2, 4:2:0) of the QR code of `text`, dark on light. */
async function filmQrCode(text: string): Promise<void> {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const side = 480;
  const scale = Math.floor(side / (modules.size + 8));
  const offset = Math.floor((side - modules.size * scale) / 2);
  const luma = Buffer.alloc(side * side, 235);
  for (let row = 0; row < modules.size; row++) {
    for (let column = 0; column < modules.size; column++) {
      if (modules.get(row, column) !== 1) continue;
      for (let y = 0; y < scale; y++) {
        luma.fill(
          16,
          (offset + row * scale + y) * side + offset + column * scale,
          (offset + row * scale + y) * side + offset + (column + 1) * scale,
        );
      }
    }
  }
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, Buffer.alloc((side * side) / 2, 128)]);
  await writeFile(videoFile, Buffer.concat([Buffer.from(`YUV4MPEG2 W${side} H${side} F5:1 Ip A1:1 C420jpeg\n`), frame, frame]));
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'tessera-wallet-share-'));
  videoFile = join(workDir, 'camera.y4m');
  await filmQrCode('nothing yet');
  const outDir = join(workDir, 'app');
  const built = buildApp(outDir);

  database = await openDatabase({ kind: 'pglite' });
  issuer = await startTestIssuer(database, {
    tenants: [
      {
        ...permitTenant('bologna', { en: 'City of Bologna', ar: 'بلدية بولونيا' }, { didMethod: 'jwk' }),
        credentialTypes: ['residence_permit', 'language_course_certificate'],
      },
    ],
  });
  const issuerDid = await issuer.did('bologna');

  // The desks: one verifier router per desk on one express server of 127.0.0.1.
  const ca = await createDevelopmentCa({ dir: join(workDir, 'ca') });
  const strangerCa = await createDevelopmentCa({ dir: join(workDir, 'stranger-ca') });
  const peers = express();
  const { server, origin: peerOrigin } = await listenOnLoopback(peers);
  peerServer = server;
  const trust = parseTrustList({
    version: 1,
    issuers: [{ id: issuerDid, name: { en: 'City of Bologna' }, credentialTypes: [VCT, COURSE_VCT] }],
  });
  const mount = (path: string, client: ClientIdentity): Verifier => {
    const verifier = createVerifier({
      baseUrl: `${peerOrigin}/${path}`,
      allowInsecureBaseUrl: true,
      client,
      presentations: { trust, fetchPolicy: { allowInsecureLocalhost: true, timeoutMs: 5000 }, crypto: nodeCrypto },
    });
    peers.use(`/${path}`, createVerifierRouter(verifier));
    return verifier;
  };
  desk = mount('desk', (await createDevelopmentClient({ ca, dnsName: 'localhost', name: DESK_NAME })).client);
  strangerDesk = mount(
    'stranger',
    (await createDevelopmentClient({ ca: strangerCa, dnsName: 'localhost', name: 'Stranger' })).client,
  );

  // The app, with the deployment's config: this issuer, this desk's CA, plain http on loopback.
  await built;
  const app = express();
  app.get('/wallet-config.json', (_request, response) => {
    response.json({
      trust: { issuers: [{ id: issuerDid, credentialTypes: [VCT, COURSE_VCT] }], acceptUnknownIssuers: false },
      trustAnchors: [ca.certificatePem],
      allowInsecureLocalhost: true,
    });
  });
  app.use(express.static(outDir));
  ({ server: appServer, origin: appOrigin } = await listenOnLoopback(app));
  await mkdir(ARTIFACTS, { recursive: true });
  // The shared launcher's flags, plus a fake camera that films `videoFile`.
  browser = await launchHeadlessChromium([
    '--use-fake-device-for-media-stream',
    `--use-file-for-fake-video-capture=${videoFile}`,
  ]);
  ({ context, page } = await openRecordedPage(browser, {
    locale: 'en-GB',
    initScript: SPEECH_STUB,
    requested,
    errors: consoleErrors,
  }));
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => appServer?.close(resolve));
  await new Promise((resolve) => peerServer?.close(resolve));
  await issuer?.close();
  await database?.close();
  await rm(workDir, { recursive: true, force: true });
});

const heading = (): Promise<string | null> => page.locator('h1').textContent();
const alert = (): Promise<string | null> => page.getByRole('alert').textContent();

/** Texts of the English catalog as they appear on screen (placeholders and plural syntax cut out). */
const ENGLISH_TEXTS = Object.entries(en)
  .filter(([key, text]) => key !== 'language.name' && text !== (ar as Record<string, string>)[key])
  .flatMap(([, text]) => text.split(/[{}]/))
  .map((text) => text.trim())
  .filter((text) => text.length >= 6 && !/^(?:\w+, (?:plural|number)|one|other)/.test(text));

/**
 * Every screen is checked with axe-core and photographed; an Arabic one must show no text of the
 * English catalog (names from issuers, desks and the holder may be in any script).
 */
async function checkScreen(name: string): Promise<void> {
  expect(await accessibilityViolations(page), name).toEqual([]);
  if (name.startsWith('ar-')) {
    // biome-ignore lint/performance/useDomNodeTextContent: what a person sees is the rendered text
    const visible = await page.locator('body').innerText();
    expect(
      ENGLISH_TEXTS.filter((text) => visible.includes(text)),
      name,
    ).toEqual([]);
  }
  await page.screenshot({ path: join(ARTIFACTS, `wallet-app-${name}.png`), fullPage: true });
}

async function goTo(link: string, title: string): Promise<void> {
  await page.getByRole('link', { name: link, exact: true }).click();
  await expect.poll(heading, POLL).toBe(title);
}

/** Every control a finger must hit is at least 44 px high (WCAG 2.2 §2.5.5): buttons, links, switch and filter rows. */
async function expectLargeTargets(): Promise<void> {
  const heights = await page
    .locator('#app button, #app a, #app label:has(input)')
    .evaluateAll((targets) =>
      targets.filter((target) => target.getClientRects().length > 0).map((target) => target.getBoundingClientRect().height),
    );
  expect(heights.length).toBeGreaterThan(3);
  expect(Math.min(...heights)).toBeGreaterThanOrEqual(44);
}

/**
 * At 200 % zoom (WCAG 2.2 §1.4.4, §1.4.10: the phone's 390 × 780 CSS pixels become 195 × 390) the
 * screen still fits its width: nothing scrolls sideways and every control is on screen.
 */
async function expectReflowAtDoubleZoom(name: string): Promise<void> {
  await page.setViewportSize({ width: 195, height: 390 });
  const layout = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const offScreen = [...document.querySelectorAll('#app button, #app a, #app input, #app label, #app textarea')]
      .filter((element) => element.getClientRects().length > 0)
      .filter((element) => {
        const box = element.getBoundingClientRect();
        return box.left < -0.5 || box.right > width + 0.5 || box.width === 0;
      })
      .map((element) => element.textContent?.trim() || element.tagName);
    return { sideways: document.documentElement.scrollWidth > width, offScreen };
  });
  await page.screenshot({ path: join(ARTIFACTS, `wallet-app-zoom-${name}.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 780 });
  expect(layout, name).toEqual({ sideways: false, offScreen: [] });
}

async function startRequest(verifier: Verifier, query = QUERY, requestByValue = false): Promise<{ id: string; link: string }> {
  const started = await verifier.start({ query, purpose: PURPOSE, requestByValue });
  return { id: started.id, link: started.link };
}

/** What the page sees when the phone is put away or taken out again (the app locks when hidden). */
async function setVisibility(visibility: 'hidden' | 'visible'): Promise<void> {
  await page.evaluate((value) => {
    Object.defineProperty(document, 'visibilityState', { value, configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  }, visibility);
}

async function openRequestInApp(texts: typeof en, link: string): Promise<void> {
  await page.getByLabel(texts['share.link']).fill(link);
  await page.getByRole('button', { name: texts['share.submit'] }).click();
  await expect.poll(heading, POLL).toBe(texts['consent.title']);
}

describe('the wallet app with the real issuer and verifier', () => {
  it('receives by QR code, shares one optional claim, refuses a stranger, backs up, deletes and restores, in English and Arabic, with no accessibility violation', async () => {
    await page.goto(`${appOrigin}/`);
    await expect.poll(heading, POLL).toBe(en['language.title']);
    await checkScreen('language');
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(heading, POLL).toBe(en['create.title']);
    await checkScreen('create');
    await page.getByLabel(en['create.pin'], { exact: true }).fill(PIN);
    await page.getByLabel(en['create.pin_again']).fill(PIN);
    await page.getByRole('button', { name: en['create.submit'] }).click();
    await expect.poll(heading, POLL).toBe(en['about.title']);
    await checkScreen('about');
    await goTo(en['about.done'], en['home.title']);
    await checkScreen('home-empty');

    // Receive: camera refused first, then the office's QR code filmed; the PIN typed by hand.
    await goTo(en['home.receive'], en['receive.title']);
    await page.getByRole('button', { name: en['scan.start'] }).click();
    await expect.poll(alert, POLL).toBe(en['scan.denied']);
    expect(await page.getByLabel(en['receive.link']).isVisible()).toBe(true);
    await checkScreen('receive');
    const offer = await createCredentialOffer(issuer.issuer.context, {
      tenantId: 'bologna',
      typeId: 'residence_permit',
      claims: { ...RESIDENCE_PERMIT_CLAIMS, given_name: GIVEN_NAME },
      pin: true,
      createdBy: 'staff-1',
    });
    await filmQrCode(offer.link);
    await context.grantPermissions(['camera'], { origin: appOrigin });
    await page.getByRole('button', { name: en['scan.start'] }).click();
    await expect.poll(() => page.getByLabel(en['receive.link']).inputValue(), POLL).toBe(offer.link);
    await page.getByLabel(en['receive.pin']).fill(offer.pin as string);
    await page.getByRole('button', { name: en['receive.submit'], exact: true }).click();
    await expect.poll(heading, { timeout: 20_000 }).toBe('Residence permit');
    await expect.poll(() => page.locator('.status').textContent(), POLL).toBe(en['credential.status_valid']);
    await checkScreen('credential-detail');
    await page.getByRole('link', { name: en['common.back'] }).first().click();
    await expect.poll(heading, POLL).toBe(en['home.title']);
    expect(await page.locator('.card-name').allTextContents()).toEqual(['Residence permit']);
    // A document in no backup: the home screen suggests one, gently (a note, not a warning).
    expect(await page.locator('.backup-reminder p').textContent()).toBe(en['home.backup_reminder']);
    expect(await page.locator('.backup-reminder').getAttribute('role')).toBe('note');
    await checkScreen('home');
    await expectReflowAtDoubleZoom('home');

    // Offline: the app loads from its service worker, opens with the PIN, lists the document and
    // shows it; the status line says the wallet could not check (issue 6 §3 "Offline").
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await context.setOffline(true);
    await page.reload();
    await expect.poll(heading, POLL).toBe(en['unlock.title']);
    await page.getByLabel(en['unlock.pin']).fill(PIN);
    await page.getByRole('button', { name: en['unlock.submit'] }).click();
    await expect.poll(heading, POLL).toBe(en['home.title']);
    expect(await page.locator('.card-name').allTextContents()).toEqual(['Residence permit']);
    await page.locator('.card').click();
    await expect.poll(heading, POLL).toBe('Residence permit');
    // Offline, the line says what the office said when the wallet last checked (online, above), and when.
    const today = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long' }).format(Date.now());
    await expect
      .poll(() => page.locator('.status').textContent(), POLL)
      .toBe(`${en['credential.status_valid']} ${en['credential.status_as_of'].replace('{date}', today)}`);
    expect(await page.locator('.claims').textContent()).toContain(GIVEN_NAME);
    await expectReflowAtDoubleZoom('credential-detail');
    await page.getByRole('link', { name: en['common.back'] }).first().click();
    await expect.poll(heading, POLL).toBe(en['home.title']);

    // Share with the trusted desk, adding the given name. Still offline: the desk signed its
    // request into the link, so the consent screen needs no connection; only sending does.
    const request = await startRequest(desk, QUERY, true);
    await goTo(en['home.share'], en['share.title']);
    await checkScreen('share');
    await openRequestInApp(en, request.link);
    await checkScreen('consent');
    await expectReflowAtDoubleZoom('consent');
    expect(await page.locator('.verifier-name').textContent()).toBe(DESK_NAME);
    expect(await page.locator('.purpose').textContent()).toBe(PURPOSE.en);
    expect(await page.locator('.warning').allTextContents()).toEqual([
      en['consent.warning.full_birth_date_asked'].replace('{claim}', 'Date of birth'),
      en['consent.warning.claim_outside_claim_sets'].replace('{claim}', 'Family name'),
    ]);
    expect(await page.locator('.claim-list li').allTextContents()).toEqual([`Residence status${en['consent.required_badge']}`]);
    const givenName = page.getByRole('switch', { name: 'Given name' });
    const birthDate = page.getByRole('switch', { name: 'Date of birth' });
    expect([await givenName.isChecked(), await birthDate.isChecked()]).toEqual([false, false]);
    // "Share" and "Don't share": same size, weight and colours; the heading has the focus, not a button.
    const looks = await page.locator('.consent-actions button').evaluateAll((buttons) =>
      buttons.map((button) => {
        const style = getComputedStyle(button);
        const box = button.getBoundingClientRect();
        return [box.width, box.height, style.fontSize, style.fontWeight, style.color, style.backgroundColor, style.borderColor];
      }),
    );
    expect(looks).toHaveLength(2);
    expect(looks[0]).toEqual(looks[1]);
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    expect(await page.locator('.consent-actions button').allTextContents()).toEqual([en['consent.share'], en['consent.decline']]);
    await expectLargeTargets();
    // Read aloud in English with the phone's own English voice: the heading, then who asks, why and what.
    await page.getByRole('button', { name: en['read.aloud'] }).click();
    const spoken = await page.evaluate(
      () => (window as unknown as { spoken: { text: string; lang: string; voice: string }[] }).spoken,
    );
    expect(spoken[0]).toEqual({ text: en['consent.title'], lang: 'en', voice: 'English' });
    expect(spoken.map((line) => line.text)).toEqual(expect.arrayContaining([DESK_NAME, PURPOSE.en, 'Residence status']));
    expect(new Set(spoken.map((line) => `${line.lang} ${line.voice}`))).toEqual(new Set(['en English']));
    expect(await page.locator('.read-aloud').textContent()).toBe(en['read.stop']);
    await page.getByRole('button', { name: en['read.stop'] }).click();
    expect(await page.locator('.read-aloud').textContent()).toBe(en['read.aloud']);
    await givenName.check();
    // Share with no connection: the app says so, sends nothing and keeps the screen and the choice.
    await page.getByRole('button', { name: en['consent.share'], exact: true }).click();
    await expect.poll(alert, POLL).toBe(en['consent.offline'].replace('{share}', en['consent.share']));
    expect(await heading()).toBe(en['consent.title']);
    expect(await givenName.isChecked()).toBe(true);
    expect((await desk.get(request.id))?.status).toBe('pending');
    await context.setOffline(false);
    await page.getByRole('button', { name: en['consent.share'], exact: true }).click();
    await expect.poll(heading, POLL).toBe(en['receipt.title_shared']);
    expect(await page.locator('.receipt .claim-list li').allTextContents()).toEqual(['Residence status', 'Given name']);
    expect(await page.locator('.outcome').textContent()).toBe(en['receipt.accepted']);
    // A screen reader hears the title and the receipt as one text, in reading order.
    await expect
      .poll(() => page.locator('#screen-announcer').textContent(), POLL)
      .toBe(
        `${en['receipt.title_shared']}. ${en['receipt.shared_with'].replace('{verifier}', DESK_NAME)} Residence status, Given name ${en['receipt.accepted']}`,
      );
    await checkScreen('receipt-shared');
    const result = await desk.get(request.id);
    expect(result?.status).toBe('responded');
    expect(result?.credentials?.[0]?.disclosed).toEqual(expect.arrayContaining([['residence_status'], ['given_name']]));
    expect(result?.credentials?.[0]?.disclosed).toHaveLength(2);
    expect(result?.credentials?.[0]?.claims.given_name).toBe(GIVEN_NAME);
    expect(result?.credentials?.[0]?.claims.birth_date).toBeUndefined();
    await goTo(en['receipt.done'], en['home.title']);

    // A desk the wallet cannot check: the warning says so and why; the holder refuses. The phone
    // is put away while the refusal travels: the wallet locks at once, and the refusal still
    // reaches the desk and the history (checked below), with no receipt left behind the lock.
    const stranger = await startRequest(strangerDesk);
    await goTo(en['home.share'], en['share.title']);
    await openRequestInApp(en, stranger.link);
    expect(await page.locator('#unverified-title').textContent()).toBe(en['consent.unverified_title']);
    expect(await page.locator('.verifier.unverified').textContent()).toContain(en['consent.reason.untrusted_certificate']);
    await checkScreen('consent-unverified');
    let release: (() => Promise<void>) | undefined;
    await page.route(
      (url) => url.pathname.startsWith('/stranger/response/'),
      (route) => {
        release = () => route.continue();
      },
    );
    await page.getByRole('button', { name: en['consent.decline'] }).click();
    await expect.poll(() => release !== undefined, POLL).toBe(true);
    await setVisibility('hidden');
    await expect.poll(heading, POLL).toBe(en['unlock.title']);
    expect(await page.locator('main').textContent()).not.toContain(DESK_NAME);
    await (release as () => Promise<void>)();
    await expect.poll(async () => (await strangerDesk.get(stranger.id))?.error?.code, POLL).toBe('access_denied');
    await page.unroute((url) => url.pathname.startsWith('/stranger/response/'));
    await setVisibility('visible');
    await page.getByLabel(en['unlock.pin']).fill(PIN);
    await page.getByRole('button', { name: en['unlock.submit'] }).click();
    await expect.poll(heading, POLL).toBe(en['home.title']);

    // A request no document in the wallet answers: what is missing in words, and only "Don't share".
    const unanswerable = await desk.start({
      query: {
        credentials: [
          { id: 'course', format: 'dc+sd-jwt', meta: { vct_values: ['https://tessera.example/credentials/language-course'] } },
        ],
      },
    });
    await goTo(en['home.share'], en['share.title']);
    await openRequestInApp(en, unanswerable.link);
    expect(await page.locator('#cannot-title').textContent()).toBe(en['consent.cannot_title']);
    expect(await page.locator('.consent-actions button').allTextContents()).toEqual([en['consent.decline']]);
    await checkScreen('consent-unanswerable');
    await page.getByRole('button', { name: en['consent.decline'] }).click();
    await expect.poll(heading, POLL).toBe(en['receipt.title_declined']);
    await checkScreen('receipt-declined');
    expect((await desk.get(unanswerable.id))?.error?.code).toBe('access_denied');
    await goTo(en['receipt.done'], en['home.title']);

    // History: received, shared (with the labels, never the value), refused; filtered; saved.
    await goTo(en['home.history'], en['history.title']);
    await checkScreen('history');
    await expectLargeTargets();
    const titles = (): Promise<string[]> => page.locator('.history-entry h2').allTextContents();
    expect(await titles()).toEqual([
      en['history.declined'].replace('{verifier}', DESK_NAME),
      en['history.declined'].replace('{verifier}', en['history.unknown_verifier']),
      en['history.shared'].replace('{verifier}', DESK_NAME),
      en['history.received'].replace('{document}', 'Residence permit'),
    ]);
    // biome-ignore lint/performance/useDomNodeTextContent: what the holder sees
    const historyText = await page.locator('.history-list').innerText();
    expect(historyText).toContain(en['history.claims'].replace('{claims}', 'Residence status, Given name'));
    expect(historyText).not.toContain(GIVEN_NAME);
    await page.getByLabel(en['history.filter.declined']).check();
    expect(await page.locator('.history-entry').count()).toBe(2);
    await page.getByLabel(en['history.filter.shared']).check();
    expect(await titles()).toEqual([en['history.shared'].replace('{verifier}', DESK_NAME)]);
    await page.getByLabel(en['history.filter.all']).check();
    const [historyDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: en['history.export'] }).click(),
    ]);
    const historyFile = await readFile(await historyDownload.path(), 'utf8');
    expect(JSON.parse(historyFile).entries.map((entry: { event: string }) => entry.event)).toEqual([
      'credential_received',
      'credential_presented',
      'presentation_declined',
      'presentation_declined',
    ]);
    expect(historyFile).not.toContain(GIVEN_NAME);
    await expectReflowAtDoubleZoom('history');

    // Clearing the history takes two steps; "No" keeps it.
    await goTo(en['history.clear'], en['clear.title']);
    await checkScreen('clear-history');
    await goTo(en['clear.keep'], en['history.title']);
    expect(await page.locator('.history-entry').count()).toBe(4);
    await goTo(en['history.clear'], en['clear.title']);
    await page.getByRole('button', { name: en['clear.confirm'] }).click();
    await expect.poll(heading, POLL).toBe(en['history.title']);
    expect(await page.locator('main').getByRole('status').textContent()).toBe(en['clear.done']);
    expect(await page.locator('.history-entry').count()).toBe(0);
    expect(await page.locator('.history-list').textContent()).toBe(en['history.empty']);
    await page.getByRole('link', { name: en['common.back'] }).click();

    // Back up: the passwords must match; then the encrypted file is downloaded.
    await goTo(en['home.settings'], en['settings.title']);
    await checkScreen('settings');
    await expectReflowAtDoubleZoom('settings');
    await goTo(en['settings.backup'], en['backup.title']);
    await page.getByLabel(en['backup.passphrase'], { exact: true }).fill(BACKUP_PASSPHRASE);
    await page.getByLabel(en['backup.passphrase_again']).fill('blue river 2025');
    await page.getByRole('button', { name: en['backup.submit'] }).click();
    expect(await alert()).toBe(en['backup.mismatch']);
    await checkScreen('backup');
    await page.getByLabel(en['backup.passphrase_again']).fill(BACKUP_PASSPHRASE);
    const [backupDownload] = await Promise.all([
      page.waitForEvent('download', { timeout: 20_000 }),
      page.getByRole('button', { name: en['backup.submit'] }).click(),
    ]);
    const backupPath = join(workDir, 'backup.json');
    await backupDownload.saveAs(backupPath);
    const backup = await readFile(backupPath, 'utf8');
    expect(JSON.parse(backup).format).toBe('tessera-wallet-backup');
    expect(backup).not.toContain(GIVEN_NAME);
    await expect.poll(() => page.locator('.form-message').textContent(), POLL).toBe(en['backup.done']);

    // Delete the document in two steps. The backup holds it now: no more reminder.
    await page.getByRole('link', { name: en['common.back'] }).click();
    await goTo(en['common.back'], en['home.title']);
    expect(await page.locator('.backup-reminder').count()).toBe(0);
    await page.locator('.card').click();
    await expect.poll(heading, POLL).toBe('Residence permit');
    await goTo(en['credential.delete'], en['delete.title']);
    await checkScreen('delete-credential');
    await page.getByRole('button', { name: en['delete.confirm'] }).click();
    await expect.poll(heading, POLL).toBe(en['home.title']);
    expect(await page.locator('main').getByRole('status').textContent()).toBe(en['delete.done']);
    expect(await page.locator('.card').count()).toBe(0);

    // Restore into a new wallet: a wrong backup password creates nothing; the right one brings the document back.
    await page.getByRole('button', { name: en['home.lock'] }).click();
    await expect.poll(heading, POLL).toBe(en['unlock.title']);
    await checkScreen('locked');
    await goTo(en['unlock.other_wallet'], en['profiles.title']);
    await checkScreen('profiles');
    await goTo(en['restore.link'], en['restore.title']);
    await checkScreen('restore');
    await page.getByLabel(en['restore.file']).setInputFiles(backupPath);
    await page.getByLabel(en['restore.passphrase']).fill('not the password');
    await page.getByLabel(en['create.pin'], { exact: true }).fill(PIN);
    await page.getByLabel(en['create.pin_again']).fill(PIN);
    await page.getByRole('button', { name: en['restore.submit'] }).click();
    await expect.poll(alert, { timeout: 20_000 }).toBe(en['restore.wrong_passphrase']);
    await page.getByLabel(en['restore.passphrase']).fill(BACKUP_PASSPHRASE);
    await page.getByLabel(en['create.name']).fill('Amina');
    await page.getByRole('button', { name: en['restore.submit'] }).click();
    await expect.poll(heading, { timeout: 20_000 }).toBe(en['home.title']);
    expect(await page.locator('.card-name').allTextContents()).toEqual(['Residence permit']);

    // The same screens in Arabic, right to left.
    await goTo(en['home.settings'], en['settings.title']);
    await goTo(en['settings.language'], en['language.title']);
    await page.getByRole('button', { name: 'العربية' }).click();
    await expect.poll(heading, POLL).toBe(ar['settings.title']);
    await goTo(ar['settings.language'], ar['language.title']);
    await checkScreen('ar-language');
    await page.getByRole('link', { name: ar['common.back'] }).click();
    await expect.poll(heading, POLL).toBe(ar['settings.title']);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    await checkScreen('ar-settings');
    await goTo(ar['settings.backup'], ar['backup.title']);
    await checkScreen('ar-backup');
    await page.getByRole('link', { name: ar['common.back'] }).click();
    await goTo(ar['settings.wipe'], ar['wipe.title']);
    await checkScreen('ar-wipe');
    await goTo(ar['wipe.keep'], ar['settings.title']);
    await goTo(ar['settings.about'], ar['about.title']);
    await checkScreen('ar-about');
    await goTo(ar['about.done'], ar['home.title']);
    // Restored from a backup: nothing to remind of.
    expect(await page.locator('.backup-reminder').count()).toBe(0);
    await checkScreen('ar-home');
    await page.locator('.card').click();
    await expect.poll(heading, POLL).toBe('تصريح الإقامة');
    await expect.poll(() => page.locator('.status').textContent(), POLL).toBe(ar['credential.status_valid']);
    await checkScreen('ar-credential-detail');
    await goTo(ar['credential.delete'], ar['delete.title']);
    await checkScreen('ar-delete-credential');
    await goTo(ar['delete.keep'], 'تصريح الإقامة');
    await page.getByRole('link', { name: ar['common.back'] }).first().click();
    await goTo(ar['home.receive'], ar['receive.title']);
    await checkScreen('ar-receive');
    // A language course certificate joins the permit.
    const course = await createCredentialOffer(issuer.issuer.context, {
      tenantId: 'bologna',
      typeId: 'language_course_certificate',
      claims: { ...COURSE_CLAIMS, given_name: 'Amina-COURSE' },
      pin: true,
      createdBy: 'staff-1',
    });
    await page.getByLabel(ar['receive.link']).fill(course.link);
    await page.getByLabel(ar['receive.pin']).fill(course.pin as string);
    await page.getByRole('button', { name: ar['receive.submit'], exact: true }).click();
    await expect.poll(heading, { timeout: 20_000 }).toBe(COURSE_NAME_AR);
    await page.getByRole('link', { name: ar['common.back'] }).first().click();
    await goTo(ar['home.share'], ar['share.title']);
    await checkScreen('ar-share');
    // The desk's QR code, scanned: the request opens at once. Either document answers it.
    const arabicRequest = await startRequest(desk, EITHER_DOCUMENT);
    await filmQrCode(arabicRequest.link);
    await page.getByRole('button', { name: ar['scan.start'] }).click();
    await expect.poll(heading, POLL).toBe(ar['consent.title']);
    expect(await page.locator('.purpose').textContent()).toBe(PURPOSE.ar);
    // Both documents are offered, one choice each (not one per copy); the holder picks the certificate.
    expect(await page.locator('.choice-list legend').textContent()).toBe(ar['consent.choose_document']);
    const choices = page.locator('.choice-row');
    expect(await choices.count()).toBe(2);
    expect(await page.locator('.choice-row input:checked').count()).toBe(1);
    await checkScreen('ar-consent');
    await expectLargeTargets();
    await expectReflowAtDoubleZoom('ar-consent');
    await choices.filter({ hasText: COURSE_NAME_AR }).click();
    expect(await choices.filter({ hasText: COURSE_NAME_AR }).locator('input').isChecked()).toBe(true);
    await page.getByRole('button', { name: ar['consent.share'], exact: true }).click();
    await expect.poll(heading, POLL).toBe(ar['receipt.title_shared']);
    await checkScreen('ar-receipt');
    const chosen = await desk.get(arabicRequest.id);
    expect(chosen?.credentials?.map((credential) => [credential.vct, credential.claims.given_name])).toEqual([
      [COURSE_VCT, 'Amina-COURSE'],
    ]);
    await goTo(ar['receipt.done'], ar['home.title']);
    // The certificate came after the restore: it is in no backup, so the reminder is back.
    expect(await page.locator('.backup-reminder p').textContent()).toBe(ar['home.backup_reminder']);
    await checkScreen('ar-home-reminder');
    await goTo(ar['home.history'], ar['history.title']);
    await checkScreen('ar-history');
    await goTo(ar['history.clear'], ar['clear.title']);
    await checkScreen('ar-clear-history');
    await goTo(ar['clear.keep'], ar['history.title']);
    await page.getByRole('link', { name: ar['common.back'] }).click();
    await page.getByRole('button', { name: ar['home.lock'] }).click();
    await expect.poll(heading, POLL).toBe(ar['unlock.title']);
    await checkScreen('ar-locked');
    await goTo(ar['unlock.other_wallet'], ar['profiles.title']);
    // The wrong backup password created nothing: the first wallet and the restored one.
    expect(await page.locator('.profile').allTextContents()).toEqual([
      ar['profiles.unnamed'].replace('{number, number}', new Intl.NumberFormat('ar').format(1)),
      'Amina',
    ]);
    await checkScreen('ar-profiles');
    await goTo(ar['restore.link'], ar['restore.title']);
    await checkScreen('ar-restore');
    await page.getByRole('link', { name: ar['common.back'] }).click();
    await goTo(ar['profiles.new'], ar['create.title']);
    await checkScreen('ar-create');

    // Privacy: everything went to this machine's app, issuer and desks; the console stayed clean.
    expect(requested.filter((url) => !['127.0.0.1', 'localhost'].includes(new URL(url).hostname))).toEqual([]);
    expect(consoleErrors).toEqual([]);
  }, 120_000);
});
