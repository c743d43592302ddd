/**
 * W3C VCs (`jwt_vc_json`) end to end over real HTTP on 127.0.0.1: the real issuer app (PGlite)
 * issues them through OpenID4VCI, the wallet library receives them, and presents them to the real
 * verifier (its express router, a did:jwk client) as VP JWTs signed by the holder's did:jwk
 * (OpenID4VP 1.0 Appendix B.1.3.1). The verifier's own result says what it accepted; the
 * refusals (revoked, wrong nonce or audience, someone else's credential, a format not asked for)
 * are the verifier's too.
 */
import { createCredentialOffer, STATUS_LIST_ID } from '@tessera/issuer';
import { permitTenant, RESIDENCE_PERMIT_CLAIMS, startTestIssuer, type TestIssuer } from '@tessera/issuer/testing';
import { decodeJws, type JsonObject, parseStatusReference } from '@tessera/shared';
import { type Database, nodeCrypto, openDatabase } from '@tessera/shared/node';
import {
  type ClientIdentity,
  createPresentationVerifier,
  createVerifier,
  parseTrustList,
  type TrustList,
  type Verifier,
} from '@tessera/verifier';
import { didJwkClient, startVerifierHost, type VerifierHost } from '@tessera/verifier/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestProfile, fileBackend, type TestBackend } from '../node/test-wallets.ts';
import { type ReceivedJwtVcRecord, receiveCredential } from '../receive/receive-credential.ts';
import type { ReceiveTrust } from '../receive/verify-received.ts';
import type { Wallet } from '../wallet/wallet.ts';
import { type Consent, internalsOf } from './consent.ts';
import { openRequest } from './open-request.ts';
import { respond } from './respond.ts';
import { createW3cPresentation } from './w3c-presentation.ts';

const W3C_CONFIGURATION = 'residence_permit_jwt_vc_json';
const W3C_TYPE = 'ResidencePermitCredential';
const PERMIT_VCT = 'https://tessera.example/credentials/residence-permit';
const SECRET_NAME = 'Amina-PLANTED-SECRET';
const PERMIT_CLAIMS = { ...RESIDENCE_PERMIT_CLAIMS, given_name: SECRET_NAME };
const W3C_QUERY: JsonObject = {
  credentials: [
    {
      id: 'permit',
      format: 'jwt_vc_json',
      meta: { type_values: [['VerifiableCredential', W3C_TYPE]] },
      claims: [{ path: ['credentialSubject', 'residence_status'] }],
    },
  ],
};
const OPEN = { allowInsecureLocalhost: true } as const;

let database: Database;
let running: TestIssuer;
let issuerDid: string;
let receiveTrust: ReceiveTrust;
let trust: TrustList;
let host: VerifierHost;
let didClient: ClientIdentity & { prefix: 'decentralized_identifier' };
let backend: TestBackend;
let profileCounter = 0;

beforeAll(async () => {
  database = await openDatabase({ kind: 'pglite' });
  running = await startTestIssuer(database, {
    batchSize: 3,
    tenants: [permitTenant('bologna', { en: 'City of Bologna' }, { didMethod: 'web' })],
  });
  issuerDid = await running.did('bologna');
  receiveTrust = { issuers: [{ id: issuerDid, credentialTypes: [W3C_TYPE] }] };
  trust = parseTrustList({
    version: 1,
    issuers: [{ id: issuerDid, name: { en: 'City of Bologna' }, credentialTypes: [W3C_TYPE, PERMIT_VCT] }],
  });

  host = await startVerifierHost();
  didClient = await didJwkClient();
  backend = await fileBackend();
}, 60_000);

afterAll(async () => {
  await host?.close();
  await backend?.dispose();
  await running?.close();
  await database?.close();
});

