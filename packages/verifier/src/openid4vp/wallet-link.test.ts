import { describe, expect, it } from 'vitest';
import { x509Hash } from './client-identity.ts';
import { walletLink } from './wallet-link.ts';

describe('walletLink', () => {
  it('carries client_id, request_uri and request_uri_method by reference, URL-encoded', () => {
    const link = walletLink({
      clientId: 'x509_hash:abc',
      requestUri: 'https://desk.example/request/s?1',
      requestUriMethod: 'post',
    });
    expect(link).toBe(
      'openid4vp://?client_id=x509_hash%3Aabc&request_uri=https%3A%2F%2Fdesk.example%2Frequest%2Fs%3F1&request_uri_method=post',
    );
  });

  it('carries a signed request object by value as client_id and request only (RFC 9101 §5.1)', () => {
    expect(walletLink({ clientId: 'x509_hash:abc', requestObject: 'eyJh.eyJi.c2ln' })).toBe(
      'openid4vp://?client_id=x509_hash%3Aabc&request=eyJh.eyJi.c2ln',
    );
  });

  it('carries an unsigned request by value with objects JSON-encoded', () => {
    const link = new URL(walletLink({ byValue: { client_id: 'redirect_uri:https://d/r', dcql_query: { credentials: [] } } }));
    expect(link.searchParams.get('client_id')).toBe('redirect_uri:https://d/r');
    expect(JSON.parse(String(link.searchParams.get('dcql_query')))).toEqual({ credentials: [] });
  });
});

describe('x509Hash', () => {
  it('is base64url(SHA-256(DER)) of the x5c entry (OpenID4VP 1.0 §5.9.3)', async () => {
    // DER bytes 0x01 0x02 0x03 ("AQID"): SHA-256 = 039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81
    expect(await x509Hash('AQID')).toBe(
      Buffer.from('039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81', 'hex').toString('base64url'),
    );
  });
});
