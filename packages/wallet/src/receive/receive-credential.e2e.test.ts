import { permitTenant, RESIDENCE_PERMIT_CLAIMS, startTestIssuer, type TestIssuer } from '@tessera/issuer/testing';
import { decodeBase64Url, decodeJws, encodeBase64Url, isTesseraError, type JsonObject } from '@tessera/shared';
import { type Database, openDatabase } from '@tessera/shared/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestProfile, fileBackend, TEST_PASSPHRASE, type TestBackend } from '../node/test-wallets.ts';
import { openProfile } from '../wallet/profiles.ts';
import type { Wallet } from '../wallet/wallet.ts';
import {
  type ReceivedCredentialRecord,
  type ReceivedSdJwtVcRecord,
  type ReceiveOptions,
  receiveCredential,
} from './receive-credential.ts';
import { alteringFetch, expectNothingStored, wrongPin } from './test-receive.ts';
import type { ReceiveTrust } from './verify-received.ts';

const PERMIT_VCT = 'https://tessera.example/credentials/residence-permit';
const PERMIT_CLAIMS = { ...RESIDENCE_PERMIT_CLAIMS, given_name: 'Amina-SECRET' };

interface Running extends TestIssuer {
  dids: { bologna: string; local: string };
}

/** A did:web tenant with PINs and batches, a did:jwk tenant, and an x5c tenant. */
async function startIssuer(database: Database): Promise<Running> {
  const started = await startTestIssuer(database, {
    batchSize: 3,
    tenants: [
      permitTenant('bologna', { en: 'City of Bologna', it: 'Comune di Bologna', ar: 'بلدية بولونيا' }, { didMethod: 'web' }),
      permitTenant('local', { en: 'Local test issuer' }, { didMethod: 'jwk' }),
      permitTenant('caritas', { en: 'Caritas' }, { keySource: 'x5c' }),
    ],
  });
  return { ...started, dids: { bologna: await started.did('bologna'), local: await started.did('local') } };
}

