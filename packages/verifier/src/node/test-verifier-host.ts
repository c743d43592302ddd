import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTestDidJwk } from '@tessera/shared/node/testing';
import express, { type RequestHandler } from 'express';
import type { ClientIdentity, Verifier, VerifierConfig } from '../openid4vp/types.ts';
import { createVerifier } from '../openid4vp/verifier.ts';
import { createVerifierRouter, type VerifierRouterOptions } from './verifier-router.ts';

/** What a hosted verifier is made with: its base URL is the host's. */
export type HostedVerifierConfig = Omit<VerifierConfig, 'baseUrl' | 'allowInsecureBaseUrl'>;

/** One express server on 127.0.0.1 serving real verifiers, each under its own first path segment. */
export interface VerifierHost {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  readonly port: number;
  /** Serves `handler` under `/<name>`; a later mount of the same name replaces it. */
  mount(name: string, handler: RequestHandler): void;
  /**
   * A fresh verifier (its own transaction store and caches) with its router mounted under
   * `/<name>`, a new name per call unless one is given.
   */
  verifier(config: HostedVerifierConfig, options?: VerifierRouterOptions & { name?: string }): Verifier;
  close(): Promise<void>;
}

/**
 * Test-only: starts an express server on a free port of 127.0.0.1 for real verifiers
 * (`createVerifier` + `createVerifierRouter`, `allowInsecureBaseUrl` for the loopback origin). A
 * verifier's base URL holds the port, so routers are mounted after listening, by path segment.
 * @example
 * const host = await startVerifierHost();
 * const verifier = host.verifier({ client: await didJwkClient(), presentations: { trust, crypto: nodeCrypto } });
 */
export async function startVerifierHost(): Promise<VerifierHost> {
  const mounts = new Map<string, RequestHandler>();
  let counter = 0;
  const app = express();
  app.use('/:mount', (request, response, next) => {
    const handler = mounts.get(String(request.params.mount));
    if (handler === undefined) next();
    else handler(request, response, next);
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const mount = (name: string, handler: RequestHandler): void => {
    mounts.set(name, handler);
  };
  return {
    origin,
    port,
    mount,
    verifier(config, { name = `verifier-${++counter}`, ...options } = {}) {
      const verifier = createVerifier({ ...config, baseUrl: `${origin}/${name}`, allowInsecureBaseUrl: true });
      mount(name, createVerifierRouter(verifier, options));
      return verifier;
    },
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/**
 * Test-only: a verifier client identity named by a fresh did:jwk (OpenID4VP 1.0 §5.9.3,
 * `decentralized_identifier:`), which wallets resolve without fetching anything.
 */
export async function didJwkClient(): Promise<ClientIdentity & { prefix: 'decentralized_identifier' }> {
  const { did, signingKey } = await createTestDidJwk();
  return { prefix: 'decentralized_identifier', did, signingKey };
}
