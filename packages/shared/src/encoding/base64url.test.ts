import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64Url, decodeBase64UrlText, encodeBase64Url, encodeBase64UrlText, fromUtf8, utf8 } from './base64url.ts';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('encodeBase64Url', () => {
  it.each([
    ['', ''],
    ['f', 'Zg'],
    ['fo', 'Zm8'],
    ['foo', 'Zm9v'],
    ['foob', 'Zm9vYg'],
    ['fooba', 'Zm9vYmE'],
    ['foobar', 'Zm9vYmFy'],
  ])('encodes the RFC 4648 §10 vector %j without padding', (text, encoded) => {
    expect(encodeBase64Url(utf8(text))).toBe(encoded);
    expect(decodeBase64UrlText(encoded)).toBe(text);
  });

  it('uses - and _ instead of + and /', () => {
    expect(encodeBase64Url(new Uint8Array([0xfb, 0xff, 0xbf]))).toBe('-_-_');
  });

  it('agrees with Node for random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(encodeBase64Url(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
      }),
      { numRuns: 300 },
    );
  });
});

describe('decodeBase64Url', () => {
  it('round-trips random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(decodeBase64Url(encodeBase64Url(bytes))).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it('accepts only canonical input: whatever decodes re-encodes to the same text', () => {
    const nearAlphabet = fc.string({ unit: fc.constantFrom(...`${ALPHABET}+/=. ~\n\u00e9`), maxLength: 40 });
    fc.assert(
      fc.property(fc.oneof(nearAlphabet, fc.string({ unit: 'binary', maxLength: 40 })), (text) => {
        const bytes = decodeBase64Url(text);
        if (bytes !== undefined) expect(encodeBase64Url(bytes)).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws, only returns undefined, for arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        const result = decodeBase64Url(text);
        expect(result === undefined || result instanceof Uint8Array).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('rejects a string whose last character carries non-zero unused bits', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 50 }).filter((b) => b.length % 3 !== 0),
        fc.integer({ min: 1, max: 15 }),
        (bytes, noise) => {
          const text = encodeBase64Url(bytes);
          const unusedBits = bytes.length % 3 === 1 ? 4 : 2;
          const last = ALPHABET.indexOf(text.at(-1) as string);
          const mangled = text.slice(0, -1) + ALPHABET[last | (noise & ((1 << unusedBits) - 1))];
          if (mangled !== text) expect(decodeBase64Url(mangled)).toBeUndefined();
        },
      ),
      { numRuns: 300 },
    );
  });

  it.each([
    ['padding', 'Zg=='],
    ['single padding', 'Zm8='],
    ['standard alphabet +', 'a+b/'],
    ['standard alphabet /', 'ab/c'],
    ['a space', 'Zm9v Yg'],
    ['a newline', 'Zm9v\nYg'],
    ['a dot', 'Zm9v.Yg'],
    ['a tilde', 'Zm9v~'],
    ['a length of 4n+1', 'Zm9vY'],
    ['a single character', 'Z'],
    ['non-ASCII letters', 'Zm9vé'],
    ['a fullwidth letter', 'Ｚm9v'],
    ['non-canonical trailing bits (2 chars)', 'Zh'],
    ['non-canonical trailing bits (3 chars)', 'Zm9'],
    ['a NUL character', 'Zm\u00009v'],
  ])('rejects %s', (_, text) => {
    expect(decodeBase64Url(text)).toBeUndefined();
  });

  it('decodes the empty string to zero bytes', () => {
    expect(decodeBase64Url('')).toEqual(new Uint8Array(0));
  });
});

describe('UTF-8 helpers', () => {
  it('round-trips random Unicode text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 50 }), (text) => {
        expect(decodeBase64UrlText(encodeBase64UrlText(text))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['a lone continuation byte', [0x80]],
    ['a truncated sequence', [0xe2, 0x82]],
    ['an overlong encoding', [0xc0, 0xaf]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['0xff', [0xff]],
  ])('rejects invalid UTF-8: %s', (_, bytes) => {
    expect(fromUtf8(new Uint8Array(bytes))).toBeUndefined();
    expect(decodeBase64UrlText(encodeBase64Url(new Uint8Array(bytes)))).toBeUndefined();
  });

  it('returns undefined from decodeBase64UrlText for invalid base64url', () => {
    expect(decodeBase64UrlText('Zg==')).toBeUndefined();
  });
});
