/**
 * The detail screen's status check against the real issuer app over HTTP on 127.0.0.1: the
 * credential the library received points at the tenant's Token Status List; staff revoke and
 * suspend it in the issuer's store, and the check says so at once (no HTTP cache). Whatever stops a
 * statement (an untrusted issuer, a server that is gone, a list not signed by the issuer) is
 * "could not check", never "valid".
 */
import { STATUS_LIST_ID } from '@tessera/issuer';
import { permitTenant, startTestIssuer, type TestIssuer } from '@tessera/issuer/testing';
import { decodeJws, type JsonObject } from '@tessera/shared';
import { type Database, openDatabase } from '@tessera/shared/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiveCredential, type Wallet } from '../index.ts';
import { createTestProfile, fileBackend, type TestBackend } from '../node/test-wallets.ts';
import { PERMIT_VCT } from '../present/test-requests.ts';
import { checkCredentialStatus, rememberedStatus, rememberStatus, statusRecordId } from './credential-status.ts';
import { type CredentialCard, credentialCards } from './credential-view.ts';

let database: Database;
let running: TestIssuer;
let backend: TestBackend;
let wallet: Wallet;
let did: string;
let card: CredentialCard;
let index: number;

/** A residence permit offer of the tenant, with a PIN. */
const offer = () => running.offer('bologna');

beforeAll(async () => {
  database = await openDatabase({ kind: 'pglite' });
  running = await startTestIssuer(database, {
    batchSize: 2,
    tenants: [permitTenant('bologna', { en: 'City of Bologna' }, { didMethod: 'jwk' })],
  });
  did = await running.did('bologna');
  backend = await fileBackend();
  wallet = await createTestProfile(backend, 'holder', '493817');
  const created = await offer();
  await receiveCredential(wallet, created.link, {
    trust: trust(),
    txCode: created.pin as string,
    allowInsecureLocalhost: true,
  });
  card = credentialCards(await wallet.records.list('credential'), 'en', Date.now())[0] as CredentialCard;
  const status = decodeJws(card.token.split('~')[0] as string).payload.status as { status_list: JsonObject };
  index = status.status_list.idx as number;
}, 60_000);

afterAll(async () => {
  wallet?.lock();
  await backend?.dispose();
  await running?.close();
  await database?.close();
});

const trust = () => ({ issuers: [{ id: did, credentialTypes: [PERMIT_VCT] }] });
const options = () => ({ trust: trust(), allowInsecureLocalhost: true });

