import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { serviceWorkerPlugin } from './src/app/node/service-worker-plugin.ts';

/**
 * The wallet web app (src/app) built into dist-app: `pnpm --filter @tessera/wallet build:app`.
 * Relative base, so the app can be served from any path; no inlined assets (every font and icon
 * is a file, allowed by the page's `font-src 'self'`/`img-src 'self'` without `data:`).
 */
const root = fileURLToPath(new URL('./src/app/', import.meta.url));

export default defineConfig({
  root,
  base: './',
  publicDir: 'public',
  build: {
    outDir: fileURLToPath(new URL('./dist-app/', import.meta.url)),
    emptyOutDir: true,
    assetsInlineLimit: 0,
    target: 'es2022',
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
    // The one chunk over Vite's 500 kB default is Veramo's W3C code (about 550 kB), which the app
    // loads only for a `jwt_vc_json` credential and the service worker caches with the rest; the
    // warning would only alarm whoever runs the quick start.
    chunkSizeWarningLimit: 700,
  },
  plugins: [serviceWorkerPlugin({ page: `${root}index.html`, entry: `${root}sw.ts` })],
});
