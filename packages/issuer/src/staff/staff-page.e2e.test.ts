/**
 * The staff page in a real browser: headless system Chromium (playwright-core downloads nothing)
 * against the issuer app on 127.0.0.1. Staff sign in with their API key, fill in a credential
 * type's form, see the QR code and PIN (which a real wallet then redeems as a batch), and revoke
 * the credential, every instance of it; Arabic lays out right to left. No request may leave 127.0.0.1.
 */
import { type Database, openDatabase } from '@tessera/shared/node';
import { launchHeadlessChromium } from '@tessera/shared/node/testing';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { STATUS_LIST_ID } from '../app/issuer-context.ts';
import { newHolderKey, receive } from '../oid4vci/test-wallet.ts';
import { type RunningIssuer, startStaffTestIssuer } from './test-issuer.ts';

const POLL = { timeout: 10_000 };
const PLANTED = 'Farid-PLANTED';

let running: RunningIssuer;
let database: Database;
let browser: Browser;
let page: Page;
/** The page's address: the server listens on 127.0.0.1 only. */
let pageOrigin: string;
let requested: string[];
let consoleErrors: string[];

beforeAll(async () => {
  database = await openDatabase({ kind: 'pglite' });
  running = await startStaffTestIssuer(database);
  pageOrigin = running.origin.replace('localhost', '127.0.0.1');
  browser = await launchHeadlessChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await running?.close();
  await database?.close();
});

