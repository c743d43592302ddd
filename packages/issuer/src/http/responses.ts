import { type JsonObject, oauthErrorBody } from '@tessera/shared';
import type { Response } from 'express';

/**
 * Answers with JSON that no cache keeps (OpenID4VCI 1.0 and RFC 6749 §5.1 require `no-store` on
 * token, nonce and credential responses; the issuer applies it to every protocol and staff answer).
 */
export function sendJson(response: Response, status: number, body: JsonObject): void {
  response.status(status).set('Cache-Control', 'no-store').json(body);
}

/** An OAuth-style error (RFC 6749 §5.2, RFC 6750 §3, OpenID4VCI 1.0 §8.3.1.2), as `oauthErrorBody` shapes it. */
export function sendError(response: Response, status: number, error: string, description?: string, extra: JsonObject = {}): void {
  sendJson(response, status, oauthErrorBody(error, description, extra));
}
