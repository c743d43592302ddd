import { generateKeyPair, issueSdJwtVc, type JsonValue } from '@tessera/shared';
import { nodeCrypto, nodeSigningKey } from '@tessera/shared/node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exportBackup } from '../backup/export-backup.ts';
import { createTestProfile, FAST_SCRYPT, fileBackend, type TestBackend } from '../node/test-wallets.ts';
import { heldCredentials } from '../present/held-credentials.ts';
import { cachedViews, VIEW_CACHE_KIND } from './view-cache.ts';
import { createWallet, sessionOf, type Wallet } from './wallet.ts';
import { WalletSession } from './wallet-session.ts';

const SECRET = 'Amina-PLANTED-SECRET';

describe('the view cache', () => {
  let backend: TestBackend;
  let wallet: Wallet;
  let derived: string[];

  beforeEach(async () => {
    backend = await fileBackend();
    wallet = await createTestProfile(backend, 'amina', '4711');
    derived = [];
  });
  afterEach(() => backend.dispose());

  /** A wallet as `openProfile` would return it, with nothing in memory from earlier calls. */
  const reopened = (): Wallet =>
    createWallet(new WalletSession(backend.store, 'amina', sessionOf(wallet).dataKey(), Date.now), backend.scrypt);

  /** Views of the credential records: the `name` member, upper-cased; records without one are left out. */
  const views = (target: Wallet = wallet, version = 1): Promise<string[]> =>
    cachedViews(sessionOf(target), {
      kind: 'credential',
      cacheId: 'test-cache',
      version,
      derive: async (id: string, value: JsonValue) => {
        derived.push(id);
        const name = typeof value === 'object' && value !== null && !Array.isArray(value) ? value.name : undefined;
        return typeof name === 'string' ? name.toUpperCase() : undefined;
      },
    });

  it('derives each record once and serves unchanged records from the cache, in store order', async () => {
    const a = await wallet.records.put('credential', { name: 'a' });
    const b = await wallet.records.put('credential', { name: 'b' });
    const other = await wallet.records.put('credential', { other: true });
    expect(await views()).toEqual(['A', 'B']);
    expect(derived.sort()).toEqual([a, b, other].sort());

    derived = [];
    expect(await views(reopened())).toEqual(['A', 'B']);
    expect(derived).toEqual([]);

    const c = await wallet.records.put('credential', { name: 'c' });
    expect(await views(reopened())).toEqual(['A', 'B', 'C']);
    expect(derived).toEqual([c]);
  });

  it('derives a record again when it is stored anew under the same id', async () => {
    const id = await wallet.records.put('credential', { name: 'old' });
    expect(await views()).toEqual(['OLD']);
    await wallet.records.put('credential', { name: 'new' }, id);
    derived = [];
    expect(await views(reopened())).toEqual(['NEW']);
    expect(derived).toEqual([id]);
  });

  it('deletes every cache in the batch that deletes a credential, so its claims do not linger', async () => {
    const keep = await wallet.records.put('credential', { name: SECRET });
    const gone = await wallet.records.put('credential', { name: 'gone' });
    expect(await views()).toEqual([SECRET.toUpperCase(), 'GONE']);
    expect(await backend.store.listRecords('amina', VIEW_CACHE_KIND)).toHaveLength(1);

    await wallet.records.delete('credential', gone);
    expect(await backend.store.listRecords('amina', VIEW_CACHE_KIND)).toEqual([]);
    derived = [];
    expect(await views(reopened())).toEqual([SECRET.toUpperCase()]);
    expect(derived).toEqual([keep]);
    // Deleting metadata leaves the cache alone.
    await wallet.records.put('metadata', { x: 1 }, 'settings');
    await wallet.records.delete('metadata', 'settings');
    expect(await backend.store.listRecords('amina', VIEW_CACHE_KIND)).toHaveLength(1);
  });

  it('rebuilds, without failing, a cache that is damaged, moved or of another version', async () => {
    await wallet.records.put('credential', { name: 'a' });
    await views();
    const [cache] = await backend.store.listRecords('amina', VIEW_CACHE_KIND);
    if (cache === undefined) throw new Error('no cache was written');

    const damaged = cache.body.slice();
    damaged[damaged.length - 1] = (damaged[damaged.length - 1] as number) ^ 1;
    await backend.store.write('amina', { put: [{ ...cache, body: damaged }] });
    derived = [];
    expect(await views(reopened())).toEqual(['A']);
    expect(derived).toHaveLength(1);

    // Another record's ciphertext moved under the cache's id does not decrypt (kind and id are the AAD).
    const [credential] = await backend.store.listRecords('amina', 'credential');
    await backend.store.write('amina', {
      put: [{ id: 'test-cache', kind: VIEW_CACHE_KIND, body: credential?.body as Uint8Array }],
    });
    derived = [];
    expect(await views(reopened())).toEqual(['A']);
    expect(derived).toHaveLength(1);
    // A record of another kind under the cache's id is neither taken for it nor replaced.
    await wallet.records.put('metadata', { version: 1, entries: [] }, 'test-cache');
    derived = [];
    expect(await views(reopened())).toEqual(['A']);
    expect(derived).toHaveLength(1);
    expect(await wallet.records.get('metadata', 'test-cache')).toEqual({ version: 1, entries: [] });

    derived = [];
    expect(await views(reopened(), 2)).toEqual(['A']);
    expect(derived).toHaveLength(1);
  });

  it('keeps the cache encrypted and out of backups', async () => {
    await wallet.records.put('credential', { name: SECRET });
    expect(await views()).toEqual([SECRET.toUpperCase()]);
    const [cache] = await backend.store.listRecords('amina', VIEW_CACHE_KIND);
    expect(new TextDecoder().decode(cache?.body)).not.toContain(SECRET.toUpperCase());
    const backup = JSON.parse(
      await exportBackup(wallet, { passphrase: 'backup words', scryptParams: FAST_SCRYPT, scrypt: backend.scrypt }),
    );
    expect(backup.records.map((record: { kind: string }) => record.kind)).toEqual(['credential']);
  });

  it('fails with wallet_locked once the wallet is locked, and writes no cache', async () => {
    await wallet.records.put('credential', { name: 'a' });
    wallet.lock();
    await expect(views()).rejects.toMatchObject({ code: 'wallet_locked' });
    expect(await backend.store.listRecords('amina', VIEW_CACHE_KIND)).toEqual([]);
  });

  it('serves held credentials from the cache: a second request decodes none of them', async () => {
    const issuer = await generateKeyPair();
    const key = await wallet.keys.generate();
    const sdJwt = await issueSdJwtVc({
      issuer: 'https://issuer.example',
      vct: 'https://issuer.example/permit',
      claims: { given_name: SECRET },
      disclosable: [['given_name']],
      holderKey: key.publicJwk,
      signingKey: nodeSigningKey(issuer.privateJwk, 'ES256'),
      crypto: nodeCrypto,
    });
    const id = await wallet.records.put('credential', { format: 'dc+sd-jwt', sdJwt, keyId: key.id });
    const first = await heldCredentials(wallet);
    expect(first).toMatchObject([{ format: 'dc+sd-jwt', id, sdJwt, claims: { given_name: SECRET } }]);
    // Flip a ciphertext byte of the credential record, leaving its IV and tag: the record no longer
    // decrypts, yet a second request is answered from the cached view (derived from the authentic
    // record) without decrypting it. Reading the record itself still reports the damage.
    const [record] = await backend.store.listRecords('amina', 'credential');
    if (record === undefined) throw new Error('no credential record');
    const body = record.body.slice();
    body[20] = (body[20] as number) ^ 1;
    await backend.store.write('amina', { put: [{ ...record, body }] });
    expect(await heldCredentials(reopened())).toEqual(first);
    await expect(reopened().records.get('credential', id)).rejects.toMatchObject({ code: 'wallet_corrupt' });
  });
});