beforeEach(async () => {
  requested = [];
  consoleErrors = [];
  page = await browser.newPage();
  page.on('request', (request) => requested.push(request.url()));
  page.on('console', (message) => {
    // A refused API call (400, 409) is logged by Chromium as a failed resource: expected here.
    if (message.type() === 'error' && !/status of 4\d\d/.test(message.text())) {
      consoleErrors.push(`${message.text()} ${message.location().url}`);
    }
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
});

afterEach(async () => {
  await page.close();
  // Privacy: the page talks to the issuer on 127.0.0.1 and nothing else; the CSP raised nothing.
  expect(requested.length).toBeGreaterThan(0);
  expect(requested.filter((url) => new URL(url).origin !== pageOrigin)).toEqual([]);
  expect(consoleErrors).toEqual([]);
});

async function signIn(secret: string): Promise<void> {
  await page.getByLabel('API key').fill(secret);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function fillAsylumRegistration(overrides: Record<string, string> = {}): Promise<void> {
  await page.getByLabel('Credential type').selectOption({ label: 'Asylum seeker registration card' });
  const values: Record<string, string> = {
    'Given name (required)': PLANTED,
    'Family name (required)': 'Ahmadi',
    'Date of birth (required)': '2001-11-20',
    'Nationality (required)': 'AF',
    'Registration number (required)': 'REG-2025-004711',
    'Date of registration (required)': '2025-02-14',
    'Reception centre (optional)': 'Erstaufnahme Nord',
    ...overrides,
  };
  for (const [label, value] of Object.entries(values)) await page.getByLabel(label, { exact: true }).fill(value);
}

describe('the staff page in Chromium', () => {
  it('signs in, creates an offer, shows QR code and PIN that a wallet redeems, and revokes the credential', async () => {
    await page.goto(`${pageOrigin}/tenants/bologna/staff/?lang=en`);
    expect(await page.locator('html').getAttribute('dir')).toBe('ltr');
    expect(await page.title()).toBe('Issue credentials: City of Bologna');
    await signIn(running.keys.bologna.secret);
    await expect.poll(() => page.locator('#session-label').textContent(), POLL).toBe('Signed in with the key “Front desk”.');
    // The key is kept for this tab only.
    expect(await page.evaluate(() => sessionStorage.getItem('tessera-staff-key:bologna'))).toBe(running.keys.bologna.secret);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
    expect(await page.getByLabel('API key').inputValue()).toBe('');

    await fillAsylumRegistration();
    expect(await page.getByLabel('Date of birth (required)').getAttribute('type')).toBe('date');
    await page.getByRole('button', { name: 'Create offer' }).click();

    await page.locator('#offer-result').waitFor({ state: 'visible', ...POLL });
    const pin = String(await page.locator('#offer-pin-value').textContent());
    expect(pin).toMatch(/^\d{6}$/);
    const fontSize = await page
      .locator('#offer-pin-value')
      .evaluate((element) => Number.parseFloat(getComputedStyle(element).fontSize));
    expect(fontSize).toBeGreaterThanOrEqual(40);
    const qr = page.locator('#offer-qr svg');
    expect(await qr.locator('path').count()).toBeGreaterThanOrEqual(1);
    const box = await qr.boundingBox();
    expect(box?.width).toBeGreaterThan(200);
    expect(await page.locator('#offer-qr').getAttribute('aria-label')).toBe('QR code of the credential offer');
    const link = await page.locator('#offer-link').inputValue();
    expect(link).toMatch(/^openid-credential-offer:\/\/\?credential_offer_uri=/);

    // The migrant's wallet scans the code and types the PIN the page shows, and takes two
    // instances of the credential (OpenID4VCI 1.0 §8 batch), one per holder key.
    const { credentials } = await receive(link, { pin, keys: [await newHolderKey(), await newHolderKey()] });
    expect(credentials).toHaveLength(2);

    await page.getByRole('button', { name: 'New credential' }).click();
    const row = page.locator('#records-body tr').first();
    await expect.poll(() => row.locator('td.status').textContent(), POLL).toBe('Valid');
    expect(await row.locator('td').nth(1).textContent()).toBe('Asylum seeker registration card');
    // One row for the credential, however many instances the wallet holds.
    expect(await page.locator('#records-body tr').count()).toBe(1);
    expect(await row.locator('td.count').textContent()).toBe('2');
    const recordId = String(await row.getAttribute('data-record-id'));

    page.once('dialog', (dialog) => {
      expect(dialog.message()).toBe('Revoke this credential? This cannot be undone.');
      void dialog.accept();
    });
    await row.getByRole('button', { name: 'Revoke' }).click();
    const revokedRow = page.locator(`#records-body tr[data-record-id="${recordId}"]`);
    await expect.poll(() => revokedRow.locator('td.status').textContent(), POLL).toBe('Revoked');
    expect(await revokedRow.getByRole('button').count()).toBe(0);

    const record = await running.issuer.context.store.getIssuance('bologna', recordId);
    const instances = await running.issuer.context.store.listIssuancesOfOffer('bologna', record?.offerId ?? '');
    expect(instances).toHaveLength(2);
    const statuses = await running.issuer.context.store.readStatuses('bologna', STATUS_LIST_ID);
    for (const instance of instances) expect(statuses?.entries).toContainEqual({ index: instance.statusIndex, status: 1 });
    expect(await page.locator('body').textContent()).not.toContain(PLANTED);
  });

  it('explains refused claims and a wrong key without showing the values', async () => {
    await page.goto(`${pageOrigin}/tenants/bologna/staff/?lang=en`);
    await signIn(running.keys.caritas.secret);
    await expect
      .poll(() => page.getByRole('alert').first().textContent(), POLL)
      .toBe('This API key does not open this issuer. Check it and try again.');
    expect(await page.locator('#workspace').isHidden()).toBe(true);

    await signIn(running.keys.bologna.secret);
    await page.locator('#workspace').waitFor({ state: 'visible', ...POLL });
    await fillAsylumRegistration({ 'Nationality (required)': 'Afghanistan' });
    await page.getByRole('button', { name: 'Create offer' }).click();
    const error = page.locator('#offer-error');
    await expect
      .poll(() => error.textContent(), POLL)
      .toMatch(
        /^Some details do not fit this credential type\. Technical detail: Claim 'nationality' must be an ISO 3166-1 alpha-2 country code such as 'DE'$/,
      );
    expect(await error.textContent()).not.toContain('Afghanistan');
    expect(await page.locator('#offer-result').isHidden()).toBe(true);

    await page.getByRole('button', { name: 'Sign out' }).click();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    expect(await page.locator('#login').isVisible()).toBe(true);
  });

  it('lays out Arabic right to left, with claim labels from the credential type in Arabic', async () => {
    await page.setExtraHTTPHeaders({ 'Accept-Language': 'ar' });
    await page.goto(`${pageOrigin}/tenants/bologna/staff/`);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    expect(await page.locator('html').getAttribute('lang')).toBe('ar');
    expect(await page.locator('main').evaluate((main) => getComputedStyle(main).direction)).toBe('rtl');
    await page.getByLabel('مفتاح API').fill(running.keys.bologna.secret);
    await page.getByRole('button', { name: 'تسجيل الدخول' }).click();
    await page.locator('#workspace').waitFor({ state: 'visible', ...POLL });
    await page.getByLabel('نوع الوثيقة').selectOption('asylum_seeker_registration');
    expect(await page.locator('label[for="claim-given_name"]').textContent()).toBe('الاسم الأول (إلزامي)');
    // The API key and codes stay left to right inside the right-to-left page.
    expect(await page.locator('#api-key').getAttribute('dir')).toBe('ltr');
  });
});
