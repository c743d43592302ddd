import { type Context, createContext } from 'node:vm';

/**
 * Test-only: a `node:vm` realm holding what a page offers a script (WebCrypto, URL, base64, the
 * console, timers) and nothing of Node (no `process`, `Buffer`, `require` or `module`), with
 * `globalThis`, `window` and `self` naming it, to run a browser bundle in. `globals` adds to the
 * defaults: a test passes Node's `TextEncoder` there, or defines the realm's own inside it.
 * @example const page = createBrowserRealm({ TextEncoder, TextDecoder }); runInContext(bundle, page);
 */
export function createBrowserRealm(globals: Record<string, unknown> = {}): Context {
  const page: Record<string, unknown> = {
    crypto: globalThis.crypto,
    URL,
    atob,
    btoa,
    console,
    setTimeout,
    clearTimeout,
    queueMicrotask,
    ...globals,
  };
  page.globalThis = page;
  page.window = page;
  page.self = page;
  return createContext(page);
}
