import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestProfile, fileBackend, type TestBackend } from '../node/test-wallets.ts';
import { LAST_BACKUP_ID, lastBackupAt, needsBackupReminder, noteBackup } from './backup-reminder.ts';

let backend: TestBackend;

beforeAll(async () => {
  backend = await fileBackend();
});

afterAll(async () => {
  await backend?.dispose();
});

describe('the backup reminder', () => {
  it('reminds while a document is in no backup, and never for an empty wallet', () => {
    expect(needsBackupReminder([], undefined)).toBe(false);
    expect(needsBackupReminder([{ receivedAt: 10 }], undefined)).toBe(true);
    expect(needsBackupReminder([{ receivedAt: 10 }], 20)).toBe(false);
    expect(needsBackupReminder([{ receivedAt: 10 }, { receivedAt: 30 }], 20)).toBe(true);
  });

  it('keeps when the last backup was made inside the wallet, and reads nothing malformed as a backup', async () => {
    const wallet = await createTestProfile(backend, 'reminder');
    expect(await lastBackupAt(wallet)).toBeUndefined();
    await noteBackup(wallet, 1234);
    expect(await lastBackupAt(wallet)).toBe(1234);
    await wallet.records.put('metadata', { at: 'yesterday' }, LAST_BACKUP_ID);
    expect(await lastBackupAt(wallet)).toBeUndefined();
    await wallet.records.put('metadata', [1234], LAST_BACKUP_ID);
    expect(await lastBackupAt(wallet)).toBeUndefined();
  });
});
