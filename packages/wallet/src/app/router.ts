/**
 * A tiny hash router: the app is one static page, so `#/credential/abc` needs no server rule and
 * works offline from the service worker's cache. Patterns are `/`-separated with `:name` segments.
 */

/** A matched route: the pattern and its decoded `:name` parameters. */
export interface RouteMatch {
  readonly pattern: string;
  readonly params: Readonly<Record<string, string>>;
}

/** The path of a location hash: `#/home` → `/home`; empty or not a path → `/`. */
export function hashPath(hash: string): string {
  const path = hash.startsWith('#') ? hash.slice(1) : hash;
  return path.startsWith('/') ? path : '/';
}

/**
 * The first pattern that `path` matches, with its parameters; `undefined` when none does. A
 * parameter never matches an empty segment, and a segment that is not valid percent-encoding
 * matches nothing (rather than throwing `URIError` out of a `hashchange` handler).
 * @example matchRoute(['/home', '/credential/:id'], '/credential/a%20b') // { pattern: '/credential/:id', params: { id: 'a b' } }
 */
export function matchRoute(patterns: readonly string[], path: string): RouteMatch | undefined {
  const segments = path.split('/').filter((segment) => segment !== '');
  for (const pattern of patterns) {
    const parts = pattern.split('/').filter((part) => part !== '');
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let matched = true;
    for (const [index, part] of parts.entries()) {
      const segment = segments[index] as string;
      if (part.startsWith(':')) {
        const value = decodeSegment(segment);
        if (value === undefined || value === '') {
          matched = false;
          break;
        }
        params[part.slice(1)] = value;
      } else if (part !== segment) {
        matched = false;
        break;
      }
    }
    if (matched) return { pattern, params };
  }
  return undefined;
}

/** A hash for `pattern` with `params` filled in, each percent-encoded. */
export function routeHash(pattern: string, params: Readonly<Record<string, string>> = {}): string {
  const path = pattern
    .split('/')
    .map((part) => {
      if (!part.startsWith(':')) return part;
      const value = params[part.slice(1)];
      if (value === undefined) throw new TypeError(`The route ${pattern} needs the parameter ${part.slice(1)}`);
      return encodeURIComponent(value);
    })
    .join('/');
  return `#${path}`;
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** What the router needs of the page (a `window` in the app, a stand-in in tests). */
export interface RouterHost {
  readonly location: { hash: string };
  addEventListener(type: 'hashchange', listener: () => void): void;
  removeEventListener(type: 'hashchange', listener: () => void): void;
}

/** A running router. */
export interface HashRouter {
  /** Goes to `hash` (e.g. `#/home`); shows it at once when it is the current hash already. */
  navigate(hash: string): void;
  /** Shows the current hash again (after a lock or a language change). */
  refresh(): void;
  /** Stops listening. */
  stop(): void;
}

/**
 * Calls `show` with the match for the current hash now and on every `hashchange`; `show` gets
 * `undefined` for a hash no pattern matches.
 */
export function startHashRouter(
  host: RouterHost,
  patterns: readonly string[],
  show: (match: RouteMatch | undefined) => void,
): HashRouter {
  const current = (): void => show(matchRoute(patterns, hashPath(host.location.hash)));
  host.addEventListener('hashchange', current);
  current();
  return {
    navigate: (hash) => {
      // Setting the same hash fires no hashchange; show it anyway so a redirect always renders.
      if (host.location.hash === hash) current();
      else host.location.hash = hash;
    },
    refresh: current,
    stop: () => host.removeEventListener('hashchange', current),
  };
}
