import {
  allowedAlgorithm,
  checkJwsSignature,
  decodeJws,
  fail,
  isTesseraError,
  type Jwk,
  randomToken,
  requireTyp,
  webCrypto,
} from '@tessera/shared';
import { didWebUrl, isResolvableDid, resolveDidKey } from '../receive/did-key.ts';
import { checkFetchedRequest, type ParsedRequest } from './check-request.ts';
import {
  checkVerifierUrl,
  FETCH_TIMEOUT_MS,
  type FetchFunction,
  fetchWithTimeout,
  MAX_BODY_BYTES,
  readLimitedText,
} from './fetch-limits.ts';
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
 * fetches the request object (POST with a fresh `wallet_nonce` when the link allows) or takes it
 * from the link (`request`, RFC 9101 §5.1, which works offline), checks `typ`, the ES256
 * signature by the key the client id names, that the payload's `client_id` is the link's and that
 * the `wallet_nonce` came back.
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
  if (prefix === 'decentralized_identifier') {
    const did = link.clientId.slice('decentralized_identifier:'.length);
    if (!isResolvableDid(did)) fail('client_id_unsupported', 'The wallet resolves did:jwk and did:web verifiers only');
    // A malformed did:web is refused before anything is fetched.
    if (did.startsWith('did:web:')) didWebUrl(did, options.allowInsecureLocalhost);
  }

  const walletNonce = link.kind === 'by-reference' && link.requestUriMethod === 'post' ? randomToken(16) : undefined;
  const requestObject = link.kind === 'by-reference' ? await fetchRequestObject(link, walletNonce, options) : link.requestObject;
  const jws = decodeJws(requestObject.trim(), 'request_invalid');
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
    key = await didClientKey(did, jws.header.kid, options);
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

/**
 * Fetches the request object at `request_uri` (RFC 9101 §5.2): GET, or POST with the wallet's
 * metadata and a fresh `wallet_nonce` when the link allows (§5.10).
 */
async function fetchRequestObject(
  link: Extract<RequestLink, { kind: 'by-reference' }>,
  walletNonce: string | undefined,
  options: AuthenticateOptions,
): Promise<string> {
  const url = checkVerifierUrl(link.requestUri, options.allowInsecureLocalhost, 'request_uri');
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
            // Appendix B.1.2 / B.3.4: the formats and algorithms the wallet presents.
            wallet_metadata: JSON.stringify({
              vp_formats_supported: {
                'dc+sd-jwt': { 'sd-jwt_alg_values': ['ES256'], 'kb-jwt_alg_values': ['ES256'] },
                jwt_vc_json: { alg_values: ['ES256'] },
              },
            }),
            wallet_nonce: walletNonce,
          }),
        },
  );
  if (response.status !== 200) fail('fetch_failed', `The request URI answered HTTP ${response.status}`);
  return readLimitedText(response);
}

function prefixOf(clientId: string): ClientIdPrefix {
  if (clientId.startsWith('x509_hash:')) return 'x509_hash';
  if (clientId.startsWith('decentralized_identifier:')) return 'decentralized_identifier';
  if (clientId.startsWith('redirect_uri:')) return 'redirect_uri';
  fail('client_id_unsupported', 'The wallet cannot authenticate this kind of client id');
}

/**
 * The key of a `decentralized_identifier:` client (§5.9.3): the `kid` must be a DID URL of the
 * client's DID, naming a key in the `verificationMethod` property of its DID document. did:jwk is
 * resolved locally, did:web through the wallet's hardened HTTP, with the limits of request objects.
 *
 * Which verification relationship: none beyond `verificationMethod`. §5.9.3 says the key "MUST be
 * obtained from the `verificationMethod` property of a DID Document" and names no relationship;
 * demanding `authentication` (or `assertionMethod`) would refuse verifiers that follow the text,
 * and every method listed there is one the DID's controller published for this DID, which is the
 * binding between the request and its client id that this check is for.
 */
function didClientKey(did: string, kid: unknown, options: AuthenticateOptions): Promise<Jwk> {
  // §5.9.3: the kid identifies the key as a DID URL; a relative `#0` could name any DID's key.
  if (typeof kid !== 'string' || !kid.startsWith(`${did}#`)) {
    fail('client_id_mismatch', 'The request object kid is not a DID URL of the client DID');
  }
  return resolveDidKey(did, {
    kid,
    purpose: 'verificationMethod',
    http: {
      fetch: options.fetch,
      allowInsecureLocalhost: options.allowInsecureLocalhost,
      timeoutMs: FETCH_TIMEOUT_MS,
      maxBytes: MAX_BODY_BYTES,
    },
    notFound: 'client_id_mismatch',
  });
}
