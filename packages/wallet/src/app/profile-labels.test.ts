import { afterEach, describe, expect, it } from 'vitest';
import { createProfile, listProfiles } from '../index.ts';
import { FAST_SCRYPT, fileBackend, type TestBackend } from '../node/test-wallets.ts';
import { cleanName, type KeyValueStorage, newProfileId, profileLabels } from './profile-labels.ts';

function memoryStorage(initial: Record<string, string> = {}): KeyValueStorage & { data: Map<string, string> } {
  const data = new Map(Object.entries(initial));
  return { data, getItem: (key) => data.get(key) ?? null, setItem: (key, value) => void data.set(key, value) };
}

let backend: TestBackend | undefined;
afterEach(async () => {
  await backend?.dispose();
  backend = undefined;
});

describe('profile labels', () => {
  it('list wallets in creation order with their names, or a number that stays when an earlier wallet is wiped', () => {
    const labels = profileLabels(memoryStorage());
    labels.add('wb', 'Amina', 1);
    labels.add('wa', undefined, 2);
    labels.add('wc', '  Yonas ', 3);
    expect(labels.entries(['wa', 'wb', 'wc'])).toEqual([
      { id: 'wb', name: 'Amina', number: 1 },
      { id: 'wa', name: undefined, number: 2 },
      { id: 'wc', name: 'Yonas', number: 3 },
    ]);
    labels.remove('wb');
    expect(labels.entries(['wa', 'wc']).map(({ number }) => number)).toEqual([2, 3]);
    labels.add('wd', '', 4);
    expect(labels.entries(['wa', 'wc', 'wd']).at(-1)).toEqual({ id: 'wd', name: undefined, number: 4 });
  });

  it('survive a reload through the storage, and ignore what is malformed in it', () => {
    const storage = memoryStorage();
    profileLabels(storage).add('wa', 'Amina', 1);
    expect(profileLabels(storage).entries(['wa'])).toEqual([{ id: 'wa', name: 'Amina', number: 1 }]);
    const broken = memoryStorage({
      'tessera-wallet.profiles': '{"wa":{"createdAt":"x","number":1},"__proto__":{"createdAt":1,"number":7,"name":"Evil"}}',
    });
    expect(profileLabels(broken).entries(['wa', 'wb'])).toEqual([
      { id: 'wa', name: undefined, number: 1 },
      { id: 'wb', name: undefined, number: 2 },
    ]);
    expect(profileLabels(memoryStorage({ 'tessera-wallet.profiles': '{not json' })).entries(['wa'])).toHaveLength(1);
  });

  it('keep working in memory when the storage refuses to write', () => {
    const labels = profileLabels({
      getItem: () => null,
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    });
    labels.add('wa', 'Amina', 1);
    expect(labels.entries(['wa'])).toEqual([{ id: 'wa', name: 'Amina', number: 1 }]);
  });

  it('clean names: control and format characters out, trimmed, at most 40 characters', () => {
    expect(cleanName(' \u202eAmina\u0000 ')).toBe('Amina');
    expect(cleanName('   ')).toBeUndefined();
    expect(cleanName('ا'.repeat(60))).toHaveLength(40);
  });
});

describe('newProfileId', () => {
  it('makes random ids that the wallet store accepts as profile ids', async () => {
    const ids = new Set(Array.from({ length: 50 }, newProfileId));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(id).toMatch(/^w[0-9a-f]{20}$/);
    backend = await fileBackend();
    const id = newProfileId();
    const wallet = await createProfile({
      store: backend.store,
      profile: id,
      passphrase: '493817',
      scrypt: backend.scrypt,
      scryptParams: FAST_SCRYPT,
    });
    wallet.lock();
    expect(await listProfiles(backend.store)).toEqual([id]);
  });
});
