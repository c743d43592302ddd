import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, readdir, readFile, rename, rmdir, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { decodeBase64Url, encodeBase64Url, fail, isTesseraError, TesseraError } from '@tessera/shared';
import {
  checkBatch,
  checkProfileId,
  isValidRecordKey,
  type StoreBatch,
  type StoredRecord,
  type WalletStore,
} from '../store/wallet-store.ts';
import { hasExactKeys, isPlainObject } from '../vault/key-slot.ts';

/**
 * The Node backend of `WalletStore`: one directory per profile under `directory`, holding one file
 * `wallet.json` with the header and every (encrypted) record. A write is atomic: the new file is
 * written beside the old one, flushed to disk (fsync), renamed over it (POSIX rename(2) replaces
 * atomically), and the directory is flushed so the rename survives a power cut. Readers therefore
 * see the old or the new file, never half of one. A lock file (`.lock`, created with O_EXCL) keeps
 * two processes from writing one profile at once; a lock left by a process that died is taken over.
 * A wallet is small (tens of credentials, a history), so rewriting the whole file is cheap; reads
 * reuse the parsed file for as long as the file on disk is unchanged.
 */

const FILE = 'wallet.json';
const LOCK = '.lock';
const FORMAT = 'tessera-wallet-store';
const VERSION = 1;

export interface FileWalletStoreOptions {
  /** The folder holding one sub-folder per profile; created if missing. */
  directory: string;
  /** How long a write waits for another process's lock before `store_busy`; default 10 s. */
  lockTimeoutMs?: number;
  /** A lock older than this is considered abandoned even if its process seems alive; default 60 s. */
  staleLockMs?: number;
}

interface WalletFile {
  header: Uint8Array;
  records: Map<string, StoredRecord>;
}

/**
 * A `WalletStore` on the file system.
 * @example const store = await createFileWalletStore({ directory: join(homedir(), '.tessera', 'wallets') });
 */
