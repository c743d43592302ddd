import type { JsonObject } from '@tessera/shared';
import type { RequestUriMethod } from './types.ts';

/** The custom scheme of OpenID4VP 1.0 §9.1 (static wallet configuration, `authorization_endpoint: openid4vp:`). */
export const WALLET_SCHEME = 'openid4vp://';

/**
 * The link a wallet opens (shown as a QR code across devices), in one of the three forms of
 * OpenID4VP 1.0 §5 with JAR (RFC 9101 §5):
 * - by reference: `client_id`, `request_uri` and `request_uri_method` only (RFC 9101 §5.2, §5.10);
 * - a signed request object by value: `client_id` and `request` (RFC 9101 §5.1);
 * - an unsigned `redirect_uri:` request: every parameter by value, objects JSON-encoded (§5.1).
 */
export function walletLink(
  request:
    | { readonly clientId: string; readonly requestUri: string; readonly requestUriMethod: RequestUriMethod }
    | { readonly clientId: string; readonly requestObject: string }
    | { readonly byValue: JsonObject },
): string {
  const query = new URLSearchParams();
  if ('byValue' in request) {
    for (const [name, value] of Object.entries(request.byValue)) {
      query.set(name, typeof value === 'string' ? value : JSON.stringify(value));
    }
  } else if ('requestObject' in request) {
    // RFC 9101 §5: `client_id` stays outside the object too, so the wallet knows whose key to use.
    query.set('client_id', request.clientId);
    query.set('request', request.requestObject);
  } else {
    query.set('client_id', request.clientId);
    query.set('request_uri', request.requestUri);
    // `get` is JAR's default; saying it anyway costs a few bytes and leaves no doubt.
    query.set('request_uri_method', request.requestUriMethod);
  }
  return `${WALLET_SCHEME}?${query.toString()}`;
}
