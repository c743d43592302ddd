import type { Clock } from '@tessera/shared';
import { encodeBase64Url } from '@tessera/shared';
import { beforeEach, describe, expect, it } from 'vitest';
import type { NewTransaction, TransactionOutcome, TransactionStore } from './transaction-store.ts';

/**
 * The one contract every `TransactionStore` must meet, registered as vitest tests against a
 * backend: memory, PGlite in memory, PGlite on disk, PostgreSQL. A backend declares what it can
 * do beyond the basics (share state between instances, survive a restart, hold a damaged record),
 * and the matching tests run for it.
 */
export interface TransactionStoreBackend {
  /** A store over an empty backend, reading time from `clock`. Called before every test. */
  open(clock: Clock): Promise<TransactionStore>;
  /** Another, independent store instance over the same backend (a second replica). */
  openSibling?(clock: Clock): Promise<TransactionStore>;
  /** Closes the backend and opens it again, as a restarted process would. */
  reopen?(clock: Clock): Promise<TransactionStore>;
  /** Damages the stored record of `id` behind the store's back, in the way `kind` names. */
  corrupt?(id: string, kind: Corruption): Promise<void>;
}

/** Damage a stored record can suffer that the database's own constraints do not prevent. */
export const CORRUPTIONS = [
  'a query that is not an object',
  'an unknown response mode',
  'an empty nonce',
  'an ephemeral key that is not an object',
  'a failed status without an error',
  'an error without a code',
] as const;
export type Corruption = (typeof CORRUPTIONS)[number];

const T0 = Date.UTC(2026, 0, 15, 9, 30);
const MINUTE = 60_000;

function randomToken(): string {
  return encodeBase64Url(crypto.getRandomValues(new Uint8Array(16)));
}

/** A new pending transaction created at T0 that expires five minutes later. */
export function sampleTransaction(overrides: Partial<NewTransaction> = {}): NewTransaction {
  return {
    id: randomToken(),
    state: randomToken(),
    nonce: randomToken(),
    query: { credentials: [{ id: 'permit', format: 'dc+sd-jwt', meta: { vct_values: ['https://example.org/permit'] } }] },
    clientId: 'x509_hash:W8qZy2n8Vg4TxJk2vTjU3m0JqVPI2KOgRzU0fIP9F8Q',
    responseMode: 'direct_post',
    createdAt: T0,
    expiresAt: T0 + 5 * MINUTE,
    ...overrides,
  };
}

const RESPONDED: Extract<TransactionOutcome, { status: 'responded' }> = {
  status: 'responded',
  result: { vct: 'https://example.org/permit', claims: { age_over_18: true } },
};
const FAILED: Extract<TransactionOutcome, { status: 'failed' }> = {
  status: 'failed',
  error: { code: 'kb_nonce_mismatch', message: 'The KB-JWT nonce is not ours' },
};

