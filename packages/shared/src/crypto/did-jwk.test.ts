import { describe, expect, it } from 'vitest';
import { errorCodeOf } from '../testing.ts';
import { jwkOfDidJwk } from './did-jwk.ts';

const didOf = (value: unknown): string => `did:jwk:${Buffer.from(JSON.stringify(value)).toString('base64url')}`;
const KEY = {
  kty: 'EC',
  crv: 'P-256',
  x: 'acbIQiuMs3i8_uszEjJ2tpTtRM4EU3yz91PH6CdH2V0',
  y: '_KcyLj9vWMptnmKtm46GqDz8wf74I5LKgrl2GzH3nSE',
};

describe('jwkOfDidJwk', () => {
  it('reads the key out of the DID, whatever the order of its members', () => {
    expect(jwkOfDidJwk(didOf(KEY))).toEqual(KEY);
    expect(jwkOfDidJwk(didOf({ y: KEY.y, x: KEY.x, kty: 'EC', crv: 'P-256', use: 'sig' }))).toEqual({ ...KEY, use: 'sig' });
  });

  it('refuses anything else with did_invalid, and private key material above all', () => {
    const cases: unknown[] = [
      'did:web:example.org',
      'did:jwk:',
      'did:jwk:not+base64',
      `${didOf(KEY)}#0`,
      `did:jwk:${Buffer.from([0xff, 0xfe]).toString('base64url')}`,
      `did:jwk:${Buffer.from('not json').toString('base64url')}`,
      didOf([KEY]),
      didOf({ crv: 'P-256' }),
      didOf({ ...KEY, d: 'secret' }),
      didOf({ kty: 'oct', k: 'secret' }),
      42,
    ];
    for (const did of cases)
      expect(
        errorCodeOf(() => jwkOfDidJwk(did as string)),
        String(did),
      ).toBe('did_invalid');
  });
});
