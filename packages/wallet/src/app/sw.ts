/**
 * The wallet app's service worker: the app shell is cached at install, so the wallet opens and
 * lists credentials with no connection (issue 6 §1 "Offline"). Only same-origin GET requests are
 * answered here; the library's requests to issuers and verifiers (other origins) go to the network
 * untouched, and nothing else is ever fetched. The build (build/service-worker-plugin.ts) replaces
 * the manifest placeholder with the built files and a version, so a new build installs a new
 * worker and drops the old cache.
 */

/** The parts of the ServiceWorkerGlobalScope this worker uses (the DOM lib has no worker types). */
interface ExtendableEventLike extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
interface FetchEventLike extends ExtendableEventLike {
  readonly request: Request;
  respondWith(response: Promise<Response>): void;
}
interface WorkerScope {
  readonly registration: { readonly scope: string };
  skipWaiting(): Promise<void>;
  readonly clients: { claim(): Promise<void> };
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEventLike) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEventLike) => void): void;
}

const worker = globalThis as unknown as WorkerScope;
const { version, shell } = JSON.parse('__TESSERA_SW_MANIFEST__') as { version: string; shell: string[] };
const PREFIX = 'tessera-wallet-';
const CACHE = `${PREFIX}${version}`;
/** Fonts are cached when first used rather than at install: most holders never need most of them. */
const ON_USE = /\.woff2$/;
/** Read from the network first, so a deployment can change its trust list; the cache when offline. */
const NETWORK_FIRST = /\/wallet-config\.json$/;

const scopeUrl = (path: string): string => new URL(path, worker.registration.scope).href;

worker.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(['./', ...shell].map(scopeUrl));
      await worker.skipWaiting();
    })(),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await worker.clients.claim();
    })(),
  );
});

worker.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== new URL(worker.registration.scope).origin) return;
  if (!url.href.startsWith(worker.registration.scope)) return;
  event.respondWith(answer(request, url));
});

async function answer(request: Request, url: URL): Promise<Response> {
  const cache = await caches.open(CACHE);
  // Every page of the app is the one index.html (the router reads the hash).
  const key = request.mode === 'navigate' ? scopeUrl('./') : url.href;
  if (NETWORK_FIRST.test(url.pathname)) {
    try {
      const response = await fetch(request);
      if (response.ok) await cache.put(key, response.clone());
      return response;
    } catch (error) {
      const cached = await cache.match(key);
      if (cached !== undefined) return cached;
      throw error;
    }
  }
  const cached = await cache.match(key, { ignoreSearch: request.mode === 'navigate' });
  if (cached !== undefined) return cached;
  const response = await fetch(request);
  if (response.ok && ON_USE.test(url.pathname)) await cache.put(key, response.clone());
  return response;
}
