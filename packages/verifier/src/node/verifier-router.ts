import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { VerifierHttpError, walletError } from '../openid4vp/http-error.ts';
import type { Verifier, WalletReply } from '../openid4vp/types.ts';

export interface VerifierRouterOptions {
  /**
   * Largest Authorization Response body accepted at the response URI. Default 1 MiB: room for a
   * few SD-JWT presentations (each at most 256 KiB), far below what could tire the server.
   */
  readonly maxResponseBytes?: number;
}

/** RFC 9101 §10.2: the media type of a request object. */
const REQUEST_OBJECT_MEDIA_TYPE = 'application/oauth-authz-req+jwt';
/** §5.10: the wallet's POST to the request URI carries little: its metadata and a nonce. */
const MAX_REQUEST_URI_POST_BYTES = 64 * 1024;

/**
 * The wallet-facing OpenID4VP 1.0 endpoints of a verifier, for express 5. Mount it at the path of
 * the verifier's `baseUrl`:
 * - `GET|POST /request/:state`: the signed request object (RFC 9101 §5.2; §5.10 for POST, form
 *   fields `wallet_metadata` and `wallet_nonce`);
 * - `POST /response/:state`: the Authorization Response (`direct_post`, `direct_post.jwt`, §8.2–§8.3).
 * Every error is OAuth error JSON (`error`, `error_description`) with `Cache-Control: no-store`.
 * @example
 * app.use('/verify', createVerifierRouter(verifier));
 */
export function createVerifierRouter(verifier: Verifier, options: VerifierRouterOptions = {}): Router {
  const maxResponseBytes = options.maxResponseBytes ?? 1024 * 1024;
  if (!Number.isInteger(maxResponseBytes) || maxResponseBytes < 1024)
    throw new TypeError('maxResponseBytes must be at least 1024');
  const router = express.Router();
  router.use(walletCors);

  router.get('/request/:state', async (request, response) => {
    await sendRequestObject(response, () => verifier.requestObject(param(request, 'state')));
  });

  router.post('/request/:state', form(MAX_REQUEST_URI_POST_BYTES), async (request, response) => {
    const body = formFields(request);
    if (body === undefined) return send(response, REPEATED_PARAMETER);
    await sendRequestObject(response, () =>
      verifier.requestObject(param(request, 'state'), {
        ...(body.wallet_nonce !== undefined ? { walletNonce: body.wallet_nonce } : {}),
        ...(body.wallet_metadata !== undefined ? { walletMetadata: body.wallet_metadata } : {}),
      }),
    );
  });

  router.post('/response/:state', form(maxResponseBytes), async (request, response) => {
    const body = formFields(request);
    send(response, body === undefined ? REPEATED_PARAMETER : await verifier.receiveResponse(param(request, 'state'), body));
  });

  router.all(['/request/:state', '/response/:state'], (_request, response) => {
    send(response, walletError(405, 'invalid_request', 'request_invalid', 'Method not allowed'));
  });

  // Body parser failures (too large, bad encoding) and anything unexpected: OAuth JSON, no stack traces.
  router.use((error: unknown, _request: Request, response: Response, _next: NextFunction) => {
    const type = (error as { type?: unknown }).type;
    if (type === 'entity.too.large') {
      send(response, walletError(413, 'invalid_request', 'request_invalid', 'The request body is too large'));
    } else if (typeof type === 'string' || (error as { status?: unknown }).status === 400) {
      send(response, walletError(400, 'invalid_request', 'request_invalid', 'The request body could not be read'));
    } else {
      send(response, walletError(500, 'server_error', 'server_error', 'The verifier failed to process the request'));
    }
  });
  return router;
}

/**
 * CORS for the wallet endpoints: a wallet may be a web app on another origin (the Tessera PWA), and
 * must read the request object and the verifier's answer. Any origin, no credentials: the
 * transaction is named by its unguessable `state`, never by a cookie, so `*` opens nothing more.
 */
function walletCors(request: Request, response: Response, next: NextFunction): void {
  response.set({
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'GET, POST',
    'Access-Control-Allow-Headers': 'Content-Type, Accept',
    'Access-Control-Max-Age': '600',
  });
  if (request.method === 'OPTIONS') {
    response.status(204).end();
    return;
  }
  next();
}

/**
 * Form bodies only (`application/x-www-form-urlencoded`, UTF-8, §5.10 and §8.2); anything else is
 * refused rather than ignored, so a wallet learns its mistake instead of meeting "missing vp_token".
 */
function form(limit: number) {
  const parse = express.urlencoded({ extended: false, limit, parameterLimit: 32 });
  return (request: Request, response: Response, next: NextFunction) => {
    if (!request.is('application/x-www-form-urlencoded')) {
      send(
        response,
        walletError(400, 'invalid_request', 'request_invalid', 'The body must be application/x-www-form-urlencoded'),
      );
      return;
    }
    parse(request, response, next);
  };
}

/** RFC 6749 §3.1: request and response parameters MUST NOT be included more than once. */
const REPEATED_PARAMETER = walletError(400, 'invalid_request', 'request_invalid', 'A parameter was repeated');

/** The posted fields as strings, or undefined when one was repeated (express gives those as arrays). */
function formFields(request: Request): Record<string, string> | undefined {
  const fields: Record<string, string> = Object.create(null);
  const body: unknown = request.body;
  if (typeof body !== 'object' || body === null) return fields;
  for (const [name, value] of Object.entries(body)) {
    if (typeof value !== 'string') return undefined;
    fields[name] = value;
  }
  return fields;
}

function param(request: Request, name: string): string {
  const value = request.params[name];
  return typeof value === 'string' ? value : '';
}

async function sendRequestObject(response: Response, mint: () => Promise<string>): Promise<void> {
  try {
    const requestObject = await mint();
    response.status(200).set({ 'Content-Type': REQUEST_OBJECT_MEDIA_TYPE, 'Cache-Control': 'no-store' }).end(requestObject);
  } catch (error) {
    if (!(error instanceof VerifierHttpError)) throw error;
    send(response, error.reply());
  }
}

function send(response: Response, reply: WalletReply): void {
  response.status(reply.httpStatus).set('Cache-Control', 'no-store').json(reply.body);
}
