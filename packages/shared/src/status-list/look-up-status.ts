import { fail } from '../errors/tessera-error.ts';
import { parseStatusReference, type StatusListReference } from './reference.ts';
import type { StatusList } from './status-list.ts';
import type { VerifiedStatusListToken } from './status-list-token.ts';

/**
 * The status a credential's `status.status_list` reference points at (§8.3 steps 6–7). Given a
 * verified token, its `sub` must also equal the reference's `uri`, so a list is never read for a
 * credential it does not describe. A malformed reference fails with `invalid_status_reference`, an
 * index past the end with `status_index_out_of_range`.
 * @example
 * const token = await verifyStatusListToken(jwt, { issuerKey, crypto, expectedUri: reference.uri });
 * if (lookUpStatus(token, reference) !== StatusValue.VALID) reject();
 */
export function lookUpStatus(source: StatusList | VerifiedStatusListToken, reference: StatusListReference): number {
  const { idx, uri } = parseStatusReference({ status_list: reference });
  if ('list' in source) {
    if (source.sub !== uri) fail('invalid_claim', 'The status list token does not describe this status list URI');
    return source.list.get(idx);
  }
  return source.get(idx);
}
