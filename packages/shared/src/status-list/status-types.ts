/**
 * The Status Type values registered by draft-ietf-oauth-status-list §7.1.
 * @example if (lookUpStatus(list, reference) === StatusValue.INVALID) reject('revoked');
 */
export const StatusValue = {
  /** The credential is valid. */
  VALID: 0x00,
  /** Revoked, annulled, taken back: permanent. */
  INVALID: 0x01,
  /** Temporarily invalid. Needs `bits` ≥ 2. */
  SUSPENDED: 0x02,
} as const;

/**
 * The name of a status value: a registered type, one of the values §7.1 reserves for applications
 * (0x03 and 0x0C–0x0F), or a value not registered (yet).
 */
export type StatusType = 'VALID' | 'INVALID' | 'SUSPENDED' | 'APPLICATION_SPECIFIC' | 'UNREGISTERED';

/**
 * Names a status value read from a list (draft-ietf-oauth-status-list §7.1).
 * @example statusType(2) // 'SUSPENDED'
 */
export function statusType(value: number): StatusType {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) throw new TypeError('A status value is an integer from 0 to 255');
  switch (value) {
    case StatusValue.VALID:
      return 'VALID';
    case StatusValue.INVALID:
      return 'INVALID';
    case StatusValue.SUSPENDED:
      return 'SUSPENDED';
  }
  return value === 0x03 || (value >= 0x0c && value <= 0x0f) ? 'APPLICATION_SPECIFIC' : 'UNREGISTERED';
}