/** A fresh verifier (so a fresh status list cache) on its own mount point. */
function mountVerifier(responseMode: 'direct_post' | 'direct_post.jwt' = 'direct_post.jwt'): Verifier {
  return host.verifier(
    {
      client: didClient,
      responseMode,
      presentations: { trust, fetchPolicy: { allowInsecureLocalhost: true, timeoutMs: 3000 }, crypto: nodeCrypto },
    },
    { maxResponseBytes: 64 * 1024 },
  );
}

/** A fresh profile holding `instances` W3C residence permits received from the real issuer. */
async function walletWithW3cPermit(instances = 1): Promise<{ wallet: Wallet; records: ReceivedJwtVcRecord[] }> {
  const wallet = await createTestProfile(backend, `w3c-holder-${++profileCounter}`);
  const offer = await createCredentialOffer(running.issuer.context, {
    tenantId: 'bologna',
    typeId: 'residence_permit',
    claims: PERMIT_CLAIMS,
    pin: false,
    createdBy: 'staff-1',
  });
  await receiveCredential(wallet, offer.link, {
    trust: receiveTrust,
    allowInsecureLocalhost: true,
    configurationId: W3C_CONFIGURATION,
    instances,
  });
  const records = (await wallet.records.list('credential')).map((record) => record.value as ReceivedJwtVcRecord);
  return { wallet, records };
}

/** Posts a hand-made `vp_token` for a `direct_post` request, as a wallet would. */
async function postVpToken(consent: Consent, vpToken: Record<string, string[]>): Promise<{ status: number; body: JsonObject }> {
  const { request } = internalsOf(consent);
  const response = await fetch(request.responseUri, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ vp_token: JSON.stringify(vpToken), state: request.state as string }),
  });
  return { status: response.status, body: (await response.json()) as JsonObject };
}

/** A VP JWT made by the wallet's own presentation code, with the parts a test wants wrong. */
async function handMadePresentation(
  wallet: Wallet,
  record: ReceivedJwtVcRecord,
  overrides: { audience: string; nonce: string; credential?: string },
): Promise<string> {
  const key = await wallet.keys.get(record.keyId);
  if (key === undefined) throw new Error('the holder key is gone');
  return createW3cPresentation({
    credential: overrides.credential ?? record.jwt,
    holderDid: record.holderDid,
    publicJwk: key.publicJwk,
    signingKey: await wallet.keys.signingKey(record.keyId),
    audience: overrides.audience,
    nonce: overrides.nonce,
    now: Math.floor(Date.now() / 1000),
  });
}

