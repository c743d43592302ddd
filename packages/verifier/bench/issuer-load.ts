/**
 * The issuer under HTTP load: credentials issued per second through the whole OpenID4VCI 1.0
 * pre-authorized flow a wallet runs (token → nonce → credential with one ES256 key proof), by N
 * concurrent clients over loopback against `createIssuerApp` from @tessera/issuer, on PGlite (in
 * memory) and on PostgreSQL. Plain `node:http` with a keep-alive agent; no load-testing dependency.
 *
 * Offers are made before timing (staff work, not the wallet flow measured). The issuer limits
 * each client address per minute (token 30, credential 60, nonce 120), as a brake on PIN guessing:
 * like the many wallets of a real load, the clients spread over loopback source addresses
 * 127.x.y.z, each used for 25 flows (a new keep-alive connection each time it changes).
 *
 * Clients and issuer share this process and its event loop, so the figure is what one Node
 * process serves with its clients' proof signing (one ES256 signature per flow) on top.
 */
import { strictEqual } from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyPair, type JsonObject, signJwt } from '@tessera/shared';
import { type Database, nodeSigningKey, openDatabase } from '@tessera/shared/node';
import { sql } from 'kysely';
import { createCredentialOffer, createIssuerApp, createSqlIssuerStore, createTenantKeyring } from '../../issuer/src/index.ts';
import { PRE_AUTHORIZED_GRANT } from '../../issuer/src/oid4vci/credential-offer.ts';
import { PROOF_JWT_TYP } from '../../issuer/src/oid4vci/proof-jwt.ts';
import { RESIDENCE_PERMIT_REQUIRED_CLAIMS } from '../../issuer/src/testing.ts';

export type IssuerBackend = 'PGlite' | 'PostgreSQL';

export interface Latency {
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
}

export interface IssuerLoadResult {
  backend: IssuerBackend;
  clients: number;
  /** Timed duration, in milliseconds (shorter than asked if the offers ran out). */
  durationMs: number;
  flows: number;
  flowsPerSec: number;
  /** Per request type, and for the whole flow. */
  latency: { token: Latency; nonce: Latency; credential: Latency; flow: Latency };
  /** Answers other than 200; any is a failure of the run. */
  errors: number;
}

export interface IssuerLoadOptions {
  backend: IssuerBackend;
  /** For PostgreSQL: the server; a fresh schema is made and dropped. */
  postgresUrl?: string;
  clients?: number;
  durationMs?: number;
  warmupMs?: number;
}

const FLOWS_PER_ADDRESS = 25;

/** The PostgreSQL server for the bench, if one is configured. */
export const BENCH_POSTGRES_URL: string | undefined =
  process.env.TESSERA_BENCH_POSTGRES_URL || process.env.TESSERA_TEST_POSTGRES_URL || undefined;

