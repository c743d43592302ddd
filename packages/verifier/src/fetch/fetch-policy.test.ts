import { isTesseraError } from '@tessera/shared';
import { describe, expect, it } from 'vitest';
import { checkUrl, classifyAddress, fetchLimits, isBlockedAddress } from './fetch-policy.ts';

function blocked(url: string, policy = {}): boolean {
  try {
    checkUrl(url, policy);
    return false;
  } catch (error) {
    if (isTesseraError(error, 'fetch_blocked')) return true;
    throw error;
  }
}

describe('checkUrl', () => {
  it('accepts an https URL with a public host name or address', () => {
    expect(checkUrl('https://issuer.example/.well-known/jwt-vc-issuer').host).toBe('issuer.example');
    expect(checkUrl('https://93.184.215.14/x').hostname).toBe('93.184.215.14');
    expect(checkUrl('https://[2606:4700::1]/').hostname).toBe('[2606:4700::1]');
  });

  it('refuses anything but https, and malformed URLs', () => {
    for (const url of [
      'http://issuer.example/',
      'ftp://issuer.example/',
      'file:///etc/passwd',
      'data:,x',
      'javascript:1',
      '/relative',
      'not a url',
    ]) {
      expect(blocked(url), url).toBe(true);
    }
  });

  it('allows plain http only to localhost, 127.0.0.1 and [::1], and only with allowInsecureLocalhost', () => {
    for (const url of ['http://localhost:8080/', 'http://127.0.0.1:8080/', 'http://[::1]:8080/']) {
      expect(blocked(url), url).toBe(true);
      expect(blocked(url, { allowInsecureLocalhost: true }), url).toBe(false);
    }
    for (const url of ['http://127.0.0.2/', 'http://issuer.example/', 'http://10.0.0.1/', 'http://localhost.evil.example/']) {
      expect(blocked(url, { allowInsecureLocalhost: true }), url).toBe(true);
    }
    expect(blocked('http://10.0.0.1/', { allowInsecureLocalhost: true, allowPrivateNetworks: true })).toBe(true);
  });

  it('refuses credentials in the URL', () => {
    expect(blocked('https://user:secret@issuer.example/')).toBe(true);
    expect(blocked('https://user@issuer.example/')).toBe(true);
  });

  it('refuses SSRF targets given as IP literals', () => {
    const targets = [
      'https://169.254.169.254/latest/meta-data/',
      'https://10.0.0.1/',
      'https://172.16.5.4/',
      'https://172.31.255.255/',
      'https://192.168.1.1/',
      'https://100.64.0.1/',
      'https://127.0.0.1/',
      'https://127.8.9.10/',
      'https://0.0.0.0/',
      'https://[::1]/',
      'https://[::]/',
      'https://[fe80::1]/',
      'https://[fc00::1]/',
      'https://[fd12:3456::1]/',
      'https://[ff02::1]/',
      'https://224.0.0.1/',
      'https://255.255.255.255/',
      'https://[::ffff:127.0.0.1]/',
      'https://[::ffff:7f00:1]/',
      'https://[::ffff:a9fe:a9fe]/',
      'https://[64:ff9b::10.0.0.1]/',
      'https://[2002:7f00:1::]/',
      'https://[fd00:ec2::254]/',
    ];
    for (const url of targets) expect(blocked(url), url).toBe(true);
  });

  it('sees through the decimal, octal and hex IPv4 forms that the URL parser normalises', () => {
    // WHATWG URL (IPv4 parser) turns all of these into 127.0.0.1 or 0.0.0.0 before anything connects.
    expect(new URL('https://2130706433/').hostname).toBe('127.0.0.1');
    expect(new URL('https://0x7f.1/').hostname).toBe('127.0.0.1');
    expect(new URL('https://0177.0.0.1/').hostname).toBe('127.0.0.1');
    expect(new URL('https://0/').hostname).toBe('0.0.0.0');
    for (const url of [
      'https://2130706433/',
      'https://0x7f000001/',
      'https://0177.0.0.1/',
      'https://127.1/',
      'https://0/',
      'https://%31%32%37.0.0.1/',
    ]) {
      expect(blocked(url), url).toBe(true);
    }
    expect(blocked('https://2852039166/')).toBe(true); // 169.254.169.254
  });

  it('refuses the localhost names over https unless loopback is allowed', () => {
    expect(blocked('https://localhost/')).toBe(true);
    expect(blocked('https://localhost./')).toBe(true);
    expect(blocked('https://api.localhost/')).toBe(true);
    expect(blocked('https://localhost:8443/', { allowInsecureLocalhost: true })).toBe(false);
  });

  it('allows private and link-local addresses over https with allowPrivateNetworks, but never the metadata endpoint', () => {
    const policy = { allowPrivateNetworks: true };
    for (const url of [
      'https://10.0.0.1/',
      'https://192.168.1.1/',
      'https://[fd12::1]/',
      'https://169.254.10.10/',
      'https://127.0.0.1/',
    ]) {
      expect(blocked(url, policy), url).toBe(false);
    }
    for (const url of [
      'https://169.254.169.254/',
      'https://[fd00:ec2::254]/',
      'https://0.0.0.0/',
      'https://[ff02::1]/',
      'https://[::]/',
    ]) {
      expect(blocked(url, policy), url).toBe(true);
    }
  });

  it('lets allowInsecureLocalhost open loopback, not private networks', () => {
    expect(blocked('https://127.0.0.1:8443/', { allowInsecureLocalhost: true })).toBe(false);
    expect(blocked('https://10.0.0.1/', { allowInsecureLocalhost: true })).toBe(true);
  });
});

