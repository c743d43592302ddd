/**
 * "Present latency" (issue 5 §3): from the moment the wallet has the desk's link to the moment it
 * has the verifier's answer, against the real verifier (`createVerifier` + `createVerifierRouter`
 * from @tessera/verifier, express on 127.0.0.1, as present.e2e.test.ts runs it): `openRequest`
 * (fetch and check the signed request object of an `x509_hash:` client whose certificate chain
 * leads to a development CA the wallet trusts, match DCQL, build the consent) then `respond`
 * (disclose the two claims asked for with a KB-JWT, encrypt as `direct_post.jwt`, the verifier's default, post
 * it, and commit "presented" and the history entry). The holder's think time is not counted.
 *
 * The verifier runs in the same process; a middleware times each of its requests from arrival to
 * the response leaving, so the total splits into the verifier's share (signing the request object;
 * decrypting and verifying the presentation) and the rest: the wallet's work plus loopback HTTP.
 * The issuer is a did:jwk, resolved locally, and the credentials carry no status reference, so the
 * verifier fetches nothing (warm status checks are timed in the verifier bench).
 */
import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDevelopmentCa, nodeCrypto } from '@tessera/shared/node';
import { createVerifier, parseTrustList, type Verifier } from '@tessera/verifier';
import { createDevelopmentClient, createVerifierRouter } from '@tessera/verifier/node';
import express from 'express';
import { percentile } from '../../../scripts/bench/harness.ts';
import { openRequest } from '../src/present/open-request.ts';
import { respond } from '../src/present/respond.ts';
import type { Wallet } from '../src/wallet/wallet.ts';
import { PERMIT_QUERY, PERMIT_VCT } from './seed.ts';

export interface Distribution {
  medianMs: number;
  p95Ms: number;
}

export interface PresentLatencyResult {
  credentials: number;
  samples: number;
  /** Link → verifier's answer (and the wallet's commit). */
  total: Distribution;
  /** `openRequest`, and `respond`. */
  openRequest: Distribution;
  respond: Distribution;
  /** Time inside the verifier's request handlers. */
  verifier: Distribution;
  /** total − verifier: the wallet's work and loopback HTTP. */
  walletAndTransport: Distribution;
  /** The verifier's share of the median total, in percent. */
  verifierSharePercent: number;
}

export interface PresentBench {
  measure(wallet: Wallet, credentials: number, samples: number): Promise<PresentLatencyResult>;
  close(): Promise<void>;
}

const PURPOSE = { en: 'To check that you may work in Italy', ar: 'للتحقق من أنه يحق لك العمل في إيطاليا' };

/** Starts the desk's verifier on 127.0.0.1, trusting `issuerDid` for residence permits. */
export async function startPresentBench(issuerDid: string): Promise<PresentBench> {
  const caDir = await mkdtemp(join(tmpdir(), 'tessera-bench-ca-'));
  const ca = await createDevelopmentCa({ dir: caDir });
  const { client } = await createDevelopmentClient({ ca, dnsName: 'localhost', name: 'Job centre Bologna (bench)' });
  let verifierMs = 0;
  const app = express();
  app.use((_request, response, next) => {
    const start = performance.now();
    response.on('finish', () => {
      verifierMs += performance.now() - start;
    });
    next();
  });
  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const desk: Verifier = createVerifier({
    baseUrl: `${origin}/desk`,
    allowInsecureBaseUrl: true,
    client,
    presentations: {
      trust: parseTrustList({
        version: 1,
        issuers: [{ id: issuerDid, name: { en: 'City of Bologna' }, credentialTypes: [PERMIT_VCT] }],
      }),
      fetchPolicy: { allowInsecureLocalhost: true },
      crypto: nodeCrypto,
    },
  });
  // Mounted once the base URL (with the port) is known; express takes routes after listening.
  app.use('/desk', createVerifierRouter(desk));
  const options = { allowInsecureLocalhost: true, trustAnchors: [ca.certificatePem], languages: ['ar', 'en'] };

  const once = async (wallet: Wallet): Promise<{ total: number; open: number; respond: number; verifier: number }> => {
    const started = await desk.start({ query: PERMIT_QUERY, purpose: PURPOSE });
    verifierMs = 0;
    const t0 = performance.now();
    const consent = await openRequest(wallet, started.link, options);
    const t1 = performance.now();
    const answer = await respond(wallet, consent);
    const t2 = performance.now();
    const inVerifier = verifierMs;
    // Outside the timing: the verifier took exactly what was asked.
    strictEqual(answer.accepted, true);
    const view = await desk.get(started.id);
    strictEqual(view?.status, 'responded');
    const disclosed = (view?.credentials?.[0]?.disclosed ?? []).map((path) => path.join('.'));
    // The two claims asked for (and `age_equal_or_over`, the disclosable object holding `18`), nothing else.
    deepStrictEqual(disclosed.sort(), ['age_equal_or_over', 'age_equal_or_over.18', 'residence_status']);
    return { total: t2 - t0, open: t1 - t0, respond: t2 - t1, verifier: inVerifier };
  };

  return {
    async measure(wallet, credentials, samples) {
      await once(wallet);
      await once(wallet);
      const runs: Awaited<ReturnType<typeof once>>[] = [];
      for (let i = 0; i < samples; i++) runs.push(await once(wallet));
      const distribution = (pick: (run: (typeof runs)[number]) => number): Distribution => {
        const sorted = runs.map(pick).sort((a, b) => a - b);
        return { medianMs: percentile(sorted, 0.5), p95Ms: percentile(sorted, 0.95) };
      };
      const total = distribution((run) => run.total);
      const inVerifier = distribution((run) => run.verifier);
      return {
        credentials,
        samples,
        total,
        openRequest: distribution((run) => run.open),
        respond: distribution((run) => run.respond),
        verifier: inVerifier,
        walletAndTransport: distribution((run) => run.total - run.verifier),
        verifierSharePercent: (inVerifier.medianMs / total.medianMs) * 100,
      };
    },
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await rm(caDir, { recursive: true, force: true });
    },
  };
}
