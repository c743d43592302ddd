import type { RequestHandler } from 'express';
import type { IssuerContext } from '../app/issuer-context.ts';
import { sendError, sendJson } from '../http/responses.ts';
import { callerOf } from './staff-auth.ts';
import { describeRequestIssues, RECORD_ID, setStatusRequestSchema } from './staff-schemas.ts';
import { recordStatus, statusTransition } from './status-policy.ts';

/** The audit verb of each change. */
const ACTIONS = { valid: 'credential.reinstate', revoked: 'credential.revoke', suspended: 'credential.suspend' } as const;

/**
 * `POST /tenants/{tenant}/staff/credentials/{recordId}/status` with `{ status }`: revokes,
 * suspends or reinstates the credential of an issuance record by setting its entry in the
 * tenant's Token Status List; verifiers see it when their cached list expires (`ttl`). Answers
 * 200 `{ id, status, changed }`; 404 for an unknown record; 409 `status_final` for a revoked one
 * (draft-ietf-oauth-status-list §7.1: INVALID is final); 409 `suspension_unsupported` when the
 * list has 1 bit per entry. A change is audited as `credential.revoke|suspend|reinstate`.
 * The change is a compare-and-set in the store, so it holds across replicas.
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
    const { statusListId: listId, statusIndex: index } = record;

    // Read, decide, then compare-and-set: if another staff member or replica changed the entry in
    // between, decide again on what it is now, so a revocation can never be undone by a race.
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const snapshot = await context.store.readStatuses(tenantId, listId);
      if (snapshot === undefined) throw new Error('The status list of an issuance record is missing');
      const current = snapshot.entries.find((entry) => entry.index === index)?.status ?? 0;
      const transition = statusTransition(current, wanted, snapshot.bits);
      switch (transition.outcome) {
        case 'final':
          return sendError(response, 409, 'status_final', 'This credential is revoked; revocation cannot be undone');
        case 'unsupported':
          return sendError(
            response,
            409,
            'suspension_unsupported',
            "This issuer's status list has 1 bit per entry: credentials can be revoked, not suspended",
          );
        case 'unchanged':
          return sendJson(response, 200, { id: record.id, status: recordStatus(current), changed: false });
        case 'change': {
          if (!(await context.store.setStatus(tenantId, listId, index, transition.value, { expected: current }))) continue;
          await context.store.appendAudit(tenantId, {
            actor: key.id,
            action: ACTIONS[wanted],
            target: record.id,
            details: { from: recordStatus(current), to: wanted },
          });
          return sendJson(response, 200, { id: record.id, status: wanted, changed: true });
        }
      }
    }
    sendError(response, 409, 'status_conflict', 'The status changed several times meanwhile; try again');
  };
}

/** Rounds of read-decide-write before giving up under contention. */
const MAX_ATTEMPTS = 3;
