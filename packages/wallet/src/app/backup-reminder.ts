import type { Wallet } from '../index.ts';

/**
 * The home screen's gentle reminder to make a backup (issue 6 §1 "Backup/restore"): shown while
 * the wallet holds a document that no backup made on this phone contains. When the last backup
 * was made is kept inside the wallet (an encrypted metadata record), so it names no one and
 * leaves with a wipe.
 */

/** The metadata record that holds when the last backup was made or restored. */
export const LAST_BACKUP_ID = 'app-last-backup';

/** When the holder last made a backup of this wallet, or restored it from one; `undefined` if never. */
export async function lastBackupAt(wallet: Wallet): Promise<number | undefined> {
  const value = await wallet.records.get('metadata', LAST_BACKUP_ID);
  const at = typeof value === 'object' && value !== null && !Array.isArray(value) ? value.at : undefined;
  return typeof at === 'number' && Number.isFinite(at) ? at : undefined;
}

/** Notes that a backup of everything in the wallet now exists (made, or restored from). */
export async function noteBackup(wallet: Wallet, at: number = Date.now()): Promise<void> {
  await wallet.records.put('metadata', { at }, LAST_BACKUP_ID);
}

/**
 * Whether to remind: some document was received after the last backup (or there was none). An
 * empty wallet has nothing to lose, so no reminder.
 * @example needsBackupReminder(cards, await lastBackupAt(wallet))
 */
export function needsBackupReminder(
  documents: readonly { readonly receivedAt: number }[],
  lastBackup: number | undefined,
): boolean {
  return documents.some((document) => lastBackup === undefined || document.receivedAt > lastBackup);
}
