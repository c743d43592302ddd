import type { RequestHandler } from 'express';
import type { IssuerContext } from '../app/issuer-context.ts';
import { sendError, sendJson } from '../http/responses.ts';
import type { IssuanceRecord } from '../store/index.ts';
import { callerOf } from './staff-auth.ts';
import { describeRequestIssues, RECORD_ID, setStatusRequestSchema } from './staff-schemas.ts';
import { credentialStatus, type RecordStatus, statusTransition } from './status-policy.ts';

/** The audit verb of each change. */
const ACTIONS = { valid: 'credential.reinstate', revoked: 'credential.revoke', suspended: 'credential.suspend' } as const;

/** One instance's entry in a status list. */
interface Entry {
  readonly listId: string;
  readonly index: number;
}

/**
 * `POST /tenants/{tenant}/staff/credentials/{recordId}/status` with `{ status }`: revokes,
 * suspends or reinstates the credential of an issuance record by setting its entries in the
 * tenant's Token Status List; verifiers see it when their cached list expires (`ttl`).
 *
 * A credential collected as a batch (OpenID4VCI 1.0 §8: one instance per holder key, each with its
 * own status index, for unlinkability) is one credential to its holder and to staff, so the change
 * applies to every instance issued for the record's offer: otherwise the holder would present
 * another instance of a revoked credential. Per instance, the §7.1 policy of `statusTransition`
 * holds: revoking revokes every instance not yet revoked; suspending and reinstating change the
 * instances that are not revoked (a revoked instance stays revoked).
 *
 * Answers 200 `{ id, status, changed, instances }` (`status` as `credentialStatus`, `changed` when
 * any entry changed); 404 for an unknown record; 409 `status_final` when every instance is revoked
 * (draft-ietf-oauth-status-list §7.1: INVALID is final); 409 `suspension_unsupported` when the
 * list has 1 bit per entry; 409 `status_conflict` when entries kept changing meanwhile. A change
 * is audited once as `credential.revoke|suspend|reinstate`, naming the record and the number of
 * instances. Each entry changes by a compare-and-set in the store, so the policy holds across
 * replicas.
 */
export function setStatusHandler(context: IssuerContext): RequestHandler {
  return async (request, response) => {
    const { tenantId, key } = callerOf(response);
    const recordId = String(request.params.recordId);
    const parsed = setStatusRequestSchema.safeParse(request.body);
    if (!parsed.success) return sendError(response, 400, 'invalid_request', describeRequestIssues(parsed.error));
    const wanted = parsed.data.status;
    const record = RECORD_ID.test(recordId) ? await context.store.getIssuance(tenantId, recordId) : undefined;
    if (record === undefined) return sendError(response, 404, 'not_found', 'No such issuance record');
    const entries = entriesOf(record, await context.store.listIssuancesOfOffer(tenantId, record.offerId));

    // Read, decide, then compare-and-set each entry: an entry another staff member or replica
    // changed in between is decided again on what it is now, so a revocation can never be undone
    // by a race. The entries change one by one; should this stop halfway, the credential still
    // shows the status of its most usable instance, and repeating the request finishes the change.
    const current = new Map<Entry, number>();
    let pending = entries;
    let changed = 0;
    let before: RecordStatus = 'valid';
    for (let attempt = 0; attempt < MAX_ATTEMPTS && pending.length > 0; attempt++) {
      const lists = await readLists(context, tenantId, pending);
      const decisions = pending.map((entry) => {
        const list = lists.get(entry.listId);
        const value = list?.values.get(entry.index) ?? 0;
        current.set(entry, value);
        return { entry, value, transition: statusTransition(value, wanted, list?.bits ?? 1) };
      });
      if (attempt === 0) {
        before = credentialStatus(entries.map((entry) => current.get(entry) ?? 0));
        const outcomes = decisions.map(({ transition }) => transition.outcome);
        if (outcomes.includes('unsupported')) {
          return sendError(
            response,
            409,
            'suspension_unsupported',
            "This issuer's status list has 1 bit per entry: credentials can be revoked, not suspended",
          );
        }
        if (outcomes.every((outcome) => outcome === 'final')) {
          return sendError(response, 409, 'status_final', 'This credential is revoked; revocation cannot be undone');
        }
      }
      const contended: Entry[] = [];
      for (const { entry, value, transition } of decisions) {
        // 'unchanged' needs nothing; 'final' is an instance already revoked, which stays so.
        if (transition.outcome !== 'change') continue;
        if (await context.store.setStatus(tenantId, entry.listId, entry.index, transition.value, { expected: value })) {
          current.set(entry, transition.value);
          changed++;
        } else {
          contended.push(entry);
        }
      }
      pending = contended;
    }
    if (changed > 0) {
      await context.store.appendAudit(tenantId, {
        actor: key.id,
        action: ACTIONS[wanted],
        target: record.id,
        details: { from: before, to: wanted, instances: entries.length, changed },
      });
    }
    if (pending.length > 0) {
      return sendError(response, 409, 'status_conflict', 'The status changed several times meanwhile; try again');
    }
    sendJson(response, 200, {
      id: record.id,
      status: credentialStatus(entries.map((entry) => current.get(entry) ?? 0)),
      changed: changed > 0,
      instances: entries.length,
    });
  };
}

/** Rounds of read-decide-write before giving up under contention. */
const MAX_ATTEMPTS = 3;

/** The status list entries of the record's credential: its own and its siblings', once each. */
function entriesOf(record: IssuanceRecord, instances: readonly IssuanceRecord[]): Entry[] {
  const entries = new Map<string, Entry>();
  for (const { statusListId, statusIndex } of [record, ...instances]) {
    entries.set(`${statusListId}/${statusIndex}`, { listId: statusListId, index: statusIndex });
  }
  return [...entries.values()];
}

/** One snapshot per status list the entries are in: its bits and its non-zero values by index. */
async function readLists(
  context: IssuerContext,
  tenantId: string,
  entries: readonly Entry[],
): Promise<Map<string, { bits: number; values: Map<number, number> }>> {
  const lists = new Map<string, { bits: number; values: Map<number, number> }>();
  for (const listId of new Set(entries.map((entry) => entry.listId))) {
    const snapshot = await context.store.readStatuses(tenantId, listId);
    if (snapshot === undefined) throw new Error('The status list of an issuance record is missing');
    lists.set(listId, { bits: snapshot.bits, values: new Map(snapshot.entries.map(({ index, status }) => [index, status])) });
  }
  return lists;
}