export async function measureIssuerLoad({
  backend,
  postgresUrl,
  clients = 8,
  durationMs = 5000,
  warmupMs = 1000,
}: IssuerLoadOptions): Promise<IssuerLoadResult> {
  const schema = `tessera_bench_${randomBytes(5).toString('hex')}`;
  const database: Database =
    backend === 'PGlite'
      ? await openDatabase({ kind: 'pglite' })
      : await openDatabase({ kind: 'postgres', url: postgresUrl as string, schema, maxConnections: 20 });
  let handler: Parameters<typeof createServer>[1] = (_q, r) => r.writeHead(503).end();
  const server = createServer((q, r) => handler?.(q, r));
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://localhost:${port}`;
  try {
    const { app, context } = await createIssuerApp({
      config: {
        baseUrl,
        allowInsecureBaseUrl: true,
        tenants: [
          {
            id: 'bologna',
            name: { en: 'City of Bologna' },
            didMethod: 'jwk',
            credentialTypes: ['residence_permit'],
            statusList: { size: 131_072 },
          },
        ],
      },
      store: await createSqlIssuerStore(database),
      keyring: await createTenantKeyring({ database, secretKey: randomBytes(32).toString('hex'), baseUrl }),
      onError: (error) => process.stderr.write(`issuer error: ${error instanceof Error ? error.message : String(error)}\n`),
    });
    handler = app;
    const audience = `${baseUrl}/tenants/bologna`;
    const holders = await Promise.all(
      Array.from({ length: clients }, async () => {
        const { privateJwk, publicJwk } = await generateKeyPair();
        return { publicJwk, signingKey: nodeSigningKey(privateJwk, 'ES256') };
      }),
    );

    // Offers for the warm-up and the timed run, made up front (staff work, not measured).
    // Well above what one process has served so far; a run that uses them all ends early and says so.
    const offerCount = Math.ceil(((warmupMs + durationMs) / 1000) * 200);
    const codes: string[] = [];
    for (let made = 0; made < offerCount; made += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, offerCount - made) }, () =>
          createCredentialOffer(context, {
            tenantId: 'bologna',
            typeId: 'residence_permit',
            claims: RESIDENCE_PERMIT_REQUIRED_CLAIMS,
            pin: false,
            createdBy: 'bench',
          }),
        ),
      );
      for (const { offer } of batch) {
        const code = ((offer.grants as JsonObject)[PRE_AUTHORIZED_GRANT] as JsonObject)['pre-authorized_code'];
        if (typeof code !== 'string') throw new Error('The offer has no pre-authorized code');
        codes.push(code);
      }
    }

    const samples = { token: [] as number[], nonce: [] as number[], credential: [] as number[], flow: [] as number[] };
    let errors = 0;
    let addressCounter = 0;
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });

    /** One wallet's flow from its own source address; false when no offer is left. */
    const flow = async (client: number, localAddress: string, record: boolean): Promise<boolean> => {
      const code = codes.pop();
      if (code === undefined) return false;
      const holder = holders[client] as (typeof holders)[number];
      const started = performance.now();
      const timed = async (kind: 'token' | 'nonce' | 'credential', send: () => Promise<HttpAnswer>) => {
        const t0 = performance.now();
        const answer = await send();
        if (record) samples[kind].push(performance.now() - t0);
        if (answer.status !== 200) {
          errors++;
          throw new Error(`${kind} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 200)}`);
        }
        return answer.body;
      };
      const form = new URLSearchParams({ grant_type: PRE_AUTHORIZED_GRANT, 'pre-authorized_code': code }).toString();
      const token = await timed('token', () =>
        send(agent, localAddress, port, '/tenants/bologna/token', 'application/x-www-form-urlencoded', form),
      );
      const { c_nonce: nonce } = await timed('nonce', () =>
        send(agent, localAddress, port, '/tenants/bologna/nonce', 'application/json', '{}'),
      );
      const proof = await signJwt(
        { typ: PROOF_JWT_TYP, jwk: holder.publicJwk as JsonObject },
        { aud: audience, iat: Math.floor(Date.now() / 1000), nonce: String(nonce) },
        holder.signingKey,
      );
      const body = JSON.stringify({ credential_configuration_id: 'residence_permit', proofs: { jwt: [proof] } });
      const issued = await timed('credential', () =>
        send(agent, localAddress, port, '/tenants/bologna/credential', 'application/json', body, `Bearer ${token.access_token}`),
      );
      strictEqual(Array.isArray(issued.credentials) && issued.credentials.length, 1);
      if (record) samples.flow.push(performance.now() - started);
      return true;
    };

    const runClients = async (ms: number, record: boolean): Promise<{ flows: number; elapsedMs: number }> => {
      const start = performance.now();
      const end = start + ms;
      let flows = 0;
      await Promise.all(
        Array.from({ length: clients }, async (_, client) => {
          while (performance.now() < end) {
            const n = addressCounter++;
            const localAddress = `127.${10 + (n >> 16)}.${(n >> 8) & 255}.${n & 255 || 1}`;
            for (let i = 0; i < FLOWS_PER_ADDRESS && performance.now() < end; i++) {
              if (!(await flow(client, localAddress, record))) return;
              if (record) flows++;
            }
          }
        }),
      );
      return { flows, elapsedMs: performance.now() - start };
    };

    await runClients(warmupMs, false);
    const { flows, elapsedMs } = await runClients(durationMs, true);
    agent.destroy();
    return {
      backend,
      clients,
      durationMs: elapsedMs,
      flows,
      flowsPerSec: (flows / elapsedMs) * 1000,
      latency: {
        token: summarize(samples.token),
        nonce: summarize(samples.nonce),
        credential: summarize(samples.credential),
        flow: summarize(samples.flow),
      },
      errors,
    };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await database.close();
    if (backend === 'PostgreSQL') {
      const admin = await openDatabase({ kind: 'postgres', url: postgresUrl as string, maxConnections: 1 });
      await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(admin.kysely).finally(() => admin.close());
    }
  }
}

interface HttpAnswer {
  status: number;
  body: JsonObject;
}

function send(
  agent: Agent,
  localAddress: string,
  port: number,
  path: string,
  contentType: string,
  body: string,
  authorization?: string,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        localAddress,
        path,
        method: 'POST',
        headers: {
          'content-type': contentType,
          'content-length': Buffer.byteLength(body),
          ...(authorization === undefined ? {} : { authorization }),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: response.statusCode ?? 0, body: text === '' ? {} : (JSON.parse(text) as JsonObject) });
        });
        response.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

function summarize(values: number[]): Latency {
  if (values.length === 0) return { p50Ms: Number.NaN, p99Ms: Number.NaN, meanMs: Number.NaN };
  const sorted = [...values].sort((x, y) => x - y);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  return { p50Ms: at(0.5), p99Ms: at(0.99), meanMs: values.reduce((sum, v) => sum + v, 0) / values.length };
}
