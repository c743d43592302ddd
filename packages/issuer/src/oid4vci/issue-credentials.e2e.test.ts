/**
 * A credential never outlives the document it shows: the residence permit's own `valid_until`
 * bounds `exp` in both formats, over real HTTP on 127.0.0.1 with the issuer app on PGlite and a
 * frozen clock (the app, its store and its keyring share it), so midnight UTC can be crossed
 * between an offer and its redemption.
 */
import { decodeJws, isTesseraError, type JsonObject } from '@tessera/shared';
import { type Database, openDatabase } from '@tessera/shared/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permitTenant, startTestIssuer, type TestIssuer } from '../app/test-issuer.ts';
import { RESIDENCE_PERMIT_CLAIMS } from '../credential-types/test-types.ts';
import { createCredentialOffer, PRE_AUTHORIZED_GRANT } from './credential-offer.ts';
import {
  fetchOffer,
  getJson,
  type HolderKey,
  type HttpAnswer,
  newHolderKey,
  postForm,
  postJson,
  preAuthorizedCode,
  proofJwt,
} from './test-wallet.ts';

const SECRET_NAME = 'Amina-SECRET';
const W3C_CONFIGURATION = 'residence_permit_jwt_vc_json';
const YEAR = 365 * 86_400;
const seconds = (milliseconds: number): number => Math.floor(milliseconds / 1000);

