import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { createIndexedDbWalletStore } from './indexeddb-wallet-store.ts';
import { describeWalletStoreContract } from './wallet-store.contract.ts';

let factory = new IDBFactory();

describeWalletStoreContract('IndexedDB (fake-indexeddb, in process)', {
  open: async () => {
    factory = new IDBFactory();
    return createIndexedDbWalletStore({ indexedDB: factory });
  },
  openSibling: () => createIndexedDbWalletStore({ indexedDB: factory }),
  reopen: async (store) => {
    await store.close();
    return createIndexedDbWalletStore({ indexedDB: factory });
  },
});

describe('the IndexedDB wallet store', () => {
  it('reports damaged rows as wallet_corrupt', async () => {
    const indexedDB = new IDBFactory();
    const store = await createIndexedDbWalletStore({ indexedDB, name: 'w' });
    await store.write('amina', {
      create: true,
      header: Uint8Array.of(1),
      put: [{ id: 'r1', kind: 'credential', body: Uint8Array.of(1) }],
    });
    await store.close();
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.open('w', 1);
      request.onsuccess = () => {
        const transaction = request.result.transaction(['records', 'headers'], 'readwrite');
        transaction.objectStore('records').put({ profile: 'amina', id: 'r1', kind: 'credential', body: 'not bytes' });
        transaction.objectStore('headers').put({ profile: 'amina', header: 42 });
        transaction.oncomplete = () => {
          request.result.close();
          resolve();
        };
        transaction.onerror = () => reject(transaction.error);
      };
    });
    const reopened = await createIndexedDbWalletStore({ indexedDB, name: 'w' });
    await expect(reopened.getRecord('amina', 'r1')).rejects.toMatchObject({ code: 'wallet_corrupt' });
    await expect(reopened.readHeader('amina')).rejects.toMatchObject({ code: 'wallet_corrupt' });
    await reopened.close();
  });

  it('needs an IndexedDB factory', async () => {
    await expect(createIndexedDbWalletStore({ indexedDB: undefined as unknown as IDBFactory })).rejects.toThrow(TypeError);
  });
});
