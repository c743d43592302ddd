/**
 * The whole OpenID4VP 1.0 round trip over real HTTP on 127.0.0.1: the verifier's express router,
 * a test wallet built from @tessera/shared that fetches and checks the signed request object and
 * answers with real SD-JWT VC presentations, an issuer whose status list is served beside it —
 * and a negative test for every rule, each asserting its code and that no claim value leaks.
 */
import type { AddressInfo } from 'node:net';
import {
  type ClaimPath,
  createStatusList,
  createStatusListToken,
  encodeBase64Url,
  generateKeyPair,
  issueSdJwtVc,
  type JsonObject,
  type Jwk,
  type SigningKey,
  StatusValue,
  signJwt,
} from '@tessera/shared';
import { nodeCrypto, nodeSigningKey } from '@tessera/shared/node';
import express, { type RequestHandler } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPki } from '../keys/test-pki.ts';
import { createVerifierRouter } from '../node/verifier-router.ts';
import { createMemoryTransactionStore } from '../transactions/memory-transaction-store.ts';
import { parseTrustList, type TrustList } from '../trust/trust-list.ts';
import { x509Hash } from './client-identity.ts';
import { type HeldCredential, openRequest, post, present, respond } from './test-wallet.ts';
import type { ClientIdentity, TransactionView, Verifier, VerifierConfig } from './types.ts';
import { createVerifier } from './verifier.ts';

const VCT = 'https://tessera.example/credentials/residence-permit';
const CLAIMS = {
  given_name: 'Amina-SECRET',
  family_name: 'Yusuf-SECRET',
  residence_status: 'lawfully_resident',
  age_equal_or_over: { '18': true },
};
const DISCLOSABLE: ClaimPath[] = [['given_name'], ['family_name'], ['residence_status'], ['age_equal_or_over', '18']];
const ASKED: ClaimPath[] = [['residence_status'], ['age_equal_or_over', '18']];
const QUERY: JsonObject = {
  credentials: [
    {
      id: 'permit',
      format: 'dc+sd-jwt',
      meta: { vct_values: [VCT] },
      claims: [{ path: ['residence_status'] }, { path: ['age_equal_or_over', '18'], values: [true] }],
    },
  ],
};
const PURPOSE = { en: 'To check that you may work in Italy', ar: 'للتحقق من أنه يحق لك العمل في إيطاليا' };
const now = (): number => Math.floor(Date.now() / 1000);

/** Indexes in the status list. */
const VALID = 3;
const REVOKED = 7;

let server: ReturnType<ReturnType<typeof express>['listen']>;
let origin: string;
const mounts: Record<string, RequestHandler> = {};
let statusToken: string;
let wrongTypStatusToken: string;
let statusFailure: number | undefined;
let issuerDid: string;
let issuerKey: SigningKey;
let holder: HeldCredential['holderKey'];
let holderPublic: Jwk;
let otherHolder: SigningKey;
let trust: TrustList;
let x509Client: ClientIdentity;
let didClient: ClientIdentity;

