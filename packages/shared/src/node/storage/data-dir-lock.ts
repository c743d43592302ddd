import { readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * One PGlite instance per data folder. PGlite 0.5 takes no lock of its own: a second instance on
 * the same folder (another process, or an `issuer keys rotate` run beside the running service)
 * opens happily, and whatever it writes is lost or damages the files when both flush. So the
 * folder gets a lock file naming its holder, and a second opener is refused.
 *
 * A lock left by a process that died is taken over when that process is provably gone: same
 * host and no such PID, or the PID is our own (a restarted container is often PID 1 again). A
 * lock from another host cannot be checked and is never taken over; delete the file by hand.
 */

const LOCK_FILE = 'tessera.lock';
const heldHere = new Set<string>();

interface LockOwner {
  pid: number;
  host: string;
}

/** Locks `folder` (an absolute path) for this process; the returned function releases it. */
export async function lockDataDir(folder: string): Promise<() => Promise<void>> {
  if (heldHere.has(folder)) throw new Error(`The PGlite database in ${folder} is already open in this process`);
  heldHere.add(folder);
  const path = join(folder, LOCK_FILE);
  const me: LockOwner = { pid: process.pid, host: hostname() };
  try {
    await takeLock(path, me);
  } catch (error) {
    heldHere.delete(folder);
    throw error;
  }
  return async () => {
    heldHere.delete(folder);
    // Only our own lock: never remove one that somebody else has since taken over.
    const owner = await readOwner(path);
    if (owner?.pid === me.pid && owner.host === me.host) await unlink(path).catch(() => undefined);
  };
}

async function takeLock(path: string, me: LockOwner): Promise<void> {
  const content = `${JSON.stringify(me)}\n`;
  try {
    await writeFile(path, content, { flag: 'wx' });
    return;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'EEXIST') throw error;
  }
  const owner = await readOwner(path);
  if (owner === undefined && (await isFresh(path))) {
    // Unreadable but just written: its holder may be between creating and filling it.
    throw new Error(`The PGlite database is being opened by another process (lock file ${path})`);
  }
  if (owner !== undefined && owner.host !== me.host) {
    throw new Error(`The PGlite database in ${path} is locked by host ${owner.host}; delete the file if that host is gone`);
  }
  if (owner !== undefined && owner.pid !== me.pid && isAlive(owner.pid)) {
    throw new Error(`The PGlite database is in use by process ${owner.pid} (lock file ${path})`);
  }
  // Stale: its holder is gone. Replace it; the `wx` write fails if another process won the race.
  await unlink(path).catch(() => undefined);
  try {
    await writeFile(path, content, { flag: 'wx' });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EEXIST')
      throw new Error(`The PGlite database was locked by another process (lock file ${path})`);
    throw error;
  }
}

async function readOwner(path: string): Promise<LockOwner | undefined> {
  try {
    const owner = JSON.parse(await readFile(path, 'utf8')) as Partial<LockOwner>;
    return Number.isSafeInteger(owner.pid) && typeof owner.host === 'string' ? (owner as LockOwner) : undefined;
  } catch {
    // Missing, or half-written by a process that died while writing it: nobody holds it.
    return undefined;
  }
}

async function isFresh(path: string): Promise<boolean> {
  const stats = await stat(path).catch(() => undefined);
  return stats !== undefined && Date.now() - stats.mtimeMs < 5000;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as { code?: unknown }).code === 'EPERM';
  }
}
