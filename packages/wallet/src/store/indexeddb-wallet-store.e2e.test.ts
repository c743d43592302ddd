import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type ErrorCode, type Jwk, TesseraError, webCrypto } from '@tessera/shared';
import { launchHeadlessChromium } from '@tessera/shared/node/testing';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importBackup } from '../backup/import-backup.ts';
import { FAST_SCRYPT, fileBackend } from '../node/test-wallets.ts';
import { openProfile } from '../wallet/profiles.ts';
import { describeWalletStoreContract } from './wallet-store.contract.ts';
import type { StoreBatch, StoredRecord, WalletStore } from './wallet-store.ts';

/**
 * The IndexedDB store in real Chromium: the wallet's browser entry point is bundled with esbuild
 * (as an app would bundle it), loaded into a page served from 127.0.0.1 (IndexedDB needs an
 * origin), and the contract suite drives it through `page.evaluate`. Then a whole wallet runs in
 * the page (pure-JS scrypt, WebCrypto keys, IndexedDB) and its backup is restored in Node.
 */

const HERE = dirname(fileURLToPath(import.meta.url));

let browser: Browser;
let page: Page;
let server: Server;

beforeAll(async () => {
  const bundle = await build({
    stdin: {
      contents: `
        import * as wallet from './index.ts';
        const stores = new Map();
        const encode = (value) =>
          value instanceof Uint8Array ? { $bytes: [...value] }
          : Array.isArray(value) ? value.map(encode)
          : value !== null && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encode(v)]))
          : value;
        const decode = (value) =>
          value !== null && typeof value === 'object' && '$bytes' in value ? Uint8Array.from(value.$bytes)
          : Array.isArray(value) ? value.map(decode)
          : value !== null && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]))
          : value;
        globalThis.walletTest = {
          wallet,
          async open(handle, name) {
            stores.set(handle, await wallet.createIndexedDbWalletStore({ name }));
          },
          async call(handle, method, args) {
            try {
              return { ok: encode(await stores.get(handle)[method](...decode(args))) };
            } catch (error) {
              return { error: { name: error?.name, code: error?.code, message: String(error?.message) } };
            }
          },
        };
      `,
      resolveDir: join(HERE, '..'),
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
  });
  const script = bundle.outputFiles[0]?.text ?? '';
  server = createServer((request, response) => {
    if (request.url === '/wallet.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    } else {
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><script type="module" src="/wallet.js"></script>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  browser = await launchHeadlessChromium();
  page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  await page.waitForFunction(() => 'walletTest' in globalThis);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
});

type Encoded = unknown;
const encode = (value: unknown): Encoded =>
  value instanceof Uint8Array
    ? { $bytes: [...value] }
    : Array.isArray(value)
      ? value.map(encode)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, encode(item)]))
        : value;
const decode = (value: Encoded): unknown =>
  value !== null && typeof value === 'object' && '$bytes' in value
    ? Uint8Array.from((value as { $bytes: number[] }).$bytes)
    : Array.isArray(value)
      ? value.map(decode)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, decode(item)]))
        : value;

let handles = 0;
let databases = 0;

/** A `WalletStore` in Node whose every call runs on an IndexedDB store inside the page. */
async function pageStore(name: string): Promise<WalletStore> {
  const handle = `store-${++handles}`;
  await page.evaluate(
    ([h, n]) => (globalThis as never as { walletTest: { open(h: string, n: string): Promise<void> } }).walletTest.open(h, n),
    [handle, name] as const,
  );
  const call = async (method: string, ...args: unknown[]): Promise<unknown> => {
    const answer = (await page.evaluate(
      ([h, m, a]) =>
        (globalThis as never as { walletTest: { call(h: string, m: string, a: unknown): Promise<unknown> } }).walletTest.call(
          h,
          m,
          a,
        ),
      [handle, method, encode(args)] as const,
    )) as { ok?: Encoded; error?: { name: string; code?: ErrorCode; message: string } };
    if (answer.error !== undefined) {
      if (answer.error.code !== undefined) throw new TesseraError(answer.error.code, answer.error.message);
      if (answer.error.name === 'TypeError') throw new TypeError(answer.error.message);
      throw new Error(answer.error.message);
    }
    return decode(answer.ok);
  };
  return {
    listProfiles: () => call('listProfiles') as Promise<string[]>,
    readHeader: (profile) => call('readHeader', profile) as Promise<Uint8Array | undefined>,
    getRecord: (profile, id) => call('getRecord', profile, id) as Promise<StoredRecord | undefined>,
    listRecords: (profile, kind) =>
      call('listRecords', profile, ...(kind === undefined ? [] : [kind])) as Promise<StoredRecord[]>,
    write: async (profile, batch: StoreBatch) => {
      await call('write', profile, batch);
    },
    wipeProfile: async (profile) => {
      await call('wipeProfile', profile);
    },
    close: async () => {
      await call('close');
    },
  };
}

let current = '';
describeWalletStoreContract('IndexedDB in headless Chromium', {
  open: () => {
    current = `contract-${++databases}`;
    return pageStore(current);
  },
  openSibling: () => pageStore(current),
  reopen: async (store) => {
    await store.close();
    return pageStore(current);
  },
});

describe('a wallet running in Chromium', () => {
  it('makes a backup that Node restores into the file store, with keys that still sign', async () => {
    const made = (await page.evaluate(async (params) => {
      const { wallet } = (globalThis as never as { walletTest: { wallet: typeof import('../index.ts') } }).walletTest;
      const store = await wallet.createIndexedDbWalletStore({ name: 'browser-wallet' });
      const amina = await wallet.createProfile({ store, profile: 'amina', passphrase: 'هاتف 1234', scryptParams: params });
      const key = await amina.keys.generate();
      await amina.commit({
        put: [{ kind: 'credential', id: 'permit', value: { sdJwt: 'eyJ.permit~', keyId: key.id } }],
        history: [{ event: 'credential_received' }],
      });
      const signature = [...(await (await amina.keys.signingKey(key.id)).sign(new TextEncoder().encode('in the browser')))];
      const backup = await wallet.exportBackup(amina, { passphrase: 'كلمات النسخ', scryptParams: params });
      amina.lock();
      return { backup, keyId: key.id, publicJwk: key.publicJwk, signature, profiles: await store.listProfiles() };
    }, FAST_SCRYPT)) as { backup: string; keyId: string; publicJwk: Jwk; signature: number[]; profiles: string[] };

    expect(made.profiles).toEqual(['amina']);
    const verify = await webCrypto.verifier(made.publicJwk, 'ES256');
    expect(await verify(new TextEncoder().encode('in the browser'), Uint8Array.from(made.signature))).toBe(true);

    const laptop = await fileBackend();
    try {
      await importBackup({
        backup: made.backup,
        backupPassphrase: 'كلمات النسخ',
        store: laptop.store,
        profile: 'amina',
        passphrase: 'laptop',
        scrypt: laptop.scrypt,
        scryptParams: FAST_SCRYPT,
      });
      const restored = await openProfile({ store: laptop.store, profile: 'amina', passphrase: 'laptop', scrypt: laptop.scrypt });
      expect(await restored.records.get('credential', 'permit')).toEqual({ sdJwt: 'eyJ.permit~', keyId: made.keyId });
      const data = new TextEncoder().encode('in node');
      expect(await verify(data, await (await restored.keys.signingKey(made.keyId)).sign(data))).toBe(true);
    } finally {
      await laptop.dispose();
    }
  }, 60_000);
});
