import { permitTenant, RESIDENCE_PERMIT_CLAIMS, startTestIssuer, type TestIssuer } from '@tessera/issuer/testing';
import { decodeBase64Url, decodeJws, encodeBase64Url, isTesseraError, type JsonObject } from '@tessera/shared';
import { type Database, openDatabase } from '@tessera/shared/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestProfile, fileBackend, type TestBackend } from '../node/test-wallets.ts';
import type { Wallet } from '../wallet/wallet.ts';
import { type ReceivedJwtVcRecord, type ReceiveOptions, receiveCredential } from './receive-credential.ts';
import { alteringFetch, expectNothingStored } from './test-receive.ts';
import type { ReceiveTrust } from './verify-received.ts';

const W3C_CONFIGURATION = 'residence_permit_jwt_vc_json';
const W3C_TYPE = 'ResidencePermitCredential';
const PERMIT_VCT = 'https://tessera.example/credentials/residence-permit';
const PERMIT_CLAIMS = { ...RESIDENCE_PERMIT_CLAIMS, given_name: 'Amina-SECRET' };

/** did:jwk of a public key as the issuer derives it from the proof (RFC 7638 members, in order). */
const didJwkOf = (jwk: JsonObject): string =>
  `did:jwk:${encodeBase64Url(new TextEncoder().encode(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })))}`;