export async function createFileWalletStore({
  directory,
  lockTimeoutMs = 10_000,
  staleLockMs = 60_000,
}: FileWalletStoreOptions): Promise<WalletStore> {
  await mkdir(directory, { recursive: true, mode: 0o700 });
  /** Writes of this process queue here per profile, so they do not poll each other's lock file. */
  const queues = new Map<string, Promise<unknown>>();
  /** The last parsed file per profile folder, with the stamp of the file it was read from. */
  const parsed = new Map<string, { stamp: string; file: WalletFile }>();
  let closed = false;

  const profileDir = (profile: string): string => {
    if (closed) throw new TypeError('The wallet store is closed');
    checkProfileId(profile);
    return join(directory, profile);
  };

  const serialise = <T>(profile: string, task: () => Promise<T>): Promise<T> => {
    const previous = queues.get(profile) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.catch(() => undefined);
    queues.set(profile, settled);
    void settled.then(() => {
      if (queues.get(profile) === settled) queues.delete(profile);
    });
    return next;
  };

  /**
   * The profile's file, parsed once and reused while the file on disk is the same: every write
   * (of this process or another) replaces it by rename, which gives it a new stamp (inode, size,
   * times), so a changed file is always read again. Parsing a wallet of 1,000 credentials (10 MB)
   * takes tens of milliseconds; the stamp, one stat. Callers get copies, never the cached bytes.
   */
  const readParsed = async (dir: string): Promise<WalletFile | undefined> => {
    const stamp = await fileStamp(dir);
    const cached = parsed.get(dir);
    if (stamp !== undefined && cached?.stamp === stamp) return cached.file;
    // Read after the stamp: the file read is at least as new as the stamp, so a file replaced in
    // between is cached under the older stamp and read again next time, never served stale.
    const file = stamp === undefined ? undefined : await readWalletFile(dir);
    if (file === undefined || stamp === undefined) parsed.delete(dir);
    else parsed.set(dir, { stamp, file });
    return file;
  };

  const locked = <T>(dir: string, profile: string, create: boolean, task: () => Promise<T>): Promise<T> =>
    serialise(profile, async () => {
      const release = await acquireLock(dir, profile, create, lockTimeoutMs, staleLockMs);
      try {
        return await task();
      } finally {
        await release();
      }
    });

  return {
    listProfiles: async () => {
      if (closed) throw new TypeError('The wallet store is closed');
      const entries = await readdir(directory, { withFileTypes: true });
      const profiles: string[] = [];
      for (const entry of entries) {
        if (!entry.isDirectory() || !isProfileId(entry.name)) continue;
        if (await exists(join(directory, entry.name, FILE))) profiles.push(entry.name);
      }
      return profiles.sort();
    },

    readHeader: async (profile) => (await readParsed(profileDir(profile)))?.header.slice(),

    getRecord: async (profile, id) => {
      const dir = profileDir(profile);
      if (!isValidRecordKey(id, 'x')) throw new TypeError('A record id is not valid');
      const record = (await readParsed(dir))?.records.get(id);
      return record === undefined ? undefined : copyRecord(record);
    },

    listRecords: async (profile, kind) => {
      const dir = profileDir(profile);
      if (kind !== undefined && !isValidRecordKey('x', kind)) throw new TypeError('A record kind is not valid');
      const file = await readParsed(dir);
      if (file === undefined) return [];
      const records: StoredRecord[] = [];
      for (const record of file.records.values()) {
        if (kind === undefined || record.kind === kind) records.push(copyRecord(record));
      }
      return records;
    },

    write: async (profile, input: StoreBatch) => {
      const dir = profileDir(profile);
      const batch = checkBatch(input);
      await locked(dir, profile, batch.create === true, async () => {
        const current = await readParsed(dir);
        if (batch.create === true && current !== undefined) fail('profile_exists', `The profile ${profile} exists already`);
        if (batch.create !== true && current === undefined) fail('profile_not_found', `There is no profile ${profile}`);
        const header = batch.header ?? (current as WalletFile).header;
        const records = new Map(current?.records);
        for (const id of batch.delete ?? []) records.delete(id);
        for (const { id, kind, body } of batch.put ?? []) records.set(id, { id, kind, body });
        await removeLeftovers(dir);
        await writeAtomically(dir, encodeWalletFile({ header, records }));
        // What was just written is what the next read would parse (the batch's bodies are copies).
        const stamp = await fileStamp(dir);
        if (stamp === undefined) parsed.delete(dir);
        else parsed.set(dir, { stamp, file: { header, records } });
      });
    },

    wipeProfile: async (profile) => {
      const dir = profileDir(profile);
      if (!(await exists(join(dir, FILE)))) return;
      try {
        await locked(dir, profile, false, async () => {
          await removeLeftovers(dir);
          await shred(join(dir, FILE));
          parsed.delete(dir);
        });
      } catch (error) {
        if (isTesseraError(error, 'profile_not_found')) return;
        throw error;
      }
      // The lock is released, so the folder is empty unless a writer took the lock meanwhile; then
      // it stays for that writer (which finds no profile, or creates a new one).
      await rmdir(dir).catch((error: unknown) => {
        if (!['ENOENT', 'ENOTEMPTY', 'EEXIST'].includes(errorCode(error) ?? '')) throw error;
      });
    },

    close: async () => {
      closed = true;
      await Promise.all(queues.values());
      parsed.clear();
    },
  };
}

/** A copy the caller may change without changing the cached file. */
function copyRecord(record: StoredRecord): StoredRecord {
  return { id: record.id, kind: record.kind, body: record.body.slice() };
}

/**
 * What identifies one version of the profile's file: device, inode, size and nanosecond times.
 * `undefined` when there is no file.
 */
