import { type AutoLock, autoLock, type Wallet } from '../index.ts';

/**
 * Locking on a shared or searched phone (issue 6 §1 "Safety"): the wallet locks after a quiet
 * period and as soon as the page is hidden (another app, the home screen, a switched tab, a
 * closed or frozen page), so a phone handed over or picked up shows only the locked screen.
 */

/** The app's quiet period before the wallet locks: two minutes (the library's default is five). */
export const DEFAULT_IDLE_MS = 2 * 60 * 1000;

/**
 * Locks `wallet` after `idleMs` without activity, with the library's `autoLock` (every read and
 * write of the wallet counts as activity, and so does `touch()` on user input), and then calls
 * `onLocked`, so the app replaces the wallet's screen with the locked one. The library locks
 * through the timer functions it is given; wrapping them is how the app hears of it.
 * @example const idle = startAutoLock(wallet, { onLocked: showLockedScreen }); addEventListener('keydown', idle.touch);
 */
export function startAutoLock(
  wallet: Wallet,
  { onLocked, idleMs = DEFAULT_IDLE_MS }: { onLocked: () => void; idleMs?: number },
): AutoLock {
  return autoLock(wallet, {
    idleMs,
    timers: {
      setTimeout: (callback, ms) =>
        setTimeout(() => {
          callback();
          onLocked();
        }, ms),
      clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
    },
  });
}

/** The events that count as the user doing something. */
export const ACTIVITY_EVENTS: readonly string[] = ['pointerdown', 'keydown', 'input', 'wheel', 'touchstart'];

/** What `watchPage` needs of the page. */
export interface PageEvents {
  readonly document: { readonly visibilityState: string; addEventListener(type: string, listener: () => void): void };
  addEventListener(type: string, listener: () => void, options?: { passive?: boolean; capture?: boolean }): void;
}

/**
 * Wires the page to the lock: user activity feeds `activity`, and `visibilitychange` to hidden or
 * `pagehide` (HTML Living Standard §7.4.7: the page is being unloaded or put in the back/forward
 * cache) calls `onHidden`, so the locked screen is what a task switcher or a restored page shows.
 */
export function watchPage(page: PageEvents, { activity, onHidden }: { activity: () => void; onHidden: () => void }): void {
  for (const type of ACTIVITY_EVENTS) page.addEventListener(type, activity, { passive: true, capture: true });
  page.document.addEventListener('visibilitychange', () => {
    if (page.document.visibilityState === 'hidden') onHidden();
  });
  page.addEventListener('pagehide', onHidden);
}
