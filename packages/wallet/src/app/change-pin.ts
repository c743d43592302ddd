import { isTesseraError } from '@tessera/shared';
import type { Wallet } from '../index.ts';
import type { AppMessageKey } from './i18n.ts';
import { pinProblem } from './screens/create-profile.ts';

/** What the PIN form sends: the PIN in use, and the new one typed twice. */
export interface PinChange {
  readonly current: string;
  readonly next: string;
  readonly again: string;
}

/** The result: changed, or why not (a catalog key), and which field to go back to. */
export type PinChangeResult =
  | { readonly changed: true }
  | { readonly changed: false; readonly problem: AppMessageKey; readonly field: 'current' | 'next' | 'again' };

/**
 * Changes the wallet's PIN (issue 6 §1 "Safety") through the library's `changePassphrase`, which
 * checks the current PIN by unwrapping the data key with it and re-wraps only that key under the
 * new one (docs/wallet.md "Keys"), so a wrong current PIN changes nothing. The new PIN follows the
 * rules of a new wallet's. A change is noted in the holder's history (`passphrase_changed`).
 * @example const result = await changePin(wallet, { current: '493817', next: '720046', again: '720046' });
 */
export async function changePin(wallet: Wallet, { current, next, again }: PinChange): Promise<PinChangeResult> {
  if (current === '') return { changed: false, problem: 'pin.wrong_current', field: 'current' };
  const problem = pinProblem(next, again);
  if (problem !== undefined) return { changed: false, problem, field: problem === 'create.pin_too_short' ? 'next' : 'again' };
  try {
    await wallet.changePassphrase(current, next);
  } catch (error) {
    if (isTesseraError(error) && error.code === 'wrong_passphrase') {
      return { changed: false, problem: 'pin.wrong_current', field: 'current' };
    }
    return { changed: false, problem: 'error.unknown', field: 'current' };
  }
  try {
    await wallet.history.add({ event: 'passphrase_changed' });
  } catch {
    // The PIN is changed; a missing history line is not worth telling the holder otherwise.
  }
  return { changed: true };
}