describe('isBlockedAddress', () => {
  it('classifies resolved addresses as DNS returns them', () => {
    expect(classifyAddress('8.8.8.8')).toBe('public');
    expect(classifyAddress('2a00:1450:4001:80b::200e')).toBe('public');
    expect(classifyAddress('127.0.0.1')).toBe('loopback');
    expect(classifyAddress('::1')).toBe('loopback');
    expect(classifyAddress('::ffff:127.0.0.1')).toBe('loopback');
    expect(classifyAddress('0:0:0:0:0:ffff:7f00:1')).toBe('loopback');
    expect(classifyAddress('10.1.2.3')).toBe('private');
    expect(classifyAddress('fe80::1%eth0')).toBe('link-local');
    expect(classifyAddress('169.254.169.254')).toBe('forbidden');
    expect(classifyAddress('::ffff:169.254.169.254')).toBe('forbidden');
    expect(classifyAddress('64:ff9b::8.8.8.8')).toBe('public');
    expect(classifyAddress('2001:db8::1')).toBe('forbidden');
    expect(classifyAddress('2001::1')).toBe('forbidden');
  });

  it('blocks every non-public address by default and anything that is not an address', () => {
    for (const ip of [
      '127.0.0.1',
      '10.0.0.1',
      '169.254.1.1',
      '0.0.0.0',
      '::',
      'fc00::1',
      '1.2.3',
      '01.2.3.4',
      '1::2::3',
      'example.com',
      '',
    ]) {
      expect(isBlockedAddress(ip), ip).toBe(true);
    }
    expect(isBlockedAddress('8.8.8.8')).toBe(false);
    expect(isBlockedAddress('127.0.0.1', { allowInsecureLocalhost: true })).toBe(false);
    expect(isBlockedAddress('10.0.0.1', { allowPrivateNetworks: true })).toBe(false);
  });
});

describe('fetchLimits', () => {
  it('takes the request limits first, then the policy, then the defaults', () => {
    expect(fetchLimits({ url: 'x', accept: '*/*' }, {})).toEqual({ maxBytes: 256 * 1024, timeoutMs: 5000 });
    expect(fetchLimits({ url: 'x', accept: '*/*' }, { maxBytes: 10, timeoutMs: 20 })).toEqual({ maxBytes: 10, timeoutMs: 20 });
    expect(fetchLimits({ url: 'x', accept: '*/*', maxBytes: 1, timeoutMs: 2 }, { maxBytes: 10 })).toEqual({
      maxBytes: 1,
      timeoutMs: 2,
    });
  });

  it('throws a TypeError for impossible limits', () => {
    expect(() => fetchLimits({ url: 'x', accept: '*/*', maxBytes: -1 }, {})).toThrow(TypeError);
    expect(() => fetchLimits({ url: 'x', accept: '*/*', timeoutMs: 0 }, {})).toThrow(TypeError);
  });
});
