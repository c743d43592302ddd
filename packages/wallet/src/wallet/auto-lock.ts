import { sessionOf, type Wallet } from './wallet.ts';

/** The timer functions auto-lock uses; `globalThis` has them in browsers and Node. */
export interface AutoLockTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface AutoLockOptions {
  /** Milliseconds without activity before the wallet locks. Default 5 minutes. */
  readonly idleMs?: number;
  /** Default `globalThis`. */
  readonly timers?: AutoLockTimers;
}

/** A running auto-lock. */
export interface AutoLock {
  /** Counts as activity (the app calls it on user input): the idle time starts again. */
  touch(): void;
  /** Stops watching and leaves the wallet as it is; idempotent. */
  stop(): void;
}

/** Timers cannot wait longer (2^31 − 1 ms, about 24.8 days). */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Locks the wallet after `idleMs` without activity, as `wallet.lock()` does: the data key and
 * every unwrapped signing key are dropped and later calls fail with `wallet_locked` (issue 5/6:
 * "the app locks itself after inactivity"; OWASP MASVS-AUTH: a session ends after inactivity).
 * Every read and write of the wallet is activity, and so is `touch()`, which the app calls on user
 * input. It stops by itself when the wallet locks for any reason; in Node its timer does not keep
 * the process alive.
 * @example
 * const idle = autoLock(wallet, { idleMs: 2 * 60_000 });
 * document.addEventListener('pointerdown', () => idle.touch());
 */
export function autoLock(wallet: Wallet, { idleMs = 5 * 60_000, timers = globalThis }: AutoLockOptions = {}): AutoLock {
  if (typeof idleMs !== 'number' || !(idleMs > 0) || idleMs > MAX_DELAY_MS) {
    throw new TypeError(`idleMs must be a number of milliseconds above 0 and at most ${MAX_DELAY_MS}`);
  }
  const session = sessionOf(wallet);
  if (session.locked) return { touch: () => undefined, stop: () => undefined };

  let handle: unknown;
  let stopped = false;
  const cancel = (): void => {
    if (handle !== undefined) timers.clearTimeout(handle);
    handle = undefined;
  };
  // Re-arming on each activity (rather than comparing clock readings) keeps the lock independent
  // of wall-clock jumps; a clear and a set cost about a microsecond, a record decryption tens.
  const arm = (): void => {
    cancel();
    handle = timers.setTimeout(() => {
      handle = undefined;
      stop();
      wallet.lock();
    }, idleMs);
    (handle as { unref?: () => void } | null)?.unref?.();
  };
  const touch = (): void => {
    if (!stopped) arm();
  };
  const stopWatchingActivity = session.onActivity(touch);
  const stopWatchingLock = session.onLock(() => stop());
  function stop(): void {
    if (stopped) return;
    stopped = true;
    cancel();
    stopWatchingActivity();
    stopWatchingLock();
  }
  arm();
  return { touch, stop };
}
