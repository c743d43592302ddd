import { describe, expect, it } from 'vitest';
import { hashPath, matchRoute, type RouteMatch, type RouterHost, routeHash, startHashRouter } from './router.ts';

const PATTERNS = ['/home', '/credential/:id', '/settings/wipe', '/settings'];

describe('matchRoute', () => {
  it('matches fixed paths and decodes parameters', () => {
    expect(matchRoute(PATTERNS, '/home')).toEqual({ pattern: '/home', params: {} });
    expect(matchRoute(PATTERNS, '/settings/wipe')).toEqual({ pattern: '/settings/wipe', params: {} });
    expect(matchRoute(PATTERNS, '/credential/a%2Fb%20c')).toEqual({ pattern: '/credential/:id', params: { id: 'a/b c' } });
  });

  it('matches nothing for other paths, extra segments, empty parameters or broken percent-encoding', () => {
    expect(matchRoute(PATTERNS, '/')).toBeUndefined();
    expect(matchRoute(PATTERNS, '/home/more')).toBeUndefined();
    expect(matchRoute(PATTERNS, '/credential/')).toBeUndefined();
    expect(matchRoute(PATTERNS, '/credential/%E0%A4%A')).toBeUndefined();
    expect(matchRoute(PATTERNS, '/unknown')).toBeUndefined();
  });
});

describe('hashPath and routeHash', () => {
  it('read a location hash as a path, anything else as the root', () => {
    expect(hashPath('#/home')).toBe('/home');
    expect(hashPath('')).toBe('/');
    expect(hashPath('#home')).toBe('/');
  });

  it('build a hash that matches back to the same parameters', () => {
    const hash = routeHash('/credential/:id', { id: 'x/y?z#' });
    expect(hash).toBe('#/credential/x%2Fy%3Fz%23');
    expect(matchRoute(PATTERNS, hashPath(hash))?.params).toEqual({ id: 'x/y?z#' });
    expect(() => routeHash('/credential/:id')).toThrow(TypeError);
  });
});

/** A stand-in for `window`: a hash, and `hashchange` fired when it changes, as browsers do. */
function fakeWindow(hash = ''): RouterHost & { listeners: Set<() => void> } {
  const listeners = new Set<() => void>();
  let current = hash;
  return {
    listeners,
    location: {
      get hash() {
        return current;
      },
      set hash(next: string) {
        const changed = next !== current;
        current = next;
        if (changed) for (const listener of listeners) listener();
      },
    },
    addEventListener: (_type, listener) => listeners.add(listener),
    removeEventListener: (_type, listener) => listeners.delete(listener),
  };
}

describe('startHashRouter', () => {
  it('shows the current hash at once, then every change, and the same hash again on navigate', () => {
    const host = fakeWindow('#/home');
    const shown: (RouteMatch | undefined)[] = [];
    const router = startHashRouter(host, PATTERNS, (match) => shown.push(match));
    router.navigate('#/credential/abc');
    router.navigate('#/credential/abc');
    router.navigate('#/nowhere');
    expect(shown.map((match) => match?.pattern)).toEqual(['/home', '/credential/:id', '/credential/:id', undefined]);
    router.stop();
    expect(host.listeners.size).toBe(0);
  });
});
