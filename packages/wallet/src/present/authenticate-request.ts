import {
  allowedAlgorithm,
  checkJwsSignature,
  decodeBase64Url,
  decodeJws,
  fail,
  isTesseraError,
  type Jwk,
  publicJwkFor,
  randomToken,
  requireTyp,
  webCrypto,
} from '@tessera/shared';
import { checkFetchedRequest, type ParsedRequest } from './check-request.ts';
import { checkVerifierUrl, type FetchFunction, fetchWithTimeout, readLimitedText } from './fetch-limits.ts';
import type { RequestLink } from './request-link.ts';
import { checkVerifierCertificate } from './verifier-certificate.ts';

/** RFC 9101 §4, OpenID4VP 1.0 §5: the `typ` of a request object. */
const REQUEST_OBJECT_TYP = 'oauth-authz-req+jwt';

/** The Client Identifier Prefixes the wallet understands (OpenID4VP 1.0 §5.9.3). */
export type ClientIdPrefix = 'x509_hash' | 'decentralized_identifier' | 'redirect_uri';

/** Who is asking, as far as the wallet could tell. */
export type VerifierIdentity =
  | {
      readonly clientId: string;
      readonly prefix: ClientIdPrefix;
      readonly verified: true;
      /** The certificate's common name, or the DID. */
      readonly name: string;
    }
  | {
      readonly clientId: string;
      readonly prefix: ClientIdPrefix;
      readonly verified: false;
      /**
       * `unsigned_request`: a `redirect_uri:` client, which cannot authenticate; `no_trust_anchor`:
       * the wallet has no anchors configured; `untrusted_certificate`: the chain leads to none of them.
       */
      readonly reason: 'unsigned_request' | 'no_trust_anchor' | 'untrusted_certificate';
      /** What the request claims to be (a certificate CN), unconfirmed. */
      readonly claimedName?: string;
    };

export interface AuthenticatedRequest {
  readonly verifier: VerifierIdentity;
  /** The checked request parameters, from the verified request object or the link. */
  readonly request: ParsedRequest;
}

export interface AuthenticateOptions {
  readonly fetch: FetchFunction;
  readonly trustAnchors: readonly string[];
  readonly allowInsecureLocalhost: boolean;
  readonly now: number;
}

/**
 * Gets the request behind a link and establishes who sent it (OpenID4VP 1.0 §5.9.3, §5.10):
 * fetches the request object (POST with a fresh `wallet_nonce` when the link allows), checks
 * `typ`, the ES256 signature by the key the client id names, that the payload's `client_id` is
 * the link's and that the `wallet_nonce` came back.
 */
