/**
 * The wallet app in a real browser: the production build (Vite, the same config as `build:app`)
 * served by a real static server on 127.0.0.1, driven in the system's headless Chromium. A holder
 * onboards in English and in Arabic, the wallet locks when the page is hidden and opens again with
 * the PIN, several wallets share the phone, one changes its PIN, one whose PIN was "forgotten" is
 * deleted in two steps from the locked screen, one is wiped in two steps from Settings, the app
 * loads offline from its service worker, and a screen is read aloud in Arabic. No request may leave 127.0.0.1 and the console must stay clean;
 * screenshots go to packages/wallet/test-artifacts (gitignored).
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accessibilityViolations, launchHeadlessChromium } from '@tessera/shared/node/testing';
import express from 'express';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import ar from './messages/ar.json' with { type: 'json' };
import en from './messages/en.json' with { type: 'json' };
import { buildApp, listenOnLoopback, openRecordedPage, PACKAGE, speechStub } from './node/test-browser.ts';

const ARTIFACTS = join(PACKAGE, 'test-artifacts');
const PIN = '493817';
const NEW_PIN = '720046';
/** `expect.poll` gives up after one second by default: too little for scrypt on a busy CI machine. */
const POLL = { timeout: 8_000 };

let outDir: string;
let server: Server;
let origin: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** Every URL the browser requested, and every console error or uncaught exception. */
let requested: string[];
let consoleErrors: string[];

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'tessera-wallet-app-'));
  await buildApp(outDir);
  const app = express();
  // The policy a deployment sends as a header too (a meta policy cannot forbid framing).
  app.use((_request, response, next) => {
    response.set('content-security-policy', "frame-ancestors 'none'");
    next();
  });
  app.use(express.static(outDir));
  ({ server, origin } = await listenOnLoopback(app));
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await launchHeadlessChromium();
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await rm(outDir, { recursive: true, force: true });
});

/** No speech synthesis at all, as in many browsers. */
const NO_SPEECH = `Object.defineProperty(window, 'speechSynthesis', { value: undefined, configurable: true });`;

/** Speech synthesis with a local Arabic voice and a local English one. */
const SPEECH_STUB = speechStub([
  { lang: 'en-GB', localService: true, name: 'English', voiceURI: 'en', default: true },
  { lang: 'ar-EG', localService: true, name: 'Arabic', voiceURI: 'ar', default: false },
]);

interface Spoken {
  readonly text: string;
  readonly lang: string;
  readonly voice: string;
}

async function openApp(locale: string, speech: string): Promise<void> {
  requested = [];
  consoleErrors = [];
  ({ context, page } = await openRecordedPage(browser, { locale, initScript: speech, requested, errors: consoleErrors }));
  await page.goto(`${origin}/`);
}

afterEach(async () => {
  await context.close();
  // Privacy: the app talks to its own server and nothing else (no fonts, scripts or analytics elsewhere).
  expect(requested.length).toBeGreaterThan(0);
  expect(requested.filter((url) => new URL(url).origin !== origin)).toEqual([]);
  expect(consoleErrors).toEqual([]);
});

const heading = (): Promise<string | null> => page.locator('h1').textContent();

async function goTo(link: string, title: string): Promise<void> {
  await page.getByRole('link', { name: link, exact: true }).click();
  await expect.poll(heading, POLL).toBe(title);
}

/** axe-core (WCAG 2.2 AA) finds no serious or critical violation; the screen is photographed. */
async function expectAccessible(name: string): Promise<void> {
  expect(await accessibilityViolations(page), name).toEqual([]);
  await page.screenshot({ path: join(ARTIFACTS, `wallet-app-${name}.png`), fullPage: true });
}

/** How often the app told the speech synthesis to stop. */
const cancelled = (): Promise<number> => page.evaluate(() => (window as unknown as { speechCancelled: number }).speechCancelled);

/** Hides the page as switching to another app does, then shows it again. */
async function hideAndShowPage(): Promise<void> {
  for (const state of ['hidden', 'visible']) {
    await page.evaluate((visibility) => {
      Object.defineProperty(document, 'visibilityState', { value: visibility, configurable: true });
      document.dispatchEvent(new Event('visibilitychange'));
    }, state);
  }
}

async function createWallet(texts: typeof en, name: string): Promise<void> {
  await expect.poll(heading, POLL).toBe(texts['create.title']);
  await page.getByLabel(texts['create.name']).fill(name);
  await page.getByLabel(texts['create.pin'], { exact: true }).fill(PIN);
  await page.getByLabel(texts['create.pin_again']).fill(PIN);
  await page.getByRole('button', { name: texts['create.submit'] }).click();
  await expect.poll(heading, POLL).toBe(texts['about.title']);
}

