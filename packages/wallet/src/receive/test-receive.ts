/** Test-only helpers for the receive tests, which run against the real issuer app. */
import type { JsonObject } from '@tessera/shared';
import { expect } from 'vitest';
import type { Wallet } from '../wallet/wallet.ts';
import type { WalletFetch } from './wallet-http.ts';

/**
 * A fetch that hands the real issuer's JSON answer for URLs matching `match` to `alter` first:
 * tampering on the way to the wallet, with the issuer itself unchanged.
 */
export const alteringFetch =
  (match: RegExp, alter: (body: JsonObject) => JsonObject): WalletFetch =>
  async (url, init) => {
    const response = await fetch(url, init);
    if (!match.test(url) || response.status !== 200) return response;
    const body = alter((await response.json()) as JsonObject);
    return new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });
  };

/** Nothing of a failed receive stays: no credential, no key, no history. */
export async function expectNothingStored(wallet: Wallet): Promise<void> {
  expect(await wallet.records.list('credential')).toEqual([]);
  expect(await wallet.keys.list()).toEqual([]);
  expect(await wallet.history.list()).toEqual([]);
}

/** A string that differs from `pin` in every position and has its length. */
export const wrongPin = (pin: string): string => [...pin].map((digit) => String((Number(digit) + 1) % 10)).join('');
