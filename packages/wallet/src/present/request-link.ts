import { fail, type JsonObject, type JsonValue } from '@tessera/shared';

/** What a wallet link (`openid4vp://…`) says before anything is fetched. */
export type RequestLink =
  | {
      readonly kind: 'by-reference';
      readonly clientId: string;
      readonly requestUri: string;
      /** OpenID4VP 1.0 §5.10: `post` lets the wallet send a `wallet_nonce`; default `get` (RFC 9101). */
      readonly requestUriMethod: 'get' | 'post';
    }
  | {
      /**
       * The signed request object in the link (`request`, RFC 9101 §5.1): nothing to fetch, so
       * the consent screen can be shown with no connection.
       */
      readonly kind: 'signed-by-value';
      readonly clientId: string;
      readonly requestObject: string;
    }
  | {
      /** The whole request in the link: only `redirect_uri:` clients, which cannot sign (§5.9.3). */
      readonly kind: 'by-value';
      readonly clientId: string;
      readonly parameters: JsonObject;
    };

const MAX_LINK_LENGTH = 16 * 1024;
/** Request parameters that carry JSON when sent by value (OpenID4VP 1.0 §5.1, §6). */
const JSON_PARAMETERS: ReadonlySet<string> = new Set(['dcql_query', 'client_metadata', 'verifier_info', 'transaction_data']);

/**
 * Reads an `openid4vp:` link (OpenID4VP 1.0 §5, RFC 9101 §5.2). Anything malformed fails with
 * `request_invalid`; the link's text never appears in the message.
 */
export function parseRequestLink(link: string): RequestLink {
  if (typeof link !== 'string' || link.length > MAX_LINK_LENGTH) fail('request_invalid', 'The link is not a usable request link');
  let url: URL;
  try {
    url = new URL(link);
  } catch (cause) {
    fail('request_invalid', 'The link is not a URL', cause);
  }
  if (url.protocol !== 'openid4vp:') fail('request_invalid', 'The link is not an openid4vp: link');
  const parameters = new Map<string, string>();
  for (const [name, value] of url.searchParams) {
    // RFC 6749 §3.1: request parameters must not be included more than once.
    if (parameters.has(name)) fail('request_invalid', `The link repeats the parameter ${safeName(name)}`);
    parameters.set(name, value);
  }
  const clientId = parameters.get('client_id');
  if (clientId === undefined || clientId === '') fail('request_invalid', 'The link has no client_id');
  const requestUri = parameters.get('request_uri');
  const requestObject = parameters.get('request');
  // RFC 9101 §5: a request is passed by value or by reference, never both.
  if (requestUri !== undefined && requestObject !== undefined) {
    fail('request_invalid', 'The link carries both request and request_uri');
  }
  // RFC 9101 §5: only the request object's own parameters count; any others in the link are ignored.
  if (requestObject !== undefined) return { kind: 'signed-by-value', clientId, requestObject };
  if (requestUri !== undefined) {
    const method = parameters.get('request_uri_method') ?? 'get';
    if (method !== 'get' && method !== 'post') fail('request_invalid', 'request_uri_method is neither get nor post');
    return { kind: 'by-reference', clientId, requestUri, requestUriMethod: method };
  }
  const byValue: JsonObject = {};
  for (const [name, value] of parameters) {
    if (!JSON_PARAMETERS.has(name)) {
      byValue[name] = value;
      continue;
    }
    let parsed: JsonValue;
    try {
      parsed = JSON.parse(value) as JsonValue;
    } catch (cause) {
      fail('request_invalid', `The link's ${name} is not JSON`, cause);
    }
    byValue[name] = parsed;
  }
  return { kind: 'by-value', clientId, parameters: byValue };
}

function safeName(name: string): string {
  return /^[a-z_]{1,40}$/.test(name) ? name : '(unnamed)';
}
