import { type DcqlQuery, fail, isTesseraError, type JsonObject, type JsonValue, parseDcqlQuery } from '@tessera/shared';

/** The parts of an Authorization Request (OpenID4VP 1.0 §5) the wallet acts on. */
export interface ParsedRequest {
  readonly clientId: string;
  readonly nonce: string;
  readonly state: string | undefined;
  readonly responseMode: 'direct_post' | 'direct_post.jwt';
  readonly responseUri: string;
  readonly query: DcqlQuery;
  readonly clientMetadata: JsonObject | undefined;
  readonly verifierInfo: readonly JsonValue[];
}

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Checks the request parameters the wallet needs: `response_type=vp_token` (§5.1), a
 * `response_mode` of `direct_post` or `direct_post.jwt` with a `response_uri` (§8.2, §8.3), a
 * `nonce` (§5.2, REQUIRED), and a DCQL query (§6). Malformed parameters are `request_invalid`;
 * a malformed query is `dcql_invalid`.
 */
export function checkFetchedRequest(request: JsonObject, clientId: string): ParsedRequest {
  if (request.response_type !== 'vp_token') fail('request_invalid', 'The request does not ask for a vp_token');
  const mode = request.response_mode;
  if (mode !== 'direct_post' && mode !== 'direct_post.jwt') {
    fail('request_invalid', 'The request asks for a response mode other than direct_post or direct_post.jwt');
  }
  if (typeof request.response_uri !== 'string') fail('request_invalid', 'The request has no response_uri');
  if (typeof request.nonce !== 'string' || request.nonce.length === 0 || request.nonce.length > 512) {
    fail('request_invalid', 'The request has no usable nonce');
  }
  if (request.state !== undefined && typeof request.state !== 'string')
    fail('request_invalid', 'The request state is not a string');
  if (request.client_metadata !== undefined && !isObject(request.client_metadata)) {
    fail('request_invalid', 'The request client_metadata is not an object');
  }
  if (request.verifier_info !== undefined && !Array.isArray(request.verifier_info)) {
    fail('request_invalid', 'The request verifier_info is not an array');
  }
  if (request.dcql_query === undefined) fail('request_invalid', 'The request has no dcql_query');
  let query: DcqlQuery;
  try {
    query = parseDcqlQuery(request.dcql_query);
  } catch (cause) {
    if (isTesseraError(cause)) throw cause;
    fail('dcql_invalid', 'The DCQL query is malformed', cause);
  }
  return {
    clientId,
    nonce: request.nonce,
    state: request.state,
    responseMode: mode,
    responseUri: request.response_uri,
    query,
    clientMetadata: request.client_metadata,
    verifierInfo: request.verifier_info ?? [],
  };
}
