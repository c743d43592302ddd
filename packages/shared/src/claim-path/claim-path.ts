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

/** A claim a pointer selected, with its concrete path (positions instead of `null`). */
export interface SelectedClaim {
  readonly path: readonly (string | number)[];
  readonly value: JsonValue;
}

/**
 * Applies a claims path pointer (OpenID4VP 1.0 §7.1) and keeps each selected claim's concrete
 * path. Processing aborts — here: returns an empty list, "nothing selected" — when any selected
 * element is of the wrong kind for the step (a key into a non-object, an index or `null` into a
 * non-array), exactly as §7.1 step 2 says; a missing key or index only drops that element. Own
 * properties only. Never throws.
 */
export function selectWithPaths(root: JsonValue, pointer: ClaimPath): SelectedClaim[] {
  let current: SelectedClaim[] = [{ path: [], value: root }];
  for (const step of pointer) {
    const next: SelectedClaim[] = [];
    for (const { path, value } of current) {
      if (step === null || typeof step === 'number') {
        if (!Array.isArray(value)) return [];
        if (step !== null) {
          if (step < value.length) next.push({ path: [...path, step], value: value[step] as JsonValue });
        } else {
          for (let index = 0; index < value.length; index++)
            next.push({ path: [...path, index], value: value[index] as JsonValue });
        }
      } else {
        if (!isJsonObject(value)) return [];
        if (hasOwn(value, step)) next.push({ path: [...path, step], value: value[step] as JsonValue });
      }
    }
    if (next.length === 0) return [];
    current = next;
  }
  return current;
}

/** The values a claims path pointer selects (§7.1), as `selectWithPaths` finds them. */
export function selectClaims(root: JsonValue, path: ClaimPath): JsonValue[] {
  return selectWithPaths(root, path).map(({ value }) => value);
}