describe('presenting a jwt_vc_json credential to the real verifier', () => {
  it('says the whole credential is shared, signs a VP JWT with the holder did:jwk, and the verifier accepts it', async () => {
    const verifier = mountVerifier();
    const { wallet, records } = await walletWithW3cPermit(2);
    const started = await verifier.start({ query: W3C_QUERY, purpose: { en: 'To check your residence status' } });
    const consent = await openRequest(wallet, started.link, OPEN);
    expect(consent.verifier).toMatchObject({ prefix: 'decentralized_identifier', verified: true });
    expect(consent.satisfiable).toBe(true);
    expect(consent.warnings).toEqual([]);
    const [query] = consent.queries;
    expect(query?.candidates).toHaveLength(2);
    const candidate = query?.candidates[0];
    expect(candidate).toMatchObject({
      format: 'jwt_vc_json',
      types: ['VerifiableCredential', W3C_TYPE],
      disclosesEverything: true,
      optional: [],
    });
    expect(candidate?.required.map((claim) => claim.name)).toEqual(['credentialSubject.residence_status']);
    // Everything that leaves, named: what was asked and what was not.
    const shared = candidate?.format === 'jwt_vc_json' ? candidate.sharedClaims : [];
    expect(shared).toEqual(
      expect.arrayContaining([
        'credentialSubject.residence_status',
        'credentialSubject.given_name',
        'credentialSubject.id',
        'issuer',
        'issuanceDate',
        'expirationDate',
      ]),
    );
    expect(JSON.stringify(consent)).not.toContain(SECRET_NAME);

    const waiting = verifier.wait(started.id, 10_000);
    const answer = await respond(wallet, consent, { clock: Date.now });
    expect(answer).toEqual({ accepted: true, status: 200, body: {} });
    const view = await waiting;
    expect(view?.status).toBe('responded');
    const [credential] = view?.credentials ?? [];
    expect(credential).toMatchObject({
      queryId: 'permit',
      format: 'jwt_vc_json',
      issuer: issuerDid,
      vct: W3C_TYPE,
      types: ['VerifiableCredential', W3C_TYPE],
      disclosed: [['credentialSubject', 'residence_status']],
      status: { status: 'valid' },
    });
    // The verifier keeps what it asked for, not the rest it received (nor the holder's DID).
    expect(credential?.claims.credentialSubject).toEqual({ residence_status: PERMIT_CLAIMS.residence_status });
    expect(JSON.stringify(view)).not.toContain(SECRET_NAME);

    const history = await wallet.history.list();
    const presented = history.find((entry) => entry.event === 'credential_presented');
    expect(presented?.details).toMatchObject({
      disclosed: [{ queryId: 'permit', format: 'jwt_vc_json', wholeCredential: true, types: ['VerifiableCredential', W3C_TYPE] }],
      outcome: { result: 'accepted' },
    });
    expect(JSON.stringify(history)).toContain('credentialSubject.given_name');
    expect(JSON.stringify(history)).not.toContain(SECRET_NAME);
    // The instance shown is marked, so the next request defaults to the other one.
    const next = await openRequest(wallet, (await mountVerifier().start({ query: W3C_QUERY })).link, OPEN);
    expect(next.queries[0]?.candidates.map((c) => c.presentedBefore)).toEqual([false, true]);
    expect(records.map((record) => record.format)).toEqual(['jwt_vc_json', 'jwt_vc_json']);
  });

  it('sends one VP JWT per credential the holder picks for a query with multiple: true', async () => {
    const verifier = mountVerifier();
    const { wallet } = await walletWithW3cPermit(2);
    const query = { credentials: [{ ...(W3C_QUERY.credentials as JsonObject[])[0], multiple: true }] };
    const started = await verifier.start({ query });
    const consent = await openRequest(wallet, started.link, OPEN);
    const ids = consent.queries[0]?.candidates.map((candidate) => candidate.credentialId) ?? [];
    expect(ids).toHaveLength(2);
    expect((await respond(wallet, consent, { credentials: { permit: ids } })).accepted).toBe(true);
    const view = await verifier.get(started.id);
    expect(view?.credentials?.map((credential) => credential.format)).toEqual(['jwt_vc_json', 'jwt_vc_json']);
  });

  it('is refused by the verifier once the issuer revoked the credential', async () => {
    const verifier = mountVerifier();
    const { wallet, records } = await walletWithW3cPermit();
    const reference = parseStatusReference(decodeJws((records[0] as ReceivedJwtVcRecord).jwt).payload.status);
    expect(await running.issuer.context.store.setStatus('bologna', STATUS_LIST_ID, reference.idx, 1)).toBe(true);
    const started = await verifier.start({ query: W3C_QUERY });
    const consent = await openRequest(wallet, started.link, OPEN);
    const answer = await respond(wallet, consent);
    expect(answer).toMatchObject({ accepted: false, status: 400, body: { tessera_code: 'credential_revoked' } });
    const view = await verifier.get(started.id);
    expect(view).toMatchObject({ status: 'failed', error: { code: 'credential_revoked' } });
    expect(view?.credentials).toBeUndefined();
    expect(JSON.stringify(view)).not.toContain(SECRET_NAME);
  });

  it('is refused with a VP JWT for another nonce, and for another audience', async () => {
    const { wallet, records } = await walletWithW3cPermit();
    const record = records[0] as ReceivedJwtVcRecord;
    for (const [wrong, code] of [
      ['nonce', 'kb_nonce_mismatch'],
      ['audience', 'kb_aud_mismatch'],
    ] as const) {
      const verifier = mountVerifier('direct_post');
      const started = await verifier.start({ query: W3C_QUERY });
      const consent = await openRequest(wallet, started.link, OPEN);
      const { request } = internalsOf(consent);
      const vp = await handMadePresentation(wallet, record, {
        audience: wrong === 'audience' ? 'decentralized_identifier:did:jwk:someone-else' : request.clientId,
        nonce: wrong === 'nonce' ? 'a-nonce-of-another-transaction' : request.nonce,
      });
      const reply = await postVpToken(consent, { permit: [vp] });
      expect(reply).toMatchObject({ status: 400, body: { error: 'invalid_request', tessera_code: code } });
      expect(JSON.stringify(reply.body)).not.toContain(SECRET_NAME);
      expect(await verifier.get(started.id)).toMatchObject({ status: 'failed', error: { code } });
    }
  });

  it('is refused when the holder presents a credential about someone else', async () => {
    const amina = await walletWithW3cPermit();
    const thief = await walletWithW3cPermit();
    const verifier = mountVerifier('direct_post');
    const started = await verifier.start({ query: W3C_QUERY });
    const consent = await openRequest(thief.wallet, started.link, OPEN);
    const { request } = internalsOf(consent);
    // The thief signs with its own did:jwk a presentation of Amina's credential.
    const vp = await handMadePresentation(thief.wallet, thief.records[0] as ReceivedJwtVcRecord, {
      audience: request.clientId,
      nonce: request.nonce,
      credential: (amina.records[0] as ReceivedJwtVcRecord).jwt,
    });
    const reply = await postVpToken(consent, { permit: [vp] });
    expect(reply).toMatchObject({ status: 400, body: { tessera_code: 'w3c_holder_mismatch' } });
    expect(JSON.stringify(reply.body)).not.toContain(SECRET_NAME);
  });

  it('is refused for a credential query of another format, and a verifier that cannot check W3C does not ask', async () => {
    const { wallet, records } = await walletWithW3cPermit();
    const verifier = mountVerifier('direct_post');
    const sdJwtQuery: JsonObject = {
      credentials: [
        { id: 'permit', format: 'dc+sd-jwt', meta: { vct_values: [PERMIT_VCT] }, claims: [{ path: ['residence_status'] }] },
      ],
    };
    const started = await verifier.start({ query: sdJwtQuery });
    const consent = await openRequest(wallet, started.link, OPEN);
    // The wallet has no SD-JWT VC to offer for it…
    expect(consent.satisfiable).toBe(false);
    expect(consent.queries[0]?.candidates).toEqual([]);
    // …and a W3C presentation sent anyway is not taken for one.
    const { request } = internalsOf(consent);
    const vp = await handMadePresentation(wallet, records[0] as ReceivedJwtVcRecord, {
      audience: request.clientId,
      nonce: request.nonce,
    });
    const reply = await postVpToken(consent, { permit: [vp] });
    expect(reply).toMatchObject({ status: 400, body: { tessera_code: 'not_sd_jwt' } });
    expect(await verifier.get(started.id)).toMatchObject({ status: 'failed', error: { code: 'not_sd_jwt' } });

    // A presentation verifier without W3C support refuses to ask for jwt_vc_json at all.
    const sdJwtOnly = createPresentationVerifier({ trust, crypto: nodeCrypto });
    const limited = createVerifier({
      baseUrl: `${host.origin}/limited`,
      allowInsecureBaseUrl: true,
      client: didClient,
      presentations: { verify: (presentation, expectations) => sdJwtOnly.verify(presentation, expectations) },
    });
    await expect(limited.start({ query: W3C_QUERY })).rejects.toMatchObject({ code: 'dcql_invalid' });
  });
});
