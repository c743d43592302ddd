import { webCrypto } from '@tessera/shared';
import { errorCodeOfAsync } from '@tessera/shared/testing';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HolderKey } from '../keys/holder-keys.ts';
import { FAST_SCRYPT, fileBackend, indexedDbBackend, type TestBackend } from '../node/test-wallets.ts';
import { createProfile, openProfile } from '../wallet/profiles.ts';
import type { Wallet } from '../wallet/wallet.ts';
import { BACKUP_LIMITS } from './backup-file.ts';
import { exportBackup } from './export-backup.ts';
import { importBackup } from './import-backup.ts';

const T0 = Date.UTC(2026, 2, 1, 10);
const data = new TextEncoder().encode('kb-jwt signing input');

describe('backup and restore', () => {
  let phone: TestBackend;
  let laptop: TestBackend;
  let wallet: Wallet;
  let backup: string;
  let keyIds: string[];

  beforeEach(async () => {
    // The wallet lives in a browser (IndexedDB, pure-JS scrypt) and is restored into Node (file store, node:crypto scrypt).
    phone = await indexedDbBackend();
    laptop = await fileBackend();
    wallet = await createProfile({
      store: phone.store,
      profile: 'amina',
      passphrase: 'phone pin',
      scrypt: phone.scrypt,
      scryptParams: FAST_SCRYPT,
      clock: () => T0,
    });
    const keys = await wallet.keys.generateBatch(2);
    keyIds = keys.map((key) => key.id);
    await wallet.commit({
      put: [
        { kind: 'credential', id: 'permit-1', value: { sdJwt: 'eyJ.permit.1~', keyId: keyIds[0] ?? '' } },
        { kind: 'credential', id: 'permit-2', value: { sdJwt: 'eyJ.permit.2~', keyId: keyIds[1] ?? '' } },
        { kind: 'metadata', id: 'display', value: { lang: 'ti' } },
      ],
      history: [{ event: 'credential_received', details: { issuer: 'https://issuer.example' } }],
    });
    backup = await exportBackup(wallet, {
      passphrase: 'backup words',
      scrypt: phone.scrypt,
      scryptParams: FAST_SCRYPT,
      clock: () => T0,
    });
  });

  afterEach(async () => {
    await phone.dispose();
    await laptop.dispose();
  });

  const restore = (file: string, backupPassphrase = 'backup words', profile = 'amina') =>
    importBackup({
      backup: file,
      backupPassphrase,
      store: laptop.store,
      profile,
      passphrase: 'laptop pin',
      scrypt: laptop.scrypt,
      scryptParams: FAST_SCRYPT,
      clock: () => T0 + 1000,
    });

  it('restores credentials, metadata, history and keys that still sign, into another backend', async () => {
    await restore(backup);
    const restored = await openProfile({
      store: laptop.store,
      profile: 'amina',
      passphrase: 'laptop pin',
      scrypt: laptop.scrypt,
    });
    expect(
      (await restored.records.list('credential'))
        .map((record) => record.value)
        .sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
    ).toEqual([
      { sdJwt: 'eyJ.permit.1~', keyId: keyIds[0] },
      { sdJwt: 'eyJ.permit.2~', keyId: keyIds[1] },
    ]);
    expect(await restored.records.get('metadata', 'display')).toEqual({ lang: 'ti' });
    expect((await restored.history.list()).map((entry) => entry.event)).toEqual(['credential_received', 'backup_restored']);
    expect((await restored.history.list())[1]?.details).toEqual({ backupCreatedAt: new Date(T0).toISOString() });
    for (const id of keyIds) {
      const original = await wallet.keys.get(id);
      const signature = await (await restored.keys.signingKey(id)).sign(data);
      expect(await (await webCrypto.verifier((original as HolderKey).publicJwk, 'ES256'))(data, signature)).toBe(true);
      expect(await restored.keys.get(id)).toEqual(original);
    }
    // The original wallet is untouched and the phone passphrase does not open the restored one.
    expect(
      await errorCodeOfAsync(
        openProfile({ store: laptop.store, profile: 'amina', passphrase: 'phone pin', scrypt: laptop.scrypt }),
      ),
    ).toBe('wrong_passphrase');
  });

  it('describes itself and carries nothing readable', () => {
    const file = JSON.parse(backup) as Record<string, unknown>;
    expect(Object.keys(file)).toEqual(['format', 'version', 'createdAt', 'keySlot', 'manifest', 'records']);
    expect(file).toMatchObject({
      format: 'tessera-wallet-backup',
      version: 1,
      keySlot: { kdf: { name: 'scrypt', ...FAST_SCRYPT } },
    });
    // Record ids and kinds are in clear (the wallet's own ids are random); values and keys are not.
    for (const secret of ['eyJ', 'issuer.example', 'lang', 'keyId', 'credential_received', '"d"', '"x"']) {
      expect(backup).not.toContain(secret);
    }
  });

  it('refuses a wrong backup passphrase and writes nothing', async () => {
    expect(await errorCodeOfAsync(restore(backup, 'backup word'))).toBe('wrong_passphrase');
    expect(await laptop.store.listProfiles()).toEqual([]);
  });

  it('refuses to restore over an existing profile and leaves it as it was', async () => {
    const existing = await createProfile({
      store: laptop.store,
      profile: 'amina',
      passphrase: 'x',
      scrypt: laptop.scrypt,
      scryptParams: FAST_SCRYPT,
    });
    await existing.records.put('credential', { mine: true }, 'c1');
    expect(await errorCodeOfAsync(restore(backup))).toBe('profile_exists');
    expect((await laptop.store.listRecords('amina')).map((record) => record.id)).toEqual(['c1']);
  });

  it('refuses tampered, truncated or rearranged files with backup_invalid and writes nothing', async () => {
    const file = JSON.parse(backup) as {
      createdAt: string;
      manifest: string;
      records: { id: string; kind: string; body: string }[];
      keySlot: { kdf: Record<string, unknown>; wrappedKey: string };
    };
    const edit = (change: (copy: typeof file) => void): string => {
      const copy = structuredClone(file);
      change(copy);
      return JSON.stringify(copy);
    };
    const flip = (text: string, at: number): string => {
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
      const index = alphabet.indexOf(text[at] as string);
      return text.slice(0, at) + alphabet[(index + 1) % 64] + text.slice(at + 1);
    };
    const tampered: [string, string][] = [
      ['truncated', backup.slice(0, Math.floor(backup.length / 2))],
      ['empty', ''],
      [
        'a record body changed',
        edit((f) => (f.records[0] = { ...(f.records[0] as (typeof f.records)[0]), body: flip(f.records[0]?.body ?? '', 20) })),
      ],
      ['a record dropped', edit((f) => f.records.pop())],
      [
        'a record duplicated under a new id',
        edit((f) => f.records.push({ ...(f.records[0] as (typeof f.records)[0]), id: 'copy' })),
      ],
      [
        'two bodies swapped',
        edit((f) => {
          const [a, b] = [f.records[0]?.body ?? '', f.records[1]?.body ?? ''];
          (f.records[0] as (typeof f.records)[0]).body = b;
          (f.records[1] as (typeof f.records)[0]).body = a;
        }),
      ],
      [
        'a kind changed',
        edit((f) => ((f.records.find((r) => r.kind === 'metadata') as (typeof f.records)[0]).kind = 'credential')),
      ],
      ['the creation time changed', edit((f) => (f.createdAt = new Date(T0 + 1).toISOString()))],
      ['the manifest changed', edit((f) => (f.manifest = flip(f.manifest, 30)))],
      ['an unknown member', edit((f) => Object.assign(f, { note: 'hi' }))],
      ['another format', edit((f) => Object.assign(f, { format: 'other' }))],
      ['another version', edit((f) => Object.assign(f, { version: 2 }))],
      ['a hostile KDF cost', edit((f) => (f.keySlot.kdf.N = 2 ** 24))],
      ['records not a list', edit((f) => Object.assign(f, { records: {} }))],
      ['a record with a path as id', edit((f) => ((f.records[0] as (typeof f.records)[0]).id = '../../etc'))],
      ['not JSON at all', '\u0000\u0001 garbage'],
      ['JSON null', 'null'],
    ];
    for (const [what, text] of tampered) {
      const code = await errorCodeOfAsync(restore(text));
      expect([what, code]).toEqual([what, 'backup_invalid']);
      expect(await laptop.store.listProfiles(), what).toEqual([]);
    }
    // A key slot with changed parameters no longer unwraps (bound as AAD): the passphrase "fails".
    expect(await errorCodeOfAsync(restore(edit((f) => (f.keySlot.kdf.N = 2 ** 11))))).toBe('wrong_passphrase');
  });

  it('never crashes on arbitrary JSON, answering backup_invalid and writing nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.json(), fc.string()), async (text) => {
        const code = await errorCodeOfAsync(restore(text));
        expect(code).toBe('backup_invalid');
      }),
      { numRuns: 200 },
    );
    expect(await laptop.store.listProfiles()).toEqual([]);
  });

  it('refuses files over the size limit before parsing them', async () => {
    expect(await errorCodeOfAsync(restore(' '.repeat(BACKUP_LIMITS.maxChars + 1)))).toBe('backup_invalid');
  });

  it('needs an unlocked wallet to export', async () => {
    wallet.lock();
    expect(await errorCodeOfAsync(exportBackup(wallet, { passphrase: 'x', scryptParams: FAST_SCRYPT }))).toBe('wallet_locked');
    await expect(exportBackup({} as Wallet, { passphrase: 'x' })).rejects.toThrow(TypeError);
  });
});