describe('receiveCredential for jwt_vc_json against the issuer app on 127.0.0.1', () => {
  let running: TestIssuer;
  let database: Database;
  let backend: TestBackend;
  let wallet: Wallet;
  let trust: ReceiveTrust;
  let bologna: string;
  let profileNumber = 0;

  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite' });
    running = await startTestIssuer(database, {
      batchSize: 3,
      tenants: [
        permitTenant('bologna', { en: 'City of Bologna', it: 'Comune di Bologna' }, { didMethod: 'web' }),
        permitTenant('local', { en: 'Local test issuer' }, { didMethod: 'jwk' }),
      ],
    });
    bologna = await running.did('bologna');
    trust = {
      issuers: [
        { id: bologna, credentialTypes: [PERMIT_VCT, W3C_TYPE] },
        { id: await running.did('local'), credentialTypes: [PERMIT_VCT, W3C_TYPE] },
      ],
    };
  }, 60_000);
  afterAll(async () => {
    await running?.close();
    await database?.close();
  });
  beforeEach(async () => {
    backend = await fileBackend();
    wallet = await createTestProfile(backend, `amina-w3c-${++profileNumber}`);
  });
  afterEach(async () => {
    wallet.lock();
    await backend.dispose();
  });

  const offer = (tenantId = 'bologna') => running.offer(tenantId, { claims: PERMIT_CLAIMS, pin: false });
  const options = (extra: Partial<ReceiveOptions> = {}): ReceiveOptions => ({
    trust,
    allowInsecureLocalhost: true,
    configurationId: W3C_CONFIGURATION,
    ...extra,
  });

  it('receives a batch of W3C VCs, each bound to the did:jwk of its own key, in the one record type', async () => {
    const created = await offer();
    const result = await receiveCredential(wallet, created.link, options());
    expect(result).toMatchObject({
      format: 'jwt_vc_json',
      configurationId: W3C_CONFIGURATION,
      types: ['VerifiableCredential', W3C_TYPE],
      issuer: bologna,
      issuerTrusted: true,
    });
    expect(result.credentialIds).toHaveLength(3);
    const keys = await wallet.keys.list();
    const records = await wallet.records.list('credential');
    expect(records).toHaveLength(3);
    for (const record of records) {
      const value = record.value as ReceivedJwtVcRecord;
      const key = keys.find((candidate) => candidate.id === value.keyId);
      const holderDid = didJwkOf(key?.publicJwk as JsonObject);
      expect(value).toMatchObject({
        format: 'jwt_vc_json',
        configurationId: W3C_CONFIGURATION,
        types: ['VerifiableCredential', W3C_TYPE],
        holderDid,
        issuer: bologna,
        issuerTrusted: true,
      });
      const { payload } = decodeJws(value.jwt);
      expect(payload.sub).toBe(holderDid);
      expect(value.expiresAt).toBe((payload.exp as number) * 1000);
      // Display data for the W3C configuration: its claims live under credentialSubject.
      expect(value.display.issuer.map((entry) => entry.locale).sort()).toEqual(['en', 'it']);
      expect(value.display.claims[0]?.path).toEqual(expect.arrayContaining(['credentialSubject']));
    }
    expect(new Set(records.map((record) => (record.value as ReceivedJwtVcRecord).holderDid)).size).toBe(3);
    const history = await wallet.history.list();
    expect(history).toHaveLength(1);
    expect(history[0]?.details).toMatchObject({ format: 'jwt_vc_json', types: ['VerifiableCredential', W3C_TYPE] });
    expect(JSON.stringify(history)).not.toContain('SECRET');
  });

  it('still takes the SD-JWT VC of an offer that has both, unless the W3C configuration is asked for', async () => {
    const created = await offer('local');
    const result = await receiveCredential(wallet, created.link, { trust, allowInsecureLocalhost: true, instances: 1 });
    expect(result).toMatchObject({ format: 'dc+sd-jwt', vct: PERMIT_VCT, configurationId: 'residence_permit' });
  });

  it('refuses a W3C VC altered on its way, with its cause, and keeps nothing of the batch', async () => {
    const tamper = alteringFetch(/\/credential$/, (body) => {
      const entry = (body.credentials as JsonObject[])[1] as JsonObject;
      const [header, payload, signature] = String(entry.credential).split('.');
      const claims = JSON.parse(new TextDecoder().decode(decodeBase64Url(payload as string))) as JsonObject;
      ((claims.vc as JsonObject).credentialSubject as JsonObject).residence_status = 'expelled';
      entry.credential = `${header}.${encodeBase64Url(new TextEncoder().encode(JSON.stringify(claims)))}.${signature}`;
      return body;
    });
    const error = await receiveCredential(wallet, (await offer()).link, options({ fetch: tamper })).catch((e) => e);
    expect(isTesseraError(error, 'credential_rejected')).toBe(true);
    expect(isTesseraError(error.cause, 'invalid_signature')).toBe(true);
    expect(error.message).not.toContain('SECRET');
    await expectNothingStored(wallet);
  });

  it('refuses a W3C VC whose subject is the did:jwk of another instance’s key', async () => {
    const swap = alteringFetch(/\/credential$/, (body) => {
      const credentials = body.credentials as JsonObject[];
      [credentials[0], credentials[1]] = [credentials[1] as JsonObject, credentials[0] as JsonObject];
      return body;
    });
    const error = await receiveCredential(wallet, (await offer()).link, options({ fetch: swap })).catch((e) => e);
    expect(isTesseraError(error, 'credential_rejected')).toBe(true);
    expect(isTesseraError(error.cause, 'w3c_holder_mismatch')).toBe(true);
    await expectNothingStored(wallet);
  });

  it('refuses a W3C VC whose type is not the one the issuer metadata promised', async () => {
    const other = alteringFetch(/openid-credential-issuer/, (body) => {
      const configurations = body.credential_configurations_supported as Record<string, JsonObject>;
      (configurations[W3C_CONFIGURATION] as JsonObject).credential_definition = {
        type: ['VerifiableCredential', 'LanguageCourseCertificateCredential'],
      };
      return body;
    });
    const error = await receiveCredential(wallet, (await offer()).link, options({ fetch: other, instances: 1 })).catch((e) => e);
    expect(isTesseraError(error, 'credential_rejected')).toBe(true);
    expect(isTesseraError(error.cause, 'w3c_invalid')).toBe(true);
    await expectNothingStored(wallet);
  });

  it('refuses a W3C type the trust list does not allow the issuer, and an issuer not on it', async () => {
    const narrow: ReceiveTrust = { issuers: [{ id: bologna, credentialTypes: [PERMIT_VCT] }] };
    await expect(receiveCredential(wallet, (await offer()).link, options({ trust: narrow }))).rejects.toMatchObject({
      code: 'credential_type_not_allowed',
    });
    await expectNothingStored(wallet);
    const elsewhere: ReceiveTrust = { issuers: [{ id: 'did:web:elsewhere.example' }] };
    await expect(receiveCredential(wallet, (await offer()).link, options({ trust: elsewhere }))).rejects.toMatchObject({
      code: 'untrusted_issuer',
    });
    await expectNothingStored(wallet);
  });

  it('refuses a configuration of a format the wallet cannot hold, and one that cannot bind a did:jwk', async () => {
    const ldp = alteringFetch(/openid-credential-issuer/, (body) => {
      const configurations = body.credential_configurations_supported as Record<string, JsonObject>;
      (configurations[W3C_CONFIGURATION] as JsonObject).format = 'ldp_vc';
      return body;
    });
    const created = await offer();
    await expect(receiveCredential(wallet, created.link, options({ fetch: ldp }))).rejects.toMatchObject({
      code: 'offer_invalid',
    });
    const didWebOnly = alteringFetch(/openid-credential-issuer/, (body) => {
      const configurations = body.credential_configurations_supported as Record<string, JsonObject>;
      (configurations[W3C_CONFIGURATION] as JsonObject).cryptographic_binding_methods_supported = ['did:web'];
      return body;
    });
    await expect(receiveCredential(wallet, created.link, options({ fetch: didWebOnly }))).rejects.toMatchObject({
      code: 'offer_invalid',
    });
    await expectNothingStored(wallet);
    // Neither refusal spent the offer: it still gives the W3C credential.
    expect((await receiveCredential(wallet, created.link, options({ instances: 1 }))).format).toBe('jwt_vc_json');
  });
});
