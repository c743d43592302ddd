import { generateKeyPairSync } from 'node:crypto';
import { errorCodeOfAsync } from '@tessera/shared/testing';
import type { DIDResolutionResult, Resolvable } from 'did-resolver';
import { describe, expect, it } from 'vitest';
import { createDidResolver } from './did.ts';
import { cachedLocalDidKeyResolver } from './local-did-key-cache.ts';

function publicJwk(): { kty: string; crv: string; x: string; y: string } {
  const { kty, crv, x, y } = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' });
  return { kty: kty as string, crv: crv as string, x: x as string, y: y as string };
}

function didJwk(jwk: object): string {
  return `did:jwk:${Buffer.from(JSON.stringify(jwk)).toString('base64url')}`;
}

/** The real resolver, counting the DIDs it is asked for; `failFirst` answers the first n with an error. */
function countingResolver(options: { failFirst?: number } = {}): Resolvable & { asked: string[] } {
  const inner = createDidResolver({});
  const asked: string[] = [];
  return {
    asked,
    resolve: async (did, resolveOptions): Promise<DIDResolutionResult> => {
      asked.push(did);
      if (asked.length <= (options.failFirst ?? 0)) {
        return { didResolutionMetadata: { error: 'notFound' }, didDocument: null, didDocumentMetadata: {} };
      }
      return inner.resolve(did, resolveOptions);
    },
  };
}

// did:key test vector (W3C CCG did:key, Ed25519).
const DID_KEY = 'did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp';

