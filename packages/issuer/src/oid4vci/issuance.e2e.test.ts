/**
 * OpenID4VCI 1.0 end to end over real HTTP on 127.0.0.1: the issuer app on PGlite (and on
 * PostgreSQL when TESSERA_TEST_POSTGRES_URL is set), a test wallet, and `@tessera/verifier` as the
 * relying party: offer → token (PIN) → nonce → batch credential → verify; revocation seen by the
 * verifier; and a refusal for every rule of the token and credential endpoints.
 */
import { createHash } from 'node:crypto';
import { decodeJws, type JsonObject, presentSdJwt } from '@tessera/shared';
import { type Database, nodeCrypto, openDatabase } from '@tessera/shared/node';
import { describePostgres } from '@tessera/shared/node/testing';
import { createPresentationVerifier, parseTrustList, type TrustList } from '@tessera/verifier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATUS_LIST_ID } from '../app/issuer-context.ts';
import { permitTenant, startTestIssuer, type TestIssuer } from '../app/test-issuer.ts';
import { RESIDENCE_PERMIT_CLAIMS } from '../credential-types/test-types.ts';
import { createCredentialOffer, PRE_AUTHORIZED_GRANT } from './credential-offer.ts';
import {
  fetchOffer,
  getJson,
  type HolderKey,
  holderDidJwk,
  newHolderKey,
  postForm,
  postJson,
  preAuthorizedCode,
  proofJwt,
  receive,
} from './test-wallet.ts';

const PERMIT_VCT = 'https://tessera.example/credentials/residence-permit';
const PERMIT_CLAIMS = { ...RESIDENCE_PERMIT_CLAIMS, given_name: 'Amina-SECRET' };

interface Running extends TestIssuer {
  trust: TrustList;
}

/** The issuer service on 127.0.0.1 over `database`, with a did:web, a did:jwk and an x5c tenant. */
async function startIssuer(database: Database): Promise<Running> {
  const started = await startTestIssuer(database, {
    batchSize: 3,
    tenants: [
      permitTenant(
        'bologna',
        {
          en: 'City of Bologna — Immigration Office',
          it: 'Comune di Bologna — Ufficio Immigrazione',
          ar: 'بلدية بولونيا',
        },
        { didMethod: 'web' },
      ),
      permitTenant('local', { en: 'Local test issuer' }, { didMethod: 'jwk' }),
      permitTenant('caritas', { en: 'Caritas Language School' }, { keySource: 'x5c' }),
    ],
  });
  const { origin } = started;
  const trust = parseTrustList({
    version: 1,
    issuers: [
      { id: await started.did('bologna'), name: { en: 'City of Bologna' }, credentialTypes: [PERMIT_VCT] },
      { id: await started.did('local'), name: { en: 'Local' }, credentialTypes: [PERMIT_VCT] },
      {
        id: `${origin}/tenants/caritas`,
        name: { en: 'Caritas' },
        credentialTypes: [PERMIT_VCT],
        x509TrustAnchors: [started.developmentCa?.certificatePem as string],
      },
    ],
  });
  return { ...started, trust };
}

async function offer(running: Running, tenantId = 'bologna', pin = true) {
  return createCredentialOffer(running.issuer.context, {
    tenantId,
    typeId: 'residence_permit',
    claims: PERMIT_CLAIMS,
    pin,
    createdBy: 'staff-1',
  });
}

async function presentAndVerify(
  running: Running,
  credential: string,
  key: HolderKey,
  verifier = createPresentationVerifier(verifierConfig(running)),
) {
  const presentation = await presentSdJwt(credential, {
    disclose: [['residence_status']],
    crypto: nodeCrypto,
    keyBinding: { signingKey: key.signingKey, audience: 'x509_hash:desk', nonce: 'n-1' },
  });
  return verifier.verify(presentation, { nonce: 'n-1', audience: 'x509_hash:desk' });
}

function verifierConfig(running: Running) {
  return { trust: running.trust, fetchPolicy: { allowInsecureLocalhost: true, timeoutMs: 3000 }, crypto: nodeCrypto };
}

