/**
 * The camera path through the browser's own QR detector (Shape Detection API `BarcodeDetector`),
 * which phones' Chrome has and Linux's does not: the detector is stubbed (it is the browser's, not
 * ours), the camera is Chromium's fake device (a moving test pattern with no QR code in it, so
 * the jsQR fallback could not find the link), and the app must take the detector's answer as the
 * scanned link.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchHeadlessChromium } from '@tessera/shared/node/testing';
import express from 'express';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from './messages/en.json' with { type: 'json' };
import { buildApp, listenOnLoopback, openRecordedPage } from './node/test-browser.ts';

const LINK = 'openid-credential-offer://?credential_offer_uri=https%3A%2F%2Fissuer.example%2Foffers%2Fabc';
const POLL = { timeout: 10_000 };

/** A `BarcodeDetector` that finds `LINK` in every frame and counts the frames it was shown. */
const DETECTOR_STUB = `
  Object.defineProperty(window, 'speechSynthesis', { value: undefined, configurable: true });
  window.detectCalls = 0;
  window.BarcodeDetector = class {
    static async getSupportedFormats() { return ['qr_code', 'ean_13']; }
    constructor(options) { window.detectorFormats = options.formats; }
    async detect() { window.detectCalls += 1; return [{ rawValue: ${JSON.stringify(` ${LINK} `)} }]; }
  };
`;

let workDir: string;
let server: Server;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'tessera-wallet-detector-'));
  await buildApp(join(workDir, 'app'));
  const app = express();
  app.use(express.static(join(workDir, 'app')));
  ({ server, origin } = await listenOnLoopback(app));
  browser = await launchHeadlessChromium(['--use-fake-device-for-media-stream']);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  await rm(workDir, { recursive: true, force: true });
});

describe('scanning with the browser’s BarcodeDetector', () => {
  it('fills the offer link from the detector, asks it for QR codes only, and turns the camera off', async () => {
    const requested: string[] = [];
    const errors: string[] = [];
    const { context, page } = await openRecordedPage(browser, { locale: 'en-GB', initScript: DETECTOR_STUB, requested, errors });
    const heading = (): Promise<string | null> => page.locator('h1').textContent();
    await page.goto(`${origin}/`);
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(heading, POLL).toBe(en['create.title']);
    await page.getByLabel(en['create.pin'], { exact: true }).fill('493817');
    await page.getByLabel(en['create.pin_again']).fill('493817');
    await page.getByRole('button', { name: en['create.submit'] }).click();
    await expect.poll(heading, POLL).toBe(en['about.title']);
    await page.getByRole('link', { name: en['about.done'] }).click();
    await expect.poll(heading, POLL).toBe(en['home.title']);
    await page.getByRole('link', { name: en['home.receive'], exact: true }).click();
    await expect.poll(heading, POLL).toBe(en['receive.title']);

    await context.grantPermissions(['camera'], { origin });
    await page.getByRole('button', { name: en['scan.start'] }).click();
    await expect.poll(() => page.getByLabel(en['receive.link']).inputValue(), POLL).toBe(LINK);
    expect(await page.evaluate(() => (window as unknown as { detectorFormats: string[] }).detectorFormats)).toEqual(['qr_code']);
    expect(await page.evaluate(() => (window as unknown as { detectCalls: number }).detectCalls)).toBeGreaterThan(0);
    // The camera is off once a code is read (no video track left running).
    await expect
      .poll(() => page.evaluate(() => (document.querySelector('video') as HTMLVideoElement | null)?.srcObject ?? null), POLL)
      .toBeNull();
    expect(requested.filter((url) => new URL(url).origin !== origin)).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
