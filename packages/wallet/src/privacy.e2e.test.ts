/**
 * The privacy promise of per-credential keys, end to end (issue 5 §3): a holder receives a batch
 * of one credential from the real issuer, then presents "the same" credential to two different
 * verifiers. What the two verifiers receive must share nothing that links the two presentations:
 * no holder key, no disclosure digest, no salt, no status index.
 */
import type { AddressInfo } from 'node:net';
import { createCredentialOffer } from '@tessera/issuer';
import { permitTenant, RESIDENCE_PERMIT_CLAIMS, startTestIssuer, type TestIssuer } from '@tessera/issuer/testing';
import { decodeJws, type JsonObject } from '@tessera/shared';
import { type Database, nodeCrypto, openDatabase } from '@tessera/shared/node';
import { createVerifier, parseTrustList, type Verifier } from '@tessera/verifier';
import { createVerifierRouter } from '@tessera/verifier/node';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestProfile, fileBackend, type TestBackend } from './node/test-wallets.ts';
import { openRequest } from './present/open-request.ts';
import { respond } from './present/respond.ts';
import { receiveCredential } from './receive/receive-credential.ts';
import type { Wallet } from './wallet/wallet.ts';

const PERMIT_VCT = 'https://tessera.example/credentials/residence-permit';
const QUERY: JsonObject = {
  credentials: [
    { id: 'permit', format: 'dc+sd-jwt', meta: { vct_values: [PERMIT_VCT] }, claims: [{ path: ['residence_status'] }] },
  ],
};

describe('two verifiers cannot link two presentations of one credential', () => {
  let database: Database;
  let issuer: TestIssuer;
  let backend: TestBackend;
  let wallet: Wallet;
  let server: ReturnType<ReturnType<typeof express>['listen']>;
  let origin: string;
  /** Every vp_token each verifier was sent, as it arrived. */
  const received: Record<string, string[]> = { a: [], b: [] };
  const verifiers: Record<string, Verifier> = {};

  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite' });
    issuer = await startTestIssuer(database, {
      batchSize: 2,
      tenants: [permitTenant('bologna', { en: 'City of Bologna' }, { didMethod: 'jwk' })],
    });
    const issuerDid = await issuer.did('bologna');
    backend = await fileBackend();
    wallet = await createTestProfile(backend, 'amina');

    const app = express();
    server = await new Promise((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const trust = parseTrustList({
      version: 1,
      issuers: [{ id: issuerDid, name: { en: 'City of Bologna' }, credentialTypes: [PERMIT_VCT] }],
    });
    for (const name of ['a', 'b']) {
      const verifier = createVerifier({
        baseUrl: `${origin}/${name}`,
        allowInsecureBaseUrl: true,
        client: { prefix: 'redirect_uri', development: true },
        responseMode: 'direct_post',
        presentations: { trust, fetchPolicy: { allowInsecureLocalhost: true, timeoutMs: 3000 }, crypto: nodeCrypto },
      });
      verifiers[name] = verifier;
      // Record what arrives before the verifier reads it: the test looks at it as a colluding pair of verifiers would.
      app.use(`/${name}/response`, express.urlencoded({ extended: false }), (request, _response, next) => {
        const token = (request.body as { vp_token?: string }).vp_token;
        if (typeof token === 'string') (received[name] as string[]).push(...(JSON.parse(token) as { permit: string[] }).permit);
        next();
      });
      app.use(`/${name}`, createVerifierRouter(verifier));
    }
  }, 60_000);

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    wallet?.lock();
    await backend?.dispose();
    await issuer?.close();
    await database?.close();
  });

  it('shares no key, no digest, no salt and no status index between what verifier A and verifier B receive', async () => {
    const offer = await createCredentialOffer(issuer.issuer.context, {
      tenantId: 'bologna',
      typeId: 'residence_permit',
      claims: RESIDENCE_PERMIT_CLAIMS,
      pin: false,
      createdBy: 'staff-1',
    });
    const receivedIds = await receiveCredential(wallet, offer.link, {
      trust: { issuers: [{ id: await issuer.did('bologna'), credentialTypes: [PERMIT_VCT] }] },
      allowInsecureLocalhost: true,
      instances: 2,
    });
    expect(receivedIds.credentialIds).toHaveLength(2);

    for (const name of ['a', 'b']) {
      const started = await (verifiers[name] as Verifier).start({ query: QUERY });
      const consent = await openRequest(wallet, started.link, { allowInsecureLocalhost: true });
      const answer = await respond(wallet, consent);
      expect(answer.accepted).toBe(true);
      expect((await (verifiers[name] as Verifier).get(started.id))?.status).toBe('responded');
    }

    const [toA] = received.a as string[];
    const [toB] = received.b as string[];
    expect(toA).toBeDefined();
    expect(toB).toBeDefined();
    const facts = (presentation: string) => {
      const [jwt, ...rest] = presentation.split('~');
      const payload = decodeJws(jwt as string).payload;
      const disclosures = rest.slice(0, -1);
      const salts = disclosures.map(
        (disclosure) => JSON.parse(Buffer.from(disclosure, 'base64url').toString('utf8'))[0] as string,
      );
      return {
        key: JSON.stringify((payload.cnf as JsonObject).jwk),
        digests: new Set((payload._sd as string[]) ?? []),
        salts: new Set(salts),
        statusIndex: ((payload.status as JsonObject).status_list as JsonObject).idx,
        issuerSignature: (jwt as string).split('.')[2],
      };
    };
    const a = facts(toA as string);
    const b = facts(toB as string);
    expect(a.key).not.toBe(b.key);
    expect(a.statusIndex).not.toBe(b.statusIndex);
    expect(a.issuerSignature).not.toBe(b.issuerSignature);
    expect([...a.digests].filter((digest) => b.digests.has(digest))).toEqual([]);
    expect([...a.salts].filter((salt) => b.salts.has(salt))).toEqual([]);
  });
});