beforeAll(async () => {
  const app = express();
  app.get('/status/1', (_request, response) => {
    if (statusFailure !== undefined) response.status(statusFailure).end();
    else response.type('application/statuslist+jwt').send(statusToken);
  });
  app.get('/status/wrong-typ', (_request, response) => {
    response.type('application/statuslist+jwt').send(wrongTypStatusToken);
  });
  app.use('/:mount', (request, response, next) => {
    const handler = mounts[String(request.params.mount)];
    if (handler === undefined) next();
    else handler(request, response, next);
  });
  server = await new Promise((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const issuer = await generateKeyPair();
  issuerDid = `did:jwk:${encodeBase64Url(new TextEncoder().encode(JSON.stringify(issuer.publicJwk)))}`;
  issuerKey = nodeSigningKey(issuer.privateJwk, 'ES256', `${issuerDid}#0`);
  const holderPair = await generateKeyPair();
  holder = nodeSigningKey(holderPair.privateJwk, 'ES256');
  holderPublic = holderPair.publicJwk;
  otherHolder = nodeSigningKey((await generateKeyPair()).privateJwk, 'ES256');
  trust = parseTrustList({
    version: 1,
    issuers: [{ id: issuerDid, name: { en: 'City of Bologna', it: 'Comune di Bologna' }, credentialTypes: [VCT] }],
  });
  const statusUri = `http://localhost:${(server.address() as AddressInfo).port}/status/1`;
  const list = createStatusList(64, 1);
  list.set(REVOKED, StatusValue.INVALID);
  statusToken = await createStatusListToken({ list, uri: statusUri, issuer: issuerDid, ttl: 1, signingKey: issuerKey });
  statusUriForTests = statusUri;
  // The same list, signed as a plain JWT: a verifier must insist on typ statuslist+jwt.
  const payload = JSON.parse(Buffer.from(String(statusToken.split('.')[1]), 'base64url').toString('utf8'));
  wrongTypStatusToken = await signJwt({ typ: 'JWT' }, { ...payload, sub: `${statusUri.replace('/1', '/wrong-typ')}` }, issuerKey);

  const pki = await createTestPki({ leaf: { subject: 'CN=Job centre Bologna (test)', dnsNames: ['localhost'] } });
  x509Client = { prefix: 'x509_hash', certificateChain: pki.x5c, signingKey: webCryptoSigningKey(pki.leaf.keys.privateKey) };
  const verifierDidKey = await generateKeyPair();
  const verifierDid = `did:jwk:${encodeBase64Url(new TextEncoder().encode(JSON.stringify(verifierDidKey.publicJwk)))}`;
  didClient = {
    prefix: 'decentralized_identifier',
    did: verifierDid,
    signingKey: { ...nodeSigningKey(verifierDidKey.privateJwk, 'ES256'), kid: `${verifierDid}#0` },
  };
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

let statusUriForTests: string;
let mountCounter = 0;

/** A verifier behind its own router on the shared server. */
function mountVerifier(extra: Partial<VerifierConfig> & { client?: ClientIdentity } = {}): Verifier {
  const name = `v${++mountCounter}`;
  const verifier = createVerifier({
    baseUrl: `${origin}/${name}`,
    allowInsecureBaseUrl: true,
    client: x509Client,
    presentations: { trust, fetchPolicy: { allowInsecureLocalhost: true, timeoutMs: 2000 }, crypto: nodeCrypto },
    ...extra,
  });
  mounts[name] = createVerifierRouter(verifier, { maxResponseBytes: 64 * 1024 });
  return verifier;
}

async function issue(
  options: { idx?: number; key?: SigningKey; issuer?: string; claims?: JsonObject; statusUri?: string } = {},
): Promise<string> {
  return issueSdJwtVc({
    issuer: options.issuer ?? issuerDid,
    vct: VCT,
    claims: options.claims ?? CLAIMS,
    disclosable: DISCLOSABLE,
    holderKey: holderPublic,
    ...(options.idx === undefined ? {} : { status: { idx: options.idx, uri: options.statusUri ?? statusUriForTests } }),
    issuedAt: now() - 60,
    expiresAt: now() + 3600,
    signingKey: options.key ?? issuerKey,
    crypto: nodeCrypto,
  });
}

/** Starts a transaction and opens it as the wallet would. */
async function begin(verifier: Verifier, request: { query?: JsonObject } = {}) {
  const started = await verifier.start({ query: request.query ?? QUERY, purpose: PURPOSE });
  const opened = await openRequest(started.link, { walletNonce: encodeBase64Url(crypto.getRandomValues(new Uint8Array(16))) });
  return { started, request: opened.request, header: opened.header };
}

/** A correct answer to QUERY. */
async function answer(request: JsonObject, sdJwt?: string) {
  const vp = await present(request, { sdJwt: sdJwt ?? (await issue({ idx: VALID })), holderKey: holder }, ASKED);
  return { vpToken: { permit: [vp] } };
}

/** The wallet was refused with `code`; the transaction ended `failed` with the same code; no claim value leaked. */
async function expectRejected(
  verifier: Verifier,
  id: string,
  reply: { status: number; body: JsonObject },
  code: string,
  transactionStatus: TransactionView['status'] = 'failed',
) {
  expect(reply.body.tessera_code, JSON.stringify(reply.body)).toBe(code);
  expect(reply.status).toBe(400);
  expect(reply.body.error).toBe('invalid_request');
  expect(JSON.stringify(reply.body)).not.toMatch(/SECRET/);
  const view = await verifier.get(id);
  expect(view?.status).toBe(transactionStatus);
  if (transactionStatus === 'failed') expect(view?.error?.code).toBe(code);
  expect(JSON.stringify(view)).not.toMatch(/SECRET/);
}

describe('OpenID4VP 1.0 round trip', () => {
  it('x509_hash, request_uri POST with wallet_nonce, direct_post.jwt: the desk sees only what it asked for', async () => {
    const verifier = mountVerifier();
    const events: TransactionView[] = [];
    verifier.onTransactionEnded((view) => events.push(view));
    const { started, request, header } = await begin(verifier);

    // What the wallet was shown: the link by reference, a signed request with everything §5 asks for.
    const link = new URL(started.link);
    expect(link.protocol).toBe('openid4vp:');
    expect(link.searchParams.get('request_uri_method')).toBe('post');
    expect(link.searchParams.get('client_id')).toBe(`x509_hash:${await x509Hash(String((header.x5c as string[])[0]))}`);
    expect(header.typ).toBe('oauth-authz-req+jwt');
    expect(header.alg).toBe('ES256');
    expect(request).toMatchObject({
      response_type: 'vp_token',
      response_mode: 'direct_post.jwt',
      aud: 'https://self-issued.me/v2',
      dcql_query: QUERY,
      verifier_info: [{ format: 'tessera_purpose', data: PURPOSE }],
    });
    expect(String(request.nonce)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(String(request.state)).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(String(request.response_uri)).toBe(`${origin}/v${mountCounter}/response/${request.state}`);
    const metadata = request.client_metadata as JsonObject;
    const jwk = ((metadata.jwks as JsonObject).keys as JsonObject[])[0] as JsonObject;
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-256', use: 'enc', alg: 'ECDH-ES' });
    expect(jwk.d).toBeUndefined();
    expect(metadata.encrypted_response_enc_values_supported).toEqual(['A128GCM', 'A256GCM']);
    // The desk handle never reaches the wallet; the desk can show the link again from the store.
    expect(JSON.stringify(request)).not.toContain(started.id);
    expect(await verifier.get(started.id)).toMatchObject({ status: 'pending', link: started.link });

    const waiting = verifier.wait(started.id, 10_000);
    const reply = await respond(request, await answer(request));
    expect(reply).toEqual({ status: 200, body: {} });

    const view = await waiting;
    expect(view?.status).toBe('responded');
    const [credential] = view?.credentials ?? [];
    expect(credential).toMatchObject({ queryId: 'permit', issuer: issuerDid, vct: VCT, status: { status: 'valid' } });
    expect(credential?.trustedIssuer.name.en).toBe('City of Bologna');
    expect(credential?.disclosed).toEqual(expect.arrayContaining(ASKED));
    expect(credential?.disclosed).toHaveLength(2);
    expect(credential?.claims.residence_status).toBe('lawfully_resident');
    expect(credential?.claims.cnf).toBeUndefined();
    expect(JSON.stringify(view)).not.toMatch(/SECRET/);
    expect(events.map((event) => [event.id, event.status])).toEqual([[started.id, 'responded']]);
    expect(await verifier.get(started.id)).toEqual(view);
  });

  it('decentralized_identifier (did:jwk), request_uri GET, direct_post', async () => {
    const verifier = mountVerifier({ client: didClient, responseMode: 'direct_post', requestUriMethod: 'get' });
    const started = await verifier.start({ query: QUERY });
    expect(new URL(started.link).searchParams.get('request_uri_method')).toBe('get');
    const { request, header } = await openRequest(started.link);
    expect(request.client_id).toBe(`decentralized_identifier:${(didClient as { did: string }).did}`);
    expect(header.kid).toBe(`${(didClient as { did: string }).did}#0`);
    expect(request.client_metadata).not.toHaveProperty('jwks');
    expect(request).not.toHaveProperty('verifier_info');
    expect(await respond(request, await answer(request))).toEqual({ status: 200, body: {} });
    expect((await verifier.get(started.id))?.status).toBe('responded');
  });

  it('A256GCM responses are accepted as well', async () => {
    const verifier = mountVerifier();
    const { started, request } = await begin(verifier);
    expect((await respond(request, await answer(request), { enc: 'A256GCM' })).status).toBe(200);
    expect((await verifier.get(started.id))?.status).toBe('responded');
  });

  it('redirect_uri (development): the request travels unsigned, by value, and the client id is the response URI', async () => {
    const verifier = mountVerifier({ client: { prefix: 'redirect_uri', development: true }, responseMode: 'direct_post' });
    const started = await verifier.start({ query: QUERY, purpose: PURPOSE });
    const link = new URL(started.link);
    expect(link.searchParams.get('request_uri')).toBeNull();
    const { request } = await openRequest(started.link);
    expect(request.client_id).toBe(`redirect_uri:${request.response_uri}`);
    expect(await respond(request, await answer(request))).toEqual({ status: 200, body: {} });
    expect((await verifier.get(started.id))?.status).toBe('responded');
    // There is nothing to fetch by reference.
    const fetched = await fetch(`${origin}/v${mountCounter}/request/${request.state}`);
    expect(fetched.status).toBe(400);
    expect(await fetched.json()).toMatchObject({ error: 'invalid_request', tessera_code: 'request_invalid' });
  });

  it('requestByValue: the signed request object travels in the link, and there is nothing to fetch', async () => {
    const verifier = mountVerifier({ requestByValue: true });
    const started = await verifier.start({ query: QUERY, purpose: PURPOSE });
    const link = new URL(started.link);
    expect([...link.searchParams.keys()]).toEqual(['client_id', 'request']);
    // RFC 9101 §5.1 by value; small enough for a QR code (version 40-L holds 2,953 bytes).
    expect(started.link.length).toBeLessThan(2953);
    const { request, header } = await openRequest(started.link);
    expect(header).toMatchObject({ typ: 'oauth-authz-req+jwt', alg: 'ES256' });
    expect(request).toMatchObject({ client_id: link.searchParams.get('client_id'), aud: 'https://self-issued.me/v2' });
    expect(request).not.toHaveProperty('wallet_nonce');
    expect(request.exp).toBe(Math.floor(started.expiresAt / 1000));
    // The request URI refuses: a by-value transaction has no request object to fetch.
    const fetched = await fetch(`${origin}/v${mountCounter}/request/${request.state}`);
    expect(fetched.status).toBe(400);
    expect(await fetched.json()).toMatchObject({ error: 'invalid_request', tessera_code: 'request_invalid' });
    // The desk can draw the QR code again from any replica: a link that carries the same request.
    const again = await verifier.get(started.id);
    expect((await openRequest(String(again?.link))).request.state).toBe(request.state);
    expect(await respond(request, await answer(request))).toEqual({ status: 200, body: {} });
    expect((await verifier.get(started.id))?.status).toBe('responded');
    // The per-transaction option overrides the configuration.
    const byReference = await verifier.start({ query: QUERY, requestByValue: false });
    expect(new URL(byReference.link).searchParams.get('request_uri_method')).toBe('post');
  });

  it('a wallet that declines ends the transaction with access_denied', async () => {
    const verifier = mountVerifier();
    const { started, request } = await begin(verifier);
    expect(await respond(request, { error: 'access_denied' })).toEqual({ status: 200, body: {} });
    expect(await verifier.get(started.id)).toMatchObject({ status: 'failed', error: { code: 'access_denied' } });
  });

  it('works the same with transactions in SQL storage (PGlite)', async () => {
    const { openDatabase } = await import('@tessera/shared/node');
    const { createSqlTransactionStore } = await import('../node/sql-transaction-store.ts');
    const database = await openDatabase({ kind: 'pglite' });
    try {
      const verifier = mountVerifier({ store: await createSqlTransactionStore(database) });
      const { started, request } = await begin(verifier);
      expect((await respond(request, await answer(request))).status).toBe(200);
      const view = await verifier.get(started.id);
      expect(view?.status).toBe('responded');
      expect(view?.credentials?.[0]?.claims.residence_status).toBe('lawfully_resident');
    } finally {
      await database.close();
    }
  }, 30_000);
});

describe('OpenID4VP 1.0: every rule has its refusal', () => {
  let verifier: Verifier;
  beforeAll(() => {
    verifier = mountVerifier();
  });

  async function refused(
    build: (request: JsonObject) => Promise<Parameters<typeof respond>[1]>,
    code: string,
    options: Parameters<typeof respond>[2] = {},
  ) {
    const { started, request } = await begin(verifier);
    await expectRejected(verifier, started.id, await respond(request, await build(request), options), code);
  }

  it('a tampered disclosure', async () => {
    await refused(async (request) => {
      const vp = await present(request, { sdJwt: await issue({ idx: VALID }), holderKey: holder }, ASKED);
      // The residence_status disclosure, with its value changed and re-encoded: valid in form, never issued.
      const parts = vp.split('~');
      const index = parts.findIndex((part, i) => i > 0 && decodeDisclosureText(part).includes('residence_status'));
      const [salt, name] = JSON.parse(decodeDisclosureText(String(parts[index])));
      parts[index] = encodeBase64Url(new TextEncoder().encode(JSON.stringify([salt, name, 'citizen'])));
      return { vpToken: { permit: [parts.join('~')] } };
    }, 'disclosure_unreferenced');
  });

  it('a KB-JWT with another nonce', async () => {
    await refused(
      async (request) => ({
        vpToken: {
          permit: [await present(request, { sdJwt: await issue(), holderKey: holder }, ASKED, { nonce: 'other-nonce' })],
        },
      }),
      'kb_nonce_mismatch',
    );
  });

  it('a KB-JWT for another audience', async () => {
    await refused(
      async (request) => ({
        vpToken: {
          permit: [await present(request, { sdJwt: await issue(), holderKey: holder }, ASKED, { audience: 'x509_hash:other' })],
        },
      }),
      'kb_aud_mismatch',
    );
  });

  it('a stale KB-JWT', async () => {
    await refused(
      async (request) => ({
        vpToken: {
          permit: [await present(request, { sdJwt: await issue(), holderKey: holder }, ASKED, { issuedAt: now() - 3600 })],
        },
      }),
      'kb_iat_invalid',
    );
  });

  it('a KB-JWT signed by another key than the credential binds', async () => {
    await refused(
      async (request) => ({
        vpToken: {
          permit: [await present(request, { sdJwt: await issue(), holderKey: holder }, ASKED, { signingKey: otherHolder })],
        },
      }),
      'kb_invalid_signature',
    );
  });

  it('an issuer the trust list does not name', async () => {
    const stranger = await generateKeyPair();
    const strangerDid = `did:jwk:${encodeBase64Url(new TextEncoder().encode(JSON.stringify(stranger.publicJwk)))}`;
    const sdJwt = await issue({ issuer: strangerDid, key: nodeSigningKey(stranger.privateJwk, 'ES256', `${strangerDid}#0`) });
    await refused((request) => answer(request, sdJwt), 'untrusted_issuer');
  });

  it('a revoked credential', async () => {
    await refused(async (request) => answer(request, await issue({ idx: REVOKED })), 'credential_revoked');
  });

  it('a status list token with the wrong typ', async () => {
    const statusUri = statusUriForTests.replace('/1', '/wrong-typ');
    const { started, request } = await begin(verifier);
    const reply = await respond(request, await answer(request, await issue({ idx: VALID, statusUri })));
    await expectRejected(verifier, started.id, reply, 'status_unavailable');
    expect(reply.body.error_description).toContain('(invalid_typ)');
  });

  it('an issuer whose did:web document would be fetched from a link-local (metadata) address', async () => {
    const ssrf = 'did:web:169.254.169.254';
    const ssrfVerifier = mountVerifier({
      presentations: {
        trust: parseTrustList({ version: 1, issuers: [{ id: ssrf, name: { en: 'x' }, credentialTypes: [VCT] }] }),
        fetchPolicy: { allowInsecureLocalhost: true, timeoutMs: 2000 },
        crypto: nodeCrypto,
      },
    });
    const { started, request } = await begin(ssrfVerifier);
    const sdJwt = await issue({ issuer: ssrf, key: { ...issuerKey, kid: `${ssrf}#key-1` } });
    await expectRejected(ssrfVerifier, started.id, await respond(request, await answer(request, sdJwt)), 'fetch_blocked');
  });

  it('a status list that cannot be reached (fail closed)', async () => {
    const fresh = mountVerifier();
    const { started, request } = await begin(fresh);
    statusFailure = 503;
    try {
      const reply = await respond(request, await answer(request));
      await expectRejected(fresh, started.id, reply, 'status_unavailable');
      expect(reply.body.error_description).toContain('(fetch_failed)');
    } finally {
      statusFailure = undefined;
    }
  });

  it('a response for a credential query the request does not have', async () => {
    await refused(async (request) => ({ vpToken: { other: (await answer(request)).vpToken.permit } }), 'dcql_unsatisfied');
  });

  it('a presentation without a claim the query requires', async () => {
    await refused(
      async (request) => ({
        vpToken: { permit: [await present(request, { sdJwt: await issue(), holderKey: holder }, [['residence_status']])] },
      }),
      'dcql_unsatisfied',
    );
  });

  it('a wallet that discloses more than was asked', async () => {
    await refused(
      async (request) => ({
        vpToken: { permit: [await present(request, { sdJwt: await issue(), holderKey: holder }, [...ASKED, ['given_name']])] },
      }),
      'unrequested_disclosure',
    );
  });

  it('but accepts claims that another credential query of the request asked for (§6.4)', async () => {
    const twoQueries: JsonObject = {
      credentials: [
        { id: 'status', format: 'dc+sd-jwt', meta: { vct_values: [VCT] }, claims: [{ path: ['residence_status'] }] },
        { id: 'age', format: 'dc+sd-jwt', meta: { vct_values: [VCT] }, claims: [{ path: ['age_equal_or_over', '18'] }] },
      ],
    };
    const { started, request } = await begin(verifier, { query: twoQueries });
    const vp = await present(request, { sdJwt: await issue(), holderKey: holder }, ASKED);
    expect((await respond(request, { vpToken: { status: [vp], age: [vp] } })).status).toBe(200);
    expect((await verifier.get(started.id))?.credentials?.map(({ queryId }) => queryId)).toEqual(['status', 'age']);
  });

  it('follows claim_sets and credential_sets: one claim set suffices, an optional credential may be left out', async () => {
    const query: JsonObject = {
      credentials: [
        {
          id: 'permit',
          format: 'dc+sd-jwt',
          meta: { vct_values: [VCT] },
          claims: [
            { id: 'adult', path: ['age_equal_or_over', '18'], values: [true] },
            { id: 'status', path: ['residence_status'] },
          ],
          claim_sets: [['adult'], ['status']],
        },
        {
          id: 'course',
          format: 'dc+sd-jwt',
          meta: { vct_values: ['https://tessera.example/credentials/language-course-certificate'] },
        },
      ],
      credential_sets: [{ options: [['permit']] }, { options: [['course']], required: false }],
    };
    const { started, request } = await begin(verifier, { query });
    const vp = await present(request, { sdJwt: await issue(), holderKey: holder }, [['age_equal_or_over', '18']]);
    expect((await respond(request, { vpToken: { permit: [vp] } })).status).toBe(200);
    const [credential] = (await verifier.get(started.id))?.credentials ?? [];
    expect(credential?.disclosed).toEqual([['age_equal_or_over', '18']]);

    // Neither claim set: refused.
    const second = await begin(verifier, { query });
    const bare = await present(second.request, { sdJwt: await issue(), holderKey: holder }, []);
    await expectRejected(
      verifier,
      second.started.id,
      await respond(second.request, { vpToken: { permit: [bare] } }),
      'dcql_unsatisfied',
    );
    // Only the optional credential: the required set is unanswered.
    const third = await begin(verifier, { query });
    const course = await present(third.request, { sdJwt: await issue(), holderKey: holder }, []);
    await expectRejected(
      verifier,
      third.started.id,
      await respond(third.request, { vpToken: { course: [course] } }),
      'dcql_unsatisfied',
    );
  });

  it('an unencrypted response where direct_post.jwt was asked for', async () => {
    await refused((request) => answer(request), 'response_malformed', { encrypt: false });
  });

  it('a response encrypted to another key', async () => {
    const { started, request } = await begin(verifier);
    const other = await begin(verifier);
    const { encryptResponse } = await import('./test-wallet.ts');
    const jwe = await encryptResponse(other.request, {
      vp_token: (await answer(request)).vpToken as unknown as JsonObject,
      state: String(request.state),
    });
    await expectRejected(
      verifier,
      started.id,
      await post(String(request.response_uri), { response: jwe }),
      'response_undecryptable',
    );
  });

  it('a vp_token that is not JSON', async () => {
    const fresh = mountVerifier({ responseMode: 'direct_post' });
    const { started, request } = await begin(fresh);
    const reply = await post(String(request.response_uri), { vp_token: '{not json', state: String(request.state) });
    await expectRejected(fresh, started.id, reply, 'response_malformed');
  });

  it('a state that is not the transaction’s, which stays open for its own wallet', async () => {
    const { started, request } = await begin(verifier);
    const reply = await respond(request, await answer(request), { state: 'someone-elses-state' });
    await expectRejected(verifier, started.id, reply, 'state_mismatch', 'pending');
    expect((await respond(request, await answer(request))).status).toBe(200);
  });

  it('a replayed response', async () => {
    const { started, request } = await begin(verifier);
    const response = await answer(request);
    const { encryptResponse } = await import('./test-wallet.ts');
    const form = {
      response: await encryptResponse(request, {
        vp_token: response.vpToken as unknown as JsonObject,
        state: String(request.state),
      }),
    };
    expect((await post(String(request.response_uri), form)).status).toBe(200);
    const replay = await post(String(request.response_uri), form);
    expect(replay.status).toBe(400);
    expect(replay.body).toMatchObject({ error: 'invalid_request', tessera_code: 'transaction_closed' });
    expect((await verifier.get(started.id))?.status).toBe('responded');
  });

  it('a response to a transaction that has expired', async () => {
    let clock = Date.now();
    const store = createMemoryTransactionStore({ clock: () => clock });
    const slow = mountVerifier({ clock: () => clock, store, transactionTtlSeconds: 10 });
    const { started, request } = await begin(slow);
    clock += 11_000;
    const reply = await respond(request, await answer(request));
    expect(reply.body.tessera_code).toBe('transaction_expired');
    expect(reply.status).toBe(400);
    expect((await slow.get(started.id))?.status).toBe('expired');
    // Its request object is gone too.
    await expect(openRequest(started.link)).rejects.toThrow(/400/);
  });

  it('forgets outcomes, with their claims, once the retention after expiry has passed', async () => {
    let clock = Date.now();
    const store = createMemoryTransactionStore({ clock: () => clock });
    const forgetful = mountVerifier({ clock: () => clock, store, transactionTtlSeconds: 60, resultRetentionSeconds: 120 });
    const { started, request } = await begin(forgetful);
    expect((await respond(request, await answer(request))).status).toBe(200);
    clock += 61_000 + 60_000;
    await forgetful.start({ query: QUERY });
    expect((await forgetful.get(started.id))?.status).toBe('responded');
    clock += 61_000;
    await forgetful.start({ query: QUERY });
    expect(await forgetful.get(started.id)).toBeUndefined();
  });

  it('a response for an unknown transaction', async () => {
    const reply = await post(`${origin}/v${mountCounter}/response/no-such-state`, {
      error: 'access_denied',
      state: 'no-such-state',
    });
    expect(reply).toMatchObject({ status: 400, body: { error: 'invalid_request', tessera_code: 'transaction_unknown' } });
  });
});

describe('OpenID4VP 1.0: the HTTP edges', () => {
  let verifier: Verifier;
  let base: string;
  beforeAll(() => {
    verifier = mountVerifier({ responseMode: 'direct_post' });
    base = `${origin}/v${mountCounter}`;
  });

  it('refuses an oversized body with 413 and OAuth error JSON, and the transaction stays open', async () => {
    const { started, request } = await begin(verifier);
    const reply = await post(String(request.response_uri), { vp_token: 'x'.repeat(70 * 1024), state: String(request.state) });
    expect(reply).toMatchObject({ status: 413, body: { error: 'invalid_request' } });
    expect((await verifier.get(started.id))?.status).toBe('pending');
  });

  it('refuses a body that is not a form', async () => {
    const { request } = await begin(verifier);
    const response = await fetch(String(request.response_uri), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ vp_token: {} }),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({ error: 'invalid_request', tessera_code: 'request_invalid' });
  });

  it('refuses a repeated parameter', async () => {
    const { request } = await begin(verifier);
    const response = await fetch(String(request.response_uri), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `state=${request.state}&state=${request.state}&vp_token=%7B%7D`,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request', error_description: 'A parameter was repeated' });
  });

  it('refuses GET on the response URI', async () => {
    const { request } = await begin(verifier);
    const response = await fetch(String(request.response_uri));
    expect(response.status).toBe(405);
  });

  it('lets a wallet web app on another origin read the request object and post its answer (CORS, no credentials)', async () => {
    const { request } = await begin(verifier);
    const preflight = await fetch(String(request.response_uri), {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:4300', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET, POST');
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    const refused = await fetch(String(request.response_uri), { headers: { origin: 'http://localhost:4300' } });
    expect(refused.status).toBe(405);
    expect(refused.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers an unknown request URI with OAuth error JSON', async () => {
    const response = await fetch(`${base}/request/unknown`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_request', tessera_code: 'transaction_unknown' });
  });

  it('refuses a wallet_nonce or wallet_metadata it cannot use', async () => {
    const started = await verifier.start({ query: QUERY });
    const requestUri = String(new URL(started.link).searchParams.get('request_uri'));
    for (const body of [{ wallet_nonce: 'has spaces in it' }, { wallet_metadata: '[1,2]' }, { wallet_metadata: '{oops' }]) {
      const reply = await post(requestUri, body);
      expect(reply).toMatchObject({ status: 400, body: { error: 'invalid_request', tessera_code: 'request_invalid' } });
    }
  });

  it('refuses to start a transaction with a malformed DCQL query or another format', async () => {
    await expect(verifier.start({ query: { credentials: [] } })).rejects.toMatchObject({ code: 'dcql_invalid' });
    await expect(
      verifier.start({
        query: { credentials: [{ id: 'x', format: 'mso_mdoc', meta: { doctype_value: 'org.iso.18013.5.1.mDL' } }] },
      }),
    ).rejects.toMatchObject({ code: 'dcql_invalid' });
  });

  it('refuses a configuration that would be unsafe', () => {
    const presentations = { trust };
    expect(() => createVerifier({ baseUrl: 'http://desk.example', client: x509Client, presentations })).toThrow(/https/);
    expect(() =>
      createVerifier({ baseUrl: 'https://desk.example', client: x509Client, presentations, transactionTtlSeconds: 0 }),
    ).toThrow(/transactionTtlSeconds/);
    const badDid = {
      prefix: 'decentralized_identifier',
      did: 'did:jwk:abc',
      signingKey: { ...x509SigningKey(), kid: 'did:jwk:other#0' },
    };
    expect(() => createVerifier({ baseUrl: 'https://desk.example', client: badDid as ClientIdentity, presentations })).toThrow(
      /kid/,
    );
    expect(() =>
      createVerifier({
        baseUrl: 'https://desk.example',
        client: { prefix: 'redirect_uri' } as unknown as ClientIdentity,
        presentations,
      }),
    ).toThrow(/development/);
  });
});

function decodeDisclosureText(part: string): string {
  return Buffer.from(part, 'base64url').toString('utf8');
}

function x509SigningKey(): SigningKey {
  return (x509Client as { signingKey: SigningKey }).signingKey;
}

/** A SigningKey over a WebCrypto ECDSA P-256 private key (WebCrypto already gives JWS's R‖S form). */
function webCryptoSigningKey(key: CryptoKey): SigningKey {
  return {
    alg: 'ES256',
    sign: async (data) => new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, new Uint8Array(data))),
  };
}
