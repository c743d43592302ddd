import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'vite';

/**
 * Vite plugin (Node, build time only): builds `page` (index.html) and `entry` (sw.ts) as `sw.js`
 * at the root of the app (a worker's scope is its folder), and writes into sw.js the files to
 * cache at install (the bundle and the public folder, fonts excepted) and a version derived from
 * their contents. Any change to the app thus changes sw.js, so browsers install the new worker (Service Workers §4.3 update algorithm
 * compares the script's bytes).
 */
export function serviceWorkerPlugin({ page, entry }: { page: string; entry: string }): Plugin {
  let publicDir: string | false = false;
  return {
    name: 'tessera-wallet-service-worker',
    apply: 'build',
    // After Vite's HTML plugin, so index.html is in the bundle.
    enforce: 'post',
    configResolved: (config) => {
      publicDir = config.publicDir === '' ? false : config.publicDir;
    },
    config: () => ({
      build: {
        rolldownOptions: {
          input: { index: page, sw: entry },
          output: {
            entryFileNames: (chunk: { name: string }) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js'),
          },
        },
      },
    }),
    generateBundle(_options, bundle) {
      const worker = bundle['sw.js'];
      if (worker === undefined || worker.type !== 'chunk') this.error('The service worker entry sw.js was not built');
      const published =
        publicDir === false ? [] : readdirSync(publicDir, { withFileTypes: true }).filter((file) => file.isFile());
      const contents = new Map<string, string>();
      for (const [file, output] of Object.entries(bundle)) {
        contents.set(
          file,
          output.type === 'chunk'
            ? output.code
            : typeof output.source === 'string'
              ? output.source
              : String(output.source.length),
        );
      }
      for (const file of published) contents.set(file.name, readFileSync(join(file.parentPath, file.name), 'utf8'));
      const shell = [...contents.keys()]
        .filter((file) => file !== 'sw.js' && !file.endsWith('.woff2') && !file.endsWith('.map'))
        .sort();
      const version = fnv1a(shell.map((file) => `${file}\n${contents.get(file)}`).join('\n'));
      const manifest = JSON.stringify({ version, shell });
      const placeholder = /(["'`])__TESSERA_SW_MANIFEST__\1/;
      if (!placeholder.test(worker.code)) this.error('The service worker has no manifest placeholder');
      worker.code = worker.code.replace(placeholder, () => JSON.stringify(manifest));
    },
  };
}

/** FNV-1a (32 bits) as hex: a short version tag, not a security measure. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
