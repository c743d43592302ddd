import { type ClaimPath, fail, formatClaimPath, type JsonObject, type JsonValue, TesseraError } from '@tessera/shared';
import {
  type ClaimDefinition,
  type CredentialType,
  MAX_CLAIM_STRING_LENGTH,
  MAX_CLAIMS_BYTES,
  startsWith,
  untilClaimEndsAt,
} from './credential-type.ts';

/** Strings shown on a credential must be plain text: no C0/C1 control characters (Unicode Cc). */
const CONTROL_CHARACTERS = /\p{Cc}/u;
/** RFC 3339 full-date. */
const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** With the `u` flag a surrogate matches only when unpaired: paired ones read as one code point. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const COUNTRY_CODE = /^[A-Z]{2}$/;
const LANGUAGE_CODE = /^[a-z]{2,3}$/;
/** Unknown names are echoed in messages to help staff, but never at length. */
const MAX_ECHOED_NAME = 40;

export interface ValidateClaimsOptions {
  /**
   * Milliseconds since the epoch. When given, the day the type's `validity.untilClaim` names must
   * not be over yet: a credential issued now would already have expired.
   */
  readonly now?: number;
}

/**
 * Checks the claims that staff entered for an offer against the credential type and returns a
 * fresh copy holding only declared claims, in declared order. Unknown claims are refused, required
 * ones must be there, each value must have its declared type and meet its constraints, no string
 * may exceed 1,000 characters and the whole may not exceed 64 KiB of JSON.
 *
 * With `now`, also refuses an `untilClaim` date (such as a permit's `valid_until`) whose day is
 * over, since the credential would be born expired (`credentialExpiresAt`).
 *
 * Throws `TesseraError('claims_invalid')` naming the path and the rule broken, never the value:
 * claim values are personal data and must not reach logs.
 * @example
 * const claims = validateClaims(residencePermit, request.body.claims, { now: Date.now() });
 */
export function validateClaims(type: CredentialType, input: unknown, { now }: ValidateClaimsOptions = {}): JsonObject {
  let claims: JsonObject;
  try {
    claims = readObject(type, [], input);
  } catch (error) {
    if (error instanceof TesseraError) throw error;
    // A hostile object (a throwing proxy, a getter) must still end as a typed refusal.
    fail('claims_invalid', 'The claims could not be read as plain JSON data', error);
  }
  if (new TextEncoder().encode(JSON.stringify(claims)).length > MAX_CLAIMS_BYTES) {
    fail('claims_invalid', `The claims are larger than ${MAX_CLAIMS_BYTES} bytes of JSON`);
  }
  if (now !== undefined) refuseEndedDay(type, claims, now);
  return claims;
}

/** The `exp` would be the end of the `untilClaim` day (`credentialExpiresAt`): it must lie after `now`. */
function refuseEndedDay(type: CredentialType, claims: JsonObject, now: number): void {
  const { untilClaim } = type.validity;
  const ends = untilClaimEndsAt(type, claims);
  if (untilClaim !== undefined && ends !== undefined && ends * 1000 <= now) {
    fail('claims_invalid', `${where([untilClaim])} names a day that is over: the credential would be born expired`);
  }
}

/** Reads the members of the object at `path` (the root when empty). */
function readObject(type: CredentialType, path: readonly string[], input: unknown): JsonObject {
  if (!isPlainObject(input)) {
    fail('claims_invalid', path.length === 0 ? 'The claims must be a JSON object' : `${where(path)} must be an object`);
  }
  const members = type.claims.filter((claim) => claim.path.length === path.length + 1 && startsWith(claim.path, path));
  const declared = new Set(members.map((claim) => claim.path[path.length] as string));
  for (const name of Object.keys(input)) {
    if (!declared.has(name)) fail('claims_invalid', `${unknownName(path, name)} is not a claim of ${type.id}`);
  }
  const out: JsonObject = {};
  for (const claim of members) {
    const name = claim.path[path.length] as string;
    const descriptor = Object.getOwnPropertyDescriptor(input, name);
    if (descriptor === undefined) {
      if (claim.required) fail('claims_invalid', `${where(claim.path)} is required`);
      continue;
    }
    if (!('value' in descriptor)) fail('claims_invalid', `${where(claim.path)} must be a data value`);
    out[name] = readValue(type, claim, descriptor.value);
  }
  if (path.length > 0 && Object.keys(out).length === 0) fail('claims_invalid', `${where(path)} must have at least one member`);
  return out;
}

