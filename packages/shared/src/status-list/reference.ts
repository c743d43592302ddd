import { isJsonObject, type JsonObject } from '../encoding/json.ts';
import { fail } from '../errors/tessera-error.ts';

/** A credential's pointer into a Token Status List (draft-ietf-oauth-status-list §6.1). */
export interface StatusListReference {
  /** Index of this credential's entry in the list. */
  idx: number;
  /** URI of the Status List Token; its `sub` must equal this. */
  uri: string;
}

/** The `status` claim of a credential that uses a status list. */
export interface StatusClaim {
  status_list: StatusListReference;
}

/** Builds the `status` claim for a credential. */
export function statusClaim(reference: StatusListReference): JsonObject {
  const checked = parseStatusReference({ status_list: { idx: reference.idx, uri: reference.uri } });
  return { status_list: { idx: checked.idx, uri: checked.uri } };
}

/**
 * Reads a `status` claim (§6.1): `status_list` with a non-negative integer `idx` and a `uri`
 * string. Anything else fails with `invalid_status_reference`.
 */
export function parseStatusReference(status: unknown): StatusListReference {
  if (!isJsonObject(status) || !isJsonObject(status.status_list)) {
    fail('invalid_status_reference', 'The status claim must contain a status_list object');
  }
  const { idx, uri } = status.status_list;
  if (typeof idx !== 'number' || !Number.isSafeInteger(idx) || idx < 0) {
    fail('invalid_status_reference', 'status_list.idx must be a non-negative integer');
  }
  if (typeof uri !== 'string' || !isAbsoluteUri(uri)) fail('invalid_status_reference', 'status_list.uri must be an absolute URI');
  return { idx, uri };
}

function isAbsoluteUri(value: string): boolean {
  if (value.length > 2048) return false;
  try {
    return new URL(value).protocol.length > 1;
  } catch {
    return false;
  }
}
