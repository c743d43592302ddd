import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { sendError } from './responses.ts';

/**
 * Headers for everything the service answers: no sniffing, no referrers, no framing, and a CSP
 * that lets a JSON answer load nothing. Pages set their own, stricter-but-usable policy.
 */
export function securityHeaders({ https }: { https: boolean }): RequestHandler {
  return (_request, response, next) => {
    response.set({
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'X-Frame-Options': 'DENY',
      'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
      'Cross-Origin-Opener-Policy': 'same-origin',
      ...(https ? { 'Strict-Transport-Security': 'max-age=31536000' } : {}),
    });
    next();
  };
}

/**
 * CORS for the endpoints a wallet calls, which may be a web app on another origin (the wallet
 * PWA): any origin, no cookies (the access token travels in `Authorization`, so `*` is safe),
 * only the methods and headers the protocol uses. Staff routes never get it.
 */
export const walletCors: RequestHandler = (request, response, next) => {
  response.set({
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'GET, POST',
    'Access-Control-Allow-Headers': 'Authorization, Content-Type, Accept-Language, DPoP',
    'Access-Control-Expose-Headers': 'Content-Language, WWW-Authenticate, Retry-After',
    'Access-Control-Max-Age': '600',
  });
  if (request.method === 'OPTIONS') {
    response.status(204).end();
    return;
  }
  next();
};

/**
 * A fixed-window limit per client address and bucket, in this process (each replica counts its
 * own: a coarse brake on PIN guessing and floods, not an exact quota). Memory is bounded: the
 * table is cleared every window and holds at most `maxClients` addresses.
 */
export function rateLimit({
  windowMs,
  max,
  maxClients = 50_000,
}: {
  windowMs: number;
  max: number;
  maxClients?: number;
}): RequestHandler {
  let windowStart = Date.now();
  let counts = new Map<string, number>();
  return (request, response, next) => {
    const now = Date.now();
    if (now - windowStart >= windowMs) {
      windowStart = now;
      counts = new Map();
    }
    const client = request.socket.remoteAddress ?? 'unknown';
    const count = (counts.get(client) ?? 0) + 1;
    if (counts.size < maxClients || counts.has(client)) counts.set(client, count);
    if (count > max) {
      response.set('Retry-After', String(Math.ceil((windowStart + windowMs - now) / 1000)));
      sendError(response, 429, 'too_many_requests', 'Too many requests; try again later');
      return;
    }
    next();
  };
}

/** JSON bodies only, at most `limit`; anything else is refused with 415 rather than ignored. */
export function jsonBody(limit: string): RequestHandler {
  const parse = express.json({ limit, strict: true });
  return (request, response, next) => {
    if (!request.is('application/json')) {
      sendError(response, 415, 'invalid_request', 'The body must be application/json');
      return;
    }
    parse(request, response, next);
  };
}

/** Form bodies only (RFC 6749 §3.2: the token endpoint takes application/x-www-form-urlencoded). */
export function formBody(limit: string): RequestHandler {
  const parse = express.urlencoded({ extended: false, limit, parameterLimit: 20 });
  return (request, response, next) => {
    if (!request.is('application/x-www-form-urlencoded')) {
      sendError(response, 400, 'invalid_request', 'The body must be application/x-www-form-urlencoded');
      return;
    }
    parse(request, response, next);
  };
}

/** Body parser failures and anything unexpected: an error body, never a stack trace, never a 500 for the client's mistake. */
export function errorHandler(onError: (error: unknown) => void): ErrorRequestHandler {
  return (error, _request, response, next) => {
    if (response.headersSent) {
      next(error);
      return;
    }
    const type = (error as { type?: unknown } | null)?.type;
    const status = (error as { status?: unknown } | null)?.status;
    if (type === 'entity.too.large') return sendError(response, 413, 'invalid_request', 'The request body is too large');
    if (type === 'entity.parse.failed') return sendError(response, 400, 'invalid_request', 'The request body is not valid JSON');
    if (typeof type === 'string' && typeof status === 'number' && status >= 400 && status < 500) {
      return sendError(response, 400, 'invalid_request', 'The request body could not be read');
    }
    onError(error);
    sendError(response, 500, 'server_error', 'The issuer failed to process the request');
  };
}

/** A repeated form or query parameter arrives as an array: RFC 6749 §3.1 forbids repeating parameters. */
export function singleValues(body: unknown): Record<string, string> | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const values: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(body)) {
    if (typeof value !== 'string') return undefined;
    values[name] = value;
  }
  return values;
}