function readValue(type: CredentialType, claim: ClaimDefinition, value: unknown): JsonValue {
  const at = where(claim.path);
  switch (claim.valueType) {
    case 'object':
      return readObject(type, claim.path, value);
    case 'boolean':
      if (typeof value !== 'boolean') fail('claims_invalid', `${at} must be true or false`);
      return value;
    case 'integer':
      if (typeof value !== 'number' || !Number.isSafeInteger(value)) fail('claims_invalid', `${at} must be a whole number`);
      if (claim.minimum !== undefined && value < claim.minimum) fail('claims_invalid', `${at} must be at least ${claim.minimum}`);
      if (claim.maximum !== undefined && value > claim.maximum) fail('claims_invalid', `${at} must be at most ${claim.maximum}`);
      return value;
    case 'date':
      if (typeof value !== 'string' || !isFullDate(value)) {
        fail('claims_invalid', `${at} must be a calendar date written YYYY-MM-DD`);
      }
      return value;
    case 'string':
      return readString(claim, value);
  }
}

function readString(claim: ClaimDefinition, value: unknown): string {
  const at = where(claim.path);
  if (typeof value !== 'string') fail('claims_invalid', `${at} must be a string`);
  const maxLength = Math.min(claim.maxLength ?? MAX_CLAIM_STRING_LENGTH, MAX_CLAIM_STRING_LENGTH);
  if (value.length > maxLength) fail('claims_invalid', `${at} must be at most ${maxLength} characters`);
  if (value.trim().length === 0) fail('claims_invalid', `${at} must not be empty`);
  if (claim.minLength !== undefined && value.length < claim.minLength) {
    fail('claims_invalid', `${at} must be at least ${claim.minLength} characters`);
  }
  // A lone surrogate cannot be encoded as UTF-8 JSON without loss (RFC 8259 §8.1).
  if (LONE_SURROGATE.test(value)) fail('claims_invalid', `${at} must be well-formed Unicode text`);
  if (CONTROL_CHARACTERS.test(value)) fail('claims_invalid', `${at} must not contain control characters`);
  if (claim.enum !== undefined && !claim.enum.includes(value)) {
    fail('claims_invalid', `${at} must be one of the values its type allows (${claim.enum.slice(0, 10).join(', ')})`);
  }
  if (claim.format === 'country-code' && !COUNTRY_CODE.test(value)) {
    fail('claims_invalid', `${at} must be an ISO 3166-1 alpha-2 country code such as "DE"`);
  }
  if (claim.format === 'language-code' && !LANGUAGE_CODE.test(value)) {
    fail('claims_invalid', `${at} must be an ISO 639 language code such as "de" or "tir"`);
  }
  return value;
}

/** `YYYY-MM-DD` naming a real day of the Gregorian calendar (so no 2023-02-29). */
function isFullDate(value: string): boolean {
  const match = FULL_DATE.exec(value);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/**
 * Plain data only: what `JSON.parse` makes. Class instances, arrays and boxed values are refused
 * so that no prototype getter or `toJSON` ever runs on the way to the credential.
 */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function where(path: ClaimPath): string {
  return `Claim ${formatClaimPath(path)}`;
}

function unknownName(path: readonly string[], name: string): string {
  const shown = name.length > MAX_ECHOED_NAME ? `${name.slice(0, MAX_ECHOED_NAME)}…` : name;
  return where([...path, shown]);
}
