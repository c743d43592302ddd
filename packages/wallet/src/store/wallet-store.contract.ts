import { errorCodeOfAsync } from '@tessera/shared/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredRecord, WalletStore } from './wallet-store.ts';

/**
 * The one contract every `WalletStore` must meet, registered as vitest tests against a backend:
 * the file store in a temp folder, IndexedDB in process (fake-indexeddb) and in real Chromium.
 * A backend that can open a second instance over the same data (another process, another tab)
 * also runs the concurrency tests.
 */
export interface WalletStoreBackend {
  /** A store over an empty backend. Called before every test. */
  open(): Promise<WalletStore>;
  /** Another, independent store over the same data, as another process or tab would open it. */
  openSibling?(): Promise<WalletStore>;
  /** Closes the store and opens the same data again, as a restarted app would. */
  reopen?(store: WalletStore): Promise<WalletStore>;
  /** Cleans up after a test (temp folders). */
  dispose?(): Promise<void>;
}

const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);
const record = (id: string, kind: string, ...body: number[]): StoredRecord => ({ id, kind, body: bytes(...body) });

function byId(records: StoredRecord[]): StoredRecord[] {
  return records.slice().sort((a, b) => (a.id < b.id ? -1 : 1));
}

export function describeWalletStoreContract(name: string, backend: WalletStoreBackend): void {
  describe(`WalletStore contract: ${name}`, () => {
    let store: WalletStore;
    const siblings: WalletStore[] = [];

    beforeEach(async () => {
      store = await backend.open();
    });

    afterEach(async () => {
      for (const sibling of siblings.splice(0)) await sibling.close();
      await store.close();
      await backend.dispose?.();
    });

    it('starts with no profiles, no header and no records', async () => {
      expect(await store.listProfiles()).toEqual([]);
      expect(await store.readHeader('amina')).toBeUndefined();
      expect(await store.listRecords('amina')).toEqual([]);
      expect(await store.getRecord('amina', 'r1')).toBeUndefined();
    });

    it('creates profiles with their headers and lists them sorted', async () => {
      await store.write('youssef', { create: true, header: bytes(2) });
      await store.write('amina', { create: true, header: bytes(1), put: [record('r1', 'credential', 9)] });
      expect(await store.listProfiles()).toEqual(['amina', 'youssef']);
      expect(await store.readHeader('amina')).toEqual(bytes(1));
      expect(await store.getRecord('amina', 'r1')).toEqual(record('r1', 'credential', 9));
    });

    it('refuses to create a profile twice and leaves the first one as it was', async () => {
      await store.write('amina', { create: true, header: bytes(1), put: [record('r1', 'credential', 1)] });
      expect(
        await errorCodeOfAsync(store.write('amina', { create: true, header: bytes(2), put: [record('r2', 'credential', 2)] })),
      ).toBe('profile_exists');
      expect(await store.readHeader('amina')).toEqual(bytes(1));
      expect(await store.listRecords('amina')).toEqual([record('r1', 'credential', 1)]);
    });

    it('refuses writes to a profile that does not exist and creates nothing', async () => {
      expect(await errorCodeOfAsync(store.write('ghost', { put: [record('r1', 'credential', 1)] }))).toBe('profile_not_found');
      expect(await errorCodeOfAsync(store.write('ghost', { header: bytes(1) }))).toBe('profile_not_found');
      expect(await store.listProfiles()).toEqual([]);
      expect(await store.listRecords('ghost')).toEqual([]);
    });

    it('puts, replaces, lists by kind and deletes records', async () => {
      await store.write('amina', { create: true, header: bytes(1) });
      await store.write('amina', {
        put: [record('c1', 'credential', 1), record('c2', 'credential', 2), record('h1', 'history', 3)],
      });
      await store.write('amina', { put: [record('c2', 'credential', 22)] });
      expect(byId(await store.listRecords('amina', 'credential'))).toEqual([
        record('c1', 'credential', 1),
        record('c2', 'credential', 22),
      ]);
      expect(await store.listRecords('amina', 'history')).toEqual([record('h1', 'history', 3)]);
      expect(await store.listRecords('amina', 'metadata')).toEqual([]);
      expect(await store.listRecords('amina')).toHaveLength(3);
      await store.write('amina', { delete: ['c1', 'missing'] });
      expect(await store.getRecord('amina', 'c1')).toBeUndefined();
      expect(await store.listRecords('amina')).toHaveLength(2);
    });

    it('replaces the header (a changed passphrase) without touching records', async () => {
      await store.write('amina', { create: true, header: bytes(1), put: [record('c1', 'credential', 1)] });
      await store.write('amina', { header: bytes(7, 7) });
      expect(await store.readHeader('amina')).toEqual(bytes(7, 7));
      expect(await store.listRecords('amina')).toEqual([record('c1', 'credential', 1)]);
    });

    it('applies a batch of puts and deletes all together', async () => {
      await store.write('amina', { create: true, header: bytes(1), put: [record('old', 'credential', 1)] });
      await store.write('amina', { put: [record('new', 'credential', 2), record('h', 'history', 3)], delete: ['old'] });
      expect(byId(await store.listRecords('amina'))).toEqual([record('h', 'history', 3), record('new', 'credential', 2)]);
    });

    it('keeps what it stored when the caller reuses its buffers', async () => {
      const body = bytes(1, 2, 3);
      const header = bytes(4);
      const write = store.write('amina', { create: true, header, put: [{ id: 'c1', kind: 'credential', body }] });
      body.fill(0);
      header.fill(0);
      await write;
      expect((await store.getRecord('amina', 'c1'))?.body).toEqual(bytes(1, 2, 3));
      expect(await store.readHeader('amina')).toEqual(bytes(4));
      const read = await store.getRecord('amina', 'c1');
      read?.body.fill(9);
      expect((await store.getRecord('amina', 'c1'))?.body).toEqual(bytes(1, 2, 3));
    });

    it('keeps profiles apart, even records with the same id', async () => {
      await store.write('amina', { create: true, header: bytes(1), put: [record('r1', 'credential', 1)] });
      await store.write('youssef', { create: true, header: bytes(2), put: [record('r1', 'credential', 2)] });
      expect(await store.getRecord('amina', 'r1')).toEqual(record('r1', 'credential', 1));
      expect(await store.getRecord('youssef', 'r1')).toEqual(record('r1', 'credential', 2));
      await store.write('amina', { delete: ['r1'] });
      expect(await store.getRecord('youssef', 'r1')).toEqual(record('r1', 'credential', 2));
    });

    it('wipes one profile completely and leaves the others', async () => {
      await store.write('amina', {
        create: true,
        header: bytes(1),
        put: [record('r1', 'credential', 1), record('h1', 'history', 2)],
      });
      await store.write('youssef', { create: true, header: bytes(2), put: [record('r2', 'credential', 3)] });
      await store.wipeProfile('amina');
      expect(await store.listProfiles()).toEqual(['youssef']);
      expect(await store.readHeader('amina')).toBeUndefined();
      expect(await store.listRecords('amina')).toEqual([]);
      expect(await store.getRecord('amina', 'r1')).toBeUndefined();
      expect(await store.listRecords('youssef')).toEqual([record('r2', 'credential', 3)]);
      // A stale writer cannot bring the wiped profile back; a new profile of that name starts empty.
      expect(await errorCodeOfAsync(store.write('amina', { put: [record('r3', 'credential', 4)] }))).toBe('profile_not_found');
      await store.write('amina', { create: true, header: bytes(5) });
      expect(await store.listRecords('amina')).toEqual([]);
      await store.wipeProfile('nobody');
    });

    it('refuses malformed profile ids, record ids, kinds and batches as programmer errors', async () => {
      for (const profile of ['', '../etc', 'Amina', 'a/b', 'a'.repeat(65), '.hidden', 'a b']) {
        await expect(store.readHeader(profile), profile).rejects.toBeInstanceOf(TypeError);
        await expect(store.write(profile, { create: true, header: bytes(1) }), profile).rejects.toBeInstanceOf(TypeError);
      }
      await store.write('amina', { create: true, header: bytes(1) });
      await expect(store.write('amina', { put: [record('a b', 'credential', 1)] })).rejects.toBeInstanceOf(TypeError);
      await expect(store.write('amina', { put: [record('ok', 'Credential', 1)] })).rejects.toBeInstanceOf(TypeError);
      await expect(store.write('amina', { put: [record('x', 'credential', 1)], delete: ['x'] })).rejects.toBeInstanceOf(
        TypeError,
      );
      await expect(store.write('other', { create: true })).rejects.toBeInstanceOf(TypeError);
      await expect(store.getRecord('amina', '../x')).rejects.toBeInstanceOf(TypeError);
      expect(await store.listRecords('amina')).toEqual([]);
    });

    if (backend.reopen !== undefined) {
      const reopen = backend.reopen;
      it('keeps everything across a restart', async () => {
        await store.write('amina', { create: true, header: bytes(1), put: [record('r1', 'credential', 1)] });
        store = await reopen(store);
        expect(await store.listProfiles()).toEqual(['amina']);
        expect(await store.getRecord('amina', 'r1')).toEqual(record('r1', 'credential', 1));
      });
    }

    if (backend.openSibling !== undefined) {
      const openSibling = async (): Promise<WalletStore> => {
        const sibling = await (backend.openSibling as () => Promise<WalletStore>)();
        siblings.push(sibling);
        return sibling;
      };

      it('loses no write when two instances write one profile at the same time', async () => {
        const other = await openSibling();
        await store.write('amina', { create: true, header: bytes(1) });
        const writes = Array.from({ length: 20 }, (_, index) =>
          (index % 2 === 0 ? store : other).write('amina', { put: [record(`r${index}`, 'history', index)] }),
        );
        await Promise.all(writes);
        expect(await store.listRecords('amina')).toHaveLength(20);
        expect(await other.listRecords('amina', 'history')).toHaveLength(20);
      });

      it('lets exactly one of two instances create the same profile', async () => {
        const other = await openSibling();
        const results = await Promise.all([
          errorCodeOfAsync(store.write('amina', { create: true, header: bytes(1) })),
          errorCodeOfAsync(other.write('amina', { create: true, header: bytes(2) })),
        ]);
        expect(results.map((code) => code ?? 'no error').sort()).toEqual(['no error', 'profile_exists']);
        const header = await other.readHeader('amina');
        expect([1, 2]).toContain(header?.[0]);
      });
    }
  });
}
