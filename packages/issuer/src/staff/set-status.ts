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
 *
 * The read-then-write is serialised per list entry within this process. Two replicas changing
 * the same entry in the same instant could still race (the store has no compare-and-set yet).
 */
export function setStatusHandler(context: IssuerContext): RequestHandler {
  const serialise = keyedQueue();
  return async (request, response) => {
    const { tenantId, key } = callerOf(response);
    const recordId = String(request.params.recordId);
    const parsed = setStatusRequestSchema.safeParse(request.body);
    if (!parsed.success) return sendError(response, 400, 'invalid_request', describeRequestIssues(parsed.error));
    const wanted = parsed.data.status;
    const record = RECORD_ID.test(recordId) ? await context.store.getIssuance(tenantId, recordId) : undefined;
    if (record === undefined) return sendError(response, 404, 'not_found', 'No such issuance record');
    const { statusListId: listId, statusIndex: index } = record;

    await serialise(`${tenantId}/${listId}/${index}`, async () => {
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
          if (!(await context.store.setStatus(tenantId, listId, index, transition.value))) {
            throw new Error('The status index of an issuance record is not allocated');
          }
          await context.store.appendAudit(tenantId, {
            actor: key.id,
            action: ACTIONS[wanted],
            target: record.id,
            details: { from: recordStatus(current), to: wanted },
          });
          return sendJson(response, 200, { id: record.id, status: wanted, changed: true });
        }
      }
    });
  };
}

/** Runs tasks with the same key one after another, and tasks with different keys freely. */
function keyedQueue(): (key: string, task: () => Promise<void>) => Promise<void> {
  const tails = new Map<string, Promise<void>>();
  return async (key, task) => {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.then(task);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    try {
      await run;
    } finally {
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}