describe('issuing a residence permit whose valid_until comes before the credential would expire', () => {
  let running: TestIssuer;
  let database: Database;
  /** The issuer's frozen clock, in milliseconds; each test sets it. */
  let now = Date.UTC(2026, 10, 27, 15);

  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite' });
    running = await startTestIssuer(database, {
      batchSize: 2,
      tenants: [permitTenant('bologna', { en: 'City of Bologna' }, { didMethod: 'jwk' })],
      clock: () => now,
    });
  }, 60_000);
  afterAll(async () => {
    await running?.close();
    await database?.close();
  });

  const offer = (validUntil: string) =>
    createCredentialOffer(running.issuer.context, {
      tenantId: 'bologna',
      typeId: 'residence_permit',
      claims: { ...RESIDENCE_PERMIT_CLAIMS, given_name: SECRET_NAME, valid_until: validUntil },
      pin: false,
      createdBy: 'staff-1',
    });

  /** Token for the offer's pre-authorized code, at the issuer's current time. */
  async function redeem(link: string): Promise<{ issuer: string; metadata: JsonObject; accessToken: string }> {
    const fetched = await fetchOffer(link);
    const issuer = String(fetched.credential_issuer);
    const origin = new URL(issuer).origin;
    const metadata = (await getJson(issuer.replace(origin, `${origin}/.well-known/openid-credential-issuer`))).body;
    const server = (await getJson(issuer.replace(origin, `${origin}/.well-known/oauth-authorization-server`))).body;
    const token = await postForm(String(server.token_endpoint), {
      grant_type: PRE_AUTHORIZED_GRANT,
      'pre-authorized_code': preAuthorizedCode(fetched),
    });
    expect(token.status).toBe(200);
    return { issuer, metadata, accessToken: String(token.body.access_token) };
  }

  /** Nonce, one proof per key dated by the issuer's clock, and the credential request. */
  async function request(
    redeemed: Awaited<ReturnType<typeof redeem>>,
    configurationId: string,
    keys: readonly HolderKey[],
  ): Promise<HttpAnswer> {
    const nonce = String((await postJson(String(redeemed.metadata.nonce_endpoint), {})).body.c_nonce);
    const proofs = await Promise.all(
      keys.map((key) => proofJwt(key, { audience: redeemed.issuer, nonce }, { payload: { iat: seconds(now) } })),
    );
    return postJson(
      String(redeemed.metadata.credential_endpoint),
      { credential_configuration_id: configurationId, proofs: { jwt: proofs } },
      { authorization: `Bearer ${redeemed.accessToken}` },
    );
  }

  /** The signed payloads of the credentials an answer carries (the issuer-signed JWT of each). */
  function payloadsOf(answer: HttpAnswer): JsonObject[] {
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return (answer.body.credentials as JsonObject[]).map(
      ({ credential }) => decodeJws(String(credential).split('~')[0] as string).payload,
    );
  }

  it('ends every dc+sd-jwt instance at 00:00 UTC after the valid_until day, not 365 days after issuance', async () => {
    now = Date.UTC(2026, 10, 27, 15);
    const created = await offer('2027-06-30');
    const payloads = payloadsOf(
      await request(await redeem(created.link), 'residence_permit', [await newHolderKey(), await newHolderKey()]),
    );
    expect(payloads).toHaveLength(2);
    for (const payload of payloads) {
      expect(payload.iat).toBe(seconds(now));
      expect(payload.exp).toBe(Date.UTC(2027, 6, 1) / 1000);
      expect(payload.exp).toBeLessThan(seconds(now) + YEAR);
    }
  });

  it('ends a jwt_vc_json credential at the same instant, as exp and as expirationDate', async () => {
    now = Date.UTC(2026, 10, 27, 15);
    const created = await offer('2027-06-30');
    const [payload] = payloadsOf(await request(await redeem(created.link), W3C_CONFIGURATION, [await newHolderKey()]));
    const vc = payload?.vc as JsonObject;
    expect(payload?.nbf).toBe(seconds(now));
    expect(payload?.exp).toBe(Date.UTC(2027, 6, 1) / 1000);
    // VCDM 1.1 §6.3.1: the JWT encoding moves expirationDate into exp (Veramo drops the copy); a
    // verifier rebuilds it from exp, so the two can only agree. Should a copy stay, it must match.
    expect([undefined, '2027-07-01T00:00:00Z']).toContain(vc.expirationDate);
    expect((vc.credentialSubject as JsonObject).valid_until).toBe('2027-06-30');
  });

  it('keeps 365 days after issuance in both formats when valid_until ends later', async () => {
    now = Date.UTC(2026, 10, 27, 15);
    for (const configurationId of ['residence_permit', W3C_CONFIGURATION]) {
      const created = await offer('2030-01-31');
      const [payload] = payloadsOf(await request(await redeem(created.link), configurationId, [await newHolderKey()]));
      expect(payload?.exp, configurationId).toBe(seconds(now) + YEAR);
    }
  });

  it('issues on the last minutes of the valid_until day a credential that ends at midnight UTC', async () => {
    now = Date.UTC(2026, 10, 27, 23, 55);
    const created = await offer('2026-11-27');
    const [payload] = payloadsOf(await request(await redeem(created.link), 'residence_permit', [await newHolderKey()]));
    expect(payload?.exp).toBe(Date.UTC(2026, 10, 28) / 1000);
  });

  it('refuses with credential_request_denied when the valid_until day ended between offer and request', async () => {
    now = Date.UTC(2026, 10, 27, 23, 58);
    const created = await offer('2026-11-27');
    now = Date.UTC(2026, 10, 27, 23, 59);
    const redeemed = await redeem(created.link);
    // Past midnight UTC, within the access token's and the offer's lifetimes.
    now = Date.UTC(2026, 10, 28, 0, 1);
    for (const configurationId of ['residence_permit', W3C_CONFIGURATION]) {
      const answer = await request(redeemed, configurationId, [await newHolderKey()]);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toBe('credential_request_denied');
      expect(String(answer.body.error_description)).toMatch(/valid_until.*born expired/);
      expect(JSON.stringify(answer.body)).not.toContain('2026-11-27');
      expect(JSON.stringify(answer.body)).not.toContain(SECRET_NAME);
    }
    expect(await running.issuer.context.store.listIssuancesOfOffer('bologna', created.offerId)).toEqual([]);
  });

  it('refuses to make an offer whose valid_until day is over, naming the claim only', async () => {
    now = Date.UTC(2026, 10, 28, 0, 0);
    const refused = await offer('2026-11-27').then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(isTesseraError(refused, 'claims_invalid')).toBe(true);
    expect((refused as Error).message).toBe('Claim "valid_until" names a day that is over: the credential would be born expired');
    expect((await offer('2026-11-28')).offerId).toMatch(/./);
  });
});
