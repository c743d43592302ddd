import { type Clock, createTranslator, parseAcceptLanguage, type Translator } from '@tessera/shared';
import express, { type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import QRCode from 'qrcode';
import type { Verifier } from '../openid4vp/types.ts';
import { DESK_CATALOGS, type DeskMessageKey } from './messages.ts';
import { MAX_WAIT_SECONDS, renderDeskPage } from './page.ts';
import {
  createDeskTemplates,
  DEFAULT_CREDENTIAL_TYPES,
  type DeskCredentialTypes,
  findDeskTemplate,
  presentationRequest,
} from './templates.ts';
import { renderTransactionView } from './view.ts';

export interface DeskRouterOptions {
  /**
   * Decides whether a request comes from desk staff. Default `isLoopbackRequest`: only a browser
   * on the desk machine itself. Behind a reverse proxy, or for staff on other machines, pass your
   * own rule (a session, a client certificate, an SSO header your proxy sets).
   */
  readonly authorizeStaff?: (request: Request) => boolean;
  /** The `vct` each template asks for, where the deployment's issuers use other type URLs. */
  readonly credentialTypes?: Partial<DeskCredentialTypes>;
  /** IANA time zone of the dates on the page (when a status was checked). Default: the server's. */
  readonly timeZone?: string;
  /** Told about unexpected failures (a 500 answer). Default: `console.error` of the error's name and message. */
  readonly onError?: (error: unknown) => void;
  /** For the countdown's `expiresIn`. Default `Date.now`. */
  readonly clock?: Clock;
}

/** The stable codes of the desk API's error answers (`{ error, message }`). */
export type DeskErrorCode =
  | 'forbidden'
  | 'payload_too_large'
  | 'invalid_json'
  | 'unsupported_media_type'
  | 'invalid_request'
  | 'unknown_template'
  | 'unknown_transaction'
  | 'link_too_long_for_qr'
  | 'server_error';

/** Whatever the desk answers, with the policy that keeps the page free of anything third-party. */
const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'self'; base-uri 'none'; object-src 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;

const HTTP_STATUS: Readonly<Record<DeskErrorCode, number>> = {
  forbidden: 403,
  payload_too_large: 413,
  invalid_json: 400,
  unsupported_media_type: 415,
  invalid_request: 400,
  unknown_template: 400,
  unknown_transaction: 404,
  link_too_long_for_qr: 422,
  server_error: 500,
};

/**
 * The page's script, styles and icon: real files beside this one (so Biome checks them), sent by
 * express itself, which keeps `node:` modules out of the desk's code.
 */
const ASSETS_ROOT = decodeURIComponent(new URL('./assets/', import.meta.url).pathname).replace(/^\/([A-Za-z]:)/, '$1');

/** The body of `POST /api/transactions` is two short strings. */
const MAX_BODY = '16kb';
/** Transaction ids are the verifier's random tokens: base64url. */
const TRANSACTION_ID = /^[A-Za-z0-9_-]{1,512}$/;
const WAIT = /^\d{1,3}$/;

/**
 * The service-desk page and its API, for express 5 (issue 3 §3). Staff pick a request template,
 * the page shows the QR code and `openid4vp://` link of a new transaction and updates live when
 * the wallet answers: the issuer's name from the trust list, the credential type, only the
 * disclosed claims, the status, or why the answer was rejected, in the staff member's language
 * (Accept-Language, or `?lang=`). Mount it beside `createVerifierRouter`:
 * - `GET /`: the page; `GET /desk.js`, `GET /desk.css`, `GET /favicon.svg`: its script, styles and icon;
 * - `POST /api/transactions`: JSON `{ template, lang? }` → 201 `{ id, link, expiresAt, expiresIn, qrSvgUrl }`;
 * - `GET /api/transactions/:id?wait=<0–25 s>&lang=`: the transaction's view, by long poll;
 * - `GET /api/transactions/:id/qr.svg`: the link as a QR code, drawn on the server.
 * Errors are JSON `{ error, message }` with a `DeskErrorCode`. API answers are `no-store`; every
 * answer carries `Content-Security-Policy: default-src 'self'`.
 * @example
 * app.use('/verify', createVerifierRouter(verifier));
 * app.use('/desk', createDeskRouter(verifier, { credentialTypes: { residencePermit: vct } }));
 */
export function createDeskRouter(verifier: Verifier, options: DeskRouterOptions = {}): Router {
  const {
    authorizeStaff = isLoopbackRequest,
    clock = Date.now,
    onError = (error: unknown) => console.error('desk: unexpected error:', describeError(error)),
  } = options;
  const credentialTypes = { ...DEFAULT_CREDENTIAL_TYPES, ...options.credentialTypes };
  const templates = createDeskTemplates(credentialTypes);
  const viewOptions = { credentialTypes, ...(options.timeZone !== undefined ? { timeZone: options.timeZone } : {}) };
  if (options.timeZone !== undefined) checkTimeZone(options.timeZone);
  const router = express.Router();

  // Per route rather than router-wide, so that mounting the desk at `/` leaves other routes alone.
  const staffOnly: RequestHandler = (request, response, next) => {
    response.set(SECURITY_HEADERS);
    if (!authorizeStaff(request)) return sendError(response, translatorFor(request), 'forbidden');
    next();
  };
  const api: RequestHandler = (_request, response, next) => {
    response.set('Cache-Control', 'no-store');
    next();
  };

  router.get('/', staffOnly, (request, response) => {
    // The page links its script, styles and API relatively: it must be served at a path ending in `/`.
    const url = new URL(request.originalUrl, 'http://desk.invalid');
    if (!url.pathname.endsWith('/')) return response.redirect(308, `${url.pathname}/${url.search}`);
    response
      .status(200)
      .set({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', Vary: 'Accept-Language' })
      .send(renderDeskPage({ translator: translatorFor(request), templates, catalogs: DESK_CATALOGS }));
  });

  router.get('/desk.js', staffOnly, asset('desk.js', 'text/javascript; charset=utf-8'));
  router.get('/desk.css', staffOnly, asset('desk.css', 'text/css; charset=utf-8'));
  // Declared by the page, so the browser does not ask the host for /favicon.ico.
  router.get('/favicon.svg', staffOnly, asset('favicon.svg', 'image/svg+xml; charset=utf-8'));

  router.post('/api/transactions', staffOnly, api, sameOriginOnly, jsonBody, async (request, response) => {
    const body: unknown = request.body;
    const translator = translatorFor(request);
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      return sendError(response, translator, 'invalid_request');
    const { template: templateId, lang } = body as Record<string, unknown>;
    if (lang !== undefined && typeof lang !== 'string') return sendError(response, translator, 'invalid_request');
    const template = findDeskTemplate(templates, templateId);
    if (template === undefined) return sendError(response, translator, 'unknown_template');

    const started = await verifier.start(presentationRequest(template, DESK_CATALOGS));
    response.status(201).json({
      id: started.id,
      link: started.link,
      expiresAt: started.expiresAt,
      expiresIn: Math.max(0, Math.floor((started.expiresAt - clock()) / 1000)),
      qrSvgUrl: `${request.baseUrl}/api/transactions/${encodeURIComponent(started.id)}/qr.svg`,
    });
  });

  router.get('/api/transactions/:id', staffOnly, api, async (request, response) => {
    const translator = translatorFor(request);
    const id = request.params.id as string;
    const wait = request.query.wait;
    let seconds = 0;
    if (wait !== undefined) {
      if (typeof wait !== 'string' || !WAIT.test(wait)) return sendError(response, translator, 'invalid_request');
      seconds = Math.min(Number(wait), MAX_WAIT_SECONDS);
    }
    if (!TRANSACTION_ID.test(id)) return sendError(response, translator, 'unknown_transaction');
    const view = seconds > 0 ? await verifier.wait(id, seconds * 1000) : await verifier.get(id);
    if (view === undefined) return sendError(response, translator, 'unknown_transaction');
    response.status(200).json(renderTransactionView(view, translator, viewOptions));
  });

  router.get('/api/transactions/:id/qr.svg', staffOnly, api, async (request, response) => {
    const id = request.params.id as string;
    // The link comes from the verifier's store, so any replica can draw any pending transaction's code.
    const view = TRANSACTION_ID.test(id) ? await verifier.get(id) : undefined;
    if (view?.link === undefined) return sendError(response, translatorFor(request), 'unknown_transaction');
    const svg = await qrSvg(view.link);
    if (svg === undefined) return sendError(response, translatorFor(request), 'link_too_long_for_qr');
    response.status(200).set('Content-Type', 'image/svg+xml; charset=utf-8').send(svg);
  });

  router.use((error: unknown, request: Request, response: Response, next: NextFunction) => {
    if (response.headersSent) return next(error);
    const translator = translatorFor(request);
    const type = (error as { type?: unknown } | null)?.type;
    const status = (error as { status?: unknown } | null)?.status;
    response.set(SECURITY_HEADERS).set('Cache-Control', 'no-store');
    if (type === 'entity.too.large') return sendError(response, translator, 'payload_too_large');
    if (type === 'entity.parse.failed') return sendError(response, translator, 'invalid_json');
    if (type === 'encoding.unsupported' || type === 'charset.unsupported')
      return sendError(response, translator, 'unsupported_media_type');
    // Any other failure of the body parser (an aborted upload, a bad length): the client's.
    if (typeof type === 'string' && typeof status === 'number' && status >= 400 && status < 500) {
      return sendError(response, translator, 'invalid_request');
    }
    onError(error);
    sendError(response, translator, 'server_error');
  });

  return router;
}

/**
 * The default staff rule: the request comes from this machine (127.0.0.0/8 or ::1), names this
 * machine as its `Host`, and did not pass a proxy. A proxy on the same machine would make every
 * client look local, so a `Forwarded`/`X-Forwarded-For` header refuses; the `Host` check stops a
 * hostile web page that rebinds its own name to 127.0.0.1 (DNS rebinding).
 */
export function isLoopbackRequest(request: Request): boolean {
  const address = request.socket.remoteAddress ?? '';
  const peer = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  if (peer !== '::1' && !/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(peer)) return false;
  const headers = request.headers;
  if (headers.forwarded !== undefined || headers['x-forwarded-for'] !== undefined || headers['x-real-ip'] !== undefined)
    return false;
  return /^(?:localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(?::\d{1,5})?$/i.test(headers.host ?? '');
}

function asset(name: string, type: string): RequestHandler {
  return (_request, response, next) => {
    response.set({ 'Content-Type': type, 'Cache-Control': 'no-cache' });
    response.sendFile(name, { root: ASSETS_ROOT, cacheControl: false, dotfiles: 'deny' }, (error) => {
      // A client that went away mid-file needs no answer.
      if (error !== undefined && error !== null && !response.headersSent) next(error);
    });
  };
}

/**
 * Cross-site request forgery: a page elsewhere cannot send JSON here without a CORS preflight
 * (which the desk never answers), and browsers say where a request comes from in `Sec-Fetch-Site`.
 */
const sameOriginOnly: RequestHandler = (request, response, next) => {
  const site = request.get('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none')
    return sendError(response, translatorFor(request), 'forbidden');
  next();
};

const parseJson = express.json({ limit: MAX_BODY, strict: true });

/** JSON bodies only: a form post (the one kind a foreign page can send without asking) is refused, not ignored. */
const jsonBody: RequestHandler = (request, response, next) => {
  if (!request.is('application/json')) return sendError(response, translatorFor(request), 'unsupported_media_type');
  parseJson(request, response, next);
};

/** The staff member's language: `lang` in the JSON body or the query, then Accept-Language, then English. */
function translatorFor(request: Request): Translator<DeskMessageKey> {
  const body: unknown = request.body;
  const fromBody = typeof body === 'object' && body !== null ? (body as { lang?: unknown }).lang : undefined;
  const fromQuery = request.query?.lang;
  const preferred = [fromBody, fromQuery].filter((value): value is string => typeof value === 'string');
  return createTranslator(DESK_CATALOGS, [...preferred, ...parseAcceptLanguage(request.get('accept-language'))]);
}

/**
 * The link as a QR code. ISO/IEC 18004 level M leaves room for a scratched or glared screen
 * without a much denser code; a link too long for it (a request signed into the link,
 * `requestByValue`) gets level L, and one too long for any QR code none (undefined).
 */
async function qrSvg(link: string): Promise<string | undefined> {
  for (const errorCorrectionLevel of ['M', 'L'] as const) {
    try {
      return await QRCode.toString(link, { type: 'svg', errorCorrectionLevel, margin: 4 });
    } catch (error) {
      // The one failure expected here: qrcode's "The amount of data is too big to be stored in a QR Code".
      if (!(error instanceof Error && /too big/i.test(error.message))) throw error;
    }
  }
  return undefined;
}

function sendError(response: Response, { t }: Translator<DeskMessageKey>, code: DeskErrorCode): void {
  response
    .status(HTTP_STATUS[code])
    .set('Cache-Control', 'no-store')
    .json({ error: code, message: t(`api.${code}`) });
}

/** A bad time zone is a configuration mistake: say so when the router is made, not on every request. */
function checkTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch (cause) {
    throw new TypeError('timeZone must be an IANA time zone name, such as Europe/Rome', { cause });
  }
}

/** Names and messages only: a TesseraError's message never holds claim values, and stacks stay out of logs. */
function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : typeof error;
}