export async function authenticateRequest(link: RequestLink, options: AuthenticateOptions): Promise<AuthenticatedRequest> {
  const prefix = prefixOf(link.clientId);
  if (link.kind === 'by-value') {
    // §5.9.3: `redirect_uri:` requests cannot be signed; any other client must send a signed object.
    if (prefix !== 'redirect_uri') fail('request_invalid', 'Only a redirect_uri: client may send its request by value');
    const request = checkFetchedRequest(link.parameters, link.clientId);
    // §5.9.3: for `redirect_uri:` the client id is the response URI, so answers go nowhere else.
    if (`redirect_uri:${request.responseUri}` !== link.clientId) {
      fail('client_id_mismatch', 'A redirect_uri: request must send its response to its client id');
    }
    return { verifier: { clientId: link.clientId, prefix, verified: false, reason: 'unsigned_request' }, request };
  }
  if (prefix === 'redirect_uri') fail('request_invalid', 'A redirect_uri: client cannot send a signed request object');
  if (prefix === 'decentralized_identifier' && !link.clientId.startsWith('decentralized_identifier:did:jwk:')) {
    fail('client_id_unsupported', 'The wallet resolves did:jwk verifiers only');
  }

  const url = checkVerifierUrl(link.requestUri, options.allowInsecureLocalhost, 'request_uri');
  const walletNonce = link.requestUriMethod === 'post' ? randomToken(16) : undefined;
  const response = await fetchWithTimeout(
    options.fetch,
    url,
    walletNonce === undefined
      ? { method: 'GET', headers: { accept: 'application/oauth-authz-req+jwt' } }
      : {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/oauth-authz-req+jwt' },
          // §5.10.1: the wallet's metadata (what it can present) and the nonce it wants echoed.
          body: new URLSearchParams({
            wallet_metadata: JSON.stringify({ vp_formats_supported: { 'dc+sd-jwt': { 'sd-jwt_alg_values': ['ES256'] } } }),
            wallet_nonce: walletNonce,
          }),
        },
  );
  if (response.status !== 200) fail('fetch_failed', `The request URI answered HTTP ${response.status}`);
  const jws = decodeJws((await readLimitedText(response)).trim(), 'request_invalid');
  requireTyp(jws.header, REQUEST_OBJECT_TYP);
  const alg = allowedAlgorithm(jws.header, ['ES256']);

  let verifier: VerifierIdentity;
  let key: Jwk;
  if (prefix === 'x509_hash') {
    const certificate = await checkVerifierCertificate(
      jws.header.x5c,
      link.clientId.slice('x509_hash:'.length),
      options.trustAnchors,
      options.now,
    );
    key = certificate.publicJwk;
    verifier =
      certificate.trust.trusted && certificate.name !== undefined
        ? { clientId: link.clientId, prefix, verified: true, name: certificate.name }
        : {
            clientId: link.clientId,
            prefix,
            verified: false,
            reason: certificate.trust.trusted ? 'untrusted_certificate' : certificate.trust.reason,
            ...(certificate.name === undefined ? {} : { claimedName: certificate.name }),
          };
  } else {
    const did = link.clientId.slice('decentralized_identifier:'.length);
    key = didJwkKey(did, jws.header.kid);
    verifier = { clientId: link.clientId, prefix, verified: true, name: did };
  }
  try {
    await checkJwsSignature(jws, alg, key, webCrypto);
  } catch (cause) {
    if (isTesseraError(cause, 'invalid_signature')) throw cause;
    fail('invalid_signature', 'The request object signature does not verify with the client id key', cause);
  }

  const payload = jws.payload;
  // §5.10.1 / §5.9.1: the signed `client_id` (with its prefix) must be the one in the link, and
  // the `wallet_nonce` we sent must come back, or the object may be a replay.
  if (payload.client_id !== link.clientId) fail('client_id_mismatch', 'The request object names another client id than the link');
  if (walletNonce !== undefined && payload.wallet_nonce !== walletNonce) {
    fail('wallet_nonce_mismatch', 'The request object does not carry the wallet_nonce the wallet sent');
  }
  if (typeof payload.exp === 'number' && payload.exp * 1000 < options.now) fail('expired', 'The request object has expired');
  return { verifier, request: checkFetchedRequest(payload, link.clientId) };
}

function prefixOf(clientId: string): ClientIdPrefix {
  if (clientId.startsWith('x509_hash:')) return 'x509_hash';
  if (clientId.startsWith('decentralized_identifier:')) return 'decentralized_identifier';
  if (clientId.startsWith('redirect_uri:')) return 'redirect_uri';
  fail('client_id_unsupported', 'The wallet cannot authenticate this kind of client id');
}

/**
 * did:jwk (the DID is the key): resolved locally. The `kid` must be a DID URL of this DID
 * (§5.9.3), and did:jwk has the one verification method `#0`. Other DID methods (did:web) would
 * need a resolver and are not supported yet.
 */
function didJwkKey(did: string, kid: unknown): Jwk {
  if (!did.startsWith('did:jwk:')) fail('client_id_unsupported', 'The wallet resolves did:jwk verifiers only');
  if (kid !== `${did}#0`) fail('client_id_mismatch', 'The request object kid is not the verification method of the client DID');
  const bytes = decodeBase64Url(did.slice('did:jwk:'.length));
  try {
    if (bytes === undefined) throw new Error('not base64url');
    return publicJwkFor(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)), 'ES256');
  } catch (cause) {
    fail('did_invalid', 'The client DID is not a did:jwk of a P-256 key', cause);
  }
}
