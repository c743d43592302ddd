/**
 * Test-only: what both browser end-to-end tests of the app do around the pages they drive: build
 * the production app (the same Vite config as `build:app`), listen on 127.0.0.1, and open a page
 * whose every request, console error and uncaught exception is recorded (so a test can assert
 * nothing leaves loopback and the console stays clean).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Express } from 'express';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { build } from 'vite';

/** The wallet package's folder. */
export const PACKAGE = fileURLToPath(new URL('../../../', import.meta.url));

/** Builds the production app into `outDir` (emptied first). */
export async function buildApp(outDir: string): Promise<void> {
  await build({ configFile: join(PACKAGE, 'vite.config.ts'), logLevel: 'silent', build: { outDir, emptyOutDir: true } });
}

/** Serves `app` on a free port of 127.0.0.1. */
export async function listenOnLoopback(app: Express): Promise<{ server: Server; origin: string }> {
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * A new phone-sized context in `locale` running `initScript` first, and a page in it; each URL it
 * requests goes to `requested`, each console error (with where) or uncaught exception to `errors`.
 */
export async function openRecordedPage(
  browser: Browser,
  { locale, initScript, requested, errors }: { locale: string; initScript: string; requested: string[]; errors: string[] },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ locale, viewport: { width: 390, height: 780 } });
  await context.addInitScript(initScript);
  context.on('request', (request) => requested.push(request.url()));
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${message.text()} ${message.location().url}`);
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return { context, page };
}

/** A voice the stubbed speech synthesis offers (the fields of the Web Speech API's `SpeechSynthesisVoice`). */
export interface StubVoice {
  lang: string;
  localService: boolean;
  name: string;
  voiceURI: string;
  default: boolean;
}

/**
 * An init script replacing the browser's speech synthesis (it is outside our control, and
 * headless Chromium has no voices) with one offering `voices`; what is spoken goes to
 * `window.spoken` and each cancel counts in `window.speechCancelled`.
 */
export function speechStub(voices: readonly StubVoice[]): string {
  return `(() => {
  const voices = ${JSON.stringify(voices)};
  window.spoken = [];
  window.speechCancelled = 0;
  class Utterance extends EventTarget {
    constructor(text) { super(); this.text = text; this.lang = ''; this.voice = null; }
  }
  const synth = new EventTarget();
  synth.getVoices = () => voices;
  synth.speak = (utterance) => window.spoken.push({ text: utterance.text, lang: utterance.lang, voice: utterance.voice && utterance.voice.name });
  synth.cancel = () => { window.speechCancelled += 1; };
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
  Object.defineProperty(window, 'SpeechSynthesisUtterance', { value: Utterance, configurable: true });
})();`;
}
