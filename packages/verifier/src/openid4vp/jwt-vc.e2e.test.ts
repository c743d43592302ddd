/**
 * OpenID4VP 1.0 with W3C VCs as JWTs (`jwt_vc_json`, Appendix B.1) over real HTTP on 127.0.0.1:
 * the verifier's express router, the test wallet for the request and the response, and Veramo
 * (did:jwk parties) as the peer that issues the credentials and signs the VP JWTs. Every rule of
 * the W3C answer has a negative test asserting its code and that no claim value leaks.
 */
import type { JsonObject } from '@tessera/shared';
import { nodeCrypto } from '@tessera/shared/node';
import type { IIdentifier } from '@veramo/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDidResolver } from '../keys/did.ts';
import { startVerifierHost, type VerifierHost } from '../node/test-verifier-host.ts';
import { parseTrustList, type TrustList } from '../trust/trust-list.ts';
import { createParty, createTestAgent, issueWithVeramo, presentWithVeramo, type TestAgent } from '../w3c/test-veramo.ts';
import { openRequest, respond } from './test-wallet.ts';
import type { Verifier } from './types.ts';

const TYPE = 'ResidencePermit';
const CLAIMS: JsonObject = { given_name: 'Amina-SECRET', residence_status: 'lawfully_resident', municipality: 'Bologna' };
const query = (credential: JsonObject = {}, extra: JsonObject = {}): JsonObject => ({
  credentials: [
    {
      id: 'permit',
      format: 'jwt_vc_json',
      meta: { type_values: [['VerifiableCredential', TYPE]] },
      claims: [{ path: ['credentialSubject', 'residence_status'] }],
      ...credential,
    },
  ],
  ...extra,
});

let host: VerifierHost;
let verifier: Verifier;
let agent: TestAgent;
let issuer: IIdentifier;
let stranger: IIdentifier;
let holder: IIdentifier;
let trust: TrustList;

beforeAll(async () => {
  agent = createTestAgent(createDidResolver());
  [issuer, stranger, holder] = await Promise.all([createParty(agent), createParty(agent), createParty(agent)]);
  trust = parseTrustList({ version: 1, issuers: [{ id: issuer.did, name: { en: 'City of Bologna' }, credentialTypes: [TYPE] }] });
  host = await startVerifierHost();
  verifier = host.verifier(
    {
      client: { prefix: 'redirect_uri', development: true },
      responseMode: 'direct_post',
      presentations: { trust, crypto: nodeCrypto },
    },
    { name: 'verify' },
  );
});

afterAll(async () => {
  await host?.close();
});

/** A credential about the holder from `from`, valid for an hour. */
const credential = (from = issuer, options: { types?: string[]; claims?: JsonObject; subject?: string } = {}) =>
  issueWithVeramo(agent, from, options.subject ?? holder.did, {
    issuedAt: Date.now() - 60_000,
    expiresAt: Date.now() + 3_600_000,
    claims: options.claims ?? CLAIMS,
    ...(options.types !== undefined ? { types: options.types } : {}),
  });

/** Starts a transaction and returns its request, as the test wallet opened it. */
async function begin(dcql: JsonObject = query()): Promise<{ id: string; request: JsonObject }> {
  const started = await verifier.start({ query: dcql });
  return { id: started.id, request: (await openRequest(started.link)).request };
}

/** A VP JWT of `credentials` signed by `by`, for the request's nonce and client id unless told otherwise. */
const vpFor = (request: JsonObject, credentials: string[], by = holder, override: { nonce?: string; audience?: string } = {}) =>
  presentWithVeramo(agent, by, credentials, {
    nonce: override.nonce ?? String(request.nonce),
    audience: override.audience ?? String(request.client_id),
    now: Date.now(),
  });

/** Answers and expects a refusal with `code`, the transaction failed with it, and no claim value anywhere. */
async function expectRefused(id: string, request: JsonObject, vpToken: Record<string, string[]>, code: string): Promise<void> {
  const reply = await respond(request, { vpToken });
  expect(reply).toMatchObject({ status: 400, body: { error: 'invalid_request', tessera_code: code } });
  const view = await verifier.get(id);
  expect(view).toMatchObject({ status: 'failed', error: { code } });
  expect(JSON.stringify([reply.body, view])).not.toContain('SECRET');
}

