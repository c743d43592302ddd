import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Test-only: real HTTP and HTTPS servers on 127.0.0.1 for the fetch, DID and issuer-metadata
 * tests, and a throwaway self-signed certificate made at test time (nothing secret is committed).
 */

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface TestServer {
  /** `http://127.0.0.1:port` or `https://127.0.0.1:port`. */
  origin: string;
  port: number;
  /** Requests seen, as `METHOD path`. */
  requests: string[];
  close(): Promise<void>;
}

export interface TestCertificate {
  /** PEM certificate for `localhost`, `issuer.test`, `127.0.0.1` and `::1`; also its own trust root. */
  cert: string;
  /** PEM private key of the certificate. */
  key: string;
}

/** True when an `openssl` binary is on PATH (needed for the HTTPS tests). */
export const hasOpenssl: boolean = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** A fresh self-signed P-256 certificate valid for one day, made with the `openssl` CLI. */
export function createTestCertificate(): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-test-cert-'));
  try {
    const keyFile = join(dir, 'key.pem');
    const certFile = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,DNS:issuer.test,IP:127.0.0.1,IP:::1',
        '-keyout',
        keyFile,
        '-out',
        certFile,
      ],
      { stdio: 'ignore' },
    );
    return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Starts a plain HTTP server on 127.0.0.1 with a random port. */
export function startHttpServer(handler: Handler): Promise<TestServer> {
  return listen(createHttpServer(), 'http', handler);
}

/** Starts an HTTPS server on 127.0.0.1 with a random port and the given certificate. */
export function startHttpsServer(handler: Handler, certificate: TestCertificate): Promise<TestServer> {
  return listen(createHttpsServer({ cert: certificate.cert, key: certificate.key }), 'https', handler);
}

/** A route: a handler, or a JSON value to answer with. */
export type Route = Handler | Record<string, unknown> | unknown[];

/** A handler that answers `GET path` with the JSON (or handler) in `table`, and 404 otherwise. */
export function routes(table: Record<string, Route>): Handler {
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0] as string;
    const route = Object.hasOwn(table, path) ? table[path] : undefined;
    if (typeof route === 'function') return (route as Handler)(req, res);
    if (route === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(route));
  };
}

function listen(server: Server, scheme: 'http' | 'https', handler: Handler): Promise<TestServer> {
  const requests: string[] = [];
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    requests.push(`${req.method} ${req.url}`);
    handler(req, res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        origin: `${scheme}://127.0.0.1:${port}`,
        port,
        requests,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
