import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInContext } from 'node:vm';
import { createBrowserRealm } from '@tessera/shared/node/testing';
import type { IIdentifier } from '@veramo/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { createDidResolver } from '../keys/did.ts';
import type * as W3c from './index.ts';
import { createParty, createTestAgent, issueWithVeramo, presentWithVeramo, type TestAgent } from './test-veramo.ts';

/**
 * `@tessera/verifier/w3c` brings Veramo (did-jwt, did-jwt-vc, ethers, z-schema…) into whatever
 * imports it. The verifier must run in browsers, so this bundles the subpath for the browser
 * platform, as `packages/shared/src/browser-safety.test.ts` does for the package entry points,
 * and then runs the bundle where no Node global exists and verifies a presentation with it.
 */

const SOURCE = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NOW = Date.UTC(2026, 2, 1, 12, 0, 0);

async function bundle(format: 'esm' | 'iife') {
  const { build } = await import('esbuild');
  return build({
    stdin: {
      contents: "export * from './w3c/index.ts';\nexport { createDidResolver } from './keys/did.ts';\n",
      resolveDir: SOURCE,
      sourcefile: 'w3c-browser-entry.ts',
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format,
    ...(format === 'iife' ? { globalName: 'TesseraW3c' } : {}),
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
  });
}

type BrowserApi = typeof W3c & { createDidResolver: typeof createDidResolver };

let agent: TestAgent;
let issuer: IIdentifier;
let holder: IIdentifier;

beforeAll(async () => {
  agent = createTestAgent(createDidResolver());
  [issuer, holder] = await Promise.all([createParty(agent), createParty(agent)]);
});

describe('the @tessera/verifier/w3c subpath in a browser', () => {
  it('bundles for the browser platform with no Node built-in', async () => {
    // esbuild's browser platform refuses to resolve Node built-ins, so any Node-only dependency
    // of Veramo fails the build here.
    const result = await bundle('esm');
    expect(result.errors).toEqual([]);
    const code = result.outputFiles.map((file) => file.text).join('\n');
    expect(code).not.toMatch(/from\s*["']node:|require\(["']node:/);
  });

  it('verifies a Veramo presentation inside a context that has only browser globals', async () => {
    const credential = await issueWithVeramo(agent, issuer, holder.did, { issuedAt: NOW - 60_000, expiresAt: NOW + 3_600_000 });
    const vp = await presentWithVeramo(agent, holder, [credential], {
      nonce: 'n-1',
      audience: 'x509_hash:desk.example',
      now: NOW,
    });

    const [output] = (await bundle('iife')).outputFiles;
    // A realm without process, Buffer, require or module: what a page offers (plus vm's own builtins).
    const context = createBrowserRealm({ TextEncoder, TextDecoder });
    runInContext(output?.text as string, context);
    expect(runInContext('typeof process + typeof Buffer + typeof require', context)).toBe('undefinedundefinedundefined');

    const api = context.TesseraW3c as BrowserApi;
    const result = await api.verifyW3cPresentationJwt(vp, {
      resolver: api.createDidResolver(),
      nonce: 'n-1',
      audience: 'x509_hash:desk.example',
      clock: () => NOW,
    });
    expect(result.holder).toBe(holder.did);
    expect(result.credentials[0]?.issuer).toBe(issuer.did);
    await expect(
      api.verifyW3cPresentationJwt(vp, {
        resolver: api.createDidResolver(),
        nonce: 'n-2',
        audience: 'x509_hash:desk.example',
        clock: () => NOW,
      }),
    ).rejects.toMatchObject({ code: 'kb_nonce_mismatch' });
  });
});