describe('cachedLocalDidKeyResolver', () => {
  it('resolves a did:jwk once and answers repeated presentations from the cache', async () => {
    const jwk = publicJwk();
    const did = didJwk(jwk);
    const resolver = countingResolver();
    const resolve = cachedLocalDidKeyResolver(resolver);
    expect(await resolve(did, `${did}#0`)).toEqual(jwk);
    expect(await resolve(did, `${did}#0`)).toEqual(jwk);
    expect(await resolve(did, `${did}#0`)).toEqual(jwk);
    expect(resolver.asked).toEqual([did]);
  });

  it('caches did:key keys as well', async () => {
    const resolver = countingResolver();
    const resolve = cachedLocalDidKeyResolver(resolver);
    const first = await resolve(DID_KEY, undefined);
    expect(first).toMatchObject({ kty: 'OKP', crv: 'Ed25519' });
    expect(await resolve(DID_KEY, undefined)).toEqual(first);
    expect(resolver.asked).toHaveLength(1);
  });

  it('keeps each kid apart: a failing kid stays failing after another kid of the same DID resolved', async () => {
    const did = didJwk(publicJwk());
    const resolver = countingResolver();
    const resolve = cachedLocalDidKeyResolver(resolver);
    expect(await errorCodeOfAsync(resolve(did, '#1'))).toBe('issuer_key_not_found');
    expect(await errorCodeOfAsync(resolve(did, '#0'))).toBeUndefined();
    expect(await errorCodeOfAsync(resolve(did, '#1'))).toBe('issuer_key_not_found');
    expect(await errorCodeOfAsync(resolve(did, `${did}#1`))).toBe('issuer_key_not_found');
    expect(await errorCodeOfAsync(resolve(did, ''))).toBe('issuer_key_not_found');
    // Every failure went to the resolver again; only '#0' was answered once and then cached.
    expect(await errorCodeOfAsync(resolve(did, '#0'))).toBeUndefined();
    expect(resolver.asked).toHaveLength(5);
  });

  it('never keeps a failed resolution: the DID is asked again and then succeeds', async () => {
    const jwk = publicJwk();
    const did = didJwk(jwk);
    const resolver = countingResolver({ failFirst: 2 });
    const resolve = cachedLocalDidKeyResolver(resolver);
    expect(await errorCodeOfAsync(resolve(did, '#0'))).toBe('did_resolution_failed');
    expect(await errorCodeOfAsync(resolve(did, '#0'))).toBe('did_resolution_failed');
    expect(await resolve(did, '#0')).toEqual(jwk);
    expect(await resolve(did, '#0')).toEqual(jwk);
    expect(resolver.asked).toHaveLength(3);
  });

  it('refuses an invalid did:jwk every time, however often it comes', async () => {
    const resolver = countingResolver();
    const resolve = cachedLocalDidKeyResolver(resolver);
    const privateJwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
    for (const did of [didJwk(privateJwk), 'did:jwk:bm90IGpzb24', `${didJwk(publicJwk())} x`]) {
      expect(await errorCodeOfAsync(resolve(did, undefined))).toBe('did_invalid');
      expect(await errorCodeOfAsync(resolve(did, undefined))).toBe('did_invalid');
    }
  });

  it('does not confuse a DID and kid pair with a longer DID that contains them', async () => {
    const jwk = publicJwk();
    const did = didJwk(jwk);
    const resolve = cachedLocalDidKeyResolver(countingResolver());
    expect(await resolve(did, '#0')).toEqual(jwk);
    expect(await errorCodeOfAsync(resolve(`${did} #0`, undefined))).toBe('did_invalid');
    expect(await errorCodeOfAsync(resolve(`${did}#0`, undefined))).toBe('did_invalid');
  });

  it('passes other DID methods through uncached (did:web documents change)', async () => {
    const resolver = countingResolver();
    const resolve = cachedLocalDidKeyResolver(resolver);
    // No fetch is configured, so did:web fails; what matters is that it is asked both times.
    expect(await errorCodeOfAsync(resolve('did:web:issuer.example', undefined))).toBe('did_resolution_failed');
    expect(await errorCodeOfAsync(resolve('did:web:issuer.example', undefined))).toBe('did_resolution_failed');
    expect(resolver.asked).toEqual(['did:web:issuer.example', 'did:web:issuer.example']);
  });

  it('keeps at most maxEntries keys, dropping the least recently used first', async () => {
    const jwks = [publicJwk(), publicJwk(), publicJwk()];
    const [a, b, c] = jwks.map(didJwk) as [string, string, string];
    const resolver = countingResolver();
    const resolve = cachedLocalDidKeyResolver(resolver, { maxEntries: 2 });
    await resolve(a, '#0');
    await resolve(b, '#0');
    await resolve(a, '#0'); // a is now the most recently used
    await resolve(c, '#0'); // evicts b
    expect(resolver.asked).toEqual([a, b, c]);
    expect(await resolve(a, '#0')).toEqual(jwks[0]);
    expect(await resolve(c, '#0')).toEqual(jwks[2]);
    expect(resolver.asked).toEqual([a, b, c]);
    expect(await resolve(b, '#0')).toEqual(jwks[1]);
    expect(resolver.asked).toEqual([a, b, c, b]);
  });

  it('does not keep identifiers longer than any real key', async () => {
    // A valid did:jwk padded with a long extra member: resolvable, but never kept.
    const jwk = publicJwk();
    const did = didJwk({ ...jwk, padding: 'p'.repeat(4000) });
    const resolver = countingResolver();
    const resolve = cachedLocalDidKeyResolver(resolver);
    expect(await resolve(did, '#0')).toEqual(jwk);
    expect(await resolve(did, '#0')).toEqual(jwk);
    expect(resolver.asked).toHaveLength(2);
  });

  it('hands out copies, so a caller changing a returned key cannot change the cached one', async () => {
    const jwk = publicJwk();
    const did = didJwk(jwk);
    const resolve = cachedLocalDidKeyResolver(countingResolver());
    const first = await resolve(did, '#0');
    first.x = 'changed';
    const second = await resolve(did, '#0');
    expect(second).toEqual(jwk);
    second.y = 'changed';
    expect(await resolve(did, '#0')).toEqual(jwk);
  });

  it('rejects a cache size that is not a positive integer', () => {
    for (const maxEntries of [0, -1, 1.5, Number.NaN]) {
      expect(() => cachedLocalDidKeyResolver(countingResolver(), { maxEntries })).toThrow(TypeError);
    }
  });
});
