/**
 * The holder's choices that DCQL leaves open (OpenID4VP 1.0 §6.1, §6.2, §6.4.2), against the real
 * verifier over HTTP on 127.0.0.1: another satisfiable option of a required credential set than
 * the verifier's first, and several credentials for a query with `multiple: true`. The verifier's
 * own result says what arrived.
 */
import type { JsonObject } from '@tessera/shared';
import { nodeCrypto } from '@tessera/shared/node';
import { createTestDidJwk, type TestDidJwk } from '@tessera/shared/node/testing';
import { type ClientIdentity, parseTrustList, type TrustList, type Verifier } from '@tessera/verifier';
import { didJwkClient, startVerifierHost, type VerifierHost } from '@tessera/verifier/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestProfile, fileBackend, holdSdJwtVc, type TestBackend } from '../node/test-wallets.ts';
import type { Wallet } from '../wallet/wallet.ts';
import { openRequest } from './open-request.ts';
import { respond } from './respond.ts';

const PERMIT = 'https://tessera.example/credentials/residence-permit';
const COURSE = 'https://tessera.example/credentials/language-course-certificate';
const OPEN = { allowInsecureLocalhost: true } as const;

/** A residence permit, or else a language course certificate (the verifier prefers the permit). */
const EITHER: JsonObject = {
  credentials: [
    { id: 'permit', format: 'dc+sd-jwt', meta: { vct_values: [PERMIT] }, claims: [{ path: ['residence_status'] }] },
    { id: 'course', format: 'dc+sd-jwt', meta: { vct_values: [COURSE] }, claims: [{ path: ['level'] }] },
  ],
  credential_sets: [{ options: [['permit'], ['course']] }],
};
/** Every language course certificate the holder wants to show. */
const COURSES: JsonObject = {
  credentials: [
    { id: 'course', format: 'dc+sd-jwt', multiple: true, meta: { vct_values: [COURSE] }, claims: [{ path: ['level'] }] },
  ],
};

let host: VerifierHost;
let didClient: ClientIdentity;
let issuer: TestDidJwk;
let trust: TrustList;
let backend: TestBackend;
let profileCounter = 0;

beforeAll(async () => {
  host = await startVerifierHost();
  didClient = await didJwkClient();
  issuer = await createTestDidJwk();
  trust = parseTrustList({
    version: 1,
    issuers: [{ id: issuer.did, name: { en: 'Test issuer' }, credentialTypes: [PERMIT, COURSE] }],
  });
  backend = await fileBackend();
});

afterAll(async () => {
  await host?.close();
  await backend?.dispose();
});

function mountVerifier(): Verifier {
  return host.verifier(
    {
      client: didClient,
      presentations: { trust, fetchPolicy: { allowInsecureLocalhost: true, timeoutMs: 2000 }, crypto: nodeCrypto },
    },
    { maxResponseBytes: 64 * 1024 },
  );
}

/** A fresh profile holding the given credentials, each bound to its own holder key, stored as `receiveCredential` stores them. */
async function walletWith(credentials: { vct: string; claims: JsonObject }[]): Promise<{ wallet: Wallet; ids: string[] }> {
  const wallet = await createTestProfile(backend, `sets-${++profileCounter}`);
  const ids: string[] = [];
  for (const { vct, claims } of credentials) {
    const disclosable = Object.keys(claims).map((name) => [name]);
    ids.push(await holdSdJwtVc(wallet, issuer, { vct, claims, disclosable, configurationId: vct }));
  }
  return { wallet, ids };
}

const PERMIT_CREDENTIAL = { vct: PERMIT, claims: { residence_status: 'lawfully_resident', given_name: 'Amina-SECRET' } };
const course = (level: string) => ({ vct: COURSE, claims: { level, given_name: 'Amina-SECRET' } });

