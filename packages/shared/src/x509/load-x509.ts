import type * as X509 from '@peculiar/x509';

/**
 * Loading @peculiar/x509 (X.509 parsing and generation on WebCrypto) where it runs: in browsers
 * for the verifier's `x5c` checks, in Node for development certificates. One loader for the
 * whole workspace, because the library needs a polyfill before it can be imported at all.
 */

export type X509Module = typeof X509;
let x509Module: Promise<X509Module> | undefined;

/**
 * @peculiar/x509 resolves its algorithms through tsyringe, which throws on import unless
 * `Reflect.getMetadata` exists (the "reflect-metadata" polyfill). Rather than make every app
 * import a polyfill first, the library is loaded lazily here, after installing the few metadata
 * functions tsyringe uses when the host has none. Test helpers load it through this too.
 */
export function loadX509(): Promise<X509Module> {
  if (x509Module === undefined) {
    installReflectMetadata();
    x509Module = import('@peculiar/x509');
    x509Module.catch(() => {
      x509Module = undefined;
    });
  }
  return x509Module;
}

type MetadataStore = WeakMap<object, Map<unknown, Map<unknown, unknown>>>;

/** The subset of the Metadata Reflection API that tsyringe calls, unless the host has it already. */
function installReflectMetadata(): void {
  const reflect = Reflect as unknown as Record<string, unknown>;
  if (typeof reflect.getMetadata === 'function') return;
  const store: MetadataStore = new WeakMap();
  const table = (target: unknown, property: unknown, create: boolean): Map<unknown, unknown> | undefined => {
    if ((typeof target !== 'object' && typeof target !== 'function') || target === null) return undefined;
    let byProperty = store.get(target);
    if (byProperty === undefined) {
      if (!create) return undefined;
      byProperty = new Map();
      store.set(target, byProperty);
    }
    let entries = byProperty.get(property);
    if (entries === undefined && create) {
      entries = new Map();
      byProperty.set(property, entries);
    }
    return entries;
  };
  const hasOwnMetadata = (key: unknown, target: unknown, property?: unknown): boolean =>
    table(target, property, false)?.has(key) ?? false;
  const getOwnMetadata = (key: unknown, target: unknown, property?: unknown): unknown => table(target, property, false)?.get(key);
  const findOwner = (key: unknown, target: unknown, property?: unknown): unknown => {
    for (let current = target; current !== null && current !== undefined; current = Object.getPrototypeOf(current)) {
      if (hasOwnMetadata(key, current, property)) return current;
    }
    return undefined;
  };
  const functions = {
    defineMetadata: (key: unknown, value: unknown, target: unknown, property?: unknown): void => {
      const entries = table(target, property, true);
      if (entries === undefined) throw new TypeError('Metadata can only be defined on objects');
      entries.set(key, value);
    },
    hasOwnMetadata,
    getOwnMetadata,
    hasMetadata: (key: unknown, target: unknown, property?: unknown): boolean => findOwner(key, target, property) !== undefined,
    getMetadata: (key: unknown, target: unknown, property?: unknown): unknown => {
      const owner = findOwner(key, target, property);
      return owner === undefined ? undefined : getOwnMetadata(key, owner, property);
    },
  };
  for (const [name, value] of Object.entries(functions)) {
    // Writable and configurable, so a full polyfill loaded later can still replace these.
    Object.defineProperty(Reflect, name, { value, writable: true, configurable: true });
  }
}
