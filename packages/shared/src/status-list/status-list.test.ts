import { readdirSync, readFileSync } from 'node:fs';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeBase64Url } from '../encoding/base64url.ts';
import { type Deflate, type Inflate, webDeflate, webInflate } from './compression.ts';
import { nodeDeflate, nodeInflate } from './node-inflate.ts';
import {
  createStatusList,
  DEFAULT_MAX_STATUS_LIST_BYTES,
  decodeStatusList,
  type EncodedStatusList,
  encodeStatusList,
  STATUS_BITS,
  type StatusBits,
  StatusList,
} from './status-list.ts';
import { StatusValue, statusType } from './status-types.ts';

// Vectors from oauth-wg/draft-ietf-oauth-status-list `examples/` and its test-vector section.
const VECTORS = new URL('../../test-vectors/token-status-list/', import.meta.url);
const readVector = (name: string): string => readFileSync(new URL(name, VECTORS), 'utf8');

/** The example files wrap JSON in markdown and break `lst` over lines: drop all whitespace. */
function vectorJson(name: string): { encoded: EncodedStatusList; byteArray?: number[] } {
  const text = readVector(name);
  const encoded = JSON.parse(text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1).replace(/\s+/g, '')) as EncodedStatusList;
  const bytes = /byte_array = \[([^\]]*)\]/.exec(text)?.[1];
  return bytes === undefined ? { encoded } : { encoded, byteArray: bytes.split(',').map((b) => Number.parseInt(b.trim(), 16)) };
}