/** Registers the contract tests for `backend` in the current describe block. */
export function registerTransactionStoreContract(backend: TransactionStoreBackend): void {
  let now = T0;
  const clock: Clock = () => now;
  let store: TransactionStore;

  beforeEach(async () => {
    now = T0;
    store = await backend.open(clock);
  });

  describe('creating and reading', () => {
    it('returns a created transaction by id and by state, pending and with every field intact', async () => {
      const tx = sampleTransaction();
      await store.create(tx);
      const expected = { ...tx, status: 'pending' };
      expect(await store.get(tx.id)).toStrictEqual(expected);
      expect(await store.findByState(tx.state)).toStrictEqual(expected);
    });

    it('keeps the optional purpose, request URI method and ephemeral key', async () => {
      const ephemeralKey = { kty: 'EC', crv: 'P-256', x: 'x-coord', y: 'y-coord', d: 'private', use: 'enc', alg: 'ECDH-ES' };
      const tx = sampleTransaction({
        purpose: { en: 'To check your residence status', ar: 'للتحقق من وضع إقامتك' },
        responseMode: 'direct_post.jwt',
        requestUriMethod: 'post',
        ephemeralKey,
      });
      await store.create(tx);
      expect(await store.get(tx.id)).toStrictEqual({ ...tx, status: 'pending' });
    });

    it('keeps a result whose strings hold any character, NUL and astral ones included', async () => {
      const tx = sampleTransaction();
      await store.create(tx);
      const result = {
        claims: { name: 'A\u0000B \u{1F600} \u0627\u0644\u0639\u0631\u0628\u064A\u0629', 'key\u0000': [1.5, -0, 1e21] },
      };
      expect(await store.complete(tx.id, { status: 'responded', result })).toBe(true);
      expect((await store.get(tx.id))?.result).toStrictEqual(JSON.parse(JSON.stringify(result)));
    });

    it('returns undefined for an unknown id or state', async () => {
      await store.create(sampleTransaction());
      expect(await store.get('unknown-id')).toBeUndefined();
      expect(await store.findByState('unknown-state')).toBeUndefined();
    });

    it('refuses a second transaction with an id or a state already taken', async () => {
      const tx = sampleTransaction();
      await store.create(tx);
      await expect(store.create(sampleTransaction({ id: tx.id }))).rejects.toThrow(TypeError);
      await expect(store.create(sampleTransaction({ state: tx.state }))).rejects.toThrow(TypeError);
      expect(await store.get(tx.id)).toStrictEqual({ ...tx, status: 'pending' });
    });

    it('refuses a transaction that is malformed or claims to be already ended', async () => {
      await expect(store.create({ ...sampleTransaction(), nonce: '' })).rejects.toThrow(TypeError);
      await expect(store.create({ ...sampleTransaction(), responseMode: 'fragment' } as never)).rejects.toThrow(TypeError);
      await expect(store.create({ ...sampleTransaction(), expiresAt: Number.NaN })).rejects.toThrow(TypeError);
      await expect(store.create({ ...sampleTransaction(), status: 'responded' } as never)).rejects.toThrow(TypeError);
    });

    it('hands out copies, so changing a returned transaction changes nothing stored', async () => {
      const tx = sampleTransaction();
      await store.create(tx);
      const first = (await store.get(tx.id)) as unknown as { query: { credentials: unknown[] } };
      first.query.credentials.length = 0;
      expect(await store.get(tx.id)).toStrictEqual({ ...tx, status: 'pending' });
    });
  });

  describe('completing', () => {
    it('completes a pending transaction once with its result, and never again', async () => {
      const tx = sampleTransaction();
      await store.create(tx);
      expect(await store.complete(tx.id, RESPONDED)).toBe(true);
      expect(await store.get(tx.id)).toStrictEqual({ ...tx, status: 'responded', result: RESPONDED.result });
      expect(await store.complete(tx.id, RESPONDED)).toBe(false);
      expect(await store.complete(tx.id, FAILED)).toBe(false);
      expect(await store.findByState(tx.state)).toStrictEqual({ ...tx, status: 'responded', result: RESPONDED.result });
    });

    it('records a rejected response with its error', async () => {
      const tx = sampleTransaction();
      await store.create(tx);
      expect(await store.complete(tx.id, FAILED)).toBe(true);
      expect(await store.get(tx.id)).toStrictEqual({ ...tx, status: 'failed', error: FAILED.error });
      expect(await store.complete(tx.id, RESPONDED)).toBe(false);
    });

    it('lets exactly one of twenty concurrent completions win, and keeps the winner’s outcome', async () => {
      const tx = sampleTransaction();
      await store.create(tx);
      const outcomes = Array.from(
        { length: 20 },
        (_, i): TransactionOutcome => ({ status: 'responded', result: { attempt: i } }),
      );
      const won = await Promise.all(outcomes.map((outcome) => store.complete(tx.id, outcome)));
      expect(won.filter(Boolean)).toHaveLength(1);
      const winner = won.indexOf(true);
      expect(await store.get(tx.id)).toMatchObject({ status: 'responded', result: { attempt: winner } });
    });

    it('does not complete an unknown transaction', async () => {
      expect(await store.complete('unknown-id', RESPONDED)).toBe(false);
    });

    it('does not complete a transaction from its expiry instant on, and reads it as expired', async () => {
      const tx = sampleTransaction();
      await store.create(tx);
      now = tx.expiresAt - 1;
      expect(await store.get(tx.id)).toMatchObject({ status: 'pending' });
      now = tx.expiresAt;
      expect(await store.get(tx.id)).toMatchObject({ status: 'expired' });
      expect(await store.findByState(tx.state)).toMatchObject({ status: 'expired' });
      expect(await store.complete(tx.id, RESPONDED)).toBe(false);
      expect(await store.get(tx.id)).toStrictEqual({ ...tx, status: 'expired' });
    });

    it('refuses an outcome that is malformed', async () => {
      const tx = sampleTransaction();
      await store.create(tx);
      await expect(store.complete(tx.id, { status: 'responded' } as never)).rejects.toThrow(TypeError);
      await expect(store.complete(tx.id, { status: 'responded', result: null })).rejects.toThrow(TypeError);
      await expect(store.complete(tx.id, { status: 'failed', error: { message: 'no code' } } as never)).rejects.toThrow(
        TypeError,
      );
      await expect(store.complete(tx.id, { status: 'expired' } as never)).rejects.toThrow(TypeError);
      expect(await store.get(tx.id)).toMatchObject({ status: 'pending' });
    });
  });

  describe('expiring', () => {
    it('marks pending transactions whose expiry has come, and only those', async () => {
      const due = sampleTransaction({ expiresAt: T0 + MINUTE });
      const dueExactlyNow = sampleTransaction({ expiresAt: T0 + 2 * MINUTE });
      const later = sampleTransaction({ expiresAt: T0 + 10 * MINUTE });
      const answered = sampleTransaction({ expiresAt: T0 + MINUTE });
      for (const tx of [due, dueExactlyNow, later, answered]) await store.create(tx);
      expect(await store.complete(answered.id, RESPONDED)).toBe(true);

      expect(await store.expire(T0 + 2 * MINUTE)).toBe(2);
      expect(await store.get(due.id)).toMatchObject({ status: 'expired' });
      expect(await store.get(dueExactlyNow.id)).toMatchObject({ status: 'expired' });
      expect(await store.get(later.id)).toMatchObject({ status: 'pending' });
      expect(await store.get(answered.id)).toMatchObject({ status: 'responded', result: RESPONDED.result });
      expect(await store.expire(T0 + 2 * MINUTE)).toBe(0);
    });

    it('never completes a transaction that expire() has marked, even if the clock says it is still valid', async () => {
      const tx = sampleTransaction({ expiresAt: T0 + MINUTE });
      await store.create(tx);
      expect(await store.expire(T0 + MINUTE)).toBe(1);
      expect(await store.complete(tx.id, RESPONDED)).toBe(false);
      expect(await store.get(tx.id)).toMatchObject({ status: 'expired' });
    });

    it('purges every transaction that expired before the cut-off, results included, and nothing newer', async () => {
      const old = sampleTransaction({ expiresAt: T0 + MINUTE });
      const oldAnswered = sampleTransaction({ expiresAt: T0 + MINUTE });
      const atCutOff = sampleTransaction({ expiresAt: T0 + 2 * MINUTE });
      const fresh = sampleTransaction({ expiresAt: T0 + 10 * MINUTE });
      for (const tx of [old, oldAnswered, atCutOff, fresh]) await store.create(tx);
      expect(await store.complete(oldAnswered.id, RESPONDED)).toBe(true);

      expect(await store.purge(T0 + 2 * MINUTE)).toBe(2);
      expect(await store.get(old.id)).toBeUndefined();
      expect(await store.get(oldAnswered.id)).toBeUndefined();
      expect(await store.findByState(oldAnswered.state)).toBeUndefined();
      expect(await store.get(atCutOff.id)).toMatchObject({ status: 'pending' });
      expect(await store.get(fresh.id)).toMatchObject({ status: 'pending' });
      expect(await store.purge(T0 + 2 * MINUTE)).toBe(0);
      await expect(store.purge(Number.NaN)).rejects.toThrow(TypeError);
    });

    it('expires by its own clock when no time is given', async () => {
      const tx = sampleTransaction({ expiresAt: T0 + MINUTE });
      await store.create(tx);
      expect(await store.expire()).toBe(0);
      now = T0 + MINUTE;
      expect(await store.expire()).toBe(1);
    });
  });

  const { openSibling, reopen, corrupt } = backend;

  if (openSibling !== undefined) {
    describe('shared by several instances (replicas)', () => {
      it('shows one instance’s transactions to another', async () => {
        const other = await openSibling(clock);
        const tx = sampleTransaction();
        await store.create(tx);
        expect(await other.get(tx.id)).toStrictEqual({ ...tx, status: 'pending' });
        expect(await other.findByState(tx.state)).toMatchObject({ id: tx.id });
        await expect(other.create(sampleTransaction({ state: tx.state }))).rejects.toThrow(TypeError);
      });

      it('lets exactly one completion win across both instances', async () => {
        const other = await openSibling(clock);
        const tx = sampleTransaction();
        await store.create(tx);
        const won = await Promise.all(
          Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? store : other).complete(tx.id, i % 3 === 0 ? FAILED : RESPONDED)),
        );
        expect(won.filter(Boolean)).toHaveLength(1);
        expect((await other.get(tx.id))?.status).toMatch(/^(responded|failed)$/);
        expect(await store.get(tx.id)).toStrictEqual(await other.get(tx.id));
      });

      it('sees an expiry that the other instance recorded', async () => {
        const other = await openSibling(clock);
        const tx = sampleTransaction({ expiresAt: T0 + MINUTE });
        await store.create(tx);
        expect(await other.expire(T0 + MINUTE)).toBe(1);
        expect(await store.complete(tx.id, RESPONDED)).toBe(false);
      });
    });
  }

  if (reopen !== undefined) {
    it('keeps transactions and their outcomes across a restart', async () => {
      const pending = sampleTransaction({ purpose: { en: 'To check your residence status', ar: 'للتحقق من وضع إقامتك' } });
      const done = sampleTransaction();
      await store.create(pending);
      await store.create(done);
      await store.complete(done.id, RESPONDED);
      const restarted = await reopen(clock);
      expect(await restarted.get(pending.id)).toStrictEqual({ ...pending, status: 'pending' });
      expect(await restarted.findByState(done.state)).toStrictEqual({ ...done, status: 'responded', result: RESPONDED.result });
      expect(await restarted.complete(done.id, FAILED)).toBe(false);
      expect(await restarted.complete(pending.id, FAILED)).toBe(true);
    });
  }

  if (corrupt !== undefined) {
    describe('damaged records', () => {
      it.each(CORRUPTIONS)('reads a record with a %s as absent, without failing, and keeps serving the others', async (kind) => {
        const damaged = sampleTransaction();
        const sound = sampleTransaction();
        await store.create(damaged);
        await store.create(sound);
        await corrupt(damaged.id, kind);
        expect(await store.get(damaged.id)).toBeUndefined();
        expect(await store.findByState(damaged.state)).toBeUndefined();
        expect(await store.get(sound.id)).toStrictEqual({ ...sound, status: 'pending' });
        expect(await store.expire(T0 + 10 * MINUTE)).toBeGreaterThanOrEqual(1);
        expect(await store.get(sound.id)).toMatchObject({ status: 'expired' });
      });
    });
  }
}
