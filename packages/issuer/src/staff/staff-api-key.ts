import { randomToken } from '@tessera/shared';
import type { IssuerStore } from '../store/index.ts';

/** A staff API key as created: the secret is shown this once and never stored in the clear. */
export interface CreatedStaffApiKey {
  readonly tenantId: string;
  /** Public id: what the audit log names as the actor. */
  readonly id: string;
  readonly label: string;
  /** `Authorization: Bearer <secret>`; give it to the staff member once. */
  readonly secret: string;
  readonly createdAt: number;
}

/** Secrets carry a prefix so that a key pasted into a chat or a log is recognisable (and scannable). */
const SECRET_PREFIX = 'tessera_staff_';

/**
 * Creates an API key for the staff of one tenant: a random id and a 256-bit secret, which the
 * store keeps only as a hash. The key opens that tenant's staff API and no other's. Throws a
 * TypeError for a malformed tenant id or label (1 to 200 characters, no control characters).
 * @example
 * const { id, secret } = await createStaffApiKey(store, 'bologna', 'Front desk, 2nd floor');
 * console.log(`Key ${id}: ${secret}`); // shown once
 */
export async function createStaffApiKey(store: IssuerStore, tenantId: string, label: string): Promise<CreatedStaffApiKey> {
  const id = `key_${randomToken(9)}`;
  const secret = `${SECRET_PREFIX}${randomToken(32)}`;
  const key = await store.createApiKey(tenantId, { id, secret, label });
  return { tenantId, id, label: key.label, secret, createdAt: key.createdAt };
}
