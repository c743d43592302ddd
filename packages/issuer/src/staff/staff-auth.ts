import type { RequestHandler, Response } from 'express';
import type { IssuerContext } from '../app/issuer-context.ts';
import { sendError } from '../http/responses.ts';
import type { ApiKey } from '../store/index.ts';

/** Who is calling: the tenant in the path and the API key that opened it. */
export interface StaffCaller {
  readonly tenantId: string;
  readonly key: ApiKey;
}

/** Tenant ids as `tenantConfigSchema` allows them. */
const TENANT_ID = /^[a-z0-9-]{1,64}$/;
/** RFC 6750 §2.1 `b64token`. */
const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/;
/** RFC 6750 §3: the realm says which kind of credential opens this API. */
const CHALLENGE = 'Bearer realm="tessera-staff"';

/** The tenant named by `:tenant`, when this service hosts it. */
export function knownTenant(context: IssuerContext, id: unknown): string | undefined {
  return typeof id === 'string' && TENANT_ID.test(id) && context.tenants.has(id) ? id : undefined;
}

/**
 * Lets a request through only with an unrevoked API key of the tenant in the path
 * (`Authorization: Bearer <secret>`, RFC 6750 §2.1). The store looks the secret up within that
 * tenant, so a key of tenant A is unknown to tenant B. Answers 404 for an unknown tenant and 401
 * with a `WWW-Authenticate` challenge (§3) for a missing, malformed, unknown or revoked key.
 */
export function staffAuth(context: IssuerContext): RequestHandler {
  return async (request, response, next) => {
    const tenantId = knownTenant(context, request.params.tenant);
    if (tenantId === undefined) return sendError(response, 404, 'not_found', 'No such issuer');
    const header = request.get('authorization');
    const secret = header === undefined ? undefined : BEARER.exec(header)?.[1];
    if (secret === undefined) {
      response.set('WWW-Authenticate', CHALLENGE);
      return sendError(response, 401, 'invalid_token', 'A staff API key is required (Authorization: Bearer <key>)');
    }
    const key = await context.store.findApiKey(tenantId, secret);
    if (key === undefined) {
      response.set('WWW-Authenticate', `${CHALLENGE}, error="invalid_token"`);
      return sendError(response, 401, 'invalid_token', 'The API key is unknown, revoked or not one of this issuer');
    }
    const caller: StaffCaller = { tenantId, key };
    response.locals.staff = caller;
    next();
  };
}

/** The caller `staffAuth` let through. */
export function callerOf(response: Response): StaffCaller {
  const caller = response.locals.staff as StaffCaller | undefined;
  if (caller === undefined) throw new TypeError('staffAuth must run before this handler');
  return caller;
}
