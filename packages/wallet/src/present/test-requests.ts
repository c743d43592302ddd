/**
 * Test-only: what the desk asks for in the present and CLI tests, made of the real verifier, and
 * request objects served as no real verifier would sign them.
 */
import type { JsonObject } from '@tessera/shared';
import type { VerifierHost } from '@tessera/verifier/testing';
import express from 'express';

export const PERMIT_VCT = 'https://tessera.example/credentials/residence-permit';

/** The desk's name in its development certificate (`createDevelopmentClient`). */
export const DESK_NAME = 'Job centre Bologna (test)';

/** Why the desk asks, in two languages: the wallet shows the holder's. */
export const PURPOSE = { en: 'To check that you may work in Italy', ar: 'للتحقق من أنه يحق لك العمل في إيطاليا' };

/**
 * `residence_status` always; `given_name` or `birth_date` only in another claim set (OpenID4VP 1.0
 * §6.4.1 `claim_sets`, the first one preferred); `family_name` in none.
 */
export const QUERY_WITH_OPTIONAL: JsonObject = {
  credentials: [
    {
      id: 'permit',
      format: 'dc+sd-jwt',
      meta: { vct_values: [PERMIT_VCT] },
      claims: [
        { id: 'status', path: ['residence_status'] },
        { id: 'name', path: ['given_name'] },
        { id: 'family', path: ['family_name'] },
        { id: 'birth', path: ['birth_date'] },
      ],
      claim_sets: [['status'], ['status', 'name'], ['status', 'birth']],
    },
  ],
};

let served = 0;

/**
 * Serves a request object at a fresh path of `host` and returns the link to it, fetched by POST
 * (OpenID4VP 1.0 §5.10, `request_uri_method=post`): `requestObject` is the JWT, or makes it for
 * the `wallet_nonce` the wallet posts.
 */
export function serveRequestObject(
  host: VerifierHost,
  requestObject: string | ((walletNonce: string | undefined) => Promise<string>),
  clientId: string,
): string {
  const name = `request-object-${++served}`;
  host.mount(
    name,
    express.Router().all('/', express.urlencoded({ extended: false }), async (request, response) => {
      const nonce = typeof request.body?.wallet_nonce === 'string' ? request.body.wallet_nonce : undefined;
      response
        .type('application/oauth-authz-req+jwt')
        .send(typeof requestObject === 'string' ? requestObject : await requestObject(nonce));
    }),
  );
  const requestUri = `${host.origin}/${name}`;
  return `openid4vp://?${new URLSearchParams({ client_id: clientId, request_uri: requestUri, request_uri_method: 'post' })}`;
}

/**
 * The claims of a well-formed request object (OpenID4VP 1.0 §5, `direct_post` to a path of
 * `origin` nobody serves), the wallet's nonce echoed when it sent one; `extra` replaces any.
 */
export function requestObjectClaims(
  {
    clientId,
    origin,
    query,
    walletNonce,
  }: { clientId: string; origin: string; query: JsonObject; walletNonce: string | undefined },
  extra: JsonObject = {},
): JsonObject {
  return {
    client_id: clientId,
    response_type: 'vp_token',
    response_mode: 'direct_post',
    response_uri: `${origin}/nowhere`,
    nonce: 'n-0S6_WzA2Mj',
    state: 'state-1',
    dcql_query: query,
    ...(walletNonce === undefined ? {} : { wallet_nonce: walletNonce }),
    ...extra,
  };
}
