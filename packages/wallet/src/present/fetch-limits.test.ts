import { errorCodeOf, errorCodeOfAsync } from '@tessera/shared/testing';
import { describe, expect, it } from 'vitest';
import { checkVerifierUrl, MAX_BODY_BYTES, readLimitedText } from './fetch-limits.ts';

describe('checkVerifierUrl', () => {
  it('takes https URLs, and http on loopback only when development allows it', () => {
    expect(checkVerifierUrl('https://desk.example/verify/response/1', false, 'response_uri').host).toBe('desk.example');
    expect(checkVerifierUrl('http://127.0.0.1:8081/r', true, 'response_uri').port).toBe('8081');
    expect(errorCodeOf(() => checkVerifierUrl('http://127.0.0.1:8081/r', false, 'response_uri'))).toBe('fetch_blocked');
    expect(errorCodeOf(() => checkVerifierUrl('http://desk.example/r', true, 'response_uri'))).toBe('fetch_blocked');
  });

  it('refuses URLs with user info, which would mislead the holder about the host', () => {
    expect(errorCodeOf(() => checkVerifierUrl('https://desk.example@evil.example/r', false, 'request_uri'))).toBe(
      'request_invalid',
    );
    expect(errorCodeOf(() => checkVerifierUrl('https://user:pw@desk.example/r', false, 'request_uri'))).toBe('request_invalid');
  });

  it('refuses what is not a URL, and other schemes', () => {
    expect(errorCodeOf(() => checkVerifierUrl('not a url', false, 'request_uri'))).toBe('request_invalid');
    expect(errorCodeOf(() => checkVerifierUrl('javascript:alert(1)', true, 'request_uri'))).toBe('fetch_blocked');
    expect(errorCodeOf(() => checkVerifierUrl('file:///etc/passwd', true, 'request_uri'))).toBe('fetch_blocked');
  });
});

describe('readLimitedText', () => {
  it('reads a verifier answer up to the limit', async () => {
    expect(await readLimitedText(new Response('eyJ.a.b'))).toBe('eyJ.a.b');
    expect((await readLimitedText(new Response('a'.repeat(MAX_BODY_BYTES)))).length).toBe(MAX_BODY_BYTES);
  });

  it('refuses a larger answer with fetch_too_large, and text that is not UTF-8 with request_invalid', async () => {
    expect(await errorCodeOfAsync(readLimitedText(new Response('a'.repeat(MAX_BODY_BYTES + 1))))).toBe('fetch_too_large');
    expect(await errorCodeOfAsync(readLimitedText(new Response(new Uint8Array([0xff, 0xfe, 0x41]))))).toBe('request_invalid');
  });
});
