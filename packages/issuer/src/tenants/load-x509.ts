import type * as X509 from '@peculiar/x509';

/**
 * Loads @peculiar/x509 after installing the few `Reflect` metadata functions its tsyringe
 * dependency needs at import time, unless the host has them already.
 *
 * DUPLICATE of `loadX509` in packages/verifier/src/keys/x509.ts (the issuer must not depend on
 * the verifier at runtime); fold both into `@tessera/shared/node` later.
 */
export type X509Module = typeof X509;
let loading: Promise<X509Module> | undefined;

export function loadX509(): Promise<X509Module> {
  if (loading === undefined) {
    installReflectMetadata();
    loading = import('@peculiar/x509');
    loading.catch(() => {
      loading = undefined;
    });
  }
  return loading;
}

function installReflectMetadata(): void {
  const reflect = Reflect as unknown as Record<string, unknown>;
  if (typeof reflect.getMetadata === 'function') return;
  // target → property → key → value; properties and keys may be undefined or symbols.
  const store = new WeakMap<object, Map<unknown, Map<unknown, unknown>>>();
  const entries = (target: unknown, property: unknown, create: boolean): Map<unknown, unknown> | undefined => {
    if ((typeof target !== 'object' && typeof target !== 'function') || target === null) return undefined;
    let byProperty = store.get(target);
    if (byProperty === undefined) {
      if (!create) return undefined;
      byProperty = new Map();
      store.set(target, byProperty);
    }
    let byKey = byProperty.get(property);
    if (byKey === undefined && create) {
      byKey = new Map();
      byProperty.set(property, byKey);
    }
    return byKey;
  };
  const getOwnMetadata = (key: unknown, target: unknown, property?: unknown): unknown =>
    entries(target, property, false)?.get(key);
  const hasOwnMetadata = (key: unknown, target: unknown, property?: unknown): boolean =>
    entries(target, property, false)?.has(key) ?? false;
  const owner = (key: unknown, target: unknown, property?: unknown): unknown => {
    for (let at = target; at !== null && at !== undefined; at = Object.getPrototypeOf(at)) {
      if (hasOwnMetadata(key, at, property)) return at;
    }
    return undefined;
  };
  const functions = {
    defineMetadata: (key: unknown, value: unknown, target: unknown, property?: unknown): void => {
      const byKey = entries(target, property, true);
      if (byKey === undefined) throw new TypeError('Metadata can only be defined on objects');
      byKey.set(key, value);
    },
    getOwnMetadata,
    hasOwnMetadata,
    hasMetadata: (key: unknown, target: unknown, property?: unknown): boolean => owner(key, target, property) !== undefined,
    getMetadata: (key: unknown, target: unknown, property?: unknown): unknown => {
      const found = owner(key, target, property);
      return found === undefined ? undefined : getOwnMetadata(key, found, property);
    },
  };
  // Writable and configurable, so a full polyfill loaded later can still replace these.
  for (const [name, value] of Object.entries(functions))
    Object.defineProperty(Reflect, name, { value, writable: true, configurable: true });
}
