import { isTesseraError, type JsonValue } from '@tessera/shared';
import { errorCodeOfAsync } from '@tessera/shared/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestProfile, fileBackend, type TestBackend } from '../node/test-wallets.ts';
import { heldCredentials } from '../present/held-credentials.ts';
import { type AutoLockTimers, autoLock } from './auto-lock.ts';
import { VIEW_CACHE_KIND } from './view-cache.ts';
import type { Wallet } from './wallet.ts';

const MINUTE = 60_000;
let backend: TestBackend;
let profiles = 0;

beforeEach(async () => {
  backend = await fileBackend();
});
afterEach(async () => {
  vi.useRealTimers();
  await backend.dispose();
});

const newWallet = (): Promise<Wallet> => createTestProfile(backend, `p${++profiles}`, '4711');

describe('autoLock', () => {
  // Only the timers are faked: the file store's I/O stays real.
  const fakeTimers = (): void => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
  };

  it('locks the wallet after idleMs without activity, dropping the data key and every signing key', async () => {
    const wallet = await newWallet();
    const [key] = await wallet.keys.generateBatch(1);
    const signer = await wallet.keys.signingKey(key?.id as string);
    fakeTimers();
    autoLock(wallet, { idleMs: 5 * MINUTE });
    vi.advanceTimersByTime(5 * MINUTE - 1);
    expect(wallet.locked).toBe(false);
    vi.advanceTimersByTime(1);
    expect(wallet.locked).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect(await errorCodeOfAsync(wallet.records.list('credential'))).toBe('wallet_locked');
    expect(await errorCodeOfAsync(wallet.history.add({ event: 'credential_deleted' }))).toBe('wallet_locked');
    expect(await errorCodeOfAsync(signer.sign(new Uint8Array([1, 2, 3])))).toBe('wallet_locked');
  });

  it('locks after five minutes by default', async () => {
    const wallet = await newWallet();
    fakeTimers();
    autoLock(wallet);
    vi.advanceTimersByTime(5 * MINUTE - 1);
    expect(wallet.locked).toBe(false);
    vi.advanceTimersByTime(1);
    expect(wallet.locked).toBe(true);
  });

  it('counts every read and write of the wallet as activity', async () => {
    const wallet = await newWallet();
    fakeTimers();
    autoLock(wallet, { idleMs: MINUTE });
    vi.advanceTimersByTime(50_000);
    await wallet.records.put('metadata', { language: 'ar' }, 'settings');
    vi.advanceTimersByTime(50_000);
    expect(await wallet.records.get('metadata', 'settings')).toEqual({ language: 'ar' });
    vi.advanceTimersByTime(50_000);
    await wallet.history.list();
    vi.advanceTimersByTime(MINUTE - 1);
    expect(wallet.locked).toBe(false);
    vi.advanceTimersByTime(1);
    expect(wallet.locked).toBe(true);
  });

  it('starts the idle time again on touch(), and stop() leaves the wallet unlocked for good', async () => {
    const wallet = await newWallet();
    fakeTimers();
    const idle = autoLock(wallet, { idleMs: MINUTE });
    vi.advanceTimersByTime(MINUTE - 1);
    idle.touch();
    vi.advanceTimersByTime(MINUTE - 1);
    expect(wallet.locked).toBe(false);
    idle.stop();
    idle.stop();
    idle.touch();
    await wallet.records.list('credential');
    vi.advanceTimersByTime(60 * MINUTE);
    expect(wallet.locked).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('stops by itself when the wallet is locked by hand, and does nothing for a locked wallet', async () => {
    const wallet = await newWallet();
    fakeTimers();
    const idle = autoLock(wallet, { idleMs: MINUTE });
    expect(vi.getTimerCount()).toBe(1);
    wallet.lock();
    expect(vi.getTimerCount()).toBe(0);
    idle.touch();
    expect(vi.getTimerCount()).toBe(0);
    autoLock(wallet, { idleMs: MINUTE }).touch();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('refuses an idle time that is not a positive number of milliseconds a timer can wait', async () => {
    const wallet = await newWallet();
    for (const idleMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31, '60000' as unknown as number]) {
      expect(() => autoLock(wallet, { idleMs }), String(idleMs)).toThrow(TypeError);
    }
    expect(() => autoLock({} as Wallet)).toThrow(TypeError);
  });

  it('uses the timers it is given, and unrefs the timer so a Node process can exit', async () => {
    const wallet = await newWallet();
    const pending = new Map<number, { callback: () => void; ms: number; unrefed: boolean }>();
    let next = 0;
    const timers: AutoLockTimers = {
      setTimeout: (callback, ms) => {
        const handle = { id: ++next, unref: () => ((pending.get(handle.id) as { unrefed: boolean }).unrefed = true) };
        pending.set(handle.id, { callback, ms, unrefed: false });
        return handle;
      },
      clearTimeout: (handle) => {
        pending.delete((handle as { id: number }).id);
      },
    };
    const idle = autoLock(wallet, { idleMs: 1234, timers });
    expect([...pending.values()].map(({ ms, unrefed }) => ({ ms, unrefed }))).toEqual([{ ms: 1234, unrefed: true }]);
    idle.touch();
    expect(pending.size).toBe(1);
    const [id, timer] = [...pending.entries()][0] as [number, { callback: () => void }];
    pending.delete(id);
    timer.callback();
    expect(wallet.locked).toBe(true);
    expect(pending.size).toBe(0);
  });
});

/**
 * lock() at every point of an operation: the operation is started, `ticks` turns of the event loop
 * pass, the wallet is locked, and the outcome is checked. It must have completed whole or failed
 * with wallet_locked having written nothing. Runs until the operation completes before the lock.
 */
async function lockAtEveryPoint(
  operation: (wallet: Wallet) => Promise<unknown>,
  stored: (wallet: Wallet) => Promise<{ whole: boolean; none: boolean }>,
  prepare: (wallet: Wallet) => Promise<unknown> = async () => undefined,
): Promise<{ completed: number; refused: number }> {
  const outcomes = { completed: 0, refused: 0 };
  for (let ticks = 0; ticks < 500; ticks++) {
    const wallet = await newWallet();
    await prepare(wallet);
    const running = operation(wallet).then(
      () => 'completed' as const,
      (error: unknown) => {
        if (isTesseraError(error, 'wallet_locked')) return 'refused' as const;
        throw error;
      },
    );
    for (let tick = 0; tick < ticks; tick++) await new Promise((resolve) => setImmediate(resolve));
    wallet.lock();
    const outcome = await running;
    outcomes[outcome]++;
    const state = await stored(wallet);
    expect(outcome === 'completed' ? state.whole : state.none, `${outcome} after ${ticks} ticks`).toBe(true);
    if (outcome === 'completed') return outcomes;
  }
  throw new Error('The operation never completed');
}

describe('lock() in the middle of an operation', () => {
  it('a commit of several records and a history entry stores all of them or none', async () => {
    const puts = Array.from({ length: 8 }, (_, index) => ({ kind: 'credential' as const, value: { index } as JsonValue }));
    const outcomes = await lockAtEveryPoint(
      (wallet) => wallet.commit({ put: puts, history: [{ event: 'credential_received' }] }),
      async (wallet) => {
        const records = await backend.store.listRecords(wallet.profile);
        return { whole: records.length === 9, none: records.length === 0 };
      },
    );
    expect(outcomes.refused).toBeGreaterThan(0);
  });

  it('a batch of holder keys is stored whole or not at all', async () => {
    const outcomes = await lockAtEveryPoint(
      (wallet) => wallet.keys.generateBatch(3),
      async (wallet) => {
        const keys = await backend.store.listRecords(wallet.profile, 'holder-key');
        return { whole: keys.length === 3, none: keys.length === 0 };
      },
    );
    expect(outcomes.refused).toBeGreaterThan(0);
  });

  it('reading held credentials completes with its view cache written, or fails with wallet_locked and writes none', async () => {
    const outcomes = await lockAtEveryPoint(
      (wallet) => heldCredentials(wallet),
      async (wallet) => {
        const caches = await backend.store.listRecords(wallet.profile, VIEW_CACHE_KIND);
        return { whole: caches.length === 1, none: caches.length === 0 };
      },
      // Records that are no presentable credential still have a (null) entry in the cache.
      (wallet) => wallet.commit({ put: Array.from({ length: 6 }, (_, index) => ({ kind: 'credential', value: { index } })) }),
    );
    expect(outcomes.refused).toBeGreaterThan(0);
  });
});
