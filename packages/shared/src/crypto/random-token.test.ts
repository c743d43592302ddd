import { describe, expect, it } from 'vitest';
import { randomToken } from './random-token.ts';

describe('randomToken', () => {
  it('gives base64url of the requested number of random bytes, never the same twice', () => {
    expect(randomToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(randomToken(16)).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(new Set(Array.from({ length: 100 }, () => randomToken(16))).size).toBe(100);
  });

  it('refuses sizes that are not a whole number of bytes from 1 to 1024', () => {
    for (const bytes of [0, -1, 1.5, Number.NaN, 2048]) expect(() => randomToken(bytes)).toThrow(TypeError);
  });
});
