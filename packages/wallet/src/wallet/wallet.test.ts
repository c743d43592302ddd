import { errorCodeOfAsync } from '@tessera/shared/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BACKENDS, FAST_SCRYPT, type TestBackend } from '../node/test-wallets.ts';
import { createProfile, listProfiles, openProfile, wipeProfile } from './profiles.ts';

describe.each(BACKENDS)('a wallet on the %s', (_name, makeBackend) => {
  let backend: TestBackend;
  const T0 = Date.UTC(2026, 2, 1, 10);
  const clock = (): number => T0;

  beforeEach(async () => {
    backend = await makeBackend();
  });
  afterEach(() => backend.dispose());

  const create = (profile: string, passphrase: string) =>
    createProfile({ store: backend.store, profile, passphrase, scrypt: backend.scrypt, scryptParams: FAST_SCRYPT, clock });
  const open = (profile: string, passphrase: string) =>
    openProfile({ store: backend.store, profile, passphrase, scrypt: backend.scrypt, clock });

  it('stores records encrypted and reads them back after reopening with the passphrase', async () => {
    const wallet = await create('amina', '4711');
    const id = await wallet.records.put('credential', { vct: 'https://example.org/permit', sdJwt: 'eyJ...~' });
    await wallet.records.put('metadata', { lang: 'ar' }, 'settings');
    const again = await open('amina', '4711');
    expect(await again.records.get('credential', id)).toEqual({ vct: 'https://example.org/permit', sdJwt: 'eyJ...~' });
    expect(await again.records.get('metadata', 'settings')).toEqual({ lang: 'ar' });
    expect(await again.records.get('metadata', id)).toBeUndefined();
    expect((await again.records.list('credential')).map((record) => record.id)).toEqual([id]);
    await again.records.delete('metadata', id);
    expect(await again.records.get('credential', id)).toBeDefined();
    await again.records.delete('credential', id);
    expect(await again.records.list('credential')).toEqual([]);
    const stored = await backend.store.listRecords('amina');
    const everything = new TextDecoder().decode(Uint8Array.from(stored.flatMap((record) => [...record.body])));
    expect(everything).not.toContain('lang');
  });

  it('refuses a wrong passphrase with wrong_passphrase and changes nothing', async () => {
    const wallet = await create('amina', '4711');
    await wallet.records.put('credential', { n: 1 }, 'c1');
    const header = await backend.store.readHeader('amina');
    const records = await backend.store.listRecords('amina');
    expect(await errorCodeOfAsync(open('amina', '4712'))).toBe('wrong_passphrase');
    expect(await errorCodeOfAsync(open('amina', '4711 '))).toBe('wrong_passphrase');
    expect(await backend.store.readHeader('amina')).toEqual(header);
    expect(await backend.store.listRecords('amina')).toEqual(records);
    expect(await errorCodeOfAsync(open('nobody', '4711'))).toBe('profile_not_found');
  });

  it('refuses to create a profile that exists', async () => {
    await create('amina', '4711');
    expect(await errorCodeOfAsync(create('amina', 'other'))).toBe('profile_exists');
    await open('amina', '4711');
  });

  it('reports a damaged record and records whose ciphertexts were swapped as wallet_corrupt', async () => {
    const wallet = await create('amina', '4711');
    await wallet.records.put('credential', { holder: 'A' }, 'c1');
    await wallet.records.put('credential', { holder: 'B' }, 'c2');
    const [c1, c2] = [await backend.store.getRecord('amina', 'c1'), await backend.store.getRecord('amina', 'c2')];
    if (c1 === undefined || c2 === undefined) throw new Error('records missing');
    await backend.store.write('amina', {
      put: [
        { ...c1, body: c2.body },
        { ...c2, body: c1.body },
      ],
    });
    expect(await errorCodeOfAsync(wallet.records.get('credential', 'c1'))).toBe('wallet_corrupt');
    expect(await errorCodeOfAsync(wallet.records.list('credential'))).toBe('wallet_corrupt');
    const flipped = c1.body.slice();
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] as number) ^ 0x80;
    await backend.store.write('amina', { put: [{ ...c1, body: flipped }, c2] });
    expect(await errorCodeOfAsync(wallet.records.get('credential', 'c1'))).toBe('wallet_corrupt');
    expect(await wallet.records.get('credential', 'c2')).toEqual({ holder: 'B' });
    // A record moved to another kind under the same id does not decrypt either.
    await backend.store.write('amina', { put: [{ ...c2, kind: 'metadata' }] });
    expect(await errorCodeOfAsync(wallet.records.get('metadata', 'c2'))).toBe('wallet_corrupt');
  });

  it('reports a damaged header as wallet_corrupt', async () => {
    await create('amina', '4711');
    await backend.store.write('amina', { header: new TextEncoder().encode('{"format":"tessera-wallet","version":1}') });
    expect(await errorCodeOfAsync(open('amina', '4711'))).toBe('wallet_corrupt');
  });

  it('changes the passphrase by re-wrapping the data key only', async () => {
    const wallet = await create('amina', 'old');
    await wallet.records.put('credential', { n: 1 }, 'c1');
    const before = await backend.store.getRecord('amina', 'c1');
    expect(await errorCodeOfAsync(wallet.changePassphrase('wrong', 'new'))).toBe('wrong_passphrase');
    expect((await open('amina', 'old')).profile).toBe('amina');
    await wallet.changePassphrase('old', 'new');
    expect(await backend.store.getRecord('amina', 'c1')).toEqual(before);
    expect(await errorCodeOfAsync(open('amina', 'old'))).toBe('wrong_passphrase');
    expect(await (await open('amina', 'new')).records.get('credential', 'c1')).toEqual({ n: 1 });
  });

  it('commits records, history and deletions together', async () => {
    const wallet = await create('amina', '4711');
    const [key] = await wallet.keys.generateBatch(1);
    await wallet.commit({
      put: [{ kind: 'credential', id: 'c1', value: { keyId: key?.id ?? '' } }],
      history: [{ event: 'credential_received', details: { issuer: 'https://issuer.example' } }],
    });
    expect(await wallet.records.get('credential', 'c1')).toEqual({ keyId: key?.id });
    await wallet.commit({
      delete: [{ kind: 'credential', id: 'c1' }],
      deleteKeys: [key?.id ?? ''],
      history: [{ event: 'credential_deleted', details: {}, at: T0 + 1 }],
    });
    expect(await wallet.records.list('credential')).toEqual([]);
    expect(await wallet.keys.list()).toEqual([]);
    expect((await wallet.history.list()).map((entry) => [entry.event, entry.at])).toEqual([
      ['credential_received', T0],
      ['credential_deleted', T0 + 1],
    ]);
    // A failing commit writes none of its parts.
    await expect(
      wallet.commit({ put: [{ kind: 'credential', value: { n: 1 } }], history: [{ event: 'nope' as 'backup_restored' }] }),
    ).rejects.toThrow(TypeError);
    expect(await wallet.records.list('credential')).toEqual([]);
  });

  it('keeps a history, oldest first, and deletes entries on request', async () => {
    const wallet = await create('amina', '4711');
    const later = await wallet.history.add({ event: 'credential_presented', at: T0 + 5, details: { verifier: 'desk' } });
    await wallet.history.add({ event: 'presentation_declined', at: T0 + 1 });
    expect((await wallet.history.list()).map((entry) => entry.event)).toEqual(['presentation_declined', 'credential_presented']);
    await wallet.history.delete([later.id]);
    expect((await wallet.history.list()).map((entry) => entry.event)).toEqual(['presentation_declined']);
    await expect(wallet.records.put('history' as 'credential', {})).rejects.toThrow(TypeError);
  });

  it('filters the history by event, time and party, and exports the matches as JSON without anything else', async () => {
    const wallet = await create('amina', '4711');
    const desk = { clientId: 'x509_hash:abc', verified: true, name: 'Job centre' };
    await wallet.history.add({ event: 'credential_received', at: T0, details: { issuer: 'did:web:city.example' } });
    await wallet.history.add({ event: 'credential_presented', at: T0 + 10, details: { verifier: desk, disclosed: [] } });
    await wallet.history.add({
      event: 'presentation_declined',
      at: T0 + 20,
      details: { verifier: { ...desk, clientId: 'x509_hash:other' } },
    });
    const events = async (filter: Parameters<typeof wallet.history.list>[0]) =>
      (await wallet.history.list(filter)).map((entry) => entry.event);
    expect(await events({ events: ['credential_presented', 'presentation_declined'] })).toEqual([
      'credential_presented',
      'presentation_declined',
    ]);
    expect(await events({ since: T0 + 10, until: T0 + 20 })).toEqual(['credential_presented']);
    expect(await events({ party: 'x509_hash:abc' })).toEqual(['credential_presented']);
    expect(await events({ party: 'did:web:city.example' })).toEqual(['credential_received']);
    expect(await events({ party: 'nobody' })).toEqual([]);

    const exported = JSON.parse(await wallet.history.exportJson({ events: ['credential_presented'] }));
    expect(exported).toEqual({
      format: 'tessera-wallet-history',
      version: 1,
      exportedAt: expect.any(String),
      entries: [
        { event: 'credential_presented', at: new Date(T0 + 10).toISOString(), details: { verifier: desk, disclosed: [] } },
      ],
    });
  });

  it('fails every call with wallet_locked once locked', async () => {
    const wallet = await create('amina', '4711');
    await wallet.records.put('credential', { n: 1 }, 'c1');
    wallet.lock();
    expect(wallet.locked).toBe(true);
    for (const call of [
      wallet.records.get('credential', 'c1'),
      wallet.records.list('credential'),
      wallet.records.put('credential', {}),
      wallet.keys.generate(),
      wallet.keys.list(),
      wallet.history.list(),
      wallet.changePassphrase('4711', 'x'),
    ]) {
      expect(await errorCodeOfAsync(call)).toBe('wallet_locked');
    }
    expect((await backend.store.listRecords('amina')).map((record) => record.id)).toEqual(['c1']);
  });

  it('keeps profiles apart, each with its own passphrase, and wipes one after confirmation', async () => {
    const amina = await create('amina', '1111');
    const youssef = await create('youssef', '2222');
    await amina.records.put('credential', { who: 'amina' }, 'c1');
    await youssef.records.put('credential', { who: 'youssef' }, 'c1');
    expect(await listProfiles(backend.store)).toEqual(['amina', 'youssef']);
    expect(await errorCodeOfAsync(open('amina', '2222'))).toBe('wrong_passphrase');
    expect(await errorCodeOfAsync(wipeProfile({ store: backend.store, profile: 'amina', confirmation: 'youssef' }))).toBe(
      'wipe_not_confirmed',
    );
    expect(await listProfiles(backend.store)).toEqual(['amina', 'youssef']);
    await wipeProfile({ store: backend.store, profile: 'amina', confirmation: 'amina' });
    expect(await listProfiles(backend.store)).toEqual(['youssef']);
    expect(await backend.store.listRecords('amina')).toEqual([]);
    expect(await errorCodeOfAsync(open('amina', '1111'))).toBe('profile_not_found');
    // The wallet still open on the wiped profile cannot write it back.
    expect(await errorCodeOfAsync(amina.records.put('credential', { again: true }))).toBe('profile_not_found');
    expect(await (await open('youssef', '2222')).records.get('credential', 'c1')).toEqual({ who: 'youssef' });
  });

  it('refuses unknown record kinds and non-JSON values as programmer errors', async () => {
    const wallet = await create('amina', '4711');
    await expect(wallet.records.put('holder-key' as 'credential', {})).rejects.toThrow(TypeError);
    await expect(wallet.records.put('credential', undefined as unknown as null)).rejects.toThrow(TypeError);
    await expect(wallet.records.get('other' as 'credential', 'x')).rejects.toThrow(TypeError);
  });
});
