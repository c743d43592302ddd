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
  },
  plugins: [serviceWorkerPlugin({ page: `${root}index.html`, entry: `${root}sw.ts` })],
});
