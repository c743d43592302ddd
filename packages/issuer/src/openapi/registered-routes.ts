import type { Express } from 'express';

/** A route as express holds it: the method and the full path, parameters as `:name`. */
export interface RegisteredRoute {
  readonly method: string;
  readonly path: string;
}

interface Layer {
  readonly route?: { readonly path: unknown; readonly methods: Record<string, boolean> };
  readonly handle?: { readonly stack?: readonly Layer[] };
  /** The path the layer was registered with (router 2.x). */
  readonly rawPath?: unknown;
  readonly slash?: boolean;
}

/**
 * Every route of an express 5 app, walked from its router stack, mounted routers included
 * (their mount path is the layer's `rawPath`). Middleware without a route is not listed.
 * @example registeredRoutes(app) // [{ method: 'get', path: '/tenants/:tenant/did.json' }, …]
 */
export function registeredRoutes(app: Express): RegisteredRoute[] {
  const router = (app as unknown as { router?: { stack?: readonly Layer[] } }).router;
  if (router?.stack === undefined) throw new TypeError('registeredRoutes needs an express 5 app');
  return walk(router.stack, '');
}

function walk(stack: readonly Layer[], prefix: string): RegisteredRoute[] {
  const routes: RegisteredRoute[] = [];
  for (const layer of stack) {
    if (layer.route !== undefined) {
      if (typeof layer.route.path !== 'string') throw new TypeError('Only string route paths can be listed');
      for (const [method, on] of Object.entries(layer.route.methods)) {
        if (on && method !== '_all') routes.push({ method, path: join(prefix, layer.route.path) });
      }
    } else if (layer.handle?.stack !== undefined) {
      const mount = layer.slash === true || layer.rawPath === undefined || layer.rawPath === '/' ? '' : String(layer.rawPath);
      routes.push(...walk(layer.handle.stack, join(prefix, mount)));
    }
  }
  return routes;
}

function join(prefix: string, path: string): string {
  if (prefix === '') return path;
  return path === '/' ? `${prefix}/` : `${prefix}${path}`;
}
