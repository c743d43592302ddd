import { type Clock, encodeBase64Url, type JsonValue } from '@tessera/shared';
import { HOLDER_KEY_KIND, holderKeyAad, holderKeyValue, parseHolderKeyRecord, unwrapHolderKey } from '../keys/holder-keys.ts';
import type { StoredRecord } from '../store/wallet-store.ts';
import { wrapPrivateKey } from '../vault/cipher.ts';
import { sealJson } from '../vault/json-record.ts';
import { DEFAULT_SCRYPT_PARAMS, nobleScrypt, type Scrypt, type ScryptParams } from '../vault/kdf.ts';
import { createKeySlot } from '../vault/key-slot.ts';
import { sessionOf, WALLET_RECORD_KINDS, type Wallet } from '../wallet/wallet.ts';
import { encodeBackupFile, MANIFEST_ID, MANIFEST_KIND } from './backup-file.ts';

export interface ExportBackupOptions {
  /** The backup passphrase (need not be the device passphrase); it alone opens the file. */
  passphrase: string;
  /** scrypt cost for the backup's key slot; default `DEFAULT_SCRYPT_PARAMS`. */
  scryptParams?: ScryptParams;
  scrypt?: Scrypt;
  clock?: Clock;
}

/**
 * An encrypted backup of an unlocked wallet: credentials, metadata, holder keys and history,
 * re-encrypted under a fresh data key that only `passphrase` opens. Holder private keys are
 * re-wrapped inside WebCrypto, never exported in clear, so restored credentials still sign.
 * @example const file = await exportBackup(wallet, { passphrase: backupPassphrase });
 */
export async function exportBackup(
  wallet: Wallet,
  { passphrase, scryptParams = DEFAULT_SCRYPT_PARAMS, scrypt = nobleScrypt, clock = Date.now }: ExportBackupOptions,
): Promise<string> {
  const session = sessionOf(wallet);
  session.dataKey();
  const stored = (await session.store.listRecords(session.profile)).filter((record) => WALLET_RECORD_KINDS.includes(record.kind));
  const { slot, key: backupKey } = await createKeySlot(passphrase, 'backup', scryptParams, scrypt);
  const records: StoredRecord[] = [];
  for (const record of stored) {
    let value: JsonValue = await session.open(record);
    if (record.kind === HOLDER_KEY_KIND) {
      const holderKey = parseHolderKeyRecord(value);
      const privateKey = await unwrapHolderKey(session.dataKey(), record.id, holderKey, true);
      const rewrapped = await wrapPrivateKey(privateKey, backupKey, holderKeyAad(record.id));
      value = holderKeyValue({ ...holderKey, wrappedPrivateKey: encodeBase64Url(rewrapped) });
    }
    records.push(await sealJson(backupKey, record.kind, record.id, value));
  }
  const createdAt = new Date(clock()).toISOString();
  const manifest = await sealJson(backupKey, MANIFEST_KIND, MANIFEST_ID, {
    createdAt,
    records: records.map(({ kind, id }) => [kind, id]),
  });
  return encodeBackupFile({ createdAt, keySlot: slot, manifest: manifest.body, records });
}
