import { isTesseraError, type JsonObject } from '@tessera/shared';
import type { Request, RequestHandler, Response } from 'express';
import type { IssuerContext } from '../app/issuer-context.ts';
import { credentialConfigurationId } from '../credential-types/index.ts';
import { sendError, sendJson } from '../http/responses.ts';
import type { IssuanceRecord, IssuedCredential, Page, PageRequest } from '../store/index.ts';
import { callerOf } from './staff-auth.ts';
import { describeRequestIssues, pageQuerySchema } from './staff-schemas.ts';
import { credentialStatus, recordStatus } from './status-policy.ts';

/**
 * `GET /tenants/{tenant}/staff/credentials?limit=&cursor=`: the tenant's issued credentials,
 * newest first, one item per credential however many instances a batch gave its holder
 * (OpenID4VCI 1.0 §8), since staff act on the credential: `id` is a record to name in
 * `…/status`, `instances` the count, `status` the credential's (`credentialStatus`) and
 * `statusEntries` each instance's entry and status, read from the status list. Claim values
 * appear only when the tenant keeps them (`keepClaims`), which the operator chose for this tenant.
 */
export function listRecordsHandler(context: IssuerContext): RequestHandler {
  return async (request, response) => {
    const { tenantId } = callerOf(response);
    const page = await readPage(request, response, (pageRequest) => context.store.listIssuedCredentials(tenantId, pageRequest));
    if (page === undefined) return;
    const statuses = await currentStatuses(
      context,
      tenantId,
      page.items.flatMap((credential) => credential.instances),
    );
    sendJson(response, 200, {
      items: page.items.map((credential) => credentialJson(context, credential, statuses)),
      ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
    });
  };
}

/**
 * `GET /tenants/{tenant}/staff/audit?limit=&cursor=`: what the tenant's staff did, newest first.
 */
export function listAuditHandler(context: IssuerContext): RequestHandler {
  return async (request, response) => {
    const { tenantId } = callerOf(response);
    const page = await readPage(request, response, (pageRequest) => context.store.listAudit(tenantId, pageRequest));
    if (page === undefined) return;
    sendJson(response, 200, {
      items: page.items.map((entry) => ({
        id: entry.id,
        at: entry.at,
        actor: entry.actor,
        action: entry.action,
        ...(entry.target === undefined ? {} : { target: entry.target }),
        ...(entry.details === undefined ? {} : { details: entry.details }),
      })),
      ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
    });
  };
}

/** Reads `?limit=&cursor=` and one page; answers 400 itself (and returns undefined) for bad ones. */
async function readPage<T>(
  request: Request,
  response: Response,
  list: (page: PageRequest) => Promise<Page<T>>,
): Promise<Page<T> | undefined> {
  const query = pageQuerySchema.safeParse(request.query);
  if (!query.success) {
    sendError(response, 400, 'invalid_request', describeRequestIssues(query.error));
    return undefined;
  }
  const { limit, cursor } = query.data;
  try {
    return await list({ ...(limit === undefined ? {} : { limit }), ...(cursor === undefined ? {} : { cursor }) });
  } catch (error) {
    if (!isTesseraError(error, 'page_cursor_invalid')) throw error;
    sendError(response, 400, 'page_cursor_invalid', error.message);
    return undefined;
  }
}

/** The status of each record's index, one snapshot per status list on the page. */
async function currentStatuses(
  context: IssuerContext,
  tenantId: string,
  records: readonly IssuanceRecord[],
): Promise<Map<string, Map<number, number>>> {
  const byList = new Map<string, Map<number, number>>();
  for (const listId of new Set(records.map((record) => record.statusListId))) {
    const snapshot = await context.store.readStatuses(tenantId, listId);
    byList.set(listId, new Map((snapshot?.entries ?? []).map(({ index, status }) => [index, status])));
  }
  return byList;
}

function credentialJson(
  context: IssuerContext,
  credential: IssuedCredential,
  statuses: Map<string, Map<number, number>>,
): JsonObject {
  // The instances share type, format, time, issuer and claims (one offer, one credential request).
  const [first] = credential.instances;
  if (first === undefined) throw new Error('A listed credential has no instance');
  const type = typeIdOf(context, first.configurationId);
  const values = credential.instances.map(({ statusListId, statusIndex }) => statuses.get(statusListId)?.get(statusIndex) ?? 0);
  return {
    id: first.id,
    offerId: credential.offerId,
    configurationId: first.configurationId,
    ...(type === undefined ? {} : { type }),
    format: first.format,
    issuedAt: first.issuedAt,
    issuedBy: first.issuedBy,
    status: credentialStatus(values),
    instances: credential.instances.length,
    statusEntries: credential.instances.map(({ statusListId, statusIndex }, position) => ({
      statusListId,
      statusIndex,
      status: recordStatus(values[position] ?? 0),
    })),
    ...(first.claims === undefined ? {} : { claims: first.claims }),
  };
}

/** The credential type a configuration id belongs to (`residence_permit_jwt_vc_json` → `residence_permit`). */
function typeIdOf(context: IssuerContext, configurationId: string): string | undefined {
  for (const type of context.types.values()) {
    if (type.formats.some((format) => credentialConfigurationId(type, format) === configurationId)) return type.id;
  }
  return undefined;
}
