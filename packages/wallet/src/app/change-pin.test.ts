import { errorCodeOfAsync } from '@tessera/shared/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProfile } from '../index.ts';
import { createTestProfile, fileBackend, type TestBackend } from '../node/test-wallets.ts';
import { changePin } from './change-pin.ts';

/** Changing the PIN on a real file store (FAST_SCRYPT): the old PIN stops working only when the change is made. */

const OLD = '493817';
const NEW = '720046';
let backend: TestBackend;
let counter = 0;

beforeAll(async () => {
  backend = await fileBackend();
});

afterAll(async () => {
  await backend?.dispose();
});

const open = (profile: string, passphrase: string) => openProfile({ store: backend.store, profile, passphrase });

describe('changing the PIN', () => {
  it('re-wraps the wallet under the new PIN: the old one no longer opens it, the new one does, and the history says so', async () => {
    const profile = `pin-${++counter}`;
    const wallet = await createTestProfile(backend, profile, OLD);
    await wallet.records.put('metadata', { kept: true }, 'kept');
    expect(await changePin(wallet, { current: OLD, next: NEW, again: NEW })).toEqual({ changed: true });
    expect(await errorCodeOfAsync(open(profile, OLD))).toBe('wrong_passphrase');
    const reopened = await open(profile, NEW);
    expect(await reopened.records.get('metadata', 'kept')).toEqual({ kept: true });
    expect((await reopened.history.list()).map((entry) => entry.event)).toEqual(['passphrase_changed']);
  });

  it('says a wrong current PIN is wrong and changes nothing', async () => {
    const profile = `pin-${++counter}`;
    const wallet = await createTestProfile(backend, profile, OLD);
    expect(await changePin(wallet, { current: '000000', next: NEW, again: NEW })).toEqual({
      changed: false,
      problem: 'pin.wrong_current',
      field: 'current',
    });
    expect(await changePin(wallet, { current: '', next: NEW, again: NEW })).toMatchObject({ problem: 'pin.wrong_current' });
    expect(await errorCodeOfAsync(open(profile, NEW))).toBe('wrong_passphrase');
    expect((await open(profile, OLD)).profile).toBe(profile);
    expect(await wallet.history.list()).toEqual([]);
  });

  it('holds the new PIN to the rules of a new wallet’s: long enough, and typed the same twice', async () => {
    const profile = `pin-${++counter}`;
    const wallet = await createTestProfile(backend, profile, OLD);
    expect(await changePin(wallet, { current: OLD, next: '12345', again: '12345' })).toEqual({
      changed: false,
      problem: 'create.pin_too_short',
      field: 'next',
    });
    expect(await changePin(wallet, { current: OLD, next: NEW, again: '720047' })).toEqual({
      changed: false,
      problem: 'create.pin_mismatch',
      field: 'again',
    });
    expect((await open(profile, OLD)).profile).toBe(profile);
  });

  it('changes nothing once the wallet is locked', async () => {
    const profile = `pin-${++counter}`;
    const wallet = await createTestProfile(backend, profile, OLD);
    wallet.lock();
    expect(await changePin(wallet, { current: OLD, next: NEW, again: NEW })).toMatchObject({
      changed: false,
      problem: 'error.unknown',
    });
    expect((await open(profile, OLD)).profile).toBe(profile);
  });
});
