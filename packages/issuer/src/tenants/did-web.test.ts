import { didWebUrl } from '@tessera/verifier';
import { describe, expect, it } from 'vitest';
import { isTenantId, tenantDidWeb } from './did-web.ts';

describe('tenant did:web identifiers', () => {
  it('follows the did:web method: host, percent-encoded port, base path and tenant path as segments', () => {
    expect(tenantDidWeb('https://issuer.example.org', 'bologna')).toEqual({
      did: 'did:web:issuer.example.org:tenants:bologna',
      documentUrl: 'https://issuer.example.org/tenants/bologna/did.json',
      documentPath: '/tenants/bologna/did.json',
    });
    expect(tenantDidWeb('https://Issuer.Example.org:8443/tessera/', 'caritas-school')).toEqual({
      did: 'did:web:issuer.example.org%3A8443:tessera:tenants:caritas-school',
      documentUrl: 'https://issuer.example.org:8443/tessera/tenants/caritas-school/did.json',
      documentPath: '/tessera/tenants/caritas-school/did.json',
    });
    expect(tenantDidWeb('http://localhost:3000', 'dev').did).toBe('did:web:localhost%3A3000:tenants:dev');
  });

  it('gives the document URL that the verifier resolves the DID to', () => {
    for (const [base, local] of [
      ['https://issuer.example.org', false],
      ['https://issuer.example.org:8443/a/b', false],
      ['http://127.0.0.1:4000/x', true],
    ] as const) {
      const { did, documentUrl } = tenantDidWeb(base, 'bologna');
      expect(didWebUrl(did, { allowInsecureLocalhost: local })).toBe(documentUrl);
    }
  });

  it('refuses base URLs that cannot carry a did:web, and malformed tenant ids', () => {
    for (const base of [
      'http://issuer.example.org',
      'ftp://issuer.example.org',
      'not a url',
      'https://user:pw@issuer.example.org',
      'https://issuer.example.org/?q=1',
      'https://issuer.example.org/#frag',
      'https://[::1]/',
      'https://issuer.example.org/a%2Fb',
    ]) {
      expect(() => tenantDidWeb(base, 'bologna'), base).toThrow(TypeError);
    }
    for (const id of ['', 'Bologna', 'a_b', '-a', 'a-', 'a.b', 'a:b', 'a'.repeat(64)]) {
      expect(isTenantId(id), id).toBe(false);
      expect(() => tenantDidWeb('https://issuer.example.org', id)).toThrow(TypeError);
    }
    expect(isTenantId('a'.repeat(63))).toBe(true);
  });
});
