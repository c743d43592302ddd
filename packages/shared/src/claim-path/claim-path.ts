import type { JsonValue } from '../encoding/json.ts';
import { hasOwn, isJsonObject } from '../encoding/json.ts';

/**
 * A claims path pointer (OpenID4VP 1.0 §7): object keys as strings, array positions as
 * non-negative integers, and `null` for "every element of this array".
 * @example ['address', 'locality'] · ['nationalities', 0] · ['degrees', null, 'type']
 */
export type ClaimPath = readonly (string | number | null)[];

/** True when `value` is a well-formed, non-empty claims path pointer. */
export function isClaimPath(value: unknown): value is ClaimPath {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (step) =>
        typeof step === 'string' || step === null || (typeof step === 'number' && Number.isSafeInteger(step) && step >= 0),
    )
  );
}

/** A path for messages: names and positions only, never values. */
export function formatClaimPath(path: ClaimPath): string {
  return path.map((step) => (step === null ? '[*]' : typeof step === 'number' ? `[${step}]` : JSON.stringify(step))).join('.');
}

/** True when a concrete path (no nulls) is matched by a pattern path step by step. */
function stepMatches(pattern: string | number | null, step: string | number | null): boolean {
  return pattern === null ? typeof step === 'number' : pattern === step;
}

/**
 * True when the two paths lie on one line: one is a prefix of the other, with `null` in `pattern`
 * standing for any array index. Disclosing a claim means disclosing its ancestors (to reach it)
 * and its descendants (its whole value).
 */
export function pathsOverlap(pattern: ClaimPath, concrete: ClaimPath): boolean {
  const n = Math.min(pattern.length, concrete.length);
  for (let i = 0; i < n; i++) {
    if (!stepMatches(pattern[i] as string | number | null, concrete[i] as string | number | null)) return false;
  }
  return true;
}

/**
 * Selects the values a path points to (OpenID4VP 1.0 §7.1). Returns an empty list when nothing
 * matches; never throws.
 */
export function selectClaims(root: JsonValue, path: ClaimPath): JsonValue[] {
  let current: JsonValue[] = [root];
  for (const step of path) {
    const next: JsonValue[] = [];
    for (const node of current) {
      if (step === null) {
        if (Array.isArray(node)) next.push(...node);
      } else if (typeof step === 'number') {
        if (Array.isArray(node) && step < node.length) next.push(node[step] as JsonValue);
      } else if (isJsonObject(node) && hasOwn(node, step)) {
        next.push(node[step] as JsonValue);
      }
    }
    if (next.length === 0) return [];
    current = next;
  }
  return current;
}
