/**
 * The holder's side of OpenID4VP 1.0 over real HTTP on 127.0.0.1: the wallet library opens links
 * of the real verifier (its express router, an x509_hash: client certified by a development CA
 * the wallet trusts, and a did:jwk client), shows what would be shared, and answers, declines or
 * refuses; the verifier's own result says what it received.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClaimPath, type JsonObject, type SigningKey, signJwt } from '@tessera/shared';
import { createDevelopmentCa, type DevelopmentCa, nodeCrypto } from '@tessera/shared/node';
import { createTestDidJwk, type TestDidJwk } from '@tessera/shared/node/testing';
import { type ClientIdentity, parseTrustList, type TrustList, type Verifier } from '@tessera/verifier';
import { createDevelopmentClient } from '@tessera/verifier/node';
import { didJwkClient, startVerifierHost, type VerifierHost } from '@tessera/verifier/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestProfile, fileBackend, holdSdJwtVc, type TestBackend } from '../node/test-wallets.ts';
import type { Wallet } from '../wallet/wallet.ts';
import { openRequest } from './open-request.ts';
import { decline, respond } from './respond.ts';
import {
  DESK_NAME,
  PURPOSE,
  QUERY_WITH_OPTIONAL,
  requestObjectClaims,
  serveRequestObject,
  PERMIT_VCT as VCT,
} from './test-requests.ts';

const SECRET_NAME = 'Amina-PLANTED-SECRET';
const BIRTH_DATE = '1999-04-01-PLANTED';
const CLAIMS: JsonObject = {
  given_name: SECRET_NAME,
  family_name: 'Yusuf',
  birth_date: BIRTH_DATE,
  residence_status: 'lawfully_resident',
  age_equal_or_over: { '18': true },
};
const DISCLOSABLE: ClaimPath[] = [
  ['given_name'],
  ['family_name'],
  ['birth_date'],
  ['residence_status'],
  ['age_equal_or_over', '18'],
];
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

let host: VerifierHost;
let origin: string;
let caDir: string;
let ca: DevelopmentCa;
let x509Client: ClientIdentity;
let otherX509Client: ClientIdentity;
let didClient: ClientIdentity & { prefix: 'decentralized_identifier' };
let issuer: TestDidJwk;
let trust: TrustList;
let backend: TestBackend;
let profileCounter = 0;

beforeAll(async () => {
  host = await startVerifierHost();
  origin = host.origin;
  caDir = await mkdtemp(join(tmpdir(), 'tessera-present-ca-'));
  ca = await createDevelopmentCa({ dir: caDir });
  x509Client = (await createDevelopmentClient({ ca, dnsName: 'localhost', name: DESK_NAME })).client;
  otherX509Client = (await createDevelopmentClient({ ca, dnsName: 'localhost', name: 'Someone else' })).client;
  didClient = await didJwkClient();
  issuer = await createTestDidJwk();
  trust = parseTrustList({ version: 1, issuers: [{ id: issuer.did, name: { en: 'City of Bologna' }, credentialTypes: [VCT] }] });
  backend = await fileBackend();
});

afterAll(async () => {
  await host.close();
  await backend.dispose();
  await rm(caDir, { recursive: true, force: true });
});

function mountVerifier(
  extra: {
    client?: ClientIdentity;
    responseMode?: 'direct_post' | 'direct_post.jwt';
    requestUriMethod?: 'get' | 'post';
    requestByValue?: boolean;
  } = {},
): Verifier {
  return host.verifier(
    {
      client: extra.client ?? x509Client,
      presentations: { trust, fetchPolicy: { allowInsecureLocalhost: true, timeoutMs: 2000 }, crypto: nodeCrypto },
      ...(extra.responseMode === undefined ? {} : { responseMode: extra.responseMode }),
      ...(extra.requestUriMethod === undefined ? {} : { requestUriMethod: extra.requestUriMethod }),
      ...(extra.requestByValue === undefined ? {} : { requestByValue: extra.requestByValue }),
    },
    { maxResponseBytes: 64 * 1024 },
  );
}

/** A fresh profile holding `instances` instances of the residence permit, each bound to its own holder key. */
async function walletWithPermit(instances = 1): Promise<{ wallet: Wallet; credentialIds: string[] }> {
  const wallet = await createTestProfile(backend, `holder-${++profileCounter}`);
  const credentialIds: string[] = [];
  for (let index = 0; index < instances; index++) {
    credentialIds.push(
      await holdSdJwtVc(wallet, issuer, {
        vct: VCT,
        claims: CLAIMS,
        disclosable: DISCLOSABLE,
        configurationId: 'residence_permit',
        display: [{ name: 'Residence permit', locale: 'en' }],
      }),
    );
  }
  return { wallet, credentialIds };
}