async function fileStamp(dir: string): Promise<string | undefined> {
  try {
    const info = await stat(join(dir, FILE), { bigint: true });
    return `${info.dev}:${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

function isProfileId(name: string): boolean {
  try {
    checkProfileId(name);
    return true;
  } catch {
    return false;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw error;
  }
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

/** The profile's file, or `undefined` when it has none; anything unreadable is `wallet_corrupt`. */
async function readWalletFile(dir: string): Promise<WalletFile | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, FILE), 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    fail('wallet_corrupt', 'The wallet file is not valid JSON (damaged or truncated)', cause);
  }
  if (!isPlainObject(json) || !hasExactKeys(json, ['format', 'version', 'header', 'records'])) {
    fail('wallet_corrupt', 'The wallet file is not a Tessera wallet store');
  }
  if (json.format !== FORMAT || json.version !== VERSION)
    fail('wallet_corrupt', 'The wallet file has an unknown format or version');
  const header = typeof json.header === 'string' ? decodeBase64Url(json.header) : undefined;
  if (header === undefined || !Array.isArray(json.records)) fail('wallet_corrupt', 'The wallet file is malformed');
  const records = new Map<string, StoredRecord>();
  for (const entry of json.records as unknown[]) {
    if (!isPlainObject(entry) || !hasExactKeys(entry, ['id', 'kind', 'body']) || !isValidRecordKey(entry.id, entry.kind)) {
      fail('wallet_corrupt', 'The wallet file holds a malformed record');
    }
    const body = typeof entry.body === 'string' ? decodeBase64Url(entry.body) : undefined;
    if (body === undefined || records.has(entry.id as string)) fail('wallet_corrupt', 'The wallet file holds a malformed record');
    records.set(entry.id as string, { id: entry.id as string, kind: entry.kind as string, body });
  }
  return { header, records };
}

function encodeWalletFile({ header, records }: WalletFile): string {
  return JSON.stringify({
    format: FORMAT,
    version: VERSION,
    header: encodeBase64Url(header),
    records: [...records.values()].map(({ id, kind, body }) => ({ id, kind, body: encodeBase64Url(body) })),
  });
}

/** write temp → fsync → rename over → fsync the folder. */
async function writeAtomically(dir: string, text: string): Promise<void> {
  const temp = join(dir, `${FILE}.${randomBytes(8).toString('hex')}.tmp`);
  let handle: FileHandle | undefined = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temp, join(dir, FILE));
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir);
}

async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (error) {
    // Some platforms (Windows) cannot open or flush a folder; the rename itself is still atomic.
    if (!['EISDIR', 'EPERM', 'EINVAL', 'EBADF'].includes(errorCode(error) ?? '')) throw error;
  } finally {
    await handle?.close();
  }
}

/** Temporary files of a write that crashed: under the lock, no other write can own one. */
async function removeLeftovers(dir: string): Promise<void> {
  for (const name of await readdir(dir)) {
    if (name.startsWith(`${FILE}.`) && name.endsWith('.tmp')) await shred(join(dir, name));
  }
}

/**
 * Overwrites a file with zeros, flushes, and deletes it. On flash storage with wear levelling or a
 * copy-on-write file system the old blocks may survive; what makes a wipe final is that the
 * wrapped data key in the header goes with them (docs/wallet.md).
 */
async function shred(path: string): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r+');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const zeros = new Uint8Array(Math.min(size, 1024 * 1024));
    for (let offset = 0; offset < size; offset += zeros.length) {
      await handle.write(zeros, 0, Math.min(zeros.length, size - offset), offset);
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
  await unlink(path);
}

interface LockOwner {
  pid: number;
  host: string;
  token: string;
}

/**
 * Takes the profile's lock file, waiting (with jittered back-off) while another process holds it.
 * Returns the release function, which deletes the lock only if it is still ours.
 */
async function acquireLock(
  dir: string,
  profile: string,
  create: boolean,
  timeoutMs: number,
  staleMs: number,
): Promise<() => Promise<void>> {
  const path = join(dir, LOCK);
  const owner: LockOwner = { pid: process.pid, host: hostname(), token: randomBytes(16).toString('hex') };
  const started = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(path, 'wx', 0o600);
      try {
        await handle.writeFile(JSON.stringify(owner));
      } finally {
        await handle.close();
      }
      return async () => {
        const current = await readLock(path);
        if (current?.token === owner.token) await unlink(path).catch(() => undefined);
      };
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT' && !create) fail('profile_not_found', `There is no profile ${profile}`);
      if (code === 'ENOENT') {
        await mkdir(dir, { recursive: true, mode: 0o700 });
        continue;
      }
      if (code !== 'EEXIST') throw error;
    }
    if (await takeOverIfAbandoned(path, staleMs)) continue;
    if (Date.now() - started > timeoutMs) {
      throw new TesseraError('store_busy', `Another process has been writing the profile ${profile} for too long`);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(100, 5 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random())));
  }
}

async function readLock(path: string): Promise<LockOwner | undefined> {
  try {
    const value: unknown = JSON.parse(await readFile(path, 'utf8'));
    return isPlainObject(value) &&
      typeof value.pid === 'number' &&
      typeof value.token === 'string' &&
      typeof value.host === 'string'
      ? { pid: value.pid, host: value.host, token: value.token }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Deletes a lock whose owner is gone: a process of this host that no longer runs, or a lock older
 * than `staleMs` (its owner hung, or died on another host sharing the folder, or died between
 * creating and filling the file).
 */
async function takeOverIfAbandoned(path: string, staleMs: number): Promise<boolean> {
  let age: number;
  try {
    age = Date.now() - (await stat(path)).mtimeMs;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return true;
    throw error;
  }
  const owner = await readLock(path);
  const dead = owner !== undefined && owner.host === hostname() && owner.pid !== process.pid && !isRunning(owner.pid);
  if (!dead && age <= staleMs) return false;
  // Re-read just before deleting, so a lock taken over by someone else meanwhile stays.
  const again = await readLock(path);
  if (again?.token !== owner?.token) return false;
  await unlink(path).catch(() => undefined);
  return true;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return errorCode(error) === 'EPERM';
  }
}
