import { join } from 'node:path';
import type { TrustList } from '@tessera/verifier';
import express from 'express';
import { build } from 'vite';
import { type Listening, listen } from './listen.ts';

/**
 * What the demo tells the wallet app in `wallet-config.json` (the file the app reads from its own
 * origin; the build ships a strict one that trusts nobody): the issuers to accept (the desk's
 * trust list), the CA that certifies the desk, and that plain http on localhost is fine here.
 */
export interface DemoWalletConfig {
  readonly trust: {
    readonly issuers: readonly { readonly id: string; readonly credentialTypes?: readonly string[] }[];
    readonly acceptUnknownIssuers: false;
  };
  readonly trustAnchors: readonly string[];
  readonly allowInsecureLocalhost: true;
}

export interface DemoWalletApp {
  readonly listening: Listening;
  /** `http://localhost:<port>/`: localhost is a secure context, so WebCrypto and the service worker work. */
  readonly url: string;
  close(): Promise<void>;
}

/** The wallet package, whose `vite.config.ts` builds the app. */
const WALLET_PACKAGE = join(import.meta.dirname, '..', '..', '..', 'packages', 'wallet');

/**
 * Builds the wallet app from source into `<dataDir>/wallet-app` (a couple of seconds, so a demo
 * always runs the code it was started from) and serves it with the demo's configuration.
 */
export async function startDemoWalletApp({
  dataDir,
  host,
  port,
  trust,
  trustAnchors,
}: {
  dataDir: string;
  host: string;
  port: number;
  trust: TrustList;
  trustAnchors: readonly string[];
}): Promise<DemoWalletApp> {
  const outDir = join(dataDir, 'wallet-app');
  await build({
    configFile: join(WALLET_PACKAGE, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  const config: DemoWalletConfig = {
    trust: {
      issuers: trust.issuers.map((issuer) => ({ id: issuer.id, credentialTypes: [...issuer.credentialTypes] })),
      acceptUnknownIssuers: false,
    },
    trustAnchors,
    allowInsecureLocalhost: true,
  };
  const app = express();
  app.disable('x-powered-by');
  app.use((_request, response, next) => {
    // A meta tag cannot forbid framing; the demo sends what a deployment should.
    response.set('Content-Security-Policy', "frame-ancestors 'none'");
    next();
  });
  app.get('/wallet-config.json', (_request, response) => {
    response.set('Cache-Control', 'no-cache').json(config);
  });
  app.use(express.static(outDir));
  const listening = await listen(app, host, port);
  return { listening, url: `http://localhost:${listening.port}/`, close: () => listening.close() };
}
