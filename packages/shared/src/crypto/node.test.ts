import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { portableBase64Url } from '../encoding/base64url.ts';
import { nodeBase64Url, nodeCrypto } from './node.ts';
import { webCrypto } from './web.ts';

const bytes = (value: Uint8Array | undefined): number[] | undefined => (value === undefined ? undefined : [...value]);

describe('the node:crypto provider agrees with the portable code', () => {
  it('decodes exactly what the portable base64url decoder decodes, and rejects the rest', () => {
    // Characters around every edge of the alphabet, padding and standard-base64 symbols that
    // Buffer would silently accept, whitespace, a NUL, and characters beyond ASCII and Latin-1.
    const char = fc.constantFrom(...'AZaz09-_=+/ .~\n\t\u0000\u007f\u0080\u00e9\u0100\u2028QgwQEAIM', '\ud83d\ude00');
    fc.assert(
      fc.property(fc.array(fc.oneof(char, fc.string({ maxLength: 2 })), { maxLength: 40 }), (chars) => {
        const text = chars.join('');
        expect(bytes(nodeBase64Url.decode(text))).toEqual(bytes(portableBase64Url.decode(text)));
      }),
      { numRuns: 20000 },
    );
  });

  it('decodes every canonical encoding back to its bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (data) => {
        expect(bytes(nodeBase64Url.decode(portableBase64Url.encode(data)))).toEqual([...data]);
      }),
      { numRuns: 2000 },
    );
  });

  it('decodes text exactly as the portable decoder does: invalid UTF-8 and byte-order marks refused alike', () => {
    const tricky = fc.constantFrom(
      [0xef, 0xbb, 0xbf, 0x7b, 0x7d], // a UTF-8 byte-order mark before "{}"
      [0xc3, 0x28], // an invalid two-byte sequence
      [0xed, 0xa0, 0x80], // an encoded surrogate
      [0xf8, 0x88, 0x80, 0x80, 0x80], // a five-byte form
      [0xe2, 0x82], // a truncated sequence
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 40 }),
          tricky.map((b) => new Uint8Array(b)),
        ),
        (data) => {
          const encoded = portableBase64Url.encode(data);
          expect(nodeBase64Url.decodeText(encoded)).toBe(portableBase64Url.decodeText(encoded));
        },
      ),
      { numRuns: 3000 },
    );
    expect(portableBase64Url.decodeText(portableBase64Url.encode(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d])))).toBe(
      '\ufeff{}',
    );
    expect(nodeBase64Url.decodeText(portableBase64Url.encode(new Uint8Array([0xc3, 0x28])))).toBeUndefined();
  });

  it('rejects non-canonical trailing bits that Buffer would accept', () => {
    expect(bytes(nodeBase64Url.decode('QQ'))).toEqual([65]);
    expect(nodeBase64Url.decode('QR')).toBeUndefined();
    expect(nodeBase64Url.decode('QUF')).toBeUndefined();
    expect(nodeBase64Url.decode('QQ==')).toBeUndefined();
    expect(nodeBase64Url.decode('Q Q')).toBeUndefined();
  });

  it('encodes bytes and text exactly as the portable encoder does', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.string({ unit: 'grapheme', maxLength: 60 }), (data, text) => {
        expect(nodeBase64Url.encode(data)).toBe(portableBase64Url.encode(data));
        // A view into a larger buffer encodes only its own bytes.
        const view = new Uint8Array([7, ...data, 9]).subarray(1, data.length + 1);
        expect(nodeBase64Url.encode(view)).toBe(portableBase64Url.encode(data));
        expect(nodeBase64Url.encodeText(text)).toBe(portableBase64Url.encodeText(text));
      }),
      { numRuns: 500 },
    );
  });

  it('computes the same one-step digests as WebCrypto for every hash algorithm', async () => {
    for (const alg of ['sha-256', 'sha-384', 'sha-512'] as const) {
      for (const text of ['', 'WyJzYWx0IiwgIm5hbWUiLCAidmFsdWUiXQ', 'ünïcödé ✓']) {
        const viaWeb = portableBase64Url.encode(await webCrypto.hash(text, alg));
        expect(nodeCrypto.digest?.(text, alg)).toBe(viaWeb);
        expect(portableBase64Url.encode(await nodeCrypto.hash(text, alg))).toBe(viaWeb);
      }
    }
  });

  it('hands out distinct random bytes from its pool', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) seen.add(portableBase64Url.encode(nodeCrypto.randomBytes(16)));
    expect(seen.size).toBe(5000);
    expect(nodeCrypto.randomBytes(1000)).toHaveLength(1000);
    expect(nodeCrypto.randomBytes(3)).toHaveLength(3);
  });
});
