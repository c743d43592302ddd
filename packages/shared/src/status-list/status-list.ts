import { decodeBase64Url, encodeBase64Url } from '../encoding/base64url.ts';
import { isJsonObject } from '../encoding/json.ts';
import { fail } from '../errors/tessera-error.ts';
import { type Deflate, type Inflate, inflateWithin, webDeflate, webInflate } from './compression.ts';

/** Bits per entry; draft-ietf-oauth-status-list §4.1 step 1 allows exactly these. */
export type StatusBits = 1 | 2 | 4 | 8;
export const STATUS_BITS: readonly StatusBits[] = [1, 2, 4, 8];

/** Default ceiling on a decompressed list: 16 MiB is 134 million 1-bit entries. */
export const DEFAULT_MAX_STATUS_LIST_BYTES = 16 * 1024 * 1024;

/** The JSON form of a Status List (§4.2): `lst` is the ZLIB-compressed byte array in base64url. */
export interface EncodedStatusList {
  bits: StatusBits;
  lst: string;
  /** URI of the Status List Aggregation (§9). */
  aggregation_uri?: string;
}

/**
 * A Status List (§4.1): a byte array holding one `bits`-wide status per index, packed from the
 * least significant bit, so index 0 sits in the lowest bits of byte 0.
 * @example
 * const list = createStatusList(100_000, 2);
 * list.set(42, StatusValue.SUSPENDED);
 */
export class StatusList {
  readonly bits: StatusBits;
  /** The uncompressed byte array; changing it changes the list. */
  readonly bytes: Uint8Array;

  constructor(bytes: Uint8Array, bits: StatusBits) {
    if (!(bytes instanceof Uint8Array)) throw new TypeError('bytes must be a Uint8Array');
    if (!STATUS_BITS.includes(bits)) throw new TypeError('bits must be 1, 2, 4 or 8');
    this.bytes = bytes;
    this.bits = bits;
  }

  /** Number of entries: every bit of the byte array counts, so a list fills whole bytes. */
  get size(): number {
    return (this.bytes.length * 8) / this.bits;
  }

  /** The status at `index`; an index outside the list fails with `status_index_out_of_range`. */
  get(index: number): number {
    const { byte, shift } = this.#locate(index);
    return ((this.bytes[byte] as number) >> shift) & ((1 << this.bits) - 1);
  }

  /** Sets the status at `index` to `value` (0 to 2^bits − 1). */
  set(index: number, value: number): void {
    const mask = (1 << this.bits) - 1;
    if (!Number.isInteger(value) || value < 0 || value > mask) {
      throw new TypeError(`A status value must be an integer from 0 to ${mask} for a ${this.bits}-bit list`);
    }
    const { byte, shift } = this.#locate(index);
    this.bytes[byte] = ((this.bytes[byte] as number) & ~(mask << shift)) | (value << shift);
  }

  #locate(index: number): { byte: number; shift: number } {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.size) {
      fail('status_index_out_of_range', 'The status index is outside the status list');
    }
    const perByte = 8 / this.bits;
    return { byte: Math.floor(index / perByte), shift: (index % perByte) * this.bits };
  }
}

/**
 * A list of at least `size` entries, all VALID (0). The size is rounded up to whole bytes.
 * @example const list = createStatusList(1_000_000, 1);
 */
export function createStatusList(size: number, bits: StatusBits = 1): StatusList {
  if (!STATUS_BITS.includes(bits)) throw new TypeError('bits must be 1, 2, 4 or 8');
  if (!Number.isSafeInteger(size) || size < 1) throw new TypeError('size must be a positive integer');
  return new StatusList(new Uint8Array(Math.ceil((size * bits) / 8)), bits);
}

export interface EncodeStatusListOptions {
  /** ZLIB compressor; default `CompressionStream`. On Node, `nodeDeflate` compresses harder. */
  deflate?: Deflate;
}

/**
 * Compresses a list into its JSON form (§4.1 step 4, §4.2): ZLIB/DEFLATE, then base64url.
 * @example const { bits, lst } = await encodeStatusList(list);
 */
export async function encodeStatusList(list: StatusList, options: EncodeStatusListOptions = {}): Promise<EncodedStatusList> {
  if (!(list instanceof StatusList)) throw new TypeError('list must be a StatusList');
  const compressed = await (options.deflate ?? webDeflate)(list.bytes);
  return { bits: list.bits, lst: encodeBase64Url(compressed) };
}

export interface DecodeStatusListOptions {
  /** Largest decompressed byte array accepted. Default 16 MiB. */
  maxBytes?: number;
  /** ZLIB decompressor; default `DecompressionStream`. On Node, `nodeInflate` is faster. */
  inflate?: Inflate;
}

/**
 * Reads the JSON form of a Status List (§4.2) back into a list. Malformed input fails with
 * `status_list_malformed`; a list that inflates beyond `maxBytes` fails with
 * `status_list_too_large` without ever holding more than a few MiB over the limit.
 * @example const list = await decodeStatusList(payload.status_list);
 */
export async function decodeStatusList(encoded: EncodedStatusList, options: DecodeStatusListOptions = {}): Promise<StatusList> {
  const { maxBytes = DEFAULT_MAX_STATUS_LIST_BYTES, inflate = webInflate } = options;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) throw new TypeError('maxBytes must be a positive integer');
  const { bits, lst } = parseEncodedStatusList(encoded);
  // Stored DEFLATE blocks cost 5 bytes per 64 KiB, so compressed data 1.5× the limit cannot fit
  // in it: refuse before decoding base64url.
  if (lst.length > 2 * maxBytes + 1024) fail('status_list_too_large', 'The compressed status list exceeds the size limit');
  const compressed = decodeBase64Url(lst);
  if (compressed === undefined) fail('status_list_malformed', 'status_list.lst is not base64url');
  const bytes = await inflateWithin(inflate, compressed, maxBytes);
  if (bytes.length === 0) fail('status_list_malformed', 'The status list is empty');
  return new StatusList(bytes, bits);
}

/** Checks the shape of a `status_list` object (§4.2) without decompressing it. */
export function parseEncodedStatusList(value: unknown): EncodedStatusList {
  if (!isJsonObject(value)) fail('status_list_malformed', 'status_list must be a JSON object');
  const { bits, lst, aggregation_uri } = value;
  if (typeof bits !== 'number' || !STATUS_BITS.includes(bits as StatusBits)) {
    fail('status_list_malformed', 'status_list.bits must be 1, 2, 4 or 8');
  }
  if (typeof lst !== 'string' || lst.length === 0) fail('status_list_malformed', 'status_list.lst must be a non-empty string');
  const out: EncodedStatusList = { bits: bits as StatusBits, lst };
  if (aggregation_uri !== undefined) {
    if (typeof aggregation_uri !== 'string') fail('status_list_malformed', 'status_list.aggregation_uri must be a string');
    out.aggregation_uri = aggregation_uri;
  }
  return out;
}
