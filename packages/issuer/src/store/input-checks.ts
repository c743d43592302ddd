import type { JsonObject } from '@tessera/shared';

/**
 * Checks of what the issuer's own code hands the store. A failure is a programmer error and
 * throws a TypeError before anything is written; messages name the argument, never its value.
 */

/** Tenant, offer, list, record and key ids: RFC 3986 unreserved characters, so they fit URLs as they are. */
const ID = /^[A-Za-z0-9._~-]{1,128}$/;
/** Credential configuration ids and formats: printable ASCII without spaces. */
const TOKEN = /^[\x21-\x7e]{1,128}$/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds.
const CONTROL = /[\u0000-\u001f\u007f]/;
/** ± 100 million days, the range of a JavaScript Date (and within PostgreSQL's timestamptz). */
const MAX_TIME = 8.64e15;
const MAX_JSON_DEPTH = 32;
/** Claim values and audit details, serialised. */
export const MAX_JSON_BYTES = 256 * 1024;
/** Longest secret a client may present; longer ones are simply unknown. */
export const MAX_PRESENTED_SECRET = 4096;

export function checkId(name: string, value: unknown): string {
  if (typeof value !== 'string' || !ID.test(value)) {
    throw new TypeError(`${name} must be 1 to 128 characters of A-Z, a-z, 0-9, ".", "_", "~" or "-"`);
  }
  return value;
}

export function checkToken(name: string, value: unknown): string {
  if (typeof value !== 'string' || !TOKEN.test(value)) {
    throw new TypeError(`${name} must be 1 to 128 printable ASCII characters without spaces`);
  }
  return value;
}

/** Free text a person reads (labels, actors, actions): non-empty, bounded, no control characters. */
export function checkText(name: string, value: unknown, maxLength = 200): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength || CONTROL.test(value)) {
    throw new TypeError(`${name} must be 1 to ${maxLength} characters without control characters`);
  }
  return value;
}

export function checkTime(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || Math.abs(value) > MAX_TIME) {
    throw new TypeError(`${name} must be a time in whole milliseconds since the epoch`);
  }
  return value;
}

export function checkInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** A secret the issuer generated and is about to store: long enough to be unguessable. */
export function checkNewSecret(name: string, value: unknown): string {
  if (typeof value !== 'string' || value.length < 16 || value.length > 512 || CONTROL.test(value)) {
    throw new TypeError(`${name} must be 16 to 512 characters without control characters`);
  }
  return value;
}

/**
 * A secret a client presented: any string is fine (unknown ones are not found), but it must be
 * a string — the HTTP layer parses requests before they reach the store.
 */
export function isPresentableSecret(name: string, value: unknown): boolean {
  if (typeof value !== 'string') throw new TypeError(`${name} must be a string`);
  return value.length > 0 && value.length <= MAX_PRESENTED_SECRET;
}

/**
 * Serialises a plain JSON object, refusing anything `JSON.stringify` would silently change or
 * drop (undefined, functions, NaN, Infinity, Dates, class instances, sparse arrays) or choke on
 * (BigInt, cycles), so what is stored reads back exactly as given.
 */
export function serialiseJsonObject(name: string, value: unknown): string {
  if (!isPlainObject(value)) throw new TypeError(`${name} must be a JSON object`);
  const problem = findJsonProblem(value, 0, new Set());
  if (problem !== undefined) throw new TypeError(`${name} is not plain JSON: ${problem}`);
  const text = JSON.stringify(value);
  if (Buffer.byteLength(text, 'utf8') > MAX_JSON_BYTES) throw new TypeError(`${name} is larger than ${MAX_JSON_BYTES} bytes`);
  return text;
}

function findJsonProblem(value: unknown, depth: number, seen: Set<object>): string | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : 'a number that is not finite';
    case 'object': {
      if (value === null) return undefined;
      if (depth >= MAX_JSON_DEPTH) return `nesting deeper than ${MAX_JSON_DEPTH}`;
      if (seen.has(value)) return 'a cycle';
      seen.add(value);
      let children: unknown[];
      if (Array.isArray(value)) {
        children = [];
        for (let i = 0; i < value.length; i++) {
          if (!Object.hasOwn(value, i)) return 'a sparse array';
          children.push(value[i]);
        }
      } else if (isPlainObject(value)) {
        children = Object.values(value);
      } else {
        return 'an object that is not plain';
      }
      for (const child of children) {
        const problem = findJsonProblem(child, depth + 1, seen);
        if (problem !== undefined) return problem;
      }
      seen.delete(value);
      return undefined;
    }
    default:
      return `a value of type ${typeof value}`;
  }
}

function isPlainObject(value: unknown): value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** A JSON object read back from the database, or undefined when it is something else. */
export function asJsonObject(value: unknown): JsonObject | undefined {
  return isPlainObject(value) ? value : undefined;
}
