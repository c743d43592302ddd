import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { describeWalletStoreContract } from '../store/wallet-store.contract.ts';
import { createFileWalletStore } from './file-wallet-store.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '../../../..');

let directory = '';

describeWalletStoreContract('file store (temp folder)', {
  open: async () => {
    directory = await mkdtemp(join(tmpdir(), 'tessera-wallet-'));
    return createFileWalletStore({ directory });
  },
  // A second store over the same folder has its own in-process queue: only the lock file guards.
  openSibling: () => createFileWalletStore({ directory }),
  reopen: async (store) => {
    await store.close();
    return createFileWalletStore({ directory });
  },
  dispose: () => rm(directory, { recursive: true, force: true }),
});

describe('the file wallet store', () => {
  const folders: string[] = [];
  const newFolder = async (): Promise<string> => {
    const folder = await mkdtemp(join(tmpdir(), 'tessera-wallet-'));
    folders.push(folder);
    return folder;
  };
  afterEach(async () => {
    for (const folder of folders.splice(0)) await rm(folder, { recursive: true, force: true });
  });

  const oneRecord = { id: 'r1', kind: 'credential', body: Uint8Array.of(1, 2, 3) };

  it('reports a truncated, damaged or foreign wallet file as wallet_corrupt and never overwrites it', async () => {
    const dir = await newFolder();
    const store = await createFileWalletStore({ directory: dir });
    await store.write('amina', { create: true, header: Uint8Array.of(1), put: [oneRecord] });
    const file = join(dir, 'amina', 'wallet.json');
    const text = await readFile(file, 'utf8');
    const damaged = [
      text.slice(0, text.length - 7),
      '',
      '{"format":"tessera-wallet-store","version":2,"header":"AQ","records":[]}',
      '{"format":"tessera-wallet-store","version":1,"header":"AQ","records":[{"id":"../x","kind":"credential","body":"AQ"}]}',
      '{"format":"tessera-wallet-store","version":1,"header":"A$","records":[]}',
      '{"format":"tessera-wallet-store","version":1,"header":"AQ","records":[{"id":"a","kind":"credential","body":"AQ"},{"id":"a","kind":"credential","body":"AQ"}]}',
      '{"format":"tessera-wallet-store","version":1,"header":"AQ","records":[],"extra":1}',
      '[]',
    ];
    for (const content of damaged) {
      await writeFile(file, content);
      await expect(store.readHeader('amina'), content).rejects.toMatchObject({ code: 'wallet_corrupt' });
      await expect(store.write('amina', { put: [oneRecord] })).rejects.toMatchObject({ code: 'wallet_corrupt' });
      expect(await readFile(file, 'utf8')).toBe(content);
    }
  });

  it('writes through a temp file and leaves none behind, cleaning those of a crashed write', async () => {
    const dir = await newFolder();
    const store = await createFileWalletStore({ directory: dir });
    await store.write('amina', { create: true, header: Uint8Array.of(1) });
    await writeFile(join(dir, 'amina', 'wallet.json.deadbeef.tmp'), 'half a write');
    await store.write('amina', { put: [oneRecord] });
    expect((await readdir(join(dir, 'amina'))).sort()).toEqual(['wallet.json']);
  });

  it('takes over a lock left by a process that died', async () => {
    const dir = await newFolder();
    const store = await createFileWalletStore({ directory: dir, lockTimeoutMs: 2_000 });
    await store.write('amina', { create: true, header: Uint8Array.of(1) });
    const dead = await new Promise<number>((done) => {
      const child = spawn(process.execPath, ['-e', '']);
      child.on('exit', () => done(child.pid as number));
    });
    await writeFile(
      join(dir, 'amina', '.lock'),
      JSON.stringify({ pid: dead, host: (await import('node:os')).hostname(), token: 'x' }),
    );
    await store.write('amina', { put: [oneRecord] });
    expect(await store.getRecord('amina', 'r1')).toEqual(oneRecord);
  });

  it('fails with store_busy while a live process holds the lock, and writes nothing', async () => {
    const dir = await newFolder();
    const store = await createFileWalletStore({ directory: dir, lockTimeoutMs: 300 });
    await store.write('amina', { create: true, header: Uint8Array.of(1) });
    await writeFile(
      join(dir, 'amina', '.lock'),
      JSON.stringify({ pid: process.ppid, host: (await import('node:os')).hostname(), token: 'x' }),
    );
    await expect(store.write('amina', { put: [oneRecord] })).rejects.toMatchObject({ code: 'store_busy' });
    expect(await store.getRecord('amina', 'r1')).toBeUndefined();
  });

  it('overwrites and deletes the profile folder when wiping', async () => {
    const dir = await newFolder();
    const store = await createFileWalletStore({ directory: dir });
    await store.write('amina', { create: true, header: Uint8Array.of(1), put: [oneRecord] });
    await store.wipeProfile('amina');
    expect(await readdir(dir)).toEqual([]);
  });

  it('reads the file again once another store replaced it, and never serves the bytes it keeps parsed', async () => {
    const dir = await newFolder();
    const store = await createFileWalletStore({ directory: dir });
    const other = await createFileWalletStore({ directory: dir });
    await store.write('amina', { create: true, header: Uint8Array.of(1), put: [oneRecord] });
    expect(await store.listRecords('amina')).toEqual([oneRecord]);
    await other.write('amina', { header: Uint8Array.of(2), put: [{ id: 'r2', kind: 'history', body: Uint8Array.of(9) }] });
    expect(await store.readHeader('amina')).toEqual(Uint8Array.of(2));
    expect((await store.listRecords('amina')).map((record) => record.id).sort()).toEqual(['r1', 'r2']);
    await other.write('amina', { delete: ['r1'] });
    expect(await store.getRecord('amina', 'r1')).toBeUndefined();
    (await store.readHeader('amina'))?.fill(0);
    for (const record of await store.listRecords('amina')) record.body.fill(0);
    expect(await store.readHeader('amina')).toEqual(Uint8Array.of(2));
    expect(await store.getRecord('amina', 'r2')).toEqual({ id: 'r2', kind: 'history', body: Uint8Array.of(9) });
    await other.wipeProfile('amina');
    expect(await store.readHeader('amina')).toBeUndefined();
    expect(await store.listRecords('amina')).toEqual([]);
    await other.close();
  });

  it('ignores folders that are not profiles when listing', async () => {
    const dir = await newFolder();
    const store = await createFileWalletStore({ directory: dir });
    await store.write('amina', { create: true, header: Uint8Array.of(1) });
    await writeFile(join(dir, 'notes.txt'), 'x');
    await (await import('node:fs/promises')).mkdir(join(dir, 'Empty Folder'));
    await (await import('node:fs/promises')).mkdir(join(dir, 'empty'));
    expect(await store.listProfiles()).toEqual(['amina']);
  });

  it('loses no write when separate processes write one profile at once', async () => {
    const dir = await newFolder();
    const store = await createFileWalletStore({ directory: dir });
    await store.write('amina', { create: true, header: Uint8Array.of(1) });
    const script = `
      import { createFileWalletStore } from ${JSON.stringify(join(HERE, 'file-wallet-store.ts'))};
      const store = await createFileWalletStore({ directory: process.argv[1] });
      // All children start writing at one agreed instant, so their writes really overlap.
      await new Promise((go) => setTimeout(go, Number(process.argv[3]) - Date.now()));
      for (let i = 0; i < 15; i++) {
        await store.write('amina', { put: [{ id: process.argv[2] + i, kind: 'history', body: Uint8Array.of(i) }] });
      }
    `;
    const startAt = String(Date.now() + 4_000);
    const run = (prefix: string): Promise<number | null> =>
      new Promise((done) => {
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, dir, prefix, startAt], {
          cwd: ROOT,
          stdio: ['ignore', 'inherit', 'inherit'],
        });
        child.on('exit', (code) => done(code));
      });
    expect(await Promise.all([run('a'), run('b'), run('c')])).toEqual([0, 0, 0]);
    expect(await store.listRecords('amina', 'history')).toHaveLength(45);
  }, 60_000);
});