describe('jwt_vc_json presentations through the verifier', () => {
  it('asks for jwt_vc_json with its algorithms and keeps only the asked claims of the VP it accepts', async () => {
    const { id, request } = await begin();
    expect((request.client_metadata as JsonObject).vp_formats_supported).toMatchObject({
      jwt_vc_json: { alg_values: ['ES256'] },
    });
    const reply = await respond(request, { vpToken: { permit: [await vpFor(request, [await credential()])] } });
    expect(reply).toEqual({ status: 200, body: {} });
    const view = await verifier.get(id);
    expect(view?.status).toBe('responded');
    expect(view?.credentials).toEqual([
      expect.objectContaining({
        queryId: 'permit',
        format: 'jwt_vc_json',
        issuer: issuer.did,
        vct: TYPE,
        types: ['VerifiableCredential', TYPE],
        disclosed: [['credentialSubject', 'residence_status']],
        status: { status: 'none' },
      }),
    ]);
    const claims = view?.credentials?.[0]?.claims as JsonObject;
    expect(claims.credentialSubject).toEqual({ residence_status: 'lawfully_resident' });
    expect(claims.type).toEqual(['VerifiableCredential', TYPE]);
    expect(JSON.stringify(view)).not.toContain('SECRET');
    expect(JSON.stringify(view)).not.toContain(holder.did);
  });

  it('keeps the claims of the claim set the credential answered, and no more', async () => {
    const dcql = query({
      claims: [
        { id: 'status', path: ['credentialSubject', 'residence_status'] },
        { id: 'place', path: ['credentialSubject', 'municipality'] },
        { id: 'name', path: ['credentialSubject', 'given_name'] },
      ],
      claim_sets: [['status', 'place'], ['name']],
    });
    const { id, request } = await begin(dcql);
    expect((await respond(request, { vpToken: { permit: [await vpFor(request, [await credential()])] } })).status).toBe(200);
    const claims = (await verifier.get(id))?.credentials?.[0]?.claims as JsonObject;
    expect(claims.credentialSubject).toEqual({ residence_status: 'lawfully_resident', municipality: 'Bologna' });
  });

  it('refuses a VP JWT for another nonce or another audience', async () => {
    const first = await begin();
    await expectRefused(
      first.id,
      first.request,
      { permit: [await vpFor(first.request, [await credential()], holder, { nonce: 'another-nonce' })] },
      'kb_nonce_mismatch',
    );
    const second = await begin();
    await expectRefused(
      second.id,
      second.request,
      { permit: [await vpFor(second.request, [await credential()], holder, { audience: 'x509_hash:someone-else' })] },
      'kb_aud_mismatch',
    );
  });

  it('refuses a credential about someone else than the holder who signed', async () => {
    const { id, request } = await begin();
    const theirs = await credential(issuer, { subject: stranger.did });
    await expectRefused(id, request, { permit: [await vpFor(request, [theirs])] }, 'w3c_holder_mismatch');
  });

  it('refuses an issuer that is not on the trust list', async () => {
    const { id, request } = await begin();
    await expectRefused(id, request, { permit: [await vpFor(request, [await credential(stranger)])] }, 'untrusted_issuer');
  });

  it('refuses a credential of a type the query did not ask for, and one without the asked claim', async () => {
    const typed = await begin(query({ meta: { type_values: [['VerifiableCredential', 'DriverLicense']] } }));
    const trustedOther = await credential(issuer, { types: [TYPE] });
    await expectRefused(typed.id, typed.request, { permit: [await vpFor(typed.request, [trustedOther])] }, 'dcql_unsatisfied');
    const missing = await begin();
    const withoutStatus = await credential(issuer, { claims: { given_name: 'Amina-SECRET' } });
    await expectRefused(
      missing.id,
      missing.request,
      { permit: [await vpFor(missing.request, [withoutStatus])] },
      'dcql_unsatisfied',
    );
  });

  it('refuses two credentials in one VP, and two VPs for a query that allows one', async () => {
    const one = await begin();
    const [a, b] = [await credential(), await credential()];
    await expectRefused(one.id, one.request, { permit: [await vpFor(one.request, [a, b])] }, 'dcql_unsatisfied');
    const two = await begin();
    await expectRefused(
      two.id,
      two.request,
      { permit: [await vpFor(two.request, [a]), await vpFor(two.request, [b])] },
      'dcql_unsatisfied',
    );
  });

  it('refuses an SD-JWT-shaped answer to a jwt_vc_json query, and an answer to a query id it does not have', async () => {
    const wrongShape = await begin();
    const vp = await vpFor(wrongShape.request, [await credential()]);
    await expectRefused(wrongShape.id, wrongShape.request, { permit: [`${vp}~`] }, 'malformed_jwt');
    const unknown = await begin();
    await expectRefused(
      unknown.id,
      unknown.request,
      { other: [await vpFor(unknown.request, [await credential()])] },
      'dcql_unsatisfied',
    );
  });
});