async function unlock(texts: typeof en, pin: string): Promise<void> {
  await page.getByLabel(texts['unlock.pin']).fill(pin);
  await page.getByRole('button', { name: texts['unlock.submit'] }).click();
}

/** Messages of the English catalog as they appear on screen (placeholders cut out). */
const ENGLISH_TEXTS = Object.entries(en)
  .filter(([key, text]) => key !== 'language.name' && text !== (ar as Record<string, string>)[key])
  .flatMap(([, text]) => text.split(/\{[^}]*\}/))
  .map((text) => text.trim())
  .filter((text) => text.length >= 4);

/**
 * No English is visible: no text of the English catalog, and no Latin letter at all but the "QR"
 * of "QR code", which Arabic writes in Latin letters too.
 */
async function expectNoEnglish(): Promise<void> {
  // biome-ignore lint/performance/useDomNodeTextContent: what a person sees is the rendered text (no noscript, nothing hidden)
  const visible = await page.locator('body').innerText();
  expect(ENGLISH_TEXTS.filter((text) => visible.includes(text))).toEqual([]);
  expect(visible.replaceAll('QR', '')).not.toMatch(/[A-Za-z]/);
  expect(await page.title()).not.toMatch(/[A-Za-z]/);
}

describe('the wallet app in Chromium', () => {
  it('onboards in English: language, PIN twice, what the wallet does, the empty list; locks when hidden and opens with the PIN', async () => {
    await openApp('en-GB', NO_SPEECH);
    await expect.poll(heading, POLL).toBe(en['language.title']);
    // No inline script, no eval, nothing from elsewhere: the policy ships with the page.
    const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    expect(policy).toContain("script-src 'self';");
    expect(policy).toContain("font-src 'self';");
    expect(policy).not.toMatch(/unsafe-(inline|eval)/);
    // Languages are named in their own script, never as flags.
    const languages = await page.locator('.language').allTextContents();
    expect(languages).toEqual(expect.arrayContaining(['English', 'العربية', 'Українська', 'دری', 'فارسی', 'پښتو', 'ትግርኛ']));
    expect(await page.locator('.language[lang="fa-AF"]').textContent()).toBe('دری');
    await page.screenshot({ path: join(ARTIFACTS, 'wallet-app-languages.png'), fullPage: true });
    await page.getByRole('button', { name: 'English' }).click();

    await expect.poll(heading, POLL).toBe(en['create.title']);
    await page.getByLabel(en['create.pin'], { exact: true }).fill(PIN);
    await page.getByLabel(en['create.pin_again']).fill('493818');
    await page.getByRole('button', { name: en['create.submit'] }).click();
    expect(await page.getByRole('alert').textContent()).toBe(en['create.pin_mismatch']);
    await createWallet(en, 'Amina');
    expect(await page.locator('html').getAttribute('dir')).toBe('ltr');
    await page.getByRole('link', { name: en['about.done'] }).click();
    await expect.poll(heading, POLL).toBe(en['home.title']);
    // Each new screen's title is said through a live region outside it (screen-reader pass, F-1).
    await expect.poll(() => page.locator('#screen-announcer').textContent(), POLL).toBe(en['home.title']);
    expect(await page.locator('#screen-announcer').getAttribute('aria-live')).toBe('polite');
    // Emptied after it was said, so reading the page line by line never meets a stale title.
    await expect.poll(() => page.locator('#screen-announcer').textContent(), POLL).toBe('');
    expect(await page.locator('main').getAttribute('aria-live')).toBeNull();
    expect(await page.locator('.empty').textContent()).toBe(en['home.empty']);
    // No speech synthesis in this browser: no read-aloud button.
    expect(await page.locator('.read-aloud').count()).toBe(0);

    await hideAndShowPage();
    await expect.poll(heading, POLL).toBe(en['unlock.title']);
    await expect.poll(() => page.locator('#screen-announcer').textContent(), POLL).toBe(en['unlock.title']);
    // The locked screen names no one and shows nothing of the wallet.
    expect(await page.locator('html').textContent()).not.toContain('Amina');
    expect(await page.title()).not.toContain('Amina');
    await unlock(en, '000000');
    await expect.poll(() => page.getByRole('alert').textContent(), POLL).toBe(en['unlock.wrong_pin']);
    await unlock(en, PIN);
    await expect.poll(heading, POLL).toBe(en['home.title']);
    await page.screenshot({ path: join(ARTIFACTS, 'wallet-app-en-home.png'), fullPage: true });

    // A second person's wallet on the same phone, then the picker shows both.
    await page.getByRole('button', { name: en['home.lock'] }).click();
    await expect.poll(heading, POLL).toBe(en['unlock.title']);
    await page.getByRole('link', { name: en['unlock.other_wallet'] }).click();
    await expect.poll(heading, POLL).toBe(en['profiles.title']);
    await page.getByRole('link', { name: en['profiles.new'] }).click();
    await createWallet(en, '');
    await page.getByRole('link', { name: en['about.done'] }).click();

    // Changing the PIN: a wrong current PIN changes nothing; then the new PIN opens the wallet.
    await goTo(en['home.settings'], en['settings.title']);
    await goTo(en['settings.change_pin'], en['pin.title']);
    await expectAccessible('change-pin');
    await page.getByLabel(en['pin.current']).fill('000000');
    await page.getByLabel(en['pin.new'], { exact: true }).fill(NEW_PIN);
    await page.getByLabel(en['pin.new_again']).fill(NEW_PIN);
    await page.getByRole('button', { name: en['pin.submit'] }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), POLL).toBe(en['pin.wrong_current']);
    expect(await page.getByLabel(en['pin.current']).evaluate((input) => input === document.activeElement)).toBe(true);
    await page.getByLabel(en['pin.current']).fill(PIN);
    await page.getByRole('button', { name: en['pin.submit'] }).click();
    await expect.poll(heading, POLL).toBe(en['settings.title']);
    expect(await page.locator('main').getByRole('status').textContent()).toBe(en['pin.done']);
    await page.getByRole('button', { name: en['settings.lock'] }).click();
    await expect.poll(heading, POLL).toBe(en['unlock.title']);
    await unlock(en, NEW_PIN);
    await expect.poll(heading, POLL).toBe(en['home.title']);
    await page.getByRole('button', { name: en['home.lock'] }).click();
    await page.getByRole('link', { name: en['unlock.other_wallet'] }).click();
    await expect.poll(() => page.locator('.profile').allTextContents(), POLL).toEqual(['Amina', 'Wallet 2']);

    // "Forgot your PIN?": nobody can recover it; this wallet (only) is deleted in two steps, then the restore screen.
    await page.getByRole('button', { name: 'Wallet 2' }).click();
    await expect.poll(heading, POLL).toBe(en['unlock.title']);
    await goTo(en['unlock.forgot'], en['forgot.title']);
    expect(await page.locator('.lead').textContent()).toBe(en['forgot.explain']);
    await expectAccessible('forgot-pin');
    await goTo(en['forgot.delete'], en['wipe.title']);
    await expectAccessible('forgot-pin-wipe');
    await goTo(en['wipe.keep'], en['unlock.title']);
    await goTo(en['unlock.forgot'], en['forgot.title']);
    await goTo(en['forgot.delete'], en['wipe.title']);
    await page.getByRole('button', { name: en['wipe.confirm'] }).click();
    await expect.poll(heading, POLL).toBe(en['restore.title']);
    expect(await page.locator('main').getByRole('status').textContent()).toBe(en['forgot.done']);
    await goTo(en['common.back'], en['profiles.title']);
    expect(await page.locator('.profile').allTextContents()).toEqual(['Amina']);
    await page.getByRole('link', { name: en['profiles.new'] }).click();
    await createWallet(en, '');
    await page.getByRole('link', { name: en['about.done'] }).click();
    await page.getByRole('button', { name: en['home.lock'] }).click();
    await page.getByRole('link', { name: en['unlock.other_wallet'] }).click();
    await expect.poll(() => page.locator('.profile').allTextContents(), POLL).toEqual(['Amina', 'Wallet 2']);

    // Wiping Amina's wallet takes two steps and leaves the other one.
    await page.getByRole('button', { name: 'Amina' }).click();
    await unlock(en, PIN);
    await expect.poll(heading, POLL).toBe(en['home.title']);
    await page.getByRole('link', { name: en['home.settings'] }).click();
    await page.getByRole('link', { name: en['settings.wipe'] }).click();
    await expect.poll(heading, POLL).toBe(en['wipe.title']);
    await page.getByRole('button', { name: en['wipe.confirm'] }).click();
    await expect.poll(heading, POLL).toBe(en['unlock.title']);
    expect(await page.locator('main').getByRole('status').textContent()).toBe(en['wipe.done']);
    await page.getByRole('link', { name: en['unlock.other_wallet'] }).click();
    await expect.poll(() => page.locator('.profile').allTextContents(), POLL).toEqual(['Wallet 2']);

    // Offline: the service worker serves the app shell.
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await context.setOffline(true);
    await page.reload();
    await expect.poll(heading, POLL).toBe(en['profiles.title']);
    expect(await page.locator('.profile').allTextContents()).toEqual(['Wallet 2']);
    await context.setOffline(false);
  });

  it('onboards in Arabic right to left with no English on screen, and locks and opens again', async () => {
    await openApp('ar-EG', SPEECH_STUB);
    // The first screen already speaks the browser's language.
    await expect.poll(heading, POLL).toBe(ar['language.title']);
    await page.getByRole('button', { name: 'العربية' }).click();
    // The next screen, not the language list (whose endonyms are in Latin letters too): the page
    // was right to left already, so `dir` alone does not say the click has been handled.
    await expect.poll(heading, POLL).toBe(ar['create.title']);
    await expect.poll(() => page.locator('html').getAttribute('dir'), POLL).toBe('rtl');
    expect(await page.locator('html').getAttribute('lang')).toBe('ar');
    await expectNoEnglish();

    await createWallet(ar, 'أمينة');
    await expectNoEnglish();
    await page.screenshot({ path: join(ARTIFACTS, 'wallet-app-ar-about.png'), fullPage: true });
    await page.getByRole('link', { name: ar['about.done'] }).click();
    await expect.poll(heading, POLL).toBe(ar['home.title']);
    await expectNoEnglish();
    // Logical properties and mirrored icons: the back arrow of the next screen points right.
    await page.getByRole('link', { name: ar['home.settings'] }).click();
    await expect.poll(heading, POLL).toBe(ar['settings.title']);
    expect(await page.locator('.back .icon').evaluate((svg) => getComputedStyle(svg).transform)).toBe(
      'matrix(-1, 0, 0, 1, 0, 0)',
    );
    const back = await page.locator('.back').boundingBox();
    expect((back?.x ?? 0) + (back?.width ?? 0)).toBeGreaterThan(390 - 40);
    await expectNoEnglish();
    await goTo(ar['settings.change_pin'], ar['pin.title']);
    await expectNoEnglish();
    await expectAccessible('ar-change-pin');
    await goTo(ar['common.back'], ar['settings.title']);
    await page.getByRole('link', { name: ar['common.back'] }).click();

    // Locking stops a reading at once: a locked phone says nothing more.
    await expect.poll(heading, POLL).toBe(ar['home.title']);
    await page.getByRole('button', { name: ar['read.aloud'] }).click();
    const before = await cancelled();
    await hideAndShowPage();
    expect(await cancelled()).toBeGreaterThan(before);
    await expect.poll(heading, POLL).toBe(ar['unlock.title']);
    expect(await page.locator('html').textContent()).not.toContain('أمينة');
    await expectNoEnglish();
    await page.screenshot({ path: join(ARTIFACTS, 'wallet-app-ar-locked.png'), fullPage: true });
    await goTo(ar['unlock.forgot'], ar['forgot.title']);
    await expectNoEnglish();
    await expectAccessible('ar-forgot-pin');
    await goTo(ar['forgot.delete'], ar['wipe.title']);
    await expectNoEnglish();
    await expectAccessible('ar-forgot-pin-wipe');
    await goTo(ar['wipe.keep'], ar['unlock.title']);
    await unlock(ar, PIN);
    await expect.poll(heading, POLL).toBe(ar['home.title']);
    expect(await page.locator('.empty').textContent()).toBe(ar['home.empty']);
    await expectNoEnglish();
    // Read aloud in Arabic with the phone's Arabic voice: the heading, then what the screen says.
    await page.evaluate(() => {
      (window as unknown as { spoken: Spoken[] }).spoken = [];
    });
    await page.getByRole('button', { name: ar['read.aloud'] }).click();
    const spoken = await page.evaluate(() => (window as unknown as { spoken: Spoken[] }).spoken);
    expect(spoken).toEqual([
      { text: ar['home.title'], lang: 'ar', voice: 'Arabic' },
      { text: ar['home.empty'], lang: 'ar', voice: 'Arabic' },
    ]);
    expect(await page.locator('.read-aloud').textContent()).toBe(ar['read.stop']);
    await page.getByRole('button', { name: ar['read.stop'] }).click();
    expect(await page.locator('.read-aloud').textContent()).toBe(ar['read.aloud']);
    expect(await cancelled()).toBeGreaterThan(0);
    // Targets a thumb can hit: every button at least 44 px high (WCAG 2.2 §2.5.5).
    const heights = await page
      .locator('.button')
      .evaluateAll((buttons) => buttons.map((button) => button.getBoundingClientRect().height));
    expect(heights.length).toBeGreaterThanOrEqual(3);
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(44);
    await page.screenshot({ path: join(ARTIFACTS, 'wallet-app-ar-home.png'), fullPage: true });
  });
});
