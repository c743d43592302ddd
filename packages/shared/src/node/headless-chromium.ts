import { type Browser, chromium } from 'playwright-core';

/** The system Chromium; playwright-core never downloads a browser (see pnpm-workspace.yaml). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Test-only: launches the system Chromium headless for browser end-to-end tests.
 * `--no-sandbox` because CI containers run as root; the `--disable-*` flags and `--no-first-run`
 * stop the browser's own background requests, so tests can assert nothing leaves 127.0.0.1.
 * `extraArgs` come after these flags (a fake camera for a test that scans a QR code, say).
 * @example const browser = await launchHeadlessChromium(['--use-fake-device-for-media-stream']);
 */
export function launchHeadlessChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...extraArgs,
    ],
  });
}
