import { isTesseraError } from '@tessera/shared';
import { describe, expect, it } from 'vitest';
import { checkVerifierUrl } from './fetch-limits.ts';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isTesseraError(error) ? error.code : 'not a TesseraError';
  }
  return undefined;
}

describe('checkVerifierUrl', () => {
  it('takes https URLs, and http on loopback only when development allows it', () => {
    expect(checkVerifierUrl('https://desk.example/verify/response/1', false, 'response_uri').host).toBe('desk.example');
    expect(checkVerifierUrl('http://127.0.0.1:8081/r', true, 'response_uri').port).toBe('8081');
    expect(codeOf(() => checkVerifierUrl('http://127.0.0.1:8081/r', false, 'response_uri'))).toBe('fetch_blocked');
    expect(codeOf(() => checkVerifierUrl('http://desk.example/r', true, 'response_uri'))).toBe('fetch_blocked');
  });

  it('refuses URLs with user info, which would mislead the holder about the host', () => {
    expect(codeOf(() => checkVerifierUrl('https://desk.example@evil.example/r', false, 'request_uri'))).toBe('request_invalid');
    expect(codeOf(() => checkVerifierUrl('https://user:pw@desk.example/r', false, 'request_uri'))).toBe('request_invalid');
  });

  it('refuses what is not a URL, and other schemes', () => {
    expect(codeOf(() => checkVerifierUrl('not a url', false, 'request_uri'))).toBe('request_invalid');
    expect(codeOf(() => checkVerifierUrl('javascript:alert(1)', true, 'request_uri'))).toBe('fetch_blocked');
    expect(codeOf(() => checkVerifierUrl('file:///etc/passwd', true, 'request_uri'))).toBe('fetch_blocked');
  });
});