const OPEN = { allowInsecureLocalhost: true } as const;

describe('presenting to the real verifier', () => {
  it('x509_hash, direct_post.jwt: discloses only the required claims, names the trusted desk, logs names not values', async () => {
    const verifier = mountVerifier();
    const { wallet, credentialIds } = await walletWithPermit();
    const started = await verifier.start({ query: QUERY, purpose: PURPOSE });
    const consent = await openRequest(wallet, started.link, {
      ...OPEN,
      trustAnchors: [ca.certificatePem],
      languages: ['ar-SY', 'en'],
    });

    expect(consent.verifier).toMatchObject({ prefix: 'x509_hash', verified: true, name: DESK_NAME });
    expect(consent.verifier.clientId).toMatch(/^x509_hash:[A-Za-z0-9_-]{43}$/);
    expect(consent.purpose).toEqual({ language: 'ar', text: PURPOSE.ar });
    expect(consent.satisfiable).toBe(true);
    expect(consent.warnings).toEqual([]);
    const [query] = consent.queries;
    expect(query?.need).toBe('required');
    expect(query?.candidates.map((c) => c.credentialId)).toEqual(credentialIds);
    expect(query?.candidates[0]?.required.map((c) => c.name)).toEqual(['residence_status', 'age_equal_or_over.18']);
    expect(query?.candidates[0]?.optional).toEqual([]);

    const waiting = verifier.wait(started.id, 10_000);
    const answer = await respond(wallet, consent);
    expect(answer).toEqual({ accepted: true, status: 200, body: {} });
    const view = await waiting;
    expect(view?.status).toBe('responded');
    expect(view?.credentials?.[0]?.disclosed).toEqual(expect.arrayContaining(ASKED));
    expect(view?.credentials?.[0]?.disclosed).toHaveLength(2);
    expect(view?.credentials?.[0]?.claims.given_name).toBeUndefined();

    const history = await wallet.history.list();
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      event: 'credential_presented',
      details: {
        verifier: { clientId: consent.verifier.clientId, verified: true, name: DESK_NAME },
        purpose: PURPOSE.ar,
        disclosed: [{ queryId: 'permit', vct: VCT, claims: ['residence_status', 'age_equal_or_over.18'] }],
        outcome: { result: 'accepted' },
      },
    });
  });

  it('a signed request in the link (requestByValue) opens with no connection; only the answer needs one', async () => {
    const verifier = mountVerifier({ requestByValue: true });
    const { wallet } = await walletWithPermit();
    const started = await verifier.start({ query: QUERY, purpose: PURPOSE });
    // The phone's connection: none while the request is opened, back when the holder says yes.
    let online = false;
    const fetched: string[] = [];
    const phoneFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      fetched.push(String(input));
      if (!online) throw new TypeError('Failed to fetch');
      return fetch(input, init);
    };
    const consent = await openRequest(wallet, started.link, { ...OPEN, fetch: phoneFetch, trustAnchors: [ca.certificatePem] });
    expect(fetched).toEqual([]);
    expect(consent.verifier).toMatchObject({ prefix: 'x509_hash', verified: true, name: DESK_NAME });
    expect(consent.purpose).toEqual({ language: 'en', text: PURPOSE.en });
    expect(consent.queries[0]?.candidates[0]?.required.map((c) => c.name)).toEqual(['residence_status', 'age_equal_or_over.18']);
    // The answer is the one step that needs the network.
    online = true;
    expect(await respond(wallet, consent)).toEqual({ accepted: true, status: 200, body: {} });
    expect(fetched).toHaveLength(1);
    expect(fetched[0]).toMatch(new RegExp(`^${origin}/.+/response/`));
    expect((await verifier.get(started.id))?.status).toBe('responded');
  });

  it('refuses a request in the link that is not sound, before anything is fetched', async () => {
    const verifier = mountVerifier({ requestByValue: true });
    const { wallet } = await walletWithPermit();
    const link = new URL((await verifier.start({ query: QUERY })).link);
    const requestObject = String(link.searchParams.get('request'));
    const [header, body, signature] = requestObject.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as JsonObject;
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...claims, response_uri: `${origin}/elsewhere` })).toString('base64url')}.${signature}`;
    const withRequest = (request: string, extra = ''): string =>
      `openid4vp://?client_id=${encodeURIComponent(String(link.searchParams.get('client_id')))}&request=${request}${extra}`;
    const expired = await signJwt({ typ: 'oauth-authz-req+jwt' }, { ...payloadFor(didClient), exp: 1 }, didClient.signingKey);
    const cases: [string, string][] = [
      [withRequest(requestObject, `&request_uri=${encodeURIComponent(`${origin}/r`)}`), 'request_invalid'],
      [withRequest('not-a-jws'), 'request_invalid'],
      [withRequest(tampered), 'invalid_signature'],
      [`openid4vp://?client_id=redirect_uri:${encodeURIComponent(`${origin}/r`)}&request=${requestObject}`, 'request_invalid'],
      [`openid4vp://?client_id=${encodeURIComponent(`decentralized_identifier:${didClient.did}`)}&request=${expired}`, 'expired'],
    ];
    const fetched: string[] = [];
    for (const [bad, code] of cases) {
      await expect(
        openRequest(wallet, bad, {
          ...OPEN,
          fetch: async (input) => {
            fetched.push(String(input));
            throw new TypeError('Failed to fetch');
          },
        }),
        code,
      ).rejects.toMatchObject({ code });
    }
    expect(fetched).toEqual([]);
  });

  it('adds an optional claim only when the holder picks it, and warns about the birth date and the unlisted claim', async () => {
    const verifier = mountVerifier();
    const { wallet } = await walletWithPermit();
    const started = await verifier.start({ query: QUERY_WITH_OPTIONAL, purpose: PURPOSE });
    const consent = await openRequest(wallet, started.link, { ...OPEN, trustAnchors: [ca.certificatePem] });
    expect(consent.purpose).toEqual({ language: 'en', text: PURPOSE.en });
    const candidate = consent.queries[0]?.candidates[0];
    expect(candidate?.required.map((c) => c.name)).toEqual(['residence_status']);
    expect(candidate?.optional.map((c) => c.name)).toEqual(['given_name', 'birth_date']);
    expect(consent.warnings).toEqual(
      expect.arrayContaining([
        { code: 'full_birth_date_asked', queryId: 'permit', claim: 'birth_date' },
        { code: 'claim_outside_claim_sets', queryId: 'permit', claim: 'family_name' },
      ]),
    );
    expect(consent.warnings).toHaveLength(2);

    const givenName = candidate?.optional.find((c) => c.name === 'given_name')?.ref as string;
    const waiting = verifier.wait(started.id, 10_000);
    expect((await respond(wallet, consent, { optional: [givenName] })).accepted).toBe(true);
    const view = await waiting;
    expect(view?.credentials?.[0]?.disclosed).toEqual(expect.arrayContaining([['residence_status'], ['given_name']]));
    expect(view?.credentials?.[0]?.disclosed).toHaveLength(2);
    expect(view?.credentials?.[0]?.claims.given_name).toBe(SECRET_NAME);
    expect(view?.credentials?.[0]?.claims.birth_date).toBeUndefined();

    // The holder's log has the claim's name, never its value, even decrypted.
    const history = JSON.stringify(await wallet.history.list());
    expect(history).toContain('"given_name"');
    expect(history).not.toContain(SECRET_NAME);
    expect(history).not.toContain(BIRTH_DATE);
    expect(history).not.toContain('lawfully_resident');
  });

  it('decline: the verifier sees access_denied and the refusal is logged', async () => {
    const verifier = mountVerifier();
    const { wallet } = await walletWithPermit();
    const started = await verifier.start({ query: QUERY });
    const consent = await openRequest(wallet, started.link, { ...OPEN, trustAnchors: [ca.certificatePem] });
    const waiting = verifier.wait(started.id, 10_000);
    expect((await decline(wallet, consent)).accepted).toBe(true);
    const view = await waiting;
    expect(view?.status).toBe('failed');
    expect(view?.error?.code).toBe('access_denied');
    expect(view?.credentials).toBeUndefined();
    const history = await wallet.history.list();
    expect(history.map((entry) => entry.event)).toEqual(['presentation_declined']);
    expect(history[0]?.details.outcome).toEqual({ result: 'accepted' });
    expect(history[0]?.details.disclosed).toBeUndefined();
  });

  it('refuses a request object signed by another key than the x5c leaf the client id names', async () => {
    const forged: ClientIdentity = {
      prefix: 'x509_hash',
      certificateChain: (x509Client as { certificateChain: readonly string[] }).certificateChain,
      signingKey: (otherX509Client as { signingKey: SigningKey }).signingKey,
    };
    const verifier = mountVerifier({ client: forged });
    const { wallet } = await walletWithPermit();
    const started = await verifier.start({ query: QUERY });
    await expect(openRequest(wallet, started.link, { ...OPEN, trustAnchors: [ca.certificatePem] })).rejects.toMatchObject({
      code: 'invalid_signature',
    });
    expect(await wallet.history.list()).toEqual([]);
    expect((await verifier.get(started.id))?.status).toBe('pending');
  });

  it('marks an x509_hash: verifier unverified without trust anchors, or when its CA is not one of them', async () => {
    const verifier = mountVerifier();
    const { wallet } = await walletWithPermit();
    const first = await openRequest(wallet, (await verifier.start({ query: QUERY })).link, OPEN);
    expect(first.verifier).toMatchObject({ verified: false, reason: 'no_trust_anchor', claimedName: DESK_NAME });
    expect(first.warnings).toEqual([{ code: 'unverified_verifier' }]);
    const otherCaDir = await mkdtemp(join(tmpdir(), 'tessera-present-ca-'));
    try {
      const otherCa = await createDevelopmentCa({ dir: otherCaDir });
      const second = await openRequest(wallet, (await verifier.start({ query: QUERY })).link, {
        ...OPEN,
        trustAnchors: [otherCa.certificatePem],
      });
      expect(second.verifier).toMatchObject({ verified: false, reason: 'untrusted_certificate' });
    } finally {
      await rm(otherCaDir, { recursive: true, force: true });
    }
  });

  it('did:jwk with request_uri GET and direct_post: verified by resolving the DID, answered in clear', async () => {
    const verifier = mountVerifier({ client: didClient, responseMode: 'direct_post', requestUriMethod: 'get' });
    const { wallet } = await walletWithPermit();
    const started = await verifier.start({ query: QUERY });
    const consent = await openRequest(wallet, started.link, OPEN);
    expect(consent.verifier).toEqual({
      clientId: `decentralized_identifier:${didClient.did}`,
      prefix: 'decentralized_identifier',
      verified: true,
      name: didClient.did,
    });
    expect(consent.purpose).toBeUndefined();
    const waiting = verifier.wait(started.id, 10_000);
    expect((await respond(wallet, consent)).accepted).toBe(true);
    expect((await waiting)?.credentials?.[0]?.disclosed).toHaveLength(2);
  });

  it('prefers a credential instance no verifier has seen, so two verifiers see unrelated keys', async () => {
    const { wallet, credentialIds } = await walletWithPermit(2);
    const seenKeys: unknown[] = [];
    for (const round of [0, 1, 2]) {
      const verifier = mountVerifier();
      const started = await verifier.start({ query: QUERY });
      const consent = await openRequest(wallet, started.link, { ...OPEN, trustAnchors: [ca.certificatePem] });
      const candidates = consent.queries[0]?.candidates ?? [];
      if (round === 1) {
        expect(candidates.map((c) => c.presentedBefore)).toEqual([false, true]);
        expect(candidates[0]?.credentialId).not.toBe(seenKeys[0]);
      }
      if (round === 2) expect(candidates.map((c) => c.presentedBefore)).toEqual([true, true]);
      seenKeys.push(candidates[0]?.credentialId);
      await respond(wallet, consent);
    }
    expect(new Set(seenKeys.slice(0, 2))).toEqual(new Set(credentialIds));
  });

  it('redirect_uri: (development) is always unverified, travels by value, and is still answered', async () => {
    const verifier = mountVerifier({ client: { prefix: 'redirect_uri', development: true }, responseMode: 'direct_post' });
    const { wallet } = await walletWithPermit();
    const started = await verifier.start({ query: QUERY, purpose: PURPOSE });
    expect(new URL(started.link).searchParams.get('request_uri')).toBeNull();
    const consent = await openRequest(wallet, started.link, OPEN);
    expect(consent.verifier).toMatchObject({ prefix: 'redirect_uri', verified: false, reason: 'unsigned_request' });
    expect(consent.warnings).toContainEqual({ code: 'unverified_verifier' });
    const waiting = verifier.wait(started.id, 10_000);
    expect((await respond(wallet, consent)).accepted).toBe(true);
    expect((await waiting)?.status).toBe('responded');
  });

  it('discloses nothing beyond the consent: an optional item the consent does not offer is a programmer error', async () => {
    const verifier = mountVerifier();
    const { wallet } = await walletWithPermit();
    const started = await verifier.start({ query: QUERY });
    const consent = await openRequest(wallet, started.link, { ...OPEN, trustAnchors: [ca.certificatePem] });
    await expect(respond(wallet, consent, { optional: ['permit:["given_name"]'] })).rejects.toThrow(TypeError);
    await expect(respond(wallet, { ...consent })).rejects.toThrow(TypeError);
    expect(await wallet.history.list()).toEqual([]);
    expect((await verifier.get(started.id))?.status).toBe('pending');
  });

  it('logs a presentation the verifier rejected, with its code', async () => {
    const verifier = mountVerifier();
    const { wallet } = await walletWithPermit();
    const started = await verifier.start({ query: QUERY });
    const consent = await openRequest(wallet, started.link, { ...OPEN, trustAnchors: [ca.certificatePem] });
    await decline(wallet, consent);
    // The transaction is closed now; the same consent cannot be answered again.
    const answer = await respond(wallet, consent);
    expect(answer.accepted).toBe(false);
    const [, presented] = await wallet.history.list();
    expect(presented?.event).toBe('credential_presented');
    expect(presented?.details.outcome).toMatchObject({ result: 'rejected', status: answer.status });
  });

  it('answers a query of an optional credential set only when the holder picks it', async () => {
    const query = {
      credentials: [
        ...(QUERY.credentials as JsonObject[]),
        { id: 'name', format: 'dc+sd-jwt', meta: { vct_values: [VCT] }, claims: [{ path: ['family_name'] }] },
      ],
      credential_sets: [{ options: [['permit']] }, { required: false, options: [['name']] }],
    };
    const { wallet } = await walletWithPermit(2);
    for (const pick of [false, true]) {
      const verifier = mountVerifier();
      const started = await verifier.start({ query });
      const consent = await openRequest(wallet, started.link, { ...OPEN, trustAnchors: [ca.certificatePem] });
      expect(consent.queries.map((q) => [q.queryId, q.need])).toEqual([
        ['permit', 'required'],
        ['name', 'optional'],
      ]);
      const waiting = verifier.wait(started.id, 10_000);
      await respond(wallet, consent, pick ? { optional: ['name'] } : {});
      const view = await waiting;
      expect(view?.credentials?.map((credential) => credential.queryId)).toEqual(pick ? ['permit', 'name'] : ['permit']);
      expect(JSON.stringify(view)).toContain(pick ? 'Yusuf' : 'lawfully_resident');
      if (!pick) expect(JSON.stringify(view)).not.toContain('Yusuf');
    }
  });

  it('refuses to answer a request it cannot satisfy, and says so in the consent', async () => {
    const verifier = mountVerifier();
    const { wallet } = await walletWithPermit();
    const query = { credentials: [{ id: 'pid', format: 'dc+sd-jwt', meta: { vct_values: ['urn:other'] } }] };
    const consent = await openRequest(wallet, (await verifier.start({ query })).link, OPEN);
    expect(consent.satisfiable).toBe(false);
    expect(consent.queries[0]?.candidates).toEqual([]);
    await expect(respond(wallet, consent)).rejects.toMatchObject({ code: 'dcql_unsatisfied' });
    expect(await wallet.history.list()).toEqual([]);
  });
});

