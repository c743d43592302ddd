import { type Clock, encodeBase64Url, fail, isTesseraError, type JsonValue } from '@tessera/shared';
import { HOLDER_KEY_KIND, holderKeyAad, holderKeyValue, parseHolderKeyRecord, unwrapHolderKey } from '../keys/holder-keys.ts';
import { checkProfileId, type StoredRecord, type WalletStore } from '../store/wallet-store.ts';
import { wrapPrivateKey } from '../vault/cipher.ts';
import { openJson, sealJson } from '../vault/json-record.ts';
import { DEFAULT_SCRYPT_PARAMS, nobleScrypt, type Scrypt, type ScryptParams } from '../vault/kdf.ts';
import { createKeySlot, hasExactKeys, isPlainObject, openKeySlot } from '../vault/key-slot.ts';
import { encodeWalletHeader } from '../vault/wallet-header.ts';
import { createWallet, WALLET_RECORD_KINDS, type Wallet } from '../wallet/wallet.ts';
import { HISTORY_KIND, historyValue, parseHistoryValue } from '../wallet/wallet-history.ts';
import { WalletSession } from '../wallet/wallet-session.ts';
import { type BackupFile, decodeBackupFile, MANIFEST_ID, MANIFEST_KIND } from './backup-file.ts';

export interface ImportBackupOptions {
  /** The backup file's text. */
  backup: string;
  /** The passphrase the backup was made with. */
  backupPassphrase: string;
  /** Where to restore: a new profile (`profile_exists` if taken) with its own passphrase. */
  store: WalletStore;
  profile: string;
  passphrase: string;
  /** scrypt cost for the new profile; default `DEFAULT_SCRYPT_PARAMS`. */
  scryptParams?: ScryptParams;
  scrypt?: Scrypt;
  clock?: Clock;
}

/**
 * Restores a backup into a new profile and returns it unlocked. The whole file is decrypted and
 * checked before anything is written, and the profile is written in one atomic batch, so a
 * tampered or truncated file (`backup_invalid`), a wrong passphrase (`wrong_passphrase`) or a
 * taken profile id (`profile_exists`) leaves the store as it was. A `backup_restored` entry joins
 * the history.
 * @example const wallet = await importBackup({ backup, backupPassphrase, store, profile: 'amina', passphrase: pin });
 */
export async function importBackup({
  backup,
  backupPassphrase,
  store,
  profile,
  passphrase,
  scryptParams = DEFAULT_SCRYPT_PARAMS,
  scrypt = nobleScrypt,
  clock = Date.now,
}: ImportBackupOptions): Promise<Wallet> {
  checkProfileId(profile);
  const file = decodeBackupFile(backup);
  const backupKey = await openKeySlot(file.keySlot, backupPassphrase, 'backup', scrypt);
  const values = await asBackupInvalid(() => readRecords(file, backupKey));

  const { slot, key } = await createKeySlot(passphrase, 'wallet', scryptParams, scrypt);
  const session = new WalletSession(store, profile, key, clock);
  const put: StoredRecord[] = [];
  for (const { kind, id, value } of values) {
    let stored: JsonValue = value;
    if (kind === HOLDER_KEY_KIND) {
      const holderKey = parseHolderKeyRecord(value);
      const privateKey = await asBackupInvalid(() => unwrapHolderKey(backupKey, id, holderKey, true));
      stored = holderKeyValue({
        ...holderKey,
        wrappedPrivateKey: encodeBase64Url(await wrapPrivateKey(privateKey, key, holderKeyAad(id))),
      });
    }
    put.push(await sealJson(key, kind, id, stored));
  }
  const restored = historyValue(session, { event: 'backup_restored', details: { backupCreatedAt: file.createdAt } });
  put.push(await sealJson(key, HISTORY_KIND, restored.id, restored.value));
  await store.write(profile, { create: true, header: encodeWalletHeader(slot), put });
  return createWallet(session, scrypt);
}

/** Decrypts and checks the manifest and every record against it. */
async function readRecords(file: BackupFile, backupKey: CryptoKey): Promise<{ kind: string; id: string; value: JsonValue }[]> {
  const manifest = await openJson(backupKey, { kind: MANIFEST_KIND, id: MANIFEST_ID, body: file.manifest });
  if (!isPlainObject(manifest) || !hasExactKeys(manifest, ['createdAt', 'records']) || manifest.createdAt !== file.createdAt) {
    fail('backup_invalid', 'The backup manifest does not match the file');
  }
  const listed = manifest.records;
  if (!Array.isArray(listed) || listed.length !== file.records.length)
    fail('backup_invalid', 'The backup is missing records or has extra ones');
  const expected = new Set(listed.map((entry) => (Array.isArray(entry) ? `${entry[0]} ${entry[1]}` : '')));
  const out: { kind: string; id: string; value: JsonValue }[] = [];
  for (const record of file.records) {
    if (!expected.has(`${record.kind} ${record.id}`) || !WALLET_RECORD_KINDS.includes(record.kind)) {
      fail('backup_invalid', 'The backup holds a record its manifest does not list');
    }
    const value = await openJson(backupKey, record);
    if (record.kind === HOLDER_KEY_KIND) parseHolderKeyRecord(value);
    if (record.kind === HISTORY_KIND) parseHistoryValue(record.id, value);
    out.push({ kind: record.kind, id: record.id, value });
  }
  return out;
}

/** Runs `task`, reporting a damaged record as the backup's fault (`backup_invalid`). */
async function asBackupInvalid<T>(task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (error) {
    if (isTesseraError(error, 'wallet_corrupt')) fail('backup_invalid', 'The backup was damaged or tampered with', error);
    throw error;
  }
}
