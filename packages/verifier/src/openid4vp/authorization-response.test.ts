import { isTesseraError } from '@tessera/shared';
import { errorCodeOf } from '@tessera/shared/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RESPONSE_LIMITS, readAuthorizationResponse } from './authorization-response.ts';

describe('readAuthorizationResponse', () => {
  it('reads a direct_post form: vp_token as JSON text, keyed by query id', () => {
    expect(readAuthorizationResponse({ vp_token: '{"permit":["a~b~"]}', state: 's1' }, 'form')).toEqual({
      kind: 'vp_token',
      vpToken: { permit: ['a~b~'] },
      state: 's1',
    });
  });

  it('reads a decrypted payload, where vp_token is an object', () => {
    const response = readAuthorizationResponse({ vp_token: { permit: ['a~b~'] } }, 'encrypted');
    expect(response).toMatchObject({ kind: 'vp_token', state: undefined });
  });

  it('reads an error response, which wins over anything else', () => {
    expect(readAuthorizationResponse({ error: 'access_denied', vp_token: 'ignored', state: 's' }, 'form')).toEqual({
      kind: 'error',
      error: 'access_denied',
      state: 's',
    });
  });

  it('keeps a query id named __proto__ as a plain key', () => {
    const response = readAuthorizationResponse({ vp_token: '{"__proto__":["x~"]}' }, 'form');
    expect(response.kind === 'vp_token' && Object.keys(response.vpToken)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it.each([
    ['no vp_token and no error', {}],
    ['vp_token that is not JSON', { vp_token: '{' }],
    ['vp_token that is an array', { vp_token: '[]' }],
    ['vp_token that is empty', { vp_token: '{}' }],
    ['a query answered with a string', { vp_token: '{"q":"a~"}' }],
    ['a query answered with nothing', { vp_token: '{"q":[]}' }],
    ['a presentation that is not a string', { vp_token: '{"q":[{"a":1}]}' }],
    ['an empty presentation', { vp_token: '{"q":[""]}' }],
    [
      'too many queries',
      { vp_token: JSON.stringify(Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`q${i}`, ['a~']]))) },
    ],
    ['too many presentations', { vp_token: JSON.stringify({ q: Array.from({ length: 17 }, () => 'a~') }) }],
    ['an error code with a quote', { error: 'access"denied' }],
    ['an error code that is too long', { error: 'x'.repeat(RESPONSE_LIMITS.maxErrorLength + 1) }],
    ['an empty state', { vp_token: '{"q":["a~"]}', state: '' }],
    ['a state that is not a string', { vp_token: '{"q":["a~"]}', state: 5 }],
  ])('refuses %s with response_malformed', (_name, parameters) => {
    expect(errorCodeOf(() => readAuthorizationResponse(parameters, 'form'))).toBe('response_malformed');
  });

  it('never throws anything but a TesseraError on arbitrary input', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('vp_token', 'state', 'error', 'other'), fc.oneof(fc.string(), fc.jsonValue())),
        (form) => {
          for (const source of ['form', 'encrypted'] as const) {
            try {
              readAuthorizationResponse(form, source);
            } catch (error) {
              expect(isTesseraError(error, 'response_malformed')).toBe(true);
            }
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
