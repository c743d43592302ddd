import type { StaffStatus } from './staff-schemas.ts';

/**
 * Token Status List values (draft-ietf-oauth-status-list §7.1): 0 VALID, 1 INVALID, 2 SUSPENDED.
 * Staff say `revoked` for INVALID; values 3 and up are application-specific and shown as `other`.
 */
export const STATUS_VALUES: Readonly<Record<StaffStatus, number>> = { valid: 0, revoked: 1, suspended: 2 };

/** A list entry as staff see it. */
export type RecordStatus = StaffStatus | 'other';

export function recordStatus(value: number): RecordStatus {
  if (value === 0) return 'valid';
  if (value === 1) return 'revoked';
  if (value === 2) return 'suspended';
  return 'other';
}

/** How usable each status leaves an instance, most usable first. */
const USABLE_FIRST: readonly RecordStatus[] = ['valid', 'suspended', 'other', 'revoked'];

/**
 * The status of a credential held as several instances (OpenID4VCI 1.0 §8 batch issuance, one
 * status list entry each): that of its most usable instance, since the holder can present any of
 * them. So a credential reads `revoked` only once every instance is revoked, and one left valid
 * (a change cut short) still shows, and can be revoked again.
 * @example credentialStatus([1, 0, 1]) // 'valid'
 */
export function credentialStatus(values: readonly number[]): RecordStatus {
  if (values.length === 0) throw new TypeError('A credential has at least one instance');
  const statuses = new Set(values.map(recordStatus));
  return USABLE_FIRST.find((status) => statuses.has(status)) ?? 'revoked';
}

/** What a requested change amounts to. */
export type StatusTransition =
  | { readonly outcome: 'change'; readonly value: number }
  | { readonly outcome: 'unchanged' }
  /** §7.1: "INVALID … The status of the Referenced Token is revoked, annulled, taken back, recalled or cancelled", permanently. */
  | { readonly outcome: 'final' }
  /** Suspension needs the SUSPENDED value, which a 1-bit list cannot hold (§4.1 `bits`). */
  | { readonly outcome: 'unsupported' };

/**
 * The issuer's policy for staff status changes: a revoked credential stays revoked (a verifier
 * that saw INVALID may have acted on it, and reinstating would make the status list lie about
 * the past); a valid one may be suspended and reinstated any number of times; setting the
 * status it already has changes nothing.
 * @example statusTransition(2, 'valid', 2) // { outcome: 'change', value: 0 }
 */
export function statusTransition(current: number, wanted: StaffStatus, bits: number): StatusTransition {
  const value = STATUS_VALUES[wanted];
  if (current === value) return { outcome: 'unchanged' };
  if (current === STATUS_VALUES.revoked) return { outcome: 'final' };
  if (wanted === 'suspended' && bits < 2) return { outcome: 'unsupported' };
  return { outcome: 'change', value };
}
