import { decodeBase64Url, encodeBase64Url, fail } from '@tessera/shared';
import type { StoredRecord } from '../store/wallet-store.ts';
import { isValidRecordKey } from '../store/wallet-store.ts';
import { hasExactKeys, isPlainObject, type KeySlot, parseKeySlot } from '../vault/key-slot.ts';

/**
 * The backup file: self-describing JSON (docs/wallet.md, "Storage and backup"). It carries a key
 * slot for the backup passphrase, every wallet record re-encrypted under the backup's own data key,
 * and an encrypted manifest listing the records, so a record removed from or added to the file is
 * noticed. Everything read from a file is untrusted: size, shape, alphabets and counts are checked
 * before any crypto runs, and any failure is `backup_invalid`.
 */

export const BACKUP_FORMAT = 'tessera-wallet-backup';
export const BACKUP_VERSION = 1;
/** The manifest's record kind and id (its AAD); no wallet record has this kind. */
export const MANIFEST_KIND = 'manifest';
export const MANIFEST_ID = 'manifest';

/** Limits against hostile files: 64 Mi characters, 100 000 records, 4 MiB per record. */
export const BACKUP_LIMITS = Object.freeze({ maxChars: 64 * 1024 * 1024, maxRecords: 100_000, maxRecordBytes: 4 * 1024 * 1024 });

export interface BackupFile {
  /** When the backup was made (ISO 8601), also inside the encrypted manifest. */
  createdAt: string;
  keySlot: KeySlot;
  manifest: Uint8Array;
  records: StoredRecord[];
}

export function encodeBackupFile({ createdAt, keySlot, manifest, records }: BackupFile): string {
  return JSON.stringify(
    {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      createdAt,
      keySlot,
      manifest: encodeBase64Url(manifest),
      records: records.map(({ id, kind, body }) => ({ id, kind, body: encodeBase64Url(body) })),
    },
    null,
    1,
  );
}

export function decodeBackupFile(text: unknown): BackupFile {
  if (typeof text !== 'string') fail('backup_invalid', 'A backup file is text');
  if (text.length > BACKUP_LIMITS.maxChars) fail('backup_invalid', 'The backup file is too large');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    fail('backup_invalid', 'The backup file is not valid JSON (damaged or truncated)', cause);
  }
  if (!isPlainObject(json) || json.format !== BACKUP_FORMAT) fail('backup_invalid', 'The file is not a Tessera wallet backup');
  if (json.version !== BACKUP_VERSION) fail('backup_invalid', 'The backup has an unsupported version');
  if (!hasExactKeys(json, ['format', 'version', 'createdAt', 'keySlot', 'manifest', 'records'])) {
    fail('backup_invalid', 'The backup file has unexpected members');
  }
  const { createdAt, keySlot, manifest, records } = json;
  if (typeof createdAt !== 'string' || createdAt.length > 64 || Number.isNaN(Date.parse(createdAt))) {
    fail('backup_invalid', 'The backup has a malformed creation time');
  }
  const manifestBytes = typeof manifest === 'string' ? decodeBase64Url(manifest) : undefined;
  if (manifestBytes === undefined) fail('backup_invalid', 'The backup manifest is malformed');
  if (!Array.isArray(records) || records.length > BACKUP_LIMITS.maxRecords)
    fail('backup_invalid', 'The backup records are malformed');
  const seen = new Set<string>();
  const parsed: StoredRecord[] = [];
  for (const entry of records as unknown[]) {
    if (!isPlainObject(entry) || !hasExactKeys(entry, ['id', 'kind', 'body']) || !isValidRecordKey(entry.id, entry.kind)) {
      fail('backup_invalid', 'The backup holds a malformed record');
    }
    const id = entry.id as string;
    const body =
      typeof entry.body === 'string' && entry.body.length <= (BACKUP_LIMITS.maxRecordBytes * 4) / 3 + 4
        ? decodeBase64Url(entry.body)
        : undefined;
    if (body === undefined || seen.has(id)) fail('backup_invalid', 'The backup holds a malformed or repeated record');
    seen.add(id);
    parsed.push({ id, kind: entry.kind as string, body });
  }
  return { createdAt, keySlot: parseKeySlot(keySlot, 'backup_invalid'), manifest: manifestBytes, records: parsed };
}
