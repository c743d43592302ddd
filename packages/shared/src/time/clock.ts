import type { JsonObject } from '../encoding/json.ts';
import { fail } from '../errors/tessera-error.ts';

/** A clock in milliseconds since the epoch, like `Date.now`. Injected so tests can freeze time. */
export type Clock = () => number;

/** Largest clock tolerance a caller may configure, in seconds. */
export const MAX_CLOCK_TOLERANCE = 60;

/** Checks a clock tolerance option (seconds, 0–60) and returns it. */
export function checkClockTolerance(seconds: number): number {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0 || seconds > MAX_CLOCK_TOLERANCE) {
    throw new TypeError(`clockTolerance must be between 0 and ${MAX_CLOCK_TOLERANCE} seconds`);
  }
  return seconds;
}

/**
 * Checks `iat`, `nbf` and `exp` (RFC 7519 §4.1.4–6): each, when present, must be a finite number
 * (NumericDate); a credential is expired from the second `exp` names on (`exp == now` is expired).
 */
const TIME_CLAIMS = ['iat', 'nbf', 'exp'] as const;

export function checkTimeClaims(claims: JsonObject, nowMs: number, toleranceSeconds: number): void {
  const now = nowMs / 1000;
  for (const name of TIME_CLAIMS) {
    const value = claims[name];
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
      fail('invalid_time_claim', `The ${name} claim must be a number of seconds`);
    }
  }
  const { iat, nbf, exp } = claims as { iat?: number; nbf?: number; exp?: number };
  if (exp !== undefined && now - toleranceSeconds >= exp) fail('expired', 'The credential has expired');
  if (nbf !== undefined && now + toleranceSeconds < nbf) fail('not_yet_valid', 'The credential is not valid yet');
  if (iat !== undefined && now + toleranceSeconds < iat) fail('issued_in_future', 'The credential was issued in the future');
}
