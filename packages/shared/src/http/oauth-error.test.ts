import { describe, expect, it } from 'vitest';
import { oauthDescription, oauthErrorBody } from './oauth-error.ts';

describe('oauthErrorBody', () => {
  it('gives error, an ASCII description and extra members', () => {
    expect(oauthErrorBody('invalid_nonce', 'Use a "fresh" nonce — now', { c_nonce: 'n' })).toEqual({
      error: 'invalid_nonce',
      error_description: 'Use a ?fresh? nonce ? now',
      c_nonce: 'n',
    });
    expect(oauthErrorBody('invalid_request')).toEqual({ error: 'invalid_request' });
  });

  it('keeps descriptions within RFC 6749 §5.2 characters and 300 characters', () => {
    const text = oauthDescription(`${'\\'.repeat(10)}\u0000\n${'x'.repeat(400)}`);
    expect(text).toMatch(/^[\x20\x21\x23-\x5B\x5D-\x7E]*$/);
    expect(text).toHaveLength(300);
  });
});
