import { fail, type JsonValue } from '@tessera/shared';
import type { StoredRecord } from '../store/wallet-store.ts';
import { openRecord, sealRecord } from './cipher.ts';

/** A JSON value encrypted under `key` as the record `kind`/`id` (plaintext bytes are zeroed). */
export async function sealJson(key: CryptoKey, kind: string, id: string, value: JsonValue): Promise<StoredRecord> {
  const text = JSON.stringify(value);
  if (typeof text !== 'string') throw new TypeError('A wallet record must be a JSON value');
  const plaintext = new TextEncoder().encode(text);
  try {
    return { id, kind, body: await sealRecord(key, kind, id, plaintext) };
  } finally {
    plaintext.fill(0);
  }
}

/** The JSON value of an encrypted record; damaged, moved or non-JSON is `wallet_corrupt`. */
export async function openJson(key: CryptoKey, { kind, id, body }: StoredRecord): Promise<JsonValue> {
  const plaintext = await openRecord(key, kind, id, body);
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(plaintext)) as JsonValue;
  } catch (cause) {
    return fail('wallet_corrupt', `The stored ${kind} record is not JSON`, cause);
  } finally {
    plaintext.fill(0);
  }
}
