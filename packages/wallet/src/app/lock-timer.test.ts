import { errorCodeOfAsync } from '@tessera/shared/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Wallet } from '../index.ts';
import { createTestProfile, fileBackend, type TestBackend } from '../node/test-wallets.ts';
import { DEFAULT_IDLE_MS, startAutoLock, watchPage } from './lock-timer.ts';

let backend: TestBackend;
let wallet: Wallet;

beforeEach(async () => {
  backend = await fileBackend();
  wallet = await createTestProfile(backend, 'holder', '493817');
  // The key is derived with real timers; the clock is frozen only for what the app's lock does.
  vi.useFakeTimers();
});
afterEach(async () => {
  vi.useRealTimers();
  wallet.lock();
  await backend.dispose();
});

describe('startAutoLock', () => {
  it('locks the wallet after two minutes without activity and then shows the locked screen, once', () => {
    const onLocked = vi.fn();
    startAutoLock(wallet, { onLocked });
    expect(DEFAULT_IDLE_MS).toBe(120_000);
    vi.advanceTimersByTime(119_999);
    expect(wallet.locked).toBe(false);
    expect(onLocked).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(wallet.locked).toBe(true);
    expect(onLocked).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10 * DEFAULT_IDLE_MS);
    expect(onLocked).toHaveBeenCalledTimes(1);
  });

  it('starts the quiet period again on each touch, and a locked wallet refuses to be read', async () => {
    const onLocked = vi.fn();
    const idle = startAutoLock(wallet, { onLocked, idleMs: 1000 });
    for (let step = 0; step < 5; step++) {
      vi.advanceTimersByTime(900);
      idle.touch();
    }
    expect(wallet.locked).toBe(false);
    vi.advanceTimersByTime(1000);
    expect(onLocked).toHaveBeenCalledTimes(1);
    expect(await errorCodeOfAsync(wallet.records.list('credential'))).toBe('wallet_locked');
  });

  it('does nothing once stopped (the app locked for another reason), even on later touches', () => {
    const onLocked = vi.fn();
    const idle = startAutoLock(wallet, { onLocked, idleMs: 1000 });
    idle.stop();
    idle.touch();
    vi.advanceTimersByTime(5000);
    expect(onLocked).not.toHaveBeenCalled();
    expect(wallet.locked).toBe(false);
  });

  it('stops by itself when the wallet is locked by hand', () => {
    const onLocked = vi.fn();
    startAutoLock(wallet, { onLocked, idleMs: 1000 });
    wallet.lock();
    vi.advanceTimersByTime(5000);
    expect(onLocked).not.toHaveBeenCalled();
  });

  it('refuses a quiet period that is not a positive number (a programmer mistake)', () => {
    expect(() => startAutoLock(wallet, { onLocked: () => undefined, idleMs: 0 })).toThrow(TypeError);
    expect(() => startAutoLock(wallet, { onLocked: () => undefined, idleMs: Number.NaN })).toThrow(TypeError);
  });
});

/** A stand-in page: listeners by type, and a visibility state the test sets. */
function fakePage() {
  const listeners = new Map<string, (() => void)[]>();
  const add = (type: string, listener: () => void): void => {
    listeners.set(type, [...(listeners.get(type) ?? []), listener]);
  };
  const page = {
    document: { visibilityState: 'visible', addEventListener: add },
    addEventListener: add,
  };
  const fire = (type: string): void => {
    for (const listener of listeners.get(type) ?? []) listener();
  };
  return { page, fire };
}

describe('watchPage', () => {
  it('locks when the page becomes hidden or is hidden away (pagehide), not when it becomes visible', () => {
    const { page, fire } = fakePage();
    const onHidden = vi.fn();
    watchPage(page, { activity: () => undefined, onHidden });
    fire('visibilitychange');
    expect(onHidden).not.toHaveBeenCalled();
    page.document.visibilityState = 'hidden';
    fire('visibilitychange');
    expect(onHidden).toHaveBeenCalledTimes(1);
    fire('pagehide');
    expect(onHidden).toHaveBeenCalledTimes(2);
  });

  it('counts taps, keys and typing as activity that keeps the wallet open', () => {
    const { page, fire } = fakePage();
    const onLocked = vi.fn();
    const idle = startAutoLock(wallet, { onLocked, idleMs: 1000 });
    watchPage(page, { activity: idle.touch, onHidden: () => undefined });
    for (const type of ['pointerdown', 'keydown', 'input', 'touchstart']) {
      vi.advanceTimersByTime(900);
      fire(type);
    }
    expect(wallet.locked).toBe(false);
    vi.advanceTimersByTime(1000);
    expect(wallet.locked).toBe(true);
    expect(onLocked).toHaveBeenCalledTimes(1);
  });
});