/** A request object's claims from a did:jwk client, as `serveRequestObject` tests build them. */
function payloadFor(client: { did: string }): JsonObject {
  return requestObjectClaims({
    clientId: `decentralized_identifier:${client.did}`,
    origin,
    query: QUERY,
    walletNonce: undefined,
  });
}

describe('hostile request objects', () => {
  const clientId = (): string => `decentralized_identifier:${didClient.did}`;
  const payload = (walletNonce: string | undefined, extra: JsonObject = {}): JsonObject =>
    requestObjectClaims({ clientId: clientId(), origin, query: QUERY, walletNonce }, extra);

  it('accepts the well-formed object these tests build on', async () => {
    const { wallet } = await walletWithPermit();
    const link = serveRequestObject(
      host,
      (nonce) => signJwt({ typ: 'oauth-authz-req+jwt' }, payload(nonce), didClient.signingKey),
      clientId(),
    );
    expect((await openRequest(wallet, link, OPEN)).verifier.verified).toBe(true);
  });

  it.each([
    [
      'a typ other than oauth-authz-req+jwt',
      'invalid_typ',
      (n: string | undefined) => signJwt({ typ: 'JWT' }, payload(n), didClient.signingKey),
    ],
    [
      'a wallet_nonce that is not ours',
      'wallet_nonce_mismatch',
      (n: string | undefined) => signJwt({ typ: 'oauth-authz-req+jwt' }, payload(`${n}x`), didClient.signingKey),
    ],
    [
      'no wallet_nonce at all',
      'wallet_nonce_mismatch',
      () => signJwt({ typ: 'oauth-authz-req+jwt' }, payload(undefined), didClient.signingKey),
    ],
    [
      'another client_id in the signed payload',
      'client_id_mismatch',
      (n: string | undefined) =>
        signJwt(
          { typ: 'oauth-authz-req+jwt' },
          payload(n, { client_id: 'decentralized_identifier:did:jwk:abc' }),
          didClient.signingKey,
        ),
    ],
    [
      'a kid of another DID',
      'client_id_mismatch',
      (n: string | undefined) =>
        signJwt({ typ: 'oauth-authz-req+jwt', kid: 'did:jwk:other#0' }, payload(n), didClient.signingKey),
    ],
    [
      'no nonce',
      'request_invalid',
      (n: string | undefined) => signJwt({ typ: 'oauth-authz-req+jwt' }, payload(n, { nonce: 7 }), didClient.signingKey),
    ],
    [
      'a malformed DCQL query',
      'dcql_invalid',
      (n: string | undefined) =>
        signJwt({ typ: 'oauth-authz-req+jwt' }, payload(n, { dcql_query: { credentials: [] } }), didClient.signingKey),
    ],
    [
      'an https-less response_uri off the loopback',
      'fetch_blocked',
      (n: string | undefined) =>
        signJwt({ typ: 'oauth-authz-req+jwt' }, payload(n, { response_uri: 'http://example.org/r' }), didClient.signingKey),
    ],
    ['text that is not a JWS', 'request_invalid', async () => 'not.a-jws'],
  ])('refuses %s with %s', async (_label, code, make) => {
    const { wallet } = await walletWithPermit();
    await expect(openRequest(wallet, serveRequestObject(host, make, clientId()), OPEN)).rejects.toMatchObject({ code });
  });

  it('refuses links it cannot use, with stable codes', async () => {
    const { wallet } = await walletWithPermit();
    const cases: [string, string][] = [
      ['https://example.org/?client_id=x', 'request_invalid'],
      ['openid4vp://?request_uri=https://example.org/r', 'request_invalid'],
      ['openid4vp://?client_id=a&client_id=b&request_uri=https://example.org/r', 'request_invalid'],
      ['openid4vp://?client_id=verifier_attestation:x&request_uri=https://example.org/r', 'client_id_unsupported'],
      [
        'openid4vp://?client_id=decentralized_identifier:did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK&request_uri=https://example.org/r',
        'client_id_unsupported',
      ],
      [
        'openid4vp://?client_id=decentralized_identifier:did:web:example.org%2Fevil&request_uri=https://example.org/r',
        'did_invalid',
      ],
      ['openid4vp://?client_id=x509_hash:abc&request_uri=http://example.org/r', 'fetch_blocked'],
      [
        `openid4vp://?client_id=x509_hash:abc&response_type=vp_token&nonce=n&response_mode=direct_post&response_uri=${origin}/r&dcql_query={}`,
        'request_invalid',
      ],
      ['openid4vp://?client_id=redirect_uri:x&dcql_query={', 'request_invalid'],
    ];
    for (const [link, code] of cases) {
      await expect(
        openRequest(wallet, link, {
          fetch: async () => {
            throw new Error('offline');
          },
        }),
        link,
      ).rejects.toMatchObject({ code });
    }
  });
});
