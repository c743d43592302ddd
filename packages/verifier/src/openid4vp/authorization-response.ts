import { fail } from '@tessera/shared';

/**
 * Reading the wallet's Authorization Response (OpenID4VP 1.0 §8): the form a wallet posts to the
 * response URI, after decryption for `direct_post.jwt`. Only shape is checked here; what the
 * presentations prove is the verifier's next step.
 */

export type AuthorizationResponse =
  | {
      readonly kind: 'vp_token';
      /** §8.1: keyed by DCQL credential query id; each value a non-empty array of presentations. */
      readonly vpToken: Readonly<Record<string, readonly string[]>>;
      readonly state: string | undefined;
    }
  | { readonly kind: 'error'; readonly error: string; readonly state: string | undefined };

/** Bounds: a desk asks for a handful of credentials; anything far beyond is not a real wallet. */
export const RESPONSE_LIMITS = Object.freeze({ maxQueryIds: 32, maxPresentationsPerQuery: 16, maxErrorLength: 200 });

/** RFC 6749 §5.2: error codes are printable ASCII without `"` and `\`. */
const OAUTH_ERROR = /^[\x20\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * Reads an Authorization Response from its parameters: the posted form (`direct_post`) or the
 * decrypted JWT payload (`direct_post.jwt`, where `vp_token` is a JSON object rather than a
 * JSON-encoded string). An error response (`error`, §8.5) wins over anything else in it.
 */
export function readAuthorizationResponse(
  parameters: Readonly<Record<string, unknown>>,
  source: 'form' | 'encrypted',
): AuthorizationResponse {
  const state = optionalString(parameters.state, 'state');
  if (parameters.error !== undefined) {
    const error = parameters.error;
    if (
      typeof error !== 'string' ||
      error.length === 0 ||
      error.length > RESPONSE_LIMITS.maxErrorLength ||
      !OAUTH_ERROR.test(error)
    ) {
      fail('response_malformed', 'The error parameter is not an OAuth error code');
    }
    return { kind: 'error', error, state };
  }
  const raw = parameters.vp_token;
  if (raw === undefined) fail('response_malformed', 'The response has neither vp_token nor error');
  return { kind: 'vp_token', vpToken: readVpToken(source === 'form' ? parseJsonParameter(raw) : raw), state };
}

function parseJsonParameter(raw: unknown): unknown {
  if (typeof raw !== 'string') fail('response_malformed', 'vp_token must be a JSON-encoded object');
  try {
    return JSON.parse(raw);
  } catch {
    fail('response_malformed', 'vp_token is not valid JSON');
  }
}

function readVpToken(value: unknown): Record<string, readonly string[]> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail('response_malformed', 'vp_token must be a JSON object');
  const entries = Object.entries(value);
  if (entries.length === 0) fail('response_malformed', 'vp_token is empty');
  if (entries.length > RESPONSE_LIMITS.maxQueryIds) fail('response_malformed', 'vp_token answers too many credential queries');
  // A null-prototype record: query ids such as `__proto__` stay plain keys.
  const vpToken: Record<string, readonly string[]> = Object.create(null);
  for (const [queryId, presentations] of entries) {
    if (!Array.isArray(presentations) || presentations.length === 0) {
      fail('response_malformed', 'Each vp_token entry must be a non-empty array of presentations');
    }
    if (presentations.length > RESPONSE_LIMITS.maxPresentationsPerQuery)
      fail('response_malformed', 'Too many presentations for one query');
    for (const presentation of presentations) {
      // dc+sd-jwt presentations are strings (OpenID4VP 1.0 Appendix B.3.6).
      if (typeof presentation !== 'string' || presentation.length === 0)
        fail('response_malformed', 'A presentation is not a string');
    }
    vpToken[queryId] = presentations as string[];
  }
  return vpToken;
}

function optionalString(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 512)
    fail('response_malformed', `${name} is not a valid string`);
  return value;
}
