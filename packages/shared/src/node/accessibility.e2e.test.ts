import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations } from './accessibility.ts';
import { launchHeadlessChromium } from './headless-chromium.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchHeadlessChromium();
});
afterAll(async () => {
  await browser?.close();
});

describe('accessibilityViolations', () => {
  it('reports the serious and critical WCAG AA failures of a page: an unnamed button, an image without alt, grey on grey', async () => {
    const page = await browser.newPage();
    await page.setContent(`<!doctype html><html lang="en"><head><title>Bad</title></head><body><main>
      <h1>Bad page</h1><button></button><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
      <p style="color:#aaa;background:#bbb">Hard to read</p></main></body></html>`);
    const ids = (await accessibilityViolations(page)).map((violation) => violation.id).sort();
    expect(ids).toEqual(['button-name', 'color-contrast', 'image-alt']);
    await page.close();
  });

  it('finds nothing on a plain, labelled page, also under a strict Content-Security-Policy', async () => {
    const page = await browser.newPage();
    await page.setContent(`<!doctype html><html lang="en"><head><title>Good</title>
      <meta http-equiv="Content-Security-Policy" content="default-src 'self'"></head><body><main>
      <h1>Good page</h1><label>PIN <input type="password"></label><button>Open</button></main></body></html>`);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.close();
  });
});
