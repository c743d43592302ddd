import { createTranslator, parseAcceptLanguage } from '@tessera/shared';
import express, { type RequestHandler, type Router } from 'express';
import type { IssuerContext } from '../app/issuer-context.ts';
import { jsonBody, rateLimit } from '../http/middleware.ts';
import { sendError, sendJson } from '../http/responses.ts';
import { createOfferHandler } from './create-offer.ts';
import { listAuditHandler, listRecordsHandler } from './list-records.ts';
import { STAFF_CATALOGS } from './messages.ts';
import { setStatusHandler } from './set-status.ts';
import { callerOf, knownTenant, staffAuth } from './staff-auth.ts';
import { renderStaffPage } from './staff-page.ts';

export interface StaffRouterOptions {
  /** Requests per client address to the staff routes (page and API) per window. Default 300 a minute. */
  readonly rateLimit?: { readonly windowMs?: number; readonly max?: number };
}

/** Where `createIssuerApp` mounts the router; `:tenant` reaches it through `mergeParams`. */
export const STAFF_MOUNT_PATH = '/tenants/:tenant/staff';

/** The page's policy: only this origin, no inline code, no plugins, no framing, no foreign form targets. */
const PAGE_POLICY = "default-src 'self'; base-uri 'none'; object-src 'none'; form-action 'self'; frame-ancestors 'none'";

/** Offers carry at most 64 KiB of claims (`MAX_CLAIMS_BYTES`) plus their envelope. */
const OFFER_BODY_LIMIT = '80kb';

const ASSETS_ROOT = decodeURIComponent(new URL('./assets/', import.meta.url).pathname).replace(/^\/([A-Za-z]:)/, '$1');

/**
 * The staff side of one tenant (issue 4 §3), mounted at `/tenants/:tenant/staff`: the staff page
 * and its assets, and the staff API, which needs the tenant's API key as a bearer token:
 * - `GET /session`: the key's id and label (the page's sign-in check);
 * - `POST /offers`: a credential offer with QR code and PIN;
 * - `GET /credentials`: issuance records with their current status;
 * - `POST /credentials/:recordId/status`: revoke, suspend or reinstate;
 * - `GET /audit`: the audit log.
 * Everything is rate-limited per client address; bodies are JSON only and bounded; every error
 * is JSON `{ error, error_description }`. No CORS: only the page on this origin, or a client
 * that is not a browser, calls the API.
 */
export function createStaffRouter(context: IssuerContext, options: StaffRouterOptions = {}): Router {
  const router = express.Router({ mergeParams: true });
  const authenticated = staffAuth(context);
  router.use(rateLimit({ windowMs: options.rateLimit?.windowMs ?? 60_000, max: options.rateLimit?.max ?? 300 }));

  router.get('/', (request, response) => {
    const tenantId = knownTenant(context, (request.params as Record<string, string | undefined>).tenant);
    const tenant = tenantId === undefined ? undefined : context.tenants.get(tenantId);
    if (tenant === undefined) return sendError(response, 404, 'not_found', 'No such issuer');
    // The page links its script, styles and API relatively: it must be served at a path ending in `/`.
    const url = new URL(request.originalUrl, 'http://staff.invalid');
    if (!url.pathname.endsWith('/')) return response.redirect(308, `${url.pathname}/${url.search}`);
    const lang = typeof request.query.lang === 'string' ? [request.query.lang] : [];
    const translator = createTranslator(STAFF_CATALOGS, [...lang, ...parseAcceptLanguage(request.get('accept-language'))]);
    const types = tenant.credentialTypes.flatMap((id) => context.types.get(id) ?? []);
    response
      .status(200)
      .set({
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': PAGE_POLICY,
        'Cache-Control': 'no-store',
        Vary: 'Accept-Language',
      })
      .send(renderStaffPage({ translator, catalogs: STAFF_CATALOGS, tenant, types }));
  });
  router.get('/staff.js', asset('staff.js', 'text/javascript; charset=utf-8'));
  router.get('/staff.css', asset('staff.css', 'text/css; charset=utf-8'));
  router.get('/favicon.svg', asset('favicon.svg', 'image/svg+xml; charset=utf-8'));

  router.get('/session', authenticated, (_request, response) => {
    const { tenantId, key } = callerOf(response);
    sendJson(response, 200, { tenant: tenantId, keyId: key.id, label: key.label });
  });
  router.post('/offers', authenticated, jsonBody(OFFER_BODY_LIMIT), createOfferHandler(context));
  router.get('/credentials', authenticated, listRecordsHandler(context));
  router.post('/credentials/:recordId/status', authenticated, jsonBody('1kb'), setStatusHandler(context));
  router.get('/audit', authenticated, listAuditHandler(context));

  // Answered here, so no staff path falls through to the wallet routes and their open CORS.
  router.use((_request, response) => sendError(response, 404, 'not_found', 'No such staff endpoint'));
  return router;
}

function asset(name: string, type: string): RequestHandler {
  return (_request, response, next) => {
    response.set({ 'Content-Type': type, 'Cache-Control': 'no-cache', 'Content-Security-Policy': PAGE_POLICY });
    response.sendFile(name, { root: ASSETS_ROOT, cacheControl: false, dotfiles: 'deny' }, (error) => {
      if (error !== undefined && error !== null && !response.headersSent) next(error);
    });
  };
}
