import { describe, expect, it } from 'vitest';
import { nodeScrypt } from '../node/node-scrypt.ts';
import { DEFAULT_SCRYPT_PARAMS, isScryptParams, nobleScrypt, passphraseBytes, SCRYPT_LIMITS } from './kdf.ts';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const text = (value: string): Uint8Array => new TextEncoder().encode(value);

describe('the passphrase KDF', () => {
  it('matches the RFC 7914 §12 test vector in both implementations', async () => {
    // scrypt(P="password", S="NaCl", N=1024, r=8, p=16, dkLen=64), RFC 7914 §12.
    const expected =
      'fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640';
    const params = { N: 1024, r: 8, p: 16, dkLen: 64 };
    expect(hex(await nobleScrypt(text('password'), text('NaCl'), params))).toBe(expected);
    expect(hex(await nodeScrypt(text('password'), text('NaCl'), params))).toBe(expected);
  });

  it('derives the same key in the browser and in Node at the default cost, within a usable time', async () => {
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const params = { ...DEFAULT_SCRYPT_PARAMS, dkLen: 32 };
    let started = performance.now();
    const inNode = await nodeScrypt(passphraseBytes('1234 56'), salt, params);
    const nodeMs = performance.now() - started;
    started = performance.now();
    const inBrowser = await nobleScrypt(passphraseBytes('1234 56'), salt, params);
    const nobleMs = performance.now() - started;
    expect(hex(inBrowser)).toBe(hex(inNode));
    // Loose bounds: the point is that the default neither takes no time nor blocks a phone for long.
    expect(nodeMs).toBeGreaterThan(20);
    expect(nobleMs).toBeLessThan(15_000);
  }, 30_000);

  it('reads a passphrase as UTF-8 of its NFC form, so composed and decomposed accents agree', () => {
    expect(passphraseBytes('caf\u00e9')).toEqual(passphraseBytes('cafe\u0301'));
    expect(passphraseBytes('كلمة')).toEqual(new TextEncoder().encode('كلمة'));
    expect(() => passphraseBytes('')).toThrow(TypeError);
    expect(() => passphraseBytes(42 as unknown as string)).toThrow(TypeError);
  });

  it('accepts the default and refuses parameters outside the limits', () => {
    expect(isScryptParams(DEFAULT_SCRYPT_PARAMS)).toBe(true);
    expect(128 * DEFAULT_SCRYPT_PARAMS.N * DEFAULT_SCRYPT_PARAMS.r).toBe(128 * 1024 * 1024);
    for (const bad of [
      { N: 2 ** 9, r: 8, p: 1 },
      { N: 3000, r: 8, p: 1 },
      { N: 2 ** 18, r: 16, p: 1 },
      { N: 2 ** 20, r: 8, p: 1 },
      { N: 2 ** 14, r: 0, p: 1 },
      { N: 2 ** 14, r: 8, p: 5 },
      { N: 2 ** 14, r: 8.5, p: 1 },
      { N: '16384', r: 8, p: 1 },
      null,
      [],
    ]) {
      expect(isScryptParams(bad), JSON.stringify(bad)).toBe(false);
    }
    expect(128 * 2 ** 21).toBe(SCRYPT_LIMITS.maxMemoryBytes);
  });
});