describe('receiveCredential against the issuer app on 127.0.0.1', () => {
  let running: Running;
  let database: Database;
  let backend: TestBackend;
  let wallet: Wallet;
  let trust: ReceiveTrust;
  let profileNumber = 0;

  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite' });
    running = await startIssuer(database);
    trust = {
      issuers: [
        { id: running.dids.bologna, credentialTypes: [PERMIT_VCT] },
        { id: running.dids.local, credentialTypes: [PERMIT_VCT] },
      ],
    };
  }, 60_000);
  afterAll(async () => {
    await running?.close();
    await database?.close();
  });
  beforeEach(async () => {
    backend = await fileBackend();
    wallet = await createTestProfile(backend, `amina-${++profileNumber}`);
  });
  afterEach(async () => {
    wallet.lock();
    await backend.dispose();
  });

  const offer = (tenantId = 'bologna', pin = true) => running.offer(tenantId, { claims: PERMIT_CLAIMS, pin });
  const options = (extra: Partial<ReceiveOptions> = {}): ReceiveOptions => ({ trust, allowInsecureLocalhost: true, ...extra });

  it('receives a batch of three with the PIN and stores records, keys, display data and one history entry', async () => {
    const created = await offer();
    const result = await receiveCredential(wallet, created.link, options({ txCode: created.pin as string }));
    expect(result).toMatchObject({
      configurationId: 'residence_permit',
      vct: PERMIT_VCT,
      issuer: running.dids.bologna,
      credentialIssuer: `${running.origin}/tenants/bologna`,
      issuerTrusted: true,
    });
    expect(result.credentialIds).toHaveLength(3);

    const records = await wallet.records.list('credential');
    expect(records.map((record) => record.id).sort()).toEqual([...result.credentialIds].sort());
    const keys = await wallet.keys.list();
    expect(keys).toHaveLength(3);
    const values = records.map((record) => record.value as ReceivedSdJwtVcRecord);
    expect(new Set(values.map((value) => value.keyId))).toEqual(new Set(keys.map((key) => key.id)));
    for (const value of values) {
      const key = keys.find((candidate) => candidate.id === value.keyId);
      const payload = decodeJws(value.sdJwt.split('~')[0] as string).payload;
      // Each instance is bound to its own stored key.
      expect((payload.cnf as JsonObject).jwk).toMatchObject(key?.publicJwk as JsonObject);
      expect(value).toMatchObject({
        format: 'dc+sd-jwt',
        configurationId: 'residence_permit',
        vct: PERMIT_VCT,
        issuerTrusted: true,
      });
      expect(value.expiresAt === null || value.expiresAt > Date.now()).toBe(true);
      // Display data in every language the issuer has, not only one.
      expect(value.display.issuer.map((entry) => entry.locale).sort()).toEqual(['ar', 'en', 'it']);
      expect(value.display.credential.length).toBeGreaterThan(1);
      expect(value.display.claims.length).toBeGreaterThan(0);
    }
    expect(new Set(values.map((value) => value.receiptId)).size).toBe(1);

    const history = await wallet.history.list();
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      event: 'credential_received',
      details: { vct: PERMIT_VCT, issuer: running.dids.bologna, credentialIds: result.credentialIds },
    });
    // The holder's log names the credential, never its claim values.
    expect(JSON.stringify(history)).not.toContain('SECRET');
  });

  it('receives a single instance from a did:jwk issuer, offered by value, without a PIN', async () => {
    const created = await offer('local', false);
    const uri = new URL(created.link).searchParams.get('credential_offer_uri') as string;
    const offerJson = await (await fetch(uri)).json();
    const byValue = `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(offerJson))}`;
    const result = await receiveCredential(wallet, byValue, options({ instances: 1 }));
    expect(result).toMatchObject({ issuer: running.dids.local, issuerTrusted: true });
    expect(result.credentialIds).toHaveLength(1);
    expect(await wallet.keys.list()).toHaveLength(1);
    expect(await wallet.history.list()).toHaveLength(1);
  });

  it('refuses a wrong PIN with the attempts left, stores nothing, and the right PIN still works', async () => {
    const created = await offer();
    const error = await receiveCredential(wallet, created.link, options({ txCode: wrongPin(created.pin as string) })).catch(
      (e) => e,
    );
    expect(isTesseraError(error, 'tx_code_invalid')).toBe(true);
    expect(error.message).toMatch(/\d+ attempts left/);
    await expectNothingStored(wallet);
    const result = await receiveCredential(wallet, created.link, options({ txCode: created.pin as string, instances: 1 }));
    expect(result.credentialIds).toHaveLength(1);
  });

  it('asks for the PIN before spending an attempt when none is given', async () => {
    const created = await offer();
    await expect(receiveCredential(wallet, created.link, options())).rejects.toMatchObject({ code: 'tx_code_required' });
    await expectNothingStored(wallet);
    // The attempt was not spent: the code still redeems with the PIN.
    const result = await receiveCredential(wallet, created.link, options({ txCode: created.pin as string, instances: 1 }));
    expect(result.credentialIds).toHaveLength(1);
  });

  it('refuses a credential altered on its way (issuer signature) and deletes the keys made for it', async () => {
    const created = await offer();
    const tamper = alteringFetch(/\/credential$/, (body) => {
      const credentials = body.credentials as JsonObject[];
      const [jwt, ...rest] = String(credentials[1]?.credential).split('~');
      const [header, payload, signature] = (jwt as string).split('.');
      const claims = JSON.parse(new TextDecoder().decode(decodeBase64Url(payload as string))) as JsonObject;
      claims.iat = (claims.iat as number) + 1;
      const altered = `${header}.${encodeBase64Url(new TextEncoder().encode(JSON.stringify(claims)))}.${signature}`;
      (credentials[1] as JsonObject).credential = [altered, ...rest].join('~');
      return body;
    });
    const error = await receiveCredential(wallet, created.link, options({ txCode: created.pin as string, fetch: tamper })).catch(
      (e) => e,
    );
    expect(isTesseraError(error, 'credential_rejected')).toBe(true);
    expect(isTesseraError(error.cause, 'invalid_signature')).toBe(true);
    // One bad instance spoils the batch: none of the three is kept.
    await expectNothingStored(wallet);
  });

  it('refuses a credential bound to another key than the one the wallet sent', async () => {
    const created = await offer();
    const swap = alteringFetch(/\/credential$/, (body) => {
      const credentials = body.credentials as JsonObject[];
      const first = credentials[0] as JsonObject;
      credentials[0] = credentials[1] as JsonObject;
      credentials[1] = first;
      return body;
    });
    await expect(
      receiveCredential(wallet, created.link, options({ txCode: created.pin as string, fetch: swap })),
    ).rejects.toMatchObject({ code: 'credential_rejected', message: expect.stringContaining('cnf') });
    await expectNothingStored(wallet);
  });

  it('refuses an issuer that is not on the trust list, unless the caller accepts unknown issuers', async () => {
    const created = await offer();
    const onlyLocal: ReceiveTrust = { issuers: [{ id: running.dids.local }] };
    await expect(
      receiveCredential(wallet, created.link, options({ txCode: created.pin as string, trust: onlyLocal })),
    ).rejects.toMatchObject({ code: 'untrusted_issuer' });
    await expectNothingStored(wallet);

    const again = await offer();
    const result = await receiveCredential(
      wallet,
      again.link,
      options({ txCode: again.pin as string, instances: 1, trust: { issuers: [], acceptUnknownIssuers: true } }),
    );
    expect(result.issuerTrusted).toBe(false);
    const records = await wallet.records.list('credential');
    expect(records.map((record) => (record.value as ReceivedCredentialRecord).issuerTrusted)).toEqual([false]);
  });

  it('refuses a credential type the trust list does not allow for the issuer', async () => {
    const created = await offer();
    const narrow: ReceiveTrust = { issuers: [{ id: running.dids.bologna, credentialTypes: ['https://example.org/other'] }] };
    await expect(
      receiveCredential(wallet, created.link, options({ txCode: created.pin as string, trust: narrow })),
    ).rejects.toMatchObject({ code: 'credential_type_not_allowed' });
    await expectNothingStored(wallet);
  });

  it('refuses x5c-signed credentials from an issuer the trust list gives no X.509 anchor', async () => {
    const created = await offer('caritas', false);
    const listed: ReceiveTrust = { issuers: [...trust.issuers, { id: `${running.origin}/tenants/caritas` }] };
    const error = await receiveCredential(wallet, created.link, options({ instances: 1, trust: listed })).catch((e) => e);
    expect(isTesseraError(error, 'untrusted_issuer')).toBe(true);
    expect(error.message).toContain('X.509');
    await expectNothingStored(wallet);
  });

  it('refuses to start on a locked wallet, so the offer is not spent', async () => {
    const created = await offer('bologna', false);
    wallet.lock();
    await expect(receiveCredential(wallet, created.link, options())).rejects.toMatchObject({ code: 'wallet_locked' });
    wallet = await openProfile({
      store: backend.store,
      profile: wallet.profile,
      passphrase: TEST_PASSPHRASE,
      scrypt: backend.scrypt,
    });
    expect((await receiveCredential(wallet, created.link, options({ instances: 2 }))).credentialIds).toHaveLength(2);
  });

  it('refuses issuer metadata that names another credential issuer (OpenID4VCI 1.0 §12.2.2)', async () => {
    const created = await offer('bologna', false);
    const spoof = alteringFetch(/openid-credential-issuer/, (body) => ({ ...body, credential_issuer: 'https://evil.example' }));
    await expect(receiveCredential(wallet, created.link, options({ fetch: spoof }))).rejects.toMatchObject({
      code: 'issuer_metadata_invalid',
    });
    await expectNothingStored(wallet);
  });

  it('refuses plain http issuers unless insecure localhost is allowed', async () => {
    const created = await offer('bologna', false);
    await expect(receiveCredential(wallet, created.link, { trust })).rejects.toMatchObject({ code: 'offer_invalid' });
    await expectNothingStored(wallet);
  });

  it('explains that an offer was used already, and keeps what the first receive stored', async () => {
    const created = await offer('bologna', false);
    await receiveCredential(wallet, created.link, options({ instances: 1 }));
    const error = await receiveCredential(wallet, created.link, options({ instances: 1 })).catch((e) => e);
    expect(isTesseraError(error, 'offer_invalid')).toBe(true);
    expect(error.message).toContain('used already');
    expect(await wallet.records.list('credential')).toHaveLength(1);
  });
});
