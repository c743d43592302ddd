import { errorCodeOf } from '@tessera/shared/testing';
import { describe, expect, it } from 'vitest';
import { type CredentialOffer, PRE_AUTHORIZED_GRANT, parseCredentialOffer, readCredentialOffer } from './credential-offer.ts';
import { didWebUrl } from './did-key.ts';
import { wellKnownUrl } from './issuer-metadata.ts';
import { checkUrl, type WalletHttp } from './wallet-http.ts';

const ISSUER = 'https://issuer.example/tenants/bologna';
const valid = {
  credential_issuer: ISSUER,
  credential_configuration_ids: ['residence_permit'],
  grants: { [PRE_AUTHORIZED_GRANT]: { 'pre-authorized_code': 'code-1', tx_code: { input_mode: 'numeric', length: 6 } } },
};

/** An http that must not be used: offers by value need no request. */
const offline: WalletHttp = {
  fetch: () => Promise.reject(new Error('no request expected')),
  allowInsecureLocalhost: false,
  timeoutMs: 1000,
  maxBytes: 1024,
};

describe('parseCredentialOffer (OpenID4VCI 1.0 §4.1.1)', () => {
  it('reads the pre-authorized code, the transaction code rules and the issuer', () => {
    expect(parseCredentialOffer(valid)).toEqual<CredentialOffer>({
      credentialIssuer: ISSUER,
      configurationIds: ['residence_permit'],
      preAuthorizedCode: 'code-1',
      txCode: { inputMode: 'numeric', length: 6 },
    });
  });

  it.each([
    ['not an object', []],
    ['an http issuer', { ...valid, credential_issuer: 'http://issuer.example' }],
    ['an issuer with a query', { ...valid, credential_issuer: `${ISSUER}?x=1` }],
    ['an issuer with user info', { ...valid, credential_issuer: 'https://user:pw@issuer.example' }],
    ['no configuration ids', { ...valid, credential_configuration_ids: [] }],
    ['duplicate configuration ids', { ...valid, credential_configuration_ids: ['a', 'a'] }],
    ['a configuration id that is not a string', { ...valid, credential_configuration_ids: [7] }],
    ['no grants', { ...valid, grants: undefined }],
    ['only an authorization code grant', { ...valid, grants: { authorization_code: { issuer_state: 'x' } } }],
    ['an empty pre-authorized code', { ...valid, grants: { [PRE_AUTHORIZED_GRANT]: { 'pre-authorized_code': '' } } }],
    [
      'a tx_code with an unknown input mode',
      { ...valid, grants: { [PRE_AUTHORIZED_GRANT]: { 'pre-authorized_code': 'c', tx_code: { input_mode: 'emoji' } } } },
    ],
    [
      'a tx_code with a negative length',
      { ...valid, grants: { [PRE_AUTHORIZED_GRANT]: { 'pre-authorized_code': 'c', tx_code: { length: -1 } } } },
    ],
    [
      'a tx_code description over 300 characters',
      { ...valid, grants: { [PRE_AUTHORIZED_GRANT]: { 'pre-authorized_code': 'c', tx_code: { description: 'x'.repeat(301) } } } },
    ],
    [
      'an authorization server that is not https',
      { ...valid, grants: { [PRE_AUTHORIZED_GRANT]: { 'pre-authorized_code': 'c', authorization_server: 'ftp://as.example' } } },
    ],
  ])('refuses %s with offer_invalid', (_name, offer) => {
    expect(errorCodeOf(() => parseCredentialOffer(offer))).toBe('offer_invalid');
  });

  it('allows http only to loopback, and only when asked', () => {
    const local = { ...valid, credential_issuer: 'http://localhost:8080/tenants/a' };
    expect(errorCodeOf(() => parseCredentialOffer(local))).toBe('offer_invalid');
    expect(parseCredentialOffer(local, { allowInsecureLocalhost: true }).credentialIssuer).toBe(
      'http://localhost:8080/tenants/a',
    );
    const remote = { ...valid, credential_issuer: 'http://issuer.example/tenants/a' };
    expect(errorCodeOf(() => parseCredentialOffer(remote, { allowInsecureLocalhost: true }))).toBe('offer_invalid');
  });
});

describe('readCredentialOffer (OpenID4VCI 1.0 §4.1)', () => {
  it('reads an offer passed by value without any request', async () => {
    const link = `openid-credential-offer://?credential_offer=${encodeURIComponent(JSON.stringify(valid))}`;
    expect((await readCredentialOffer(link, offline)).preAuthorizedCode).toBe('code-1');
  });

  it.each([
    ['an empty link', ''],
    ['text that is not a URL', 'scan me'],
    ['a link with neither parameter', 'openid-credential-offer://?foo=1'],
    [
      'a link with both parameters',
      `openid-credential-offer://?credential_offer=%7B%7D&credential_offer_uri=${encodeURIComponent(ISSUER)}`,
    ],
    ['a link with a repeated parameter', 'openid-credential-offer://?credential_offer=%7B%7D&credential_offer=%7B%7D'],
    ['an offer that is not JSON', 'openid-credential-offer://?credential_offer=%7Bnot-json'],
    [
      'an offer URI over plain http',
      `openid-credential-offer://?credential_offer_uri=${encodeURIComponent('http://x.example/o')}`,
    ],
    ['a link over 16 KiB', `openid-credential-offer://?credential_offer=${'x'.repeat(17_000)}`],
  ])('refuses %s with offer_invalid', async (_name, link) => {
    await expect(readCredentialOffer(link, offline)).rejects.toMatchObject({ code: 'offer_invalid' });
  });
});

describe('URLs the wallet derives', () => {
  it('puts the well-known segment between host and path (OpenID4VCI 1.0 §12.2.2, RFC 8414 §3.1)', () => {
    expect(wellKnownUrl(ISSUER, 'openid-credential-issuer')).toBe(
      'https://issuer.example/.well-known/openid-credential-issuer/tenants/bologna',
    );
    expect(wellKnownUrl('https://issuer.example', 'oauth-authorization-server')).toBe(
      'https://issuer.example/.well-known/oauth-authorization-server',
    );
  });

  it('maps did:web to its document URL and refuses smuggled paths (did:web §3.2)', () => {
    expect(didWebUrl('did:web:issuer.example', false)).toBe('https://issuer.example/.well-known/did.json');
    expect(didWebUrl('did:web:localhost%3A8080:tenants:a', true)).toBe('http://localhost:8080/tenants/a/did.json');
    expect(didWebUrl('did:web:issuer.example%3A8443:tenants:a', true)).toBe('https://issuer.example:8443/tenants/a/did.json');
    for (const did of ['did:web:issuer.example:..:x', 'did:web:issuer.example%2Fevil', 'did:web:', 'did:web:a:b%2F..']) {
      expect(errorCodeOf(() => didWebUrl(did, false))).toBe('did_invalid');
    }
  });

  it('refuses what is not an https URL with the code it is given', () => {
    expect(errorCodeOf(() => checkUrl(42, 'x', false, 'issuer_metadata_invalid'))).toBe('issuer_metadata_invalid');
    expect(errorCodeOf(() => checkUrl('javascript:alert(1)', 'x', true, 'issuer_metadata_invalid'))).toBe(
      'issuer_metadata_invalid',
    );
    expect(errorCodeOf(() => checkUrl('http://127.0.0.1:1/x', 'x', false, 'offer_invalid'))).toBe('offer_invalid');
    expect(checkUrl('http://127.0.0.1:1/x', 'x', true, 'offer_invalid').port).toBe('1');
  });
});
