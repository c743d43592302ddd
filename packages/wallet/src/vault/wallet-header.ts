import { fail } from '@tessera/shared';
import { hasExactKeys, isPlainObject, type KeySlot, parseKeySlot } from './key-slot.ts';

/**
 * A profile's header record: the format and the key slot that opens its data key. It is the only
 * record a store keeps unencrypted, and it holds nothing secret: KDF parameters, salt and the
 * wrapped data key.
 */

const FORMAT = 'tessera-wallet';
const VERSION = 1;
const MAX_HEADER_BYTES = 4096;

/** The header's bytes (UTF-8 JSON). */
export function encodeWalletHeader(slot: KeySlot): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ format: FORMAT, version: VERSION, keySlot: slot }));
}

/** The key slot in a stored header; anything else is `wallet_corrupt`. */
export function decodeWalletHeader(bytes: Uint8Array): KeySlot {
  if (bytes.length > MAX_HEADER_BYTES) fail('wallet_corrupt', 'The wallet header is too large');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    fail('wallet_corrupt', 'The wallet header is not valid JSON', cause);
  }
  if (!isPlainObject(json) || !hasExactKeys(json, ['format', 'version', 'keySlot']) || json.format !== FORMAT) {
    fail('wallet_corrupt', 'The wallet header is not a Tessera wallet header');
  }
  if (json.version !== VERSION) fail('wallet_corrupt', 'The wallet header has an unsupported version');
  return parseKeySlot(json.keySlot, 'wallet_corrupt');
}
