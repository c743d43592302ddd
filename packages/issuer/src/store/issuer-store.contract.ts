import { randomBytes } from 'node:crypto';
import { type Clock, isTesseraError, type JsonObject, type RandomBytes } from '@tessera/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import type { IssuerStore, NewIssuanceRecord, NewOffer, Redemption } from './issuer-store.ts';

/**
 * The one contract every `IssuerStore` backend meets, registered as vitest tests: PGlite in
 * memory, PGlite in a folder, PostgreSQL. A backend declares what it can do beyond the basics
 * (a second replica, a restart, peeking at stored claims, damaging a row), and the matching
 * tests run for it.
 */
export interface IssuerStoreBackend {
  /** A store over an empty backend. Called before every test. */
  open(clock: Clock, randomBytes?: RandomBytes): Promise<IssuerStore>;
  /** Another, independent store over the same data: a second replica (own connections where the engine has them). */
  openSibling?(clock: Clock): Promise<IssuerStore>;
  /** Closes the backend and opens it again, as a restarted process would. */
  reopen?(clock: Clock): Promise<IssuerStore>;
  /** The claim values stored for an offer (null when deleted), read behind the store's back. */
  storedClaims?(tenantId: string, offerId: string): Promise<unknown>;
  /** Damages a stored row behind the store's back, in the way `kind` names. */
  corrupt?(kind: Corruption, tenantId: string, id: string): Promise<void>;
}

/** Damage a row can suffer that the schema's constraints do not prevent. */
export const CORRUPTIONS = [
  'an offer whose configuration ids are not a list',
  'an offer without its creator',
  'an issuance record whose claims are not an object',
  'an audit entry whose details are not an object',
  'a status entry whose status does not fit the list',
] as const;
export type Corruption = (typeof CORRUPTIONS)[number];

const T0 = Date.UTC(2026, 0, 15, 9, 30);
const MINUTE = 60_000;
const A = 'ngo-a';
const B = 'authority-b';
// Parsed, so that `__proto__` is an own property (as a JSON body makes it), not a prototype.
const CLAIMS: JsonObject = JSON.parse(
  '{"given_name":"Amina","family_name":"Haddad \\u0000 \\u202bحداد\\u202c \\ud83d\\ude00","birthdate":"1990-04-01",' +
    '"nested":{"list":[1,2.5,true,null],"__proto__":"own property"}}',
);

/** A fresh secret of 256 bits, as the issuer generates them. */
export function secret(): string {
  return randomBytes(32).toString('base64url');
}

/** A pending offer of one configuration, created at T0, expiring ten minutes later, with PIN 493817. */
export function sampleOffer(overrides: Partial<NewOffer> = {}): NewOffer {
  return {
    id: `offer-${secret().slice(0, 12)}`,
    configurationIds: ['residence_permit_sd_jwt', 'residence_permit_jwt_vc'],
    claims: JSON.parse(JSON.stringify(CLAIMS)),
    preAuthorizedCode: secret(),
    txCode: { pin: '493817', description: 'The PIN on your paper slip' },
    createdBy: 'staff:fatima',
    expiresAt: T0 + 10 * MINUTE,
    ...overrides,
  };
}

