/** JSON values as they travel in JWTs and disclosures. */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonObject | JsonArray;
export interface JsonObject {
  [key: string]: JsonValue;
}
export type JsonArray = JsonValue[];

/** Parses JSON, returning `undefined` instead of throwing on malformed text. */
export function parseJson(text: string): JsonValue | undefined {
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own-property lookup: never sees inherited names such as `constructor` or `__proto__`. */
export function hasOwn(object: object, key: string): boolean {
  return Object.hasOwn(object, key);
}

/**
 * Sets an own property even for the name `__proto__`, which plain assignment would turn into a
 * prototype change (prototype pollution through a disclosed claim name).
 */
export function defineOwn(object: JsonObject, key: string, value: JsonValue): void {
  if (key === '__proto__') {
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    object[key] = value;
  }
}

/** Depth of nested objects/arrays (a scalar is depth 0), stopping early past `limit`. */
export function jsonDepthExceeds(value: unknown, limit: number): boolean {
  return depth(value, 0, limit) > limit;
}

function depth(value: unknown, level: number, limit: number): number {
  if (typeof value !== 'object' || value === null) return level;
  if (level + 1 > limit) return level + 1;
  let max = level + 1;
  for (const child of Array.isArray(value) ? value : Object.values(value)) {
    const d = depth(child, level + 1, limit);
    if (d > max) max = d;
    if (max > limit) return max;
  }
  return max;
}