describe('choosing among credential set options', () => {
  it('answers the verifier’s first option by default, and another satisfiable option when the holder chooses it', async () => {
    const { wallet } = await walletWith([PERMIT_CREDENTIAL, course('B1')]);
    const verifier = mountVerifier();
    const first = await verifier.start({ query: EITHER });
    const consent = await openRequest(wallet, first.link, OPEN);
    expect(consent.credentialSets).toEqual([
      {
        required: true,
        implicit: false,
        options: [
          { queryIds: ['permit'], satisfiable: true },
          { queryIds: ['course'], satisfiable: true },
        ],
        defaultOption: 0,
      },
    ]);
    expect(consent.queries.map((query) => [query.queryId, query.need])).toEqual([
      ['permit', 'required'],
      ['course', 'alternative'],
    ]);
    expect((await respond(wallet, consent)).accepted).toBe(true);
    expect((await verifier.get(first.id))?.credentials?.map((c) => [c.queryId, c.vct])).toEqual([['permit', PERMIT]]);

    // The holder would rather not show the residence permit: the course certificate answers the set.
    const second = await verifier.start({ query: EITHER });
    const other = await openRequest(wallet, second.link, OPEN);
    expect((await respond(wallet, other, { choice: { 0: 1 } })).accepted).toBe(true);
    const view = await verifier.get(second.id);
    expect(view?.credentials?.map((c) => [c.queryId, c.vct, c.claims.level])).toEqual([['course', COURSE, 'B1']]);
    expect(view?.credentials?.[0]?.claims.residence_status).toBeUndefined();
    const history = await wallet.history.list();
    expect(history.at(-1)?.details.disclosed).toEqual([
      { queryId: 'course', format: 'dc+sd-jwt', vct: COURSE, claims: ['level'] },
    ]);
  });

  it('defaults to the first satisfiable option, and refuses a choice the wallet cannot answer, before sending anything', async () => {
    const { wallet } = await walletWith([course('A2')]);
    const verifier = mountVerifier();
    const started = await verifier.start({ query: EITHER });
    const consent = await openRequest(wallet, started.link, OPEN);
    expect(consent.credentialSets[0]?.defaultOption).toBe(1);
    await expect(respond(wallet, consent, { choice: { 0: 0 } })).rejects.toThrow(TypeError);
    await expect(respond(wallet, consent, { choice: { 3: 0 } })).rejects.toThrow(TypeError);
    await expect(respond(wallet, consent, { choice: { 0: 5 } })).rejects.toThrow(TypeError);
    expect((await verifier.get(started.id))?.status).toBe('pending');
    expect(await wallet.history.list()).toEqual([]);
    expect((await respond(wallet, consent)).accepted).toBe(true);
    expect((await verifier.get(started.id))?.credentials?.map((c) => c.queryId)).toEqual(['course']);
  });
});

describe('several credentials for a query with multiple: true', () => {
  it('sends one by default and every credential the holder picks, one presentation each', async () => {
    const { wallet, ids } = await walletWith([course('A2'), course('B1'), course('C1')]);
    const verifier = mountVerifier();
    const first = await verifier.start({ query: COURSES });
    const consent = await openRequest(wallet, first.link, OPEN);
    expect(consent.queries[0]).toMatchObject({ queryId: 'course', multiple: true });
    expect(consent.queries[0]?.candidates).toHaveLength(3);
    expect((await respond(wallet, consent)).accepted).toBe(true);
    expect((await verifier.get(first.id))?.credentials).toHaveLength(1);

    const second = await verifier.start({ query: COURSES });
    const again = await openRequest(wallet, second.link, OPEN);
    const picked = [ids[1] as string, ids[2] as string];
    expect((await respond(wallet, again, { credentials: { course: picked } })).accepted).toBe(true);
    const view = await verifier.get(second.id);
    expect(view?.credentials?.map((c) => c.claims.level).sort()).toEqual(['B1', 'C1']);
    expect(JSON.stringify(view)).not.toContain('SECRET');
    expect((await wallet.history.list()).at(-1)?.details.disclosed).toHaveLength(2);
  });

  it('refuses several credentials, or one twice, for a query that takes one', async () => {
    const { wallet, ids } = await walletWith([PERMIT_CREDENTIAL, PERMIT_CREDENTIAL]);
    const verifier = mountVerifier();
    const started = await verifier.start({ query: { credentials: [(EITHER.credentials as JsonObject[])[0] as JsonObject] } });
    const consent = await openRequest(wallet, started.link, OPEN);
    expect(consent.queries[0]?.multiple).toBe(false);
    await expect(respond(wallet, consent, { credentials: { permit: ids } })).rejects.toThrow(TypeError);
    await expect(respond(wallet, consent, { credentials: { permit: [ids[0] as string, ids[0] as string] } })).rejects.toThrow(
      TypeError,
    );
    expect((await verifier.get(started.id))?.status).toBe('pending');
    expect((await respond(wallet, consent, { credentials: { permit: [ids[1] as string] } })).accepted).toBe(true);
  });
});