/** Registers the contract tests for `backend` in the current describe block. */
export function registerIssuerStoreContract(backend: IssuerStoreBackend): void {
  let now = T0;
  const clock: Clock = () => now;
  let store: IssuerStore;

  beforeEach(async () => {
    now = T0;
    store = await backend.open(clock);
  });

  const redemption = (offer: NewOffer, overrides: Partial<Redemption> = {}): Redemption => ({
    code: offer.preAuthorizedCode,
    ...(offer.txCode === undefined ? {} : { txCode: offer.txCode.pin }),
    accessToken: secret(),
    accessTokenExpiresAt: now + 5 * MINUTE,
    ...overrides,
  });

  /** An offer redeemed by a wallet: its claims now await the credential endpoint. */
  const redeemedOffer = async (tenantId = A, overrides: Partial<NewOffer> = {}): Promise<NewOffer> => {
    const offer = sampleOffer(overrides);
    await store.createOffer(tenantId, offer);
    expect(await store.redeemPreAuthorizedCode(tenantId, redemption(offer))).toMatchObject({ outcome: 'redeemed' });
    return offer;
  };

  const records = async (tenantId: string, count: number, listId = 'list-1'): Promise<NewIssuanceRecord[]> => {
    await store.ensureStatusList(tenantId, { id: listId, size: 1024, bits: 2 });
    const indices = await store.allocateStatusIndices(tenantId, listId, count);
    return indices.map((statusIndex) => ({
      id: `rec-${secret().slice(0, 12)}`,
      configurationId: 'residence_permit_sd_jwt',
      format: 'dc+sd-jwt',
      statusListId: listId,
      statusIndex,
    }));
  };

  /** The records renamed `<prefix>a`, `<prefix>b`, …: ids whose order every collation agrees on. */
  const named = (batch: NewIssuanceRecord[], prefix: string): NewIssuanceRecord[] =>
    batch.map((record, position) => ({ ...record, id: `${prefix}${String.fromCharCode(97 + position)}` }));

  describe('offers', () => {
    it('returns a created offer by id and by its code, pending, without its claim values', async () => {
      const offer = sampleOffer();
      await store.createOffer(A, offer);
      const expected = {
        id: offer.id,
        configurationIds: offer.configurationIds,
        state: 'pending',
        txCode: { inputMode: 'numeric', length: 6, description: 'The PIN on your paper slip' },
        txCodeAttemptsLeft: 5,
        createdBy: 'staff:fatima',
        createdAt: T0,
        expiresAt: T0 + 10 * MINUTE,
      };
      expect(await store.getOffer(A, offer.id)).toStrictEqual(expected);
      expect(await store.findOfferByCode(A, offer.preAuthorizedCode)).toStrictEqual(expected);
      expect(await store.getOfferClaims(A, offer.id)).toBeUndefined();
      expect(await store.findOfferByCode(A, secret())).toBeUndefined();
    });

    it('keeps an offer without a PIN, and a text PIN with its own attempt limit', async () => {
      const open = sampleOffer();
      const { txCode: _, ...withoutPin } = open;
      await store.createOffer(A, withoutPin);
      expect(await store.getOffer(A, open.id)).not.toHaveProperty('txCode');
      const text = sampleOffer({ txCode: { pin: 'K7-QX9' }, txCodeMaxAttempts: 3 });
      await store.createOffer(A, text);
      expect(await store.getOffer(A, text.id)).toMatchObject({ txCode: { inputMode: 'text', length: 6 }, txCodeAttemptsLeft: 3 });
    });

    it('refuses an offer whose id or code is taken in the tenant, but not in another tenant', async () => {
      const offer = sampleOffer();
      await store.createOffer(A, offer);
      await expect(store.createOffer(A, sampleOffer({ id: offer.id }))).rejects.toThrow(TypeError);
      await expect(store.createOffer(A, sampleOffer({ preAuthorizedCode: offer.preAuthorizedCode }))).rejects.toThrow(TypeError);
      await store.createOffer(B, sampleOffer({ id: offer.id }));
      expect(await store.getOffer(A, offer.id)).toMatchObject({ createdBy: 'staff:fatima', state: 'pending' });
    });

    const hostileOffers: Array<[string, (offer: NewOffer) => unknown]> = [
      ['an over-long id', (o) => ({ ...o, id: 'x'.repeat(129) })],
      ['an id with a slash', (o) => ({ ...o, id: 'a/b' })],
      ['no configuration', (o) => ({ ...o, configurationIds: [] })],
      ['a repeated configuration', (o) => ({ ...o, configurationIds: ['a', 'a'] })],
      ['claims that are an array', (o) => ({ ...o, claims: [1] })],
      ['claims with a BigInt', (o) => ({ ...o, claims: { n: 10n } })],
      ['claims with a function', (o) => ({ ...o, claims: { f: () => 1 } })],
      ['claims with NaN', (o) => ({ ...o, claims: { n: Number.NaN } })],
      ['claims with undefined', (o) => ({ ...o, claims: { u: undefined } })],
      ['claims with a Date', (o) => ({ ...o, claims: { d: new Date(T0) } })],
      ['claims with a cycle', (o) => ({ ...o, claims: cyclic() })],
      ['claims nested too deep', (o) => ({ ...o, claims: deep(40) })],
      ['claims over 256 KiB', (o) => ({ ...o, claims: { big: 'x'.repeat(300_000) } })],
      ['a short code', (o) => ({ ...o, preAuthorizedCode: 'short' })],
      ['an expiry in the past', (o) => ({ ...o, expiresAt: T0 })],
      ['an expiry that is not a time', (o) => ({ ...o, expiresAt: Number.NaN })],
      ['a PIN of three digits', (o) => ({ ...o, txCode: { pin: '123' } })],
      ['a numeric PIN with letters', (o) => ({ ...o, txCode: { pin: '12ab', inputMode: 'numeric' } })],
      ['an attempt limit of zero', (o) => ({ ...o, txCodeMaxAttempts: 0 })],
      ['a negative attempt limit', (o) => ({ ...o, txCodeMaxAttempts: -3 })],
      ['a creator with a control character', (o) => ({ ...o, createdBy: 'staff\nroot' })],
    ];
    it.each(hostileOffers)('refuses an offer with %s with a TypeError, writing nothing', async (_, change) => {
      const offer = sampleOffer();
      await expect(store.createOffer(A, change(offer) as NewOffer)).rejects.toThrow(TypeError);
      expect(await store.findOfferByCode(A, offer.preAuthorizedCode)).toBeUndefined();
      await expect(store.createOffer('', offer)).rejects.toThrow(TypeError);
      await expect(store.createOffer('t'.repeat(200), offer)).rejects.toThrow(TypeError);
    });
  });

  describe('redeeming a pre-authorized code', () => {
    it('exchanges code and PIN for an access token once, and never again', async () => {
      const offer = sampleOffer();
      await store.createOffer(A, offer);
      const first = redemption(offer);
      expect(await store.redeemPreAuthorizedCode(A, first)).toStrictEqual({
        outcome: 'redeemed',
        offerId: offer.id,
        configurationIds: offer.configurationIds,
        accessTokenExpiresAt: T0 + 5 * MINUTE,
      });
      expect(await store.findAccessToken(A, first.accessToken)).toStrictEqual({ offerId: offer.id, expiresAt: T0 + 5 * MINUTE });
      expect(await store.getOffer(A, offer.id)).toMatchObject({ state: 'redeemed', redeemedAt: T0 });
      const again = redemption(offer);
      expect(await store.redeemPreAuthorizedCode(A, again)).toStrictEqual({ outcome: 'invalid_grant' });
      expect(await store.findAccessToken(A, again.accessToken)).toBeUndefined();
    });

    it('answers invalid_grant to unknown, empty and over-long codes, and a TypeError to a code that is no string', async () => {
      await store.createOffer(A, sampleOffer());
      for (const code of [secret(), '', 'x'.repeat(10_000), '\u0000']) {
        expect(await store.redeemPreAuthorizedCode(A, redemption(sampleOffer(), { code }))).toStrictEqual({
          outcome: 'invalid_grant',
        });
      }
      await expect(store.redeemPreAuthorizedCode(A, redemption(sampleOffer(), { code: 42 as never }))).rejects.toThrow(TypeError);
      await expect(store.redeemPreAuthorizedCode(A, redemption(sampleOffer(), { accessTokenExpiresAt: T0 }))).rejects.toThrow(
        TypeError,
      );
    });

    it('refuses a code from its expiry instant on', async () => {
      const early = sampleOffer();
      const late = sampleOffer();
      await store.createOffer(A, early);
      await store.createOffer(A, late);
      now = early.expiresAt - 1;
      expect(await store.redeemPreAuthorizedCode(A, redemption(early))).toMatchObject({ outcome: 'redeemed' });
      now = late.expiresAt;
      expect(await store.getOffer(A, late.id)).toMatchObject({ state: 'expired' });
      expect(await store.redeemPreAuthorizedCode(A, redemption(late))).toStrictEqual({ outcome: 'invalid_grant' });
    });

    it('counts wrong PINs, burns the code at the limit, and refuses even the right PIN afterwards', async () => {
      const offer = sampleOffer();
      await store.createOffer(A, offer);
      const left: number[] = [];
      for (const pin of ['000000', '111111', '493818', 'x'.repeat(5000)]) {
        const result = await store.redeemPreAuthorizedCode(A, redemption(offer, { txCode: pin }));
        if (result.outcome === 'invalid_tx_code') left.push(result.attemptsLeft);
      }
      expect(left).toEqual([4, 3, 2, 1]);
      expect(await store.getOffer(A, offer.id)).toMatchObject({ state: 'pending', txCodeAttemptsLeft: 1 });
      expect(await store.redeemPreAuthorizedCode(A, redemption(offer, { txCode: '222222' }))).toStrictEqual({
        outcome: 'invalid_tx_code',
        attemptsLeft: 0,
      });
      expect(await store.getOffer(A, offer.id)).toMatchObject({ state: 'burned', txCodeAttemptsLeft: 0 });
      expect(await store.redeemPreAuthorizedCode(A, redemption(offer))).toStrictEqual({ outcome: 'invalid_grant' });
      expect(await store.redeemPreAuthorizedCode(A, redemption(offer, { txCode: '000000' }))).toStrictEqual({
        outcome: 'invalid_grant',
      });
      if (backend.storedClaims !== undefined) expect(await backend.storedClaims(A, offer.id)).toBeNull();
    });

    it('lets a right PIN through after wrong ones below the limit', async () => {
      const offer = sampleOffer({ txCodeMaxAttempts: 2 });
      await store.createOffer(A, offer);
      expect(await store.redeemPreAuthorizedCode(A, redemption(offer, { txCode: '000000' }))).toStrictEqual({
        outcome: 'invalid_tx_code',
        attemptsLeft: 1,
      });
      expect(await store.redeemPreAuthorizedCode(A, redemption(offer))).toMatchObject({ outcome: 'redeemed' });
    });

    it('tells a missing or unexpected PIN apart, without counting an attempt or using the code', async () => {
      const withPin = sampleOffer();
      const { txCode: _, ...withoutPin } = sampleOffer();
      await store.createOffer(A, withPin);
      await store.createOffer(A, withoutPin);
      const { txCode: _none, ...noPin } = redemption(withPin);
      expect(await store.redeemPreAuthorizedCode(A, noPin)).toStrictEqual({ outcome: 'tx_code_missing' });
      expect(await store.redeemPreAuthorizedCode(A, redemption(withoutPin, { txCode: '1234' }))).toStrictEqual({
        outcome: 'tx_code_unexpected',
      });
      expect(await store.getOffer(A, withPin.id)).toMatchObject({ state: 'pending', txCodeAttemptsLeft: 5 });
      expect(await store.redeemPreAuthorizedCode(A, redemption(withPin))).toMatchObject({ outcome: 'redeemed' });
      expect(await store.redeemPreAuthorizedCode(A, redemption(withoutPin))).toMatchObject({ outcome: 'redeemed' });
    });

    it('lets exactly one of twenty concurrent redemptions win, and only its token works', async () => {
      const offer = sampleOffer();
      await store.createOffer(A, offer);
      const attempts = Array.from({ length: 20 }, () => redemption(offer));
      const results = await Promise.all(attempts.map((attempt) => store.redeemPreAuthorizedCode(A, attempt)));
      expect(results.filter((result) => result.outcome === 'redeemed')).toHaveLength(1);
      expect(results.filter((result) => result.outcome === 'invalid_grant')).toHaveLength(19);
      const tokens = await Promise.all(attempts.map((attempt) => store.findAccessToken(A, attempt.accessToken)));
      expect(tokens.filter((token) => token !== undefined)).toHaveLength(1);
    });

    it('counts concurrent wrong PINs one by one: exactly the limit of them are answered, then the code is burned', async () => {
      const offer = sampleOffer();
      await store.createOffer(A, offer);
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) => store.redeemPreAuthorizedCode(A, redemption(offer, { txCode: `10000${i}` }))),
      );
      const left = results.flatMap((result) => (result.outcome === 'invalid_tx_code' ? [result.attemptsLeft] : []));
      expect(left.sort()).toEqual([0, 1, 2, 3, 4]);
      expect(results.filter((result) => result.outcome === 'invalid_grant')).toHaveLength(7);
      expect(await store.redeemPreAuthorizedCode(A, redemption(offer))).toStrictEqual({ outcome: 'invalid_grant' });
    });

    it('refuses an access token already in use, and leaves the code redeemable', async () => {
      const first = sampleOffer();
      const second = sampleOffer();
      await store.createOffer(A, first);
      await store.createOffer(A, second);
      const token = secret();
      expect(await store.redeemPreAuthorizedCode(A, redemption(first, { accessToken: token }))).toMatchObject({
        outcome: 'redeemed',
      });
      await expect(store.redeemPreAuthorizedCode(A, redemption(second, { accessToken: token }))).rejects.toThrow(TypeError);
      expect(await store.getOffer(A, second.id)).toMatchObject({ state: 'pending' });
      expect(await store.redeemPreAuthorizedCode(A, redemption(second))).toMatchObject({ outcome: 'redeemed' });
    });

    it('finds an access token until it expires, and never by another tenant', async () => {
      const offer = sampleOffer();
      await store.createOffer(A, offer);
      const grant = redemption(offer);
      await store.redeemPreAuthorizedCode(A, grant);
      expect(await store.findAccessToken(B, grant.accessToken)).toBeUndefined();
      expect(await store.findAccessToken(A, 'x'.repeat(10_000))).toBeUndefined();
      now = grant.accessTokenExpiresAt - 1;
      expect(await store.findAccessToken(A, grant.accessToken)).toMatchObject({ offerId: offer.id });
      now = grant.accessTokenExpiresAt;
      expect(await store.findAccessToken(A, grant.accessToken)).toBeUndefined();
    });
  });

  describe('issuing and keeping no claim values', () => {
    it('hands the claim values to the credential endpoint after redemption, and deletes them on issuance', async () => {
      const offer = await redeemedOffer();
      expect(await store.getOfferClaims(A, offer.id)).toStrictEqual(CLAIMS);
      const batch = await records(A, 3);
      now = T0 + MINUTE;
      expect(await store.completeIssuance(A, offer.id, batch)).toBe(true);
      expect(await store.getOfferClaims(A, offer.id)).toBeUndefined();
      if (backend.storedClaims !== undefined) expect(await backend.storedClaims(A, offer.id)).toBeNull();
      expect(await store.getOffer(A, offer.id)).toMatchObject({ state: 'issued', issuedAt: T0 + MINUTE });
      for (const record of batch) {
        expect(await store.getIssuance(A, record.id)).toStrictEqual({
          ...record,
          offerId: offer.id,
          issuedAt: T0 + MINUTE,
          issuedBy: 'staff:fatima',
        });
      }
      expect(await store.completeIssuance(A, offer.id, await records(A, 1))).toBe(false);
    });

    it('keeps the claim values of a record only when the caller passes them (the tenant keeps claims)', async () => {
      const offer = await redeemedOffer();
      const [kept, bare] = await records(A, 2);
      if (kept === undefined || bare === undefined) throw new Error('two records expected');
      expect(await store.completeIssuance(A, offer.id, [{ ...kept, claims: CLAIMS }, bare])).toBe(true);
      expect((await store.getIssuance(A, kept.id))?.claims).toStrictEqual(CLAIMS);
      expect(await store.getIssuance(A, bare.id)).not.toHaveProperty('claims');
    });

    it('issues nothing for an offer that is not redeemed, issued, or of another tenant', async () => {
      const pending = sampleOffer();
      await store.createOffer(A, pending);
      expect(await store.completeIssuance(A, pending.id, await records(A, 1))).toBe(false);
      const redeemed = await redeemedOffer();
      expect(await store.completeIssuance(B, redeemed.id, await records(B, 1))).toBe(false);
      expect(await store.getOfferClaims(B, redeemed.id)).toBeUndefined();
      expect(await store.completeIssuance(A, 'no-such-offer', await records(A, 1))).toBe(false);
      expect((await store.listIssuances(A)).items).toEqual([]);
      expect((await store.listIssuances(B)).items).toEqual([]);
    });

    it('refuses records it cannot keep, with a TypeError, writing nothing and keeping the offer redeemable', async () => {
      const offer = await redeemedOffer();
      const [good] = await records(A, 1);
      if (good === undefined) throw new Error('a record expected');
      const [foreign] = await records(B, 1, 'list-b');
      if (foreign === undefined) throw new Error('a record expected');
      const bad: Array<readonly NewIssuanceRecord[]> = [
        [],
        [good, { ...good, id: 'same-index' }],
        [good, { ...good, id: 'unallocated-index', statusIndex: (good.statusIndex + 1) % 1024 }],
        [good, { ...good }],
        [{ ...good, statusIndex: -1 }],
        [{ ...good, configurationId: 'not_in_offer' }],
        [{ ...good, claims: { n: 1n } as never }],
        [{ ...good, id: 'x'.repeat(300) }],
        [good, { ...foreign, configurationId: good.configurationId, id: 'foreign-index' }],
      ];
      for (const batch of bad) await expect(store.completeIssuance(A, offer.id, batch)).rejects.toThrow(TypeError);
      expect(await store.getOfferClaims(A, offer.id)).toStrictEqual(CLAIMS);
      expect((await store.listIssuances(A)).items).toEqual([]);
      expect(await store.completeIssuance(A, offer.id, [good])).toBe(true);
    });

    it('never records one status index for two credentials', async () => {
      const first = await redeemedOffer();
      const second = await redeemedOffer();
      const [record] = await records(A, 1);
      if (record === undefined) throw new Error('a record expected');
      expect(await store.completeIssuance(A, first.id, [record])).toBe(true);
      await expect(store.completeIssuance(A, second.id, [{ ...record, id: 'another-id' }])).rejects.toThrow(TypeError);
      expect(await store.getOffer(A, second.id)).toMatchObject({ state: 'redeemed' });
    });

    it('lets exactly one of twenty concurrent issuances for one offer complete', async () => {
      const offer = await redeemedOffer();
      const batches = await Promise.all(Array.from({ length: 20 }, () => records(A, 2)));
      const done = await Promise.all(batches.map((batch) => store.completeIssuance(A, offer.id, batch)));
      expect(done.filter(Boolean)).toHaveLength(1);
      const winner = batches[done.indexOf(true)];
      const listed = (await store.listIssuances(A)).items.map((record) => record.id).sort();
      expect(listed).toEqual(winner?.map((record) => record.id).sort());
    });

    it('stops handing out claim values when the access token expires, and purges them', async () => {
      const offer = await redeemedOffer(); // token expires at T0 + 5 min
      now = T0 + 5 * MINUTE - 1;
      expect(await store.getOfferClaims(A, offer.id)).toStrictEqual(CLAIMS);
      now = T0 + 5 * MINUTE;
      expect(await store.getOfferClaims(A, offer.id)).toBeUndefined();
      expect(await store.getOffer(A, offer.id)).toMatchObject({ state: 'expired' });
      expect(await store.completeIssuance(A, offer.id, await records(A, 1))).toBe(false);
      expect(await store.purgeExpired()).toStrictEqual({ offers: 1, nonces: 0, accessTokens: 1 });
      if (backend.storedClaims !== undefined) expect(await backend.storedClaims(A, offer.id)).toBeNull();
      expect(await store.purgeExpired()).toStrictEqual({ offers: 0, nonces: 0, accessTokens: 0 });
    });

    it('purges the claim values of pending offers that expired, and nothing still running', async () => {
      const expiring = sampleOffer({ expiresAt: T0 + MINUTE });
      const running = sampleOffer({ expiresAt: T0 + 10 * MINUTE });
      await store.createOffer(A, expiring);
      await store.createOffer(B, running);
      await store.createNonce(A, secret(), T0 + MINUTE);
      await store.createNonce(B, secret(), T0 + 2 * MINUTE);
      expect(await store.purgeExpired(T0 + MINUTE)).toStrictEqual({ offers: 1, nonces: 1, accessTokens: 0 });
      expect(await store.getOffer(A, expiring.id)).toMatchObject({ state: 'expired' });
      expect(await store.getOffer(B, running.id)).toMatchObject({ state: 'pending' });
      if (backend.storedClaims !== undefined) {
        expect(await backend.storedClaims(A, expiring.id)).toBeNull();
        expect(await backend.storedClaims(B, running.id)).toStrictEqual(CLAIMS);
      }
      await expect(store.purgeExpired(Number.NaN)).rejects.toThrow(TypeError);
    });
  });

  describe('nonces', () => {
    it('consumes a nonce once, only before it expires, and only in its tenant', async () => {
      const nonce = secret();
      const late = secret();
      await store.createNonce(A, nonce, T0 + MINUTE);
      await store.createNonce(A, late, T0 + MINUTE);
      expect(await store.consumeNonce(B, nonce)).toBe(false);
      expect(await store.consumeNonce(A, nonce)).toBe(true);
      expect(await store.consumeNonce(A, nonce)).toBe(false);
      expect(await store.consumeNonce(A, secret())).toBe(false);
      expect(await store.consumeNonce(A, '')).toBe(false);
      now = T0 + MINUTE;
      expect(await store.consumeNonce(A, late)).toBe(false);
    });

    it('lets exactly one of twenty concurrent consumers have a nonce', async () => {
      const nonce = secret();
      await store.createNonce(A, nonce, T0 + MINUTE);
      const taken = await Promise.all(Array.from({ length: 20 }, () => store.consumeNonce(A, nonce)));
      expect(taken.filter(Boolean)).toHaveLength(1);
    });

    it('refuses a nonce that is short, repeated or already expired, with a TypeError', async () => {
      const nonce = secret();
      await store.createNonce(A, nonce, T0 + MINUTE);
      await expect(store.createNonce(A, nonce, T0 + MINUTE)).rejects.toThrow(TypeError);
      await expect(store.createNonce(A, 'short', T0 + MINUTE)).rejects.toThrow(TypeError);
      await expect(store.createNonce(A, secret(), T0)).rejects.toThrow(TypeError);
      await expect(store.consumeNonce(A, 7 as never)).rejects.toThrow(TypeError);
    });
  });

  describe('status lists', () => {
    it('creates a list with the defaults once, and returns the stored list to later callers', async () => {
      expect(await store.ensureStatusList(A, { id: 'main' })).toStrictEqual({
        id: 'main',
        size: 131_072,
        bits: 1,
        allocated: 0,
        version: 0,
        updatedAt: T0,
      });
      expect(await store.ensureStatusList(A, { id: 'main', size: 16, bits: 2 })).toMatchObject({ size: 131_072, bits: 1 });
      expect(await store.getStatusList(B, 'main')).toBeUndefined();
      expect(await store.listStatusLists(B)).toEqual([]);
      expect((await store.listStatusLists(A)).map((list) => list.id)).toEqual(['main']);
      for (const bad of [{ id: 'x', size: 0 }, { id: 'x', size: 2 ** 24 + 1 }, { id: 'x', bits: 3 }, { id: '' }]) {
        await expect(store.ensureStatusList(A, bad as never)).rejects.toThrow(TypeError);
      }
    });

    it('allocates distinct, random indices within the list, never in order', async () => {
      await store.ensureStatusList(A, { id: 'main' });
      const indices = await store.allocateStatusIndices(A, 'main', 50);
      expect(new Set(indices).size).toBe(50);
      expect(indices.every((index) => Number.isInteger(index) && index >= 0 && index < 131_072)).toBe(true);
      // Fifty consecutive indices from a uniform choice among 131072 would be a miracle.
      const sorted = [...indices].sort((a, b) => a - b);
      expect((sorted.at(-1) ?? 0) - (sorted[0] ?? 0)).toBeGreaterThan(49);
      expect(await store.getStatusList(A, 'main')).toMatchObject({ allocated: 50 });
    });

    it('hands out every index of a small list exactly once, then answers status_list_full', async () => {
      await store.ensureStatusList(A, { id: 'small', size: 8 });
      const first = await store.allocateStatusIndices(A, 'small', 5);
      await expect(store.allocateStatusIndices(A, 'small', 4)).rejects.toSatisfy((e) => isTesseraError(e, 'status_list_full'));
      expect(await store.getStatusList(A, 'small')).toMatchObject({ allocated: 5 });
      const rest = await store.allocateStatusIndices(A, 'small', 3);
      expect([...first, ...rest].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
      await expect(store.allocateStatusIndices(A, 'small', 1)).rejects.toSatisfy((e) => isTesseraError(e, 'status_list_full'));
    });

    it('gets distinct indices from a random source that keeps repeating itself', async () => {
      const stuck = await backend.open(clock, (length) => new Uint8Array(length));
      await stuck.ensureStatusList(A, { id: 'main', size: 64 });
      const indices = [
        ...(await stuck.allocateStatusIndices(A, 'main', 1)),
        ...(await stuck.allocateStatusIndices(A, 'main', 1)),
        ...(await stuck.allocateStatusIndices(A, 'main', 3)),
      ];
      expect(new Set(indices).size).toBe(5);
    });

    it('gives concurrent allocations distinct indices', async () => {
      await store.ensureStatusList(A, { id: 'main', size: 256 });
      const batches = await Promise.all(Array.from({ length: 20 }, () => store.allocateStatusIndices(A, 'main', 5)));
      expect(new Set(batches.flat()).size).toBe(100);
      expect(await store.getStatusList(A, 'main')).toMatchObject({ allocated: 100 });
    });

    it('gives back what a batch took when concurrent batches outrun the list, so no batch is half allocated', async () => {
      await store.ensureStatusList(A, { id: 'tight', size: 8 });
      const outcomes = await Promise.allSettled(Array.from({ length: 4 }, () => store.allocateStatusIndices(A, 'tight', 5)));
      const won = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
      expect(won.length).toBeLessThanOrEqual(1);
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') expect(isTesseraError(outcome.reason, 'status_list_full')).toBe(true);
      }
      expect(await store.getStatusList(A, 'tight')).toMatchObject({ allocated: 5 * won.length });
    });

    it('refuses a bad allocation request with a TypeError', async () => {
      await store.ensureStatusList(A, { id: 'main', size: 64 });
      for (const count of [0, -1, 1.5, 1001, Number.NaN]) {
        await expect(store.allocateStatusIndices(A, 'main', count)).rejects.toThrow(TypeError);
      }
      await expect(store.allocateStatusIndices(B, 'main', 1)).rejects.toThrow(TypeError);
      expect(await store.getStatusList(A, 'main')).toMatchObject({ allocated: 0 });
    });

    it('sets the status of allocated indices only, in its tenant only, and reports the non-zero ones with a version', async () => {
      await store.ensureStatusList(A, { id: 'main', size: 1024, bits: 2 });
      await store.ensureStatusList(B, { id: 'main', size: 1024, bits: 2 });
      const [revoked, suspended, valid] = await store.allocateStatusIndices(A, 'main', 3);
      if (revoked === undefined || suspended === undefined || valid === undefined) throw new Error('three indices expected');
      now = T0 + MINUTE;
      expect(await store.setStatus(A, 'main', revoked, 1)).toBe(true);
      expect(await store.setStatus(A, 'main', suspended, 2)).toBe(true);
      expect(await store.setStatus(B, 'main', valid, 1)).toBe(false);
      const unallocated = [...Array(1024).keys()].find((index) => ![revoked, suspended, valid].includes(index)) ?? 0;
      expect(await store.setStatus(A, 'main', unallocated, 1)).toBe(false);
      expect(await store.setStatus(A, 'other', revoked, 1)).toBe(false);
      await expect(store.setStatus(A, 'main', valid, 4)).rejects.toThrow(TypeError);
      await expect(store.setStatus(A, 'main', -1, 1)).rejects.toThrow(TypeError);

      const snapshot = await store.readStatuses(A, 'main');
      expect(snapshot).toStrictEqual({
        id: 'main',
        size: 1024,
        bits: 2,
        version: 2,
        updatedAt: T0 + MINUTE,
        entries: [
          { index: revoked, status: 1 },
          { index: suspended, status: 2 },
        ].sort((a, b) => a.index - b.index),
      });
      expect(await store.readStatuses(B, 'main')).toMatchObject({ version: 0, entries: [] });
      expect(await store.readStatuses(A, 'other')).toBeUndefined();

      expect(await store.setStatus(A, 'main', suspended, 0)).toBe(true);
      expect(await store.readStatuses(A, 'main')).toMatchObject({ version: 3, entries: [{ index: revoked, status: 1 }] });
    });

    it('compare-and-set: changes an entry only while it still has the expected status', async () => {
      await store.ensureStatusList(A, { id: 'main', size: 64, bits: 2 });
      const [index = -1] = await store.allocateStatusIndices(A, 'main', 1);
      expect(await store.setStatus(A, 'main', index, 2, { expected: 1 })).toBe(false);
      expect(await store.setStatus(A, 'main', index, 2, { expected: 0 })).toBe(true);
      expect(await store.setStatus(A, 'main', index, 1, { expected: 0 })).toBe(false);
      expect(await store.readStatuses(A, 'main')).toMatchObject({ version: 1, entries: [{ index, status: 2 }] });
      // Of many concurrent writers that read "suspended", exactly one wins.
      const attempts = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.setStatus(A, 'main', index, i % 2, { expected: 2 })),
      );
      expect(attempts.filter(Boolean)).toHaveLength(1);
      await expect(store.setStatus(A, 'main', index, 1, { expected: -1 })).rejects.toThrow(TypeError);
    });

    it('refuses a status beyond a one-bit list', async () => {
      await store.ensureStatusList(A, { id: 'main', size: 16 });
      const [index] = await store.allocateStatusIndices(A, 'main', 1);
      await expect(store.setStatus(A, 'main', index ?? 0, 2)).rejects.toThrow(TypeError);
    });
  });

  describe('issuance records', () => {
    it('lists a tenant’s records newest first, page by page', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        now = T0 + i * MINUTE;
        const offer = await redeemedOffer();
        const batch = await records(A, 1);
        await store.completeIssuance(A, offer.id, batch);
        ids.push(batch[0]?.id ?? '');
      }
      await store.completeIssuance(B, (await redeemedOffer(B)).id, await records(B, 1));
      const first = await store.listIssuances(A, { limit: 2 });
      expect(first.items.map((record) => record.id)).toEqual([ids[4], ids[3]]);
      const second = await store.listIssuances(A, { limit: 2, ...(first.nextCursor ? { cursor: first.nextCursor } : {}) });
      expect(second.items.map((record) => record.id)).toEqual([ids[2], ids[1]]);
      const third = await store.listIssuances(A, { limit: 2, ...(second.nextCursor ? { cursor: second.nextCursor } : {}) });
      expect(third.items.map((record) => record.id)).toEqual([ids[0]]);
      expect(third.nextCursor).toBeUndefined();
      expect((await store.listIssuances(B)).items).toHaveLength(1);
      expect(await store.getIssuance(B, ids[0] ?? '')).toBeUndefined();
    });

    it('answers page_cursor_invalid to a cursor it did not hand out, and a TypeError to a bad limit', async () => {
      for (const cursor of ['garbage!', 'WzEsMl0', 'x'.repeat(1000), '']) {
        await expect(store.listIssuances(A, { cursor })).rejects.toSatisfy((e) => isTesseraError(e, 'page_cursor_invalid'));
        await expect(store.listIssuedCredentials(A, { cursor })).rejects.toSatisfy((e) =>
          isTesseraError(e, 'page_cursor_invalid'),
        );
        await expect(store.listAudit(A, { cursor })).rejects.toSatisfy((e) => isTesseraError(e, 'page_cursor_invalid'));
      }
      for (const limit of [0, 101, 2.5]) {
        await expect(store.listIssuances(A, { limit })).rejects.toThrow(TypeError);
        await expect(store.listIssuedCredentials(A, { limit })).rejects.toThrow(TypeError);
      }
    });

    it('lists the records of one offer, the instances of a batch, by id and in their tenant only', async () => {
      const batch = await redeemedOffer();
      // Ids whose order no collation disputes (lower case and digits), as the store sorts in SQL.
      const batchRecords = named(await records(A, 3), 'rec2');
      await store.completeIssuance(A, batch.id, batchRecords);
      const single = await redeemedOffer();
      const singleRecords = named(await records(A, 1), 'rec1');
      await store.completeIssuance(A, single.id, singleRecords);
      const pending = sampleOffer();
      await store.createOffer(A, pending);

      const instances = await store.listIssuancesOfOffer(A, batch.id);
      expect(instances.map((record) => record.id)).toEqual(['rec2a', 'rec2b', 'rec2c']);
      for (const instance of instances) {
        expect(instance).toStrictEqual(await store.getIssuance(A, instance.id));
        expect(instance).toMatchObject({ offerId: batch.id, issuedAt: T0, issuedBy: 'staff:fatima' });
      }
      expect(new Set(instances.map((record) => record.statusIndex)).size).toBe(3);
      expect((await store.listIssuancesOfOffer(A, single.id)).map((record) => record.id)).toEqual([singleRecords[0]?.id]);
      expect(await store.listIssuancesOfOffer(A, pending.id)).toEqual([]);
      expect(await store.listIssuancesOfOffer(A, 'no-such-offer')).toEqual([]);
      expect(await store.listIssuancesOfOffer(B, batch.id)).toEqual([]);
      await expect(store.listIssuancesOfOffer(A, 'bad id')).rejects.toThrow(TypeError);
    });

    it('lists issued credentials newest first, each with all its instances, never splitting a batch across pages', async () => {
      const expected: { offerId: string; ids: string[] }[] = [];
      // Batches of 3, 1, 2, 3 and 1 instances; the last two are issued in the same millisecond.
      for (const [position, minute, size] of [
        [0, 0, 3],
        [1, 1, 1],
        [2, 2, 2],
        [3, 3, 3],
        [4, 3, 1],
      ] as const) {
        now = T0 + minute * MINUTE;
        const offer = await redeemedOffer();
        const batch = named(await records(A, size), `rec${position}`);
        await store.completeIssuance(A, offer.id, batch);
        expected.push({ offerId: offer.id, ids: batch.map((record) => record.id) });
      }
      await store.completeIssuance(B, (await redeemedOffer(B)).id, await records(B, 2));
      // Newest first; within one millisecond, the credential whose first record id sorts last first.
      const newestFirst = [...expected].reverse();

      const seen: { offerId: string; ids: string[] }[] = [];
      let cursor: string | undefined;
      const pageSizes: number[] = [];
      do {
        const page = await store.listIssuedCredentials(A, { limit: 2, ...(cursor === undefined ? {} : { cursor }) });
        pageSizes.push(page.items.length);
        for (const credential of page.items) {
          expect(credential.instances).toStrictEqual(await store.listIssuancesOfOffer(A, credential.offerId));
          seen.push({ offerId: credential.offerId, ids: credential.instances.map((record) => record.id) });
        }
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      expect(pageSizes).toEqual([2, 2, 1]);
      expect(seen).toEqual(newestFirst);
      expect((await store.listIssuedCredentials(B)).items.map((credential) => credential.instances.length)).toEqual([2]);
      expect((await store.listIssuedCredentials('no-tenant')).items).toEqual([]);
    });
  });

  describe('the audit log', () => {
    it('appends staff actions and lists a tenant’s newest first, page by page', async () => {
      const appended = [];
      for (let i = 0; i < 3; i++) {
        now = T0 + i;
        appended.push(
          await store.appendAudit(A, {
            actor: 'staff:fatima',
            action: 'offer.create',
            target: `offer-${i}`,
            details: { configurationIds: ['residence_permit_sd_jwt'] },
          }),
        );
      }
      await store.appendAudit(B, { actor: 'key:b', action: 'credential.revoke' });
      expect(appended[1]).toMatchObject({ at: T0 + 1, actor: 'staff:fatima', action: 'offer.create', target: 'offer-1' });
      const page = await store.listAudit(A, { limit: 2 });
      expect(page.items).toStrictEqual([appended[2], appended[1]]);
      const next = await store.listAudit(A, { limit: 2, ...(page.nextCursor ? { cursor: page.nextCursor } : {}) });
      expect(next).toStrictEqual({ items: [appended[0]] });
      expect((await store.listAudit(B)).items).toStrictEqual([
        expect.objectContaining({ actor: 'key:b', action: 'credential.revoke' }),
      ]);
    });

    it('refuses an entry it could not keep as given, with a TypeError, writing nothing', async () => {
      const bad = [
        { actor: '', action: 'offer.create' },
        { actor: 'staff\u0000x', action: 'offer.create' },
        { actor: 'staff', action: 'a'.repeat(101) },
        { actor: 'staff', action: 'offer.create', details: { when: new Date() } },
        { actor: 'staff', action: 'offer.create', details: 'text' },
      ];
      for (const entry of bad) await expect(store.appendAudit(A, entry as never)).rejects.toThrow(TypeError);
      expect((await store.listAudit(A)).items).toEqual([]);
    });
  });

  describe('API keys', () => {
    it('finds a key by its secret in its own tenant only, until it is revoked', async () => {
      const key = { id: 'key-1', secret: secret(), label: 'Front desk' };
      expect(await store.createApiKey(A, key)).toStrictEqual({ tenantId: A, id: 'key-1', label: 'Front desk', createdAt: T0 });
      expect(await store.findApiKey(A, key.secret)).toStrictEqual({
        tenantId: A,
        id: 'key-1',
        label: 'Front desk',
        createdAt: T0,
      });
      expect(await store.findApiKey(B, key.secret)).toBeUndefined();
      expect(await store.findApiKey(A, secret())).toBeUndefined();
      expect(await store.findApiKey(A, '')).toBeUndefined();
      expect(await store.revokeApiKey(B, 'key-1')).toBe(false);
      expect(await store.findApiKey(A, key.secret)).toBeDefined();
      now = T0 + MINUTE;
      expect(await store.revokeApiKey(A, 'key-1')).toBe(true);
      expect(await store.revokeApiKey(A, 'key-1')).toBe(false);
      expect(await store.findApiKey(A, key.secret)).toBeUndefined();
      expect(await store.listApiKeys(A)).toStrictEqual([
        { tenantId: A, id: 'key-1', label: 'Front desk', createdAt: T0, revokedAt: T0 + MINUTE },
      ]);
      expect(await store.listApiKeys(B)).toEqual([]);
    });

    it('refuses a key whose secret is short or already used by any tenant, or whose id is taken', async () => {
      const taken = secret();
      await store.createApiKey(A, { id: 'key-1', secret: taken, label: 'Desk' });
      await expect(store.createApiKey(B, { id: 'key-1', secret: taken, label: 'Desk' })).rejects.toThrow(TypeError);
      await expect(store.createApiKey(A, { id: 'key-1', secret: secret(), label: 'Desk' })).rejects.toThrow(TypeError);
      await expect(store.createApiKey(A, { id: 'key-2', secret: 'short', label: 'Desk' })).rejects.toThrow(TypeError);
      await expect(store.createApiKey(A, { id: 'key-2', secret: secret(), label: '' })).rejects.toThrow(TypeError);
      expect(await store.listApiKeys(B)).toEqual([]);
    });
  });

  describe('tenant isolation', () => {
    it('never lets tenant B read, redeem or issue tenant A’s offer, even with its code and PIN', async () => {
      const offer = sampleOffer();
      await store.createOffer(A, offer);
      expect(await store.getOffer(B, offer.id)).toBeUndefined();
      expect(await store.findOfferByCode(B, offer.preAuthorizedCode)).toBeUndefined();
      expect(await store.redeemPreAuthorizedCode(B, redemption(offer))).toStrictEqual({ outcome: 'invalid_grant' });
      expect(await store.redeemPreAuthorizedCode(B, redemption(offer, { txCode: '000000' }))).toStrictEqual({
        outcome: 'invalid_grant',
      });
      expect(await store.getOffer(A, offer.id)).toMatchObject({ state: 'pending', txCodeAttemptsLeft: 5 });
      expect(await store.redeemPreAuthorizedCode(A, redemption(offer))).toMatchObject({ outcome: 'redeemed' });
    });
  });

  const { openSibling, reopen, corrupt } = backend;

  if (openSibling !== undefined) {
    describe('two replicas on one database', () => {
      it('redeem a code exactly once between them', async () => {
        const other = await openSibling(clock);
        const offer = sampleOffer();
        await store.createOffer(A, offer);
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? store : other).redeemPreAuthorizedCode(A, redemption(offer))),
        );
        expect(results.filter((result) => result.outcome === 'redeemed')).toHaveLength(1);
        expect(await other.getOffer(A, offer.id)).toMatchObject({ state: 'redeemed' });
      });

      it('count wrong PINs together and burn the code at the limit', async () => {
        const other = await openSibling(clock);
        const offer = sampleOffer();
        await store.createOffer(A, offer);
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            (i % 2 === 0 ? store : other).redeemPreAuthorizedCode(A, redemption(offer, { txCode: `20000${i}` })),
          ),
        );
        expect(results.filter((result) => result.outcome === 'invalid_tx_code')).toHaveLength(5);
        expect(await other.redeemPreAuthorizedCode(A, redemption(offer))).toStrictEqual({ outcome: 'invalid_grant' });
      });

      it('consume a nonce exactly once between them', async () => {
        const other = await openSibling(clock);
        const nonce = secret();
        await other.createNonce(A, nonce, T0 + MINUTE);
        const taken = await Promise.all(
          Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? store : other).consumeNonce(A, nonce)),
        );
        expect(taken.filter(Boolean)).toHaveLength(1);
      });

      it('never give one status index to both', async () => {
        const other = await openSibling(clock);
        await store.ensureStatusList(A, { id: 'shared', size: 128 });
        const batches = await Promise.all(
          Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? store : other).allocateStatusIndices(A, 'shared', 8)),
        );
        expect(new Set(batches.flat()).size).toBe(128);
        await expect(other.allocateStatusIndices(A, 'shared', 1)).rejects.toSatisfy((e) => isTesseraError(e, 'status_list_full'));
      });

      it('complete an offer’s issuance exactly once between them', async () => {
        const other = await openSibling(clock);
        const offer = await redeemedOffer();
        const batches = await Promise.all(Array.from({ length: 10 }, () => records(A, 1)));
        const done = await Promise.all(
          batches.map((batch, i) => (i % 2 === 0 ? store : other).completeIssuance(A, offer.id, batch)),
        );
        expect(done.filter(Boolean)).toHaveLength(1);
        expect((await other.listIssuances(A)).items).toHaveLength(1);
      });

      it('let exactly one of their compare-and-set status changes win', async () => {
        const other = await openSibling(clock);
        await store.ensureStatusList(A, { id: 'main', size: 64, bits: 2 });
        const [index = -1] = await store.allocateStatusIndices(A, 'main', 1);
        const attempts = await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            (i % 2 === 0 ? store : other).setStatus(A, 'main', index, 1 + (i % 2), { expected: 0 }),
          ),
        );
        expect(attempts.filter(Boolean)).toHaveLength(1);
      });

      it('see each other’s revocations and key revocations', async () => {
        const other = await openSibling(clock);
        await store.ensureStatusList(A, { id: 'main', size: 64 });
        const [index] = await store.allocateStatusIndices(A, 'main', 1);
        expect(await other.setStatus(A, 'main', index ?? -1, 1)).toBe(true);
        expect(await store.readStatuses(A, 'main')).toMatchObject({ version: 1, entries: [{ index, status: 1 }] });
        const key = { id: 'k', secret: secret(), label: 'Desk' };
        await store.createApiKey(A, key);
        expect(await other.revokeApiKey(A, 'k')).toBe(true);
        expect(await store.findApiKey(A, key.secret)).toBeUndefined();
      });
    });
  }

  if (reopen !== undefined) {
    it('keeps offers, claim values, allocations, records, keys and the audit log across a restart', async () => {
      const offer = await redeemedOffer();
      const pending = sampleOffer();
      await store.createOffer(A, pending);
      await store.ensureStatusList(A, { id: 'small', size: 4 });
      const allocated = await store.allocateStatusIndices(A, 'small', 4);
      await store.setStatus(A, 'small', allocated[0] ?? 0, 1);
      const key = { id: 'key-1', secret: secret(), label: 'Desk' };
      await store.createApiKey(A, key);
      await store.appendAudit(A, { actor: 'staff:fatima', action: 'offer.create', target: pending.id });

      const restarted = await reopen(clock);
      expect(await restarted.getOfferClaims(A, offer.id)).toStrictEqual(CLAIMS);
      expect(await restarted.redeemPreAuthorizedCode(A, redemption(offer))).toStrictEqual({ outcome: 'invalid_grant' });
      expect(await restarted.redeemPreAuthorizedCode(A, redemption(pending))).toMatchObject({ outcome: 'redeemed' });
      await expect(restarted.allocateStatusIndices(A, 'small', 1)).rejects.toSatisfy((e) =>
        isTesseraError(e, 'status_list_full'),
      );
      expect(await restarted.readStatuses(A, 'small')).toMatchObject({
        version: 1,
        entries: [{ index: allocated[0], status: 1 }],
      });
      expect(await restarted.findApiKey(A, key.secret)).toMatchObject({ id: 'key-1' });
      expect((await restarted.listAudit(A)).items).toHaveLength(1);
    });
  }

  if (corrupt !== undefined) {
    describe('damaged rows', () => {
      it('reads a damaged offer as absent, and never redeems or issues it', async () => {
        for (const kind of ['an offer whose configuration ids are not a list', 'an offer without its creator'] as const) {
          const damaged = sampleOffer();
          const sound = sampleOffer();
          await store.createOffer(A, damaged);
          await store.createOffer(A, sound);
          await corrupt(kind, A, damaged.id);
          expect(await store.getOffer(A, damaged.id)).toBeUndefined();
          expect(await store.findOfferByCode(A, damaged.preAuthorizedCode)).toBeUndefined();
          expect(await store.redeemPreAuthorizedCode(A, redemption(damaged))).toStrictEqual({ outcome: 'invalid_grant' });
          expect(await store.redeemPreAuthorizedCode(A, redemption(sound))).toMatchObject({ outcome: 'redeemed' });
        }
      });

      it('leaves a damaged issuance record out, and serves the others', async () => {
        const offer = await redeemedOffer();
        const [damaged, sound] = await records(A, 2);
        if (damaged === undefined || sound === undefined) throw new Error('two records expected');
        await store.completeIssuance(A, offer.id, [damaged, sound]);
        await corrupt('an issuance record whose claims are not an object', A, damaged.id);
        expect(await store.getIssuance(A, damaged.id)).toBeUndefined();
        expect((await store.listIssuances(A)).items.map((record) => record.id)).toEqual([sound.id]);
        expect((await store.listIssuancesOfOffer(A, offer.id)).map((record) => record.id)).toEqual([sound.id]);
        expect((await store.listIssuedCredentials(A)).items).toStrictEqual([
          { offerId: offer.id, instances: [await store.getIssuance(A, sound.id)] },
        ]);
        // A credential with no sound record left is left out, and the page still says more follow.
        await corrupt('an issuance record whose claims are not an object', A, sound.id);
        now = T0 + MINUTE;
        const later = await redeemedOffer();
        await store.completeIssuance(A, later.id, await records(A, 1));
        const page = await store.listIssuedCredentials(A, { limit: 1 });
        expect(page.items.map((credential) => credential.offerId)).toEqual([later.id]);
        const rest = await store.listIssuedCredentials(A, { limit: 1, ...(page.nextCursor ? { cursor: page.nextCursor } : {}) });
        expect(rest).toStrictEqual({ items: [] });
      });

      it('leaves a damaged audit entry out, and serves the others', async () => {
        const damaged = await store.appendAudit(A, { actor: 'staff', action: 'offer.create' });
        const sound = await store.appendAudit(A, { actor: 'staff', action: 'offer.revoke' });
        await corrupt('an audit entry whose details are not an object', A, damaged.id);
        expect((await store.listAudit(A)).items).toStrictEqual([sound]);
      });

      it('leaves a status entry that does not fit its list out of the list', async () => {
        await store.ensureStatusList(A, { id: 'main', size: 64 });
        const [damaged, sound] = await store.allocateStatusIndices(A, 'main', 2);
        await store.setStatus(A, 'main', sound ?? 0, 1);
        await corrupt('a status entry whose status does not fit the list', A, `main/${damaged}`);
        expect((await store.readStatuses(A, 'main'))?.entries).toStrictEqual([{ index: sound, status: 1 }]);
      });
    });
  }
}

function cyclic(): JsonObject {
  const object: Record<string, unknown> = {};
  object.self = object;
  return object as JsonObject;
}

function deep(levels: number): JsonObject {
  let value: JsonObject = {};
  for (let i = 0; i < levels; i++) value = { inner: value };
  return value;
}