function issuanceSuite(name: string, open: () => Promise<Database>) {
  describe(name, () => {
    let running: Running;
    let database: Database;
    beforeAll(async () => {
      database = await open();
      running = await startIssuer(database);
    }, 60_000);
    afterAll(async () => {
      await running?.close();
      await database?.close();
    });

    it('offer → token with PIN → nonce → three instances in one batch → each verifies, and shares nothing linkable', async () => {
      const created = await offer(running);
      expect(created.pin).toMatch(/^\d{6}$/);
      expect(created.link).toMatch(/^openid-credential-offer:\/\/\?credential_offer_uri=/);
      const keys = await Promise.all([newHolderKey(), newHolderKey(), newHolderKey()]);
      const { credentials, offer: fetched } = await receive(created.link, { pin: created.pin as string, keys });
      expect(fetched).toMatchObject({
        credential_issuer: `${running.origin}/tenants/bologna`,
        credential_configuration_ids: ['residence_permit', 'residence_permit_jwt_vc_json'],
        grants: { [PRE_AUTHORIZED_GRANT]: { tx_code: { input_mode: 'numeric', length: 6 } } },
      });
      expect(credentials).toHaveLength(3);
      // vct#integrity matches the type metadata document as the issuer serves it.
      const served = await fetch(`${running.origin}/types/residence_permit`);
      const digest = createHash('sha256')
        .update(Buffer.from(await served.arrayBuffer()))
        .digest('base64');
      const firstPayload = decodeJws(credentials[0]?.split('~')[0] as string).payload;
      expect(firstPayload['vct#integrity']).toBe(`sha256-${digest}`);

      const payloads = credentials.map((credential) => decodeJws(credential.split('~')[0] as string).payload);
      const indices = payloads.map((payload) => ((payload.status as JsonObject).status_list as JsonObject).idx);
      expect(new Set(indices).size).toBe(3);
      expect(new Set(payloads.map((payload) => JSON.stringify(payload.cnf))).size).toBe(3);
      // Distinct salts: no disclosure appears in two instances.
      const disclosures = credentials.flatMap((credential) => credential.split('~').slice(1, -1));
      expect(new Set(disclosures).size).toBe(disclosures.length);

      for (const [position, credential] of credentials.entries()) {
        const result = await presentAndVerify(running, credential, keys[position] as HolderKey);
        expect(result).toMatchObject({
          vct: PERMIT_VCT,
          claims: { residence_status: 'lawfully_resident' },
          status: { status: 'valid' },
        });
        expect(JSON.stringify(result.claims)).not.toContain('SECRET');
      }
      // Data minimisation: the claim values are gone from the issuer once issued.
      expect(await running.issuer.context.store.getOfferClaims('bologna', created.offerId)).toBeUndefined();
      const records = (await running.issuer.context.store.listIssuances('bologna')).items.filter(
        (r) => r.offerId === created.offerId,
      );
      expect(records).toHaveLength(3);
      expect(records.every((record) => record.claims === undefined && record.issuedBy === 'staff-1')).toBe(true);
    });

    it('revocation: the verifier sees it on the next status fetch', async () => {
      const created = await offer(running);
      const key = await newHolderKey();
      const [credential] = (await receive(created.link, { pin: created.pin as string, keys: [key] })).credentials;
      expect((await presentAndVerify(running, credential as string, key)).status).toMatchObject({ status: 'valid' });
      const [record] = (await running.issuer.context.store.listIssuances('bologna')).items.filter(
        (r) => r.offerId === created.offerId,
      );
      expect(await running.issuer.context.store.setStatus('bologna', STATUS_LIST_ID, record?.statusIndex as number, 1)).toBe(
        true,
      );
      await expect(presentAndVerify(running, credential as string, key)).rejects.toMatchObject({ code: 'credential_revoked' });
    });

    it('did:jwk and x5c tenants issue credentials that verify the same way', async () => {
      for (const tenantId of ['local', 'caritas']) {
        const created = await offer(running, tenantId, false);
        const key = await newHolderKey();
        const [credential] = (await receive(created.link, { keys: [key] })).credentials;
        const header = decodeJws((credential as string).split('~')[0] as string).header;
        if (tenantId === 'caritas') expect(Array.isArray(header.x5c) && header.kid === undefined).toBe(true);
        else expect(String(header.kid)).toMatch(/^did:jwk:.+#0$/);
        expect((await presentAndVerify(running, credential as string, key)).status).toMatchObject({ status: 'valid' });
      }
    });

    it('redeems a code at most once under concurrency', async () => {
      const created = await offer(running, 'bologna', false);
      const code = preAuthorizedCode(await fetchOffer(created.link));
      const answers = await Promise.all(
        Array.from({ length: 10 }, () =>
          postForm(`${running.origin}/tenants/bologna/token`, { grant_type: PRE_AUTHORIZED_GRANT, 'pre-authorized_code': code }),
        ),
      );
      expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
      expect(answers.filter((answer) => answer.body.error === 'invalid_grant')).toHaveLength(9);
    });
  });
}

issuanceSuite('OpenID4VCI issuance on PGlite', () => openDatabase({ kind: 'pglite' }));
describePostgres('OpenID4VCI issuance on PostgreSQL', (connect) => {
  issuanceSuite('with the same behaviour', async () => (await connect()).openAnother());
});

describe('OpenID4VCI endpoints refuse what they must', () => {
  let running: Running;
  let database: Database;
  const url = (path: string) => `${running.origin}${path}`;
  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite' });
    running = await startIssuer(database);
  }, 60_000);
  afterAll(async () => {
    await running?.close();
    await database?.close();
  });

  /** A redeemed offer's access token and a fresh nonce. */
  async function tokenAndNonce() {
    const created = await offer(running, 'bologna', false);
    const code = preAuthorizedCode(await fetchOffer(created.link));
    const token = await postForm(url('/tenants/bologna/token'), {
      grant_type: PRE_AUTHORIZED_GRANT,
      'pre-authorized_code': code,
    });
    const nonce = String((await postJson(url('/tenants/bologna/nonce'), {})).body.c_nonce);
    return { accessToken: String(token.body.access_token), nonce, offerId: created.offerId };
  }
  const credentialRequest = (accessToken: string, body: unknown) =>
    postJson(url('/tenants/bologna/credential'), body, { authorization: `Bearer ${accessToken}` });
  const audience = () => url('/tenants/bologna');

  it('publishes metadata in the 1.0 shape, in the languages asked for', async () => {
    const metadata = await getJson(url('/.well-known/openid-credential-issuer/tenants/bologna'), {
      'accept-language': 'ar, en;q=0.5',
    });
    expect(metadata.status).toBe(200);
    expect(metadata.headers.get('content-language')).toBe('ar, en');
    expect(metadata.body).toMatchObject({
      credential_issuer: audience(),
      credential_endpoint: url('/tenants/bologna/credential'),
      nonce_endpoint: url('/tenants/bologna/nonce'),
      batch_credential_issuance: { batch_size: 3 },
    });
    const configuration = (metadata.body.credential_configurations_supported as JsonObject).residence_permit as JsonObject;
    expect(configuration).toMatchObject({ format: 'dc+sd-jwt', vct: PERMIT_VCT, proof_types_supported: { jwt: {} } });
    const locales = ((configuration.credential_metadata as JsonObject).display as JsonObject[]).map((entry) => entry.locale);
    expect(locales.sort()).toEqual(['ar', 'en']);
    expect(metadata.body.display).toEqual([
      { name: 'City of Bologna — Immigration Office', locale: 'en' },
      { name: 'بلدية بولونيا', locale: 'ar' },
    ]);
    // A language the issuer's name lacks still gets a name: all of them.
    const tigrinya = await getJson(url('/.well-known/openid-credential-issuer/tenants/bologna'), { 'accept-language': 'ti' });
    expect((tigrinya.body.display as JsonObject[]).map(({ locale }) => locale).sort()).toEqual(['ar', 'en', 'it']);
    const as = await getJson(url('/.well-known/oauth-authorization-server/tenants/bologna'));
    expect(as.body).toMatchObject({
      issuer: audience(),
      token_endpoint: url('/tenants/bologna/token'),
      'pre-authorized_grant_anonymous_access_supported': true,
    });
    expect((await getJson(url('/.well-known/openid-credential-issuer/tenants/nobody'))).status).toBe(404);
  });

  it('serves the did:web document, type metadata and the status list with caching headers', async () => {
    const did = await getJson(url('/tenants/bologna/did.json'));
    expect(did.body.id).toBe((await running.issuer.context.keyring.identity('bologna')).did);
    expect((await getJson(url('/tenants/local/did.json'))).status).toBe(404);
    const type = await getJson(url('/types/residence_permit'));
    expect(type.body.vct).toBe(PERMIT_VCT);
    const status = await fetch(url(`/tenants/bologna/status/${STATUS_LIST_ID}`));
    expect(status.headers.get('content-type')).toBe('application/statuslist+jwt');
    expect(status.headers.get('cache-control')).toBe('public, max-age=3600');
    const etag = String(status.headers.get('etag'));
    expect((await fetch(url(`/tenants/bologna/status/${STATUS_LIST_ID}`), { headers: { 'if-none-match': etag } })).status).toBe(
      304,
    );
    expect((await fetch(url('/tenants/bologna/status/other'))).status).toBe(404);
  });

  it('token endpoint: wrong PIN counts down and burns the code; missing or unexpected PIN; reuse; grant type; body shape', async () => {
    const created = await offer(running);
    const code = preAuthorizedCode(await fetchOffer(created.link));
    const token = (form: Record<string, string>) => postForm(url('/tenants/bologna/token'), form);
    const grant = { grant_type: PRE_AUTHORIZED_GRANT, 'pre-authorized_code': code };
    expect((await token(grant)).body.error).toBe('invalid_request');
    const wrong = created.pin === '000000' ? '111111' : '000000';
    for (let attempt = 1; attempt <= 5; attempt++) {
      const answer = await token({ ...grant, tx_code: wrong });
      expect(answer).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    }
    // Burned: even the right PIN is refused now.
    expect((await token({ ...grant, tx_code: created.pin as string })).body.error).toBe('invalid_grant');
    const noPin = await offer(running, 'bologna', false);
    const noPinCode = preAuthorizedCode(await fetchOffer(noPin.link));
    expect(
      (await token({ grant_type: PRE_AUTHORIZED_GRANT, 'pre-authorized_code': noPinCode, tx_code: '123456' })).body.error,
    ).toBe('invalid_request');
    expect((await token({ grant_type: PRE_AUTHORIZED_GRANT, 'pre-authorized_code': noPinCode })).status).toBe(200);
    expect((await token({ grant_type: PRE_AUTHORIZED_GRANT, 'pre-authorized_code': noPinCode })).body.error).toBe(
      'invalid_grant',
    );
    expect((await token({ grant_type: 'authorization_code', code: 'x' })).body.error).toBe('unsupported_grant_type');
    expect((await postJson(url('/tenants/bologna/token'), grant)).body.error).toBe('invalid_request');
    const repeated = await fetch(url('/tenants/bologna/token'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=${encodeURIComponent(PRE_AUTHORIZED_GRANT)}&pre-authorized_code=a&pre-authorized_code=b`,
    });
    expect(repeated.status).toBe(400);
  });

  it('credential endpoint: no token, a bad token', async () => {
    const none = await postJson(url('/tenants/bologna/credential'), {});
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const bad = await credentialRequest('not-a-token', {});
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
  });

  it.each<[string, (k: HolderKey, n: string) => Promise<unknown>, string]>([
    ['a proof for another issuer', (k, n) => proofJwt(k, { audience: 'https://elsewhere.example', nonce: n }), 'invalid_proof'],
    [
      'a proof with another typ',
      (k, n) => proofJwt(k, { audience: audience(), nonce: n }, { header: { typ: 'JWT' } }),
      'invalid_proof',
    ],
    [
      'a stale proof',
      (k, n) => proofJwt(k, { audience: audience(), nonce: n }, { payload: { iat: Math.floor(Date.now() / 1000) - 3600 } }),
      'invalid_proof',
    ],
    [
      'a proof whose jwk carries a private key',
      (k, n) => proofJwt(k, { audience: audience(), nonce: n }, { header: { jwk: { ...k.publicJwk, d: 'AAAA' } } }),
      'invalid_proof',
    ],
    [
      'a proof with a kid instead of a jwk',
      (k, n) => proofJwt(k, { audience: audience(), nonce: n }, { header: { kid: 'did:example:1#0' } }),
      'invalid_proof',
    ],
    [
      'a did:jwk kid for a configuration bound to a jwk (dc+sd-jwt has no DID to name)',
      (k, n) => proofJwt(k, { audience: audience(), nonce: n }, { omitJwk: true, header: { kid: `${holderDidJwk(k)}#0` } }),
      'invalid_proof',
    ],
    ['a proof without nonce', (k) => proofJwt(k, { audience: audience(), nonce: '' }), 'invalid_proof'],
    ['a proof with an unknown nonce', (k) => proofJwt(k, { audience: audience(), nonce: 'never-issued' }), 'invalid_nonce'],
    ['a proof that is not a JWT', async () => 'garbage', 'invalid_proof'],
    [
      'a proof signed by another key than its jwk',
      async (k, n) => {
        const other = await newHolderKey();
        return proofJwt({ publicJwk: k.publicJwk, signingKey: other.signingKey }, { audience: audience(), nonce: n });
      },
      'invalid_proof',
    ],
  ])('credential endpoint refuses %s', async (_name, makeProof, error) => {
    const { accessToken, nonce, offerId } = await tokenAndNonce();
    const answer = await credentialRequest(accessToken, {
      credential_configuration_id: 'residence_permit',
      proofs: { jwt: [await makeProof(await newHolderKey(), nonce)] },
    });
    expect(answer).toMatchObject({ status: 400, body: { error } });
    if (error === 'invalid_nonce') expect(typeof answer.body.c_nonce).toBe('string');
    expect(JSON.stringify(answer.body)).not.toContain('SECRET');
    // Nothing was issued: the offer can still be completed.
    expect(await running.issuer.context.store.getOfferClaims('bologna', offerId)).toBeDefined();
  });

  it('credential endpoint: nonce single use, one key per instance, batch size, configuration, request shape, replay', async () => {
    const { accessToken, nonce } = await tokenAndNonce();
    const key = await newHolderKey();
    const proof = await proofJwt(key, { audience: audience(), nonce });
    const request = (body: unknown) => credentialRequest(accessToken, body);
    expect((await request({ credential_configuration_id: 'residence_permit', proofs: { jwt: [proof, proof] } })).body.error).toBe(
      'invalid_proof',
    );
    const fresh = async () => String((await postJson(url('/tenants/bologna/nonce'), {})).body.c_nonce);
    const n2 = await fresh();
    const four = await Promise.all(
      Array.from({ length: 4 }, async () => proofJwt(await newHolderKey(), { audience: audience(), nonce: n2 })),
    );
    expect((await request({ credential_configuration_id: 'residence_permit', proofs: { jwt: four } })).body.error).toBe(
      'invalid_proof',
    );
    expect((await request({ credential_configuration_id: 'passport', proofs: { jwt: [proof] } })).body.error).toBe(
      'unknown_credential_configuration',
    );
    expect((await request({ credential_identifier: 'x', proofs: { jwt: [proof] } })).body.error).toBe(
      'invalid_credential_request',
    );
    expect((await request({ credential_configuration_id: 'residence_permit' })).body.error).toBe('invalid_proof');
    expect((await request({ credential_configuration_id: 'residence_permit', proofs: { ldp_vp: [] } })).body.error).toBe(
      'invalid_proof',
    );
    expect((await request('{"credential_configuration_id":')).status).toBe(400);
    expect((await request('x'.repeat(300 * 1024))).status).toBe(413);

    const n3 = await fresh();
    const ok = await request({
      credential_configuration_id: 'residence_permit',
      proofs: { jwt: [await proofJwt(key, { audience: audience(), nonce: n3 })] },
    });
    expect(ok.status).toBe(200);
    // The nonce was consumed; and the offer is issued, so a second request is denied even with a fresh nonce.
    const again = await request({
      credential_configuration_id: 'residence_permit',
      proofs: { jwt: [await proofJwt(key, { audience: audience(), nonce: n3 })] },
    });
    expect(again.body.error).toBe('invalid_nonce');
    const n4 = await fresh();
    const replay = await request({
      credential_configuration_id: 'residence_permit',
      proofs: { jwt: [await proofJwt(key, { audience: audience(), nonce: n4 })] },
    });
    expect(replay.body.error).toBe('credential_request_denied');
  });

  it('answers unknown routes and methods with JSON, and CORS only on wallet endpoints', async () => {
    const missing = await getJson(url('/nothing-here'));
    expect(missing).toMatchObject({ status: 404, body: { error: 'not_found' } });
    const preflight = await fetch(url('/tenants/bologna/token'), { method: 'OPTIONS' });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(missing.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