describe('checkCredentialStatus against the real issuer', () => {
  it('reads valid, then revoked and suspended as soon as the issuer changes the list', async () => {
    expect(await checkCredentialStatus(card, options())).toEqual({ state: 'valid' });
    expect(await running.issuer.context.store.setStatus('bologna', STATUS_LIST_ID, index, 2)).toBe(true);
    expect(await checkCredentialStatus(card, options())).toEqual({ state: 'suspended' });
    expect(await running.issuer.context.store.setStatus('bologna', STATUS_LIST_ID, index, 1)).toBe(true);
    expect(await checkCredentialStatus(card, options())).toEqual({ state: 'revoked' });
    expect(await running.issuer.context.store.setStatus('bologna', STATUS_LIST_ID, index, 0)).toBe(true);
  });

  it('fetches only the list the credential names, and only when asked, with no cookie and no cache', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const spy = (url: string, init: RequestInit) => {
      seen.push({ url, init });
      return fetch(url, init);
    };
    await checkCredentialStatus(card, { ...options(), fetch: spy });
    expect(seen.map(({ url }) => url)).toEqual([expect.stringMatching(new RegExp(`^${running.origin}/tenants/bologna/status/`))]);
    expect(seen[0]?.init).toMatchObject({ credentials: 'omit', cache: 'no-store', redirect: 'error' });
  });

  it('says it could not check, never valid, when the issuer is not trusted, the list is not https, or the answer is not the issuer’s list', async () => {
    expect(await checkCredentialStatus(card, { trust: { issuers: [] }, allowInsecureLocalhost: true })).toEqual({
      state: 'unknown',
      reason: 'untrusted_issuer',
    });
    expect(await checkCredentialStatus(card, { trust: trust(), allowInsecureLocalhost: false })).toEqual({
      state: 'unknown',
      reason: 'fetch_blocked',
    });
    // The issuer's real list, altered on its way: its signature no longer holds.
    const swapped = (url: string, init: RequestInit) =>
      fetch(url, init).then(async (response) => {
        const [header, payload, signature] = (await response.text()).split('.');
        const forged = JSON.parse(Buffer.from(payload as string, 'base64url').toString()) as JsonObject;
        forged.iat = (forged.iat as number) + 1;
        const body = [header, Buffer.from(JSON.stringify(forged)).toString('base64url'), signature].join('.');
        return new Response(body, { status: 200, headers: { 'content-type': 'application/statuslist+jwt' } });
      });
    expect(await checkCredentialStatus(card, { ...options(), fetch: swapped })).toEqual({
      state: 'unknown',
      reason: 'invalid_signature',
    });
    const html = () => Promise.resolve(new Response('<html></html>', { status: 200, headers: { 'content-type': 'text/html' } }));
    expect(await checkCredentialStatus(card, { ...options(), fetch: html })).toMatchObject({ state: 'unknown' });
    const offline = () => Promise.reject(new TypeError('Failed to fetch'));
    expect(await checkCredentialStatus(card, { ...options(), fetch: offline })).toMatchObject({ state: 'unknown' });
  });

  it('reads the list a W3C credential (jwt_vc_json) names in its JWT status claim', async () => {
    const created = await offer();
    const received = await receiveCredential(wallet, created.link, {
      trust: { issuers: [{ id: did, credentialTypes: [PERMIT_VCT, 'ResidencePermitCredential'] }] },
      txCode: created.pin as string,
      allowInsecureLocalhost: true,
      configurationId: 'residence_permit_jwt_vc_json',
    });
    const w3c = credentialCards(await wallet.records.list('credential'), 'en', Date.now()).find((candidate) =>
      candidate.recordIds.includes(received.credentialIds[0] as string),
    ) as CredentialCard;
    expect(w3c.format).toBe('jwt_vc_json');
    const w3cTrust = { issuers: [{ id: did, credentialTypes: [PERMIT_VCT, 'ResidencePermitCredential'] }] };
    expect(await checkCredentialStatus(w3c, { trust: w3cTrust, allowInsecureLocalhost: true })).toEqual({ state: 'valid' });
    const reference = (decodeJws(w3c.token).payload.status as { status_list: JsonObject }).status_list;
    expect(await running.issuer.context.store.setStatus('bologna', STATUS_LIST_ID, reference.idx as number, 1)).toBe(true);
    expect(await checkCredentialStatus(w3c, { trust: w3cTrust, allowInsecureLocalhost: true })).toEqual({ state: 'revoked' });
  });

  it('says nothing for a credential that names no status list', async () => {
    const [header, , signature] = (card.token.split('~')[0] as string).split('.');
    const payload = Buffer.from(JSON.stringify({ iss: did, vct: PERMIT_VCT })).toString('base64url');
    const bare = { ...card, token: `${header}.${payload}.${signature}~` };
    expect(await checkCredentialStatus(bare, options())).toEqual({ state: 'none' });
  });
});

describe('the last known status, kept in the wallet', () => {
  it('keeps valid, revoked and suspended with their time, ignores what says nothing, and reads nothing malformed', async () => {
    const fresh = credentialCards(await wallet.records.list('credential'), 'en', Date.now())[0] as CredentialCard;
    const other = { ...fresh, receiptId: 'another-card' };
    expect(await rememberedStatus(wallet, other)).toBeUndefined();
    await rememberStatus(wallet, other, { state: 'revoked' }, 1_800_000_000_000);
    expect(await rememberedStatus(wallet, other)).toEqual({ state: 'revoked', checkedAt: 1_800_000_000_000 });
    // "Could not check", "no list" and an unregistered value leave the last answer as it was.
    await rememberStatus(wallet, other, { state: 'unknown', reason: 'offline' }, 1_900_000_000_000);
    await rememberStatus(wallet, other, { state: 'none' }, 1_900_000_000_000);
    await rememberStatus(wallet, other, { state: 'other' }, 1_900_000_000_000);
    expect(await rememberedStatus(wallet, other)).toEqual({ state: 'revoked', checkedAt: 1_800_000_000_000 });
    // Kept encrypted like every record, under the card's own id.
    expect(statusRecordId(other)).toBe('status-another-card');
    for (const value of [{ state: 'valid' }, { state: 'gone', checkedAt: 1 }, [], 'valid', { state: 'valid', checkedAt: '1' }]) {
      await wallet.commit({ put: [{ kind: 'metadata', id: statusRecordId(other), value }] });
      expect(await rememberedStatus(wallet, other)).toBeUndefined();
    }
    await wallet.commit({ delete: [{ kind: 'metadata', id: statusRecordId(other) }] });
    expect(await rememberedStatus(wallet, other)).toBeUndefined();
  });
});
