import { stat, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fail } from '@tessera/shared';
import { exportBackup, importBackup } from '../index.ts';
import { nodeScrypt } from '../node.ts';
import { CliError } from './cli-error.ts';
import { type CliContext, say } from './context.ts';
import { credentialViews } from './display.ts';
import { readTextFile } from './files.ts';
import { backupPassphrase, walletPassphrase } from './secrets.ts';
import { hasProfile, openStore, scryptParamsFor, trustFor, withWallet, writeConfig } from './wallet-folder.ts';

/** `importBackup` reads at most 64 Mi characters, all ASCII; a bigger file cannot be a backup. */
const MAX_BACKUP_BYTES = 64 * 1024 * 1024;

/**
 * `tessera-wallet export <file>`: an encrypted backup of the profile under its own passphrase
 * (asked twice on a terminal), written to a new file readable by the owner only. An existing
 * file is never overwritten, and that is checked before any passphrase is asked.
 */
export async function exportCommand(context: CliContext, file: string): Promise<void> {
  const path = resolve(file);
  const scryptParams = scryptParamsFor(context);
  if (await exists(path)) throw new CliError('input.file_exists', { fix: 'fix.file_exists', values: { file: path } });
  const backup = await withWallet(context, async (wallet) => {
    const passphrase = await backupPassphrase(context, { create: true });
    return exportBackup(wallet, { passphrase, scrypt: nodeScrypt, ...scryptParams });
  });
  try {
    // `wx`: fails rather than overwrite a file that appeared meanwhile.
    await writeFile(path, backup, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(code === 'EEXIST' ? 'input.file_exists' : 'input.file_unwritable', {
      fix: code === 'EEXIST' ? 'fix.file_exists' : 'fix.file_unwritable',
      values: { file: path },
      cause: error,
    });
  }
  context.out(say(context, 'export.done', { file: path }));
  context.out(say(context, 'export.keep'));
}

/**
 * `tessera-wallet import <file>`: restores a backup into a new profile (`--profile`) with a new
 * passphrase. The library checks the whole file before one atomic write, so a wrong backup
 * passphrase or a damaged file leaves nothing behind. `--trust-list` / `--trust-anchor` set the
 * folder's trust settings, as at `init`.
 */
export async function importCommand(context: CliContext, file: string): Promise<void> {
  const { profile } = context.options;
  const scryptParams = scryptParamsFor(context);
  const backup = await readTextFile(resolve(file), MAX_BACKUP_BYTES);
  const config = await trustFor(context);
  const store = await openStore(context, { create: true });
  let count: number;
  try {
    if (await hasProfile(store, profile)) fail('profile_exists', `The profile ${profile} exists`);
    const backupSecret = await backupPassphrase(context);
    const passphrase = await walletPassphrase(context, { create: true });
    const wallet = await importBackup({
      backup,
      backupPassphrase: backupSecret,
      store,
      profile,
      passphrase,
      scrypt: nodeScrypt,
      ...scryptParams,
    });
    try {
      count = credentialViews(await wallet.records.list('credential'), context.languages).length;
    } finally {
      wallet.lock();
    }
  } finally {
    await store.close();
  }
  await writeConfig(context.dir, config);
  context.out(say(context, 'import.done', { count, profile, dir: context.dir }));
}

function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