/** expected-statuses.md: per "## N-bit Status List" section, the example file and its non-zero entries. */
function longVectors(): { bits: StatusBits; file: string; statuses: Map<number, number> }[] {
  return readVector('expected-statuses.md')
    .split(/^## /m)
    .slice(1)
    .map((section) => {
      const bits = Number(/^(\d)-bit/.exec(section)?.[1]) as StatusBits;
      const file = `${/\{::include examples\/(\w+_json)\.md\}/.exec(section)?.[1]}.md`;
      const statuses = new Map<number, number>();
      for (const [, index, value] of section.matchAll(/status\[(\d+)\]\s*=\s*0b([01]+)/g)) {
        statuses.set(Number(index), Number.parseInt(value as string, 2));
      }
      return { bits, file, statuses };
    });
}

const inflaters: [string, Inflate][] = [
  ['DecompressionStream', webInflate],
  ['node:zlib', nodeInflate],
];
const deflaters: [string, Deflate][] = [
  ['CompressionStream', webDeflate],
  ['node:zlib', nodeDeflate],
];

const lst = (bytes: Uint8Array): string => encodeBase64Url(bytes);
const errorCode = async (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => 'resolved',
    (error: { code?: string }) => error.code ?? error,
  );

describe.each(inflaters)('the draft test vectors, inflated with %s', (_name, inflate) => {
  it('decode the 1-bit example of §4.1 to bytes 0xB9 0xA3 and the listed statuses', async () => {
    const { encoded, byteArray } = vectorJson('status_list_encoding_json.md');
    const list = await decodeStatusList(encoded, { inflate });
    expect([...list.bytes]).toEqual(byteArray);
    expect(list.size).toBe(16);
    const statuses = [1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1];
    expect(statuses.map((_, index) => list.get(index))).toEqual(statuses);
  });

  it('decode the 2-bit example of §4.1 to bytes 0xC9 0x44 0xF9 and the listed statuses', async () => {
    const { encoded, byteArray } = vectorJson('status_list_encoding2_json.md');
    const list = await decodeStatusList(encoded, { inflate });
    expect([...list.bytes]).toEqual(byteArray);
    const statuses = [1, 2, 0, 3, 0, 1, 0, 1, 1, 2, 3, 3];
    expect(statuses.map((_, index) => list.get(index))).toEqual(statuses);
  });

  it.each(longVectors())(
    'decode the 2^20-entry $bits-bit list ($file) with every listed status and zero elsewhere',
    async ({ bits, file, statuses }) => {
      const { encoded } = vectorJson(file);
      expect(encoded.bits).toBe(bits);
      const list = await decodeStatusList(encoded, { inflate });
      expect(list.size).toBe(2 ** 20);
      const wrong: number[] = [];
      for (let index = 0; index < list.size; index++) {
        if (list.get(index) !== (statuses.get(index) ?? 0)) wrong.push(index);
      }
      expect(wrong).toEqual([]);
    },
  );
});

describe('the test-vector folder', () => {
  it('has no JSON status list example that the tests above skip', () => {
    const covered = new Set([
      'status_list_encoding_json.md',
      'status_list_encoding2_json.md',
      ...longVectors().map((v) => v.file),
    ]);
    const examples = readdirSync(VECTORS).filter((name) => /^status_list_encoding.*_json\.md$/.test(name));
    expect(examples.filter((name) => !covered.has(name))).toEqual([]);
    expect(longVectors().map((v) => v.bits)).toEqual([1, 2, 4, 8]);
  });
});

describe('StatusList packing (§4.1)', () => {
  it.each(STATUS_BITS)('puts index 0 in the least significant bits of byte 0 for %i-bit entries', (bits) => {
    const list = createStatusList(16, bits);
    list.set(0, 1);
    expect(list.bytes[0]).toBe(1);
    list.set(1, 1);
    expect(list.bytes[0]).toBe(bits === 8 ? 1 : 1 | (1 << bits));
    const perByte = 8 / bits;
    list.set(perByte, 1);
    expect(list.bytes[1]).toBe(1);
  });

  it.each(STATUS_BITS)('sets and reads every value of a %i-bit list without disturbing neighbours', (bits) => {
    const list = createStatusList(64, bits);
    const max = 2 ** bits - 1;
    const expected = Array.from({ length: list.size }, (_, index) => (index * 37 + 11) % (max + 1));
    for (const [index, value] of expected.entries()) list.set(index, value);
    expect(expected.map((_, index) => list.get(index))).toEqual(expected);
    list.set(5, max);
    list.set(5, 0);
    expect(list.get(4)).toBe(expected[4]);
    expect(list.get(6)).toBe(expected[6]);
  });

  it('rounds the size up to whole bytes', () => {
    expect(createStatusList(10, 1).size).toBe(16);
    expect(createStatusList(3, 2).size).toBe(4);
    expect(createStatusList(3, 8).size).toBe(3);
  });

  it('rejects indexes outside the list, negative, fractional or not numbers', () => {
    const list = createStatusList(16, 1);
    for (const index of [16, 1_000_000, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => list.get(index)).toThrow(expect.objectContaining({ code: 'status_index_out_of_range' }));
      expect(() => list.set(index, 1)).toThrow(expect.objectContaining({ code: 'status_index_out_of_range' }));
    }
  });

  it('refuses status values that do not fit the bit width, and bad construction arguments', () => {
    expect(() => createStatusList(8, 1).set(0, 2)).toThrow(TypeError);
    expect(() => createStatusList(8, 2).set(0, 4)).toThrow(TypeError);
    expect(() => createStatusList(8, 8).set(0, 256)).toThrow(TypeError);
    expect(() => createStatusList(8, 8).set(0, -1)).toThrow(TypeError);
    expect(() => createStatusList(0, 1)).toThrow(TypeError);
    expect(() => createStatusList(1.5, 1)).toThrow(TypeError);
    expect(() => createStatusList(8, 3 as StatusBits)).toThrow(TypeError);
    expect(() => new StatusList(new Uint8Array(1), 16 as StatusBits)).toThrow(TypeError);
  });
});

describe.each(deflaters)('encode and decode round trips, compressed with %s', (_name, deflate) => {
  it.each(STATUS_BITS)('keeps every status of a 10 000-entry %i-bit list', async (bits) => {
    const list = createStatusList(10_000, bits);
    let seed = 7;
    for (let index = 0; index < list.size; index++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      if (seed % 5 === 0) list.set(index, seed % 2 ** bits);
    }
    const encoded = await encodeStatusList(list, { deflate });
    expect(encoded.bits).toBe(bits);
    expect(encoded.lst).toMatch(/^[A-Za-z0-9_-]+$/);
    for (const [, inflate] of inflaters) {
      const decoded = await decodeStatusList(encoded, { inflate });
      expect(decoded.bytes).toEqual(list.bytes);
    }
  });

  it('produces a ZLIB stream (RFC 1950 header, DEFLATE method) as §4.1 step 4 requires', async () => {
    const compressed = await deflate(new Uint8Array(100));
    const [cmf, flg] = compressed as unknown as [number, number];
    expect(cmf & 0x0f).toBe(8);
    expect(((cmf << 8) | flg) % 31).toBe(0);
  });
});

describe.each(inflaters)('decodeStatusList with %s rejects', (_name, inflate) => {
  const good = lst(deflateSync(new Uint8Array([0xb9, 0xa3])));
  const decode = (encoded: unknown, maxBytes?: number): Promise<unknown> =>
    errorCode(decodeStatusList(encoded as EncodedStatusList, maxBytes === undefined ? { inflate } : { inflate, maxBytes }));

  it('a bits value other than 1, 2, 4 or 8', async () => {
    for (const bits of [0, 3, 16, 1.5, '1', null, undefined]) {
      expect(await decode({ bits, lst: good })).toBe('status_list_malformed');
    }
  });

  it('an lst that is missing, empty or not base64url', async () => {
    for (const bad of [
      undefined,
      '',
      42,
      `${good}=`,
      good.replace(/./, '+'),
      `${good.slice(0, 4)} ${good.slice(4)}`,
      `${good}/`,
    ]) {
      expect(await decode({ bits: 1, lst: bad })).toBe('status_list_malformed');
    }
  });

  it('a status_list that is not an object or has a non-string aggregation_uri', async () => {
    expect(await decode(null)).toBe('status_list_malformed');
    expect(await decode([1, good])).toBe('status_list_malformed');
    expect(await decode({ bits: 1, lst: good, aggregation_uri: 7 })).toBe('status_list_malformed');
  });

  it('corrupt ZLIB data: a flipped checksum, raw DEFLATE without the header, gzip, junk', async () => {
    const stream = deflateSync(new Uint8Array(1000).fill(3));
    const badChecksum = Uint8Array.from(stream);
    badChecksum[badChecksum.length - 1] = (stream.at(-1) as number) ^ 1;
    for (const bytes of [
      badChecksum,
      deflateRawSync(new Uint8Array(10)),
      gzipSync(new Uint8Array(10)),
      new TextEncoder().encode('not zlib'),
    ]) {
      expect(await decode({ bits: 1, lst: lst(bytes) })).toBe('status_list_malformed');
    }
  });

  it('a truncated stream', async () => {
    const stream = deflateSync(new Uint8Array(1000).fill(3));
    for (const length of [1, 2, 5, stream.length - 4, stream.length - 1]) {
      expect(await decode({ bits: 1, lst: lst(stream.subarray(0, length)) })).toBe('status_list_malformed');
    }
  });

  it('a stream that inflates to nothing', async () => {
    expect(await decode({ bits: 1, lst: lst(deflateSync(new Uint8Array(0))) })).toBe('status_list_malformed');
  });

  it('a zip bomb: 17 MiB of zeros that compress to 17 KiB exceed the default 16 MiB limit', async () => {
    const bomb = lst(deflateSync(new Uint8Array(DEFAULT_MAX_STATUS_LIST_BYTES + 1024 * 1024), { level: 9 }));
    expect(bomb.length).toBeLessThan(30_000);
    expect(await decode({ bits: 1, lst: bomb })).toBe('status_list_too_large');
  });

  it('a list one byte over a custom limit, and accepts it exactly at the limit', async () => {
    const encoded = { bits: 1, lst: lst(deflateSync(new Uint8Array(4096))) };
    expect(await decode(encoded, 4095)).toBe('status_list_too_large');
    expect((await decodeStatusList(encoded as EncodedStatusList, { inflate, maxBytes: 4096 })).size).toBe(4096 * 8);
  });

  it('compressed data larger than any list within the limit could be, before decoding it', async () => {
    expect(await decode({ bits: 1, lst: 'A'.repeat(4000) }, 1000)).toBe('status_list_too_large');
  });
});

describe('decodeStatusList with an injected inflate', () => {
  const encoded: EncodedStatusList = { bits: 1, lst: lst(deflateSync(new Uint8Array(8))) };

  it('maps foreign errors to status_list_malformed', async () => {
    const inflate: Inflate = () => {
      throw new Error('boom');
    };
    expect(await errorCode(decodeStatusList(encoded, { inflate }))).toBe('status_list_malformed');
  });

  it('refuses an output above the limit even when the inflate ignores it', async () => {
    const inflate: Inflate = () => new Uint8Array(100);
    expect(await errorCode(decodeStatusList(encoded, { inflate, maxBytes: 99 }))).toBe('status_list_too_large');
  });

  it('treats a bad maxBytes option as a programmer mistake', async () => {
    await expect(decodeStatusList(encoded, { maxBytes: 0 })).rejects.toThrow(TypeError);
    await expect(decodeStatusList(encoded, { maxBytes: 1.5 })).rejects.toThrow(TypeError);
  });
});

describe('status types (§7.1)', () => {
  it('names the registered, application-specific and unregistered values', () => {
    expect(StatusValue).toEqual({ VALID: 0, INVALID: 1, SUSPENDED: 2 });
    expect([0, 1, 2, 3, 4, 11, 12, 15, 16, 255].map(statusType)).toEqual([
      'VALID',
      'INVALID',
      'SUSPENDED',
      'APPLICATION_SPECIFIC',
      'UNREGISTERED',
      'UNREGISTERED',
      'APPLICATION_SPECIFIC',
      'APPLICATION_SPECIFIC',
      'UNREGISTERED',
      'UNREGISTERED',
    ]);
    expect(() => statusType(256)).toThrow(TypeError);
    expect(() => statusType(-1)).toThrow(TypeError);
  });
});
