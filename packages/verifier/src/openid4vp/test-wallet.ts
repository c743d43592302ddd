import { type ClaimPath, type JsonObject, presentSdJwt, type SigningKey, webCrypto } from '@tessera/shared';
import { base64url, CompactEncrypt, compactVerify, decodeProtectedHeader, importJWK, importX509, type JWK } from 'jose';
import { REQUEST_OBJECT_TYP, x509Hash } from './client-identity.ts';

/**
 * Test only: a minimal OpenID4VP 1.0 wallet built from @tessera/shared and jose, to drive the
 * verifier over real HTTP. It checks what a careful wallet checks of a request (typ, signature by
 * the client id's key, `client_id` and `wallet_nonce` echoed) and answers with real SD-JWT
 * presentations; its options let tests break one rule at a time.
 */

export interface OpenedRequest {
  readonly header: JsonObject;
  /** The verified request object's payload, or the by-value parameters for `redirect_uri:`. */
  readonly request: JsonObject;
}

export interface OpenOptions {
  /** Overrides the link's `request_uri_method`. */
  readonly method?: 'get' | 'post';
  readonly walletNonce?: string;
}

/** Reads a wallet link, fetches (or takes from the link) and verifies the request object, or reads an unsigned by-value request. */
export async function openRequest(link: string, options: OpenOptions = {}): Promise<OpenedRequest> {
  const url = new URL(link);
  if (url.protocol !== 'openid4vp:') throw new Error(`Not an openid4vp link: ${url.protocol}`);
  const parameters = Object.fromEntries(url.searchParams);
  const clientId = parameters.client_id;
  if (clientId === undefined) throw new Error('The link has no client_id');
  if (parameters.request_uri === undefined && parameters.request === undefined) {
    if (!clientId.startsWith('redirect_uri:')) throw new Error('Only redirect_uri: requests may travel unsigned');
    const request: JsonObject = {};
    for (const [name, value] of Object.entries(parameters)) {
      request[name] = name === 'dcql_query' || name === 'client_metadata' || name === 'verifier_info' ? JSON.parse(value) : value;
    }
    return { header: {}, request };
  }
  const jws = parameters.request ?? (await fetchRequestObject(parameters.request_uri as string, parameters, options));
  const header = decodeProtectedHeader(jws) as JsonObject;
  if (header.typ !== REQUEST_OBJECT_TYP) throw new Error('Wrong request object typ');
  const key = await requestSigningKey(clientId, header);
  const { payload } = await compactVerify(jws, key, { algorithms: ['ES256'] });
  const request = JSON.parse(new TextDecoder().decode(payload)) as JsonObject;
  // OpenID4VP 1.0 §5.10.1: the same client id, including its prefix, and our wallet_nonce echoed.
  if (request.client_id !== clientId) throw new Error('client_id differs between link and request object');
  if (options.walletNonce !== undefined && request.wallet_nonce !== options.walletNonce)
    throw new Error('wallet_nonce not echoed');
  return { header, request };
}

async function fetchRequestObject(requestUri: string, parameters: Record<string, string>, options: OpenOptions) {
  const method = options.method ?? parameters.request_uri_method ?? 'get';
  const response =
    method === 'post'
      ? await fetch(requestUri, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/oauth-authz-req+jwt' },
          body: new URLSearchParams({
            wallet_metadata: JSON.stringify({ vp_formats_supported: { 'dc+sd-jwt': { 'sd-jwt_alg_values': ['ES256'] } } }),
            ...(options.walletNonce !== undefined ? { wallet_nonce: options.walletNonce } : {}),
          }),
        })
      : await fetch(requestUri);
  if (response.status !== 200) throw new Error(`Request URI answered ${response.status}: ${await response.text()}`);
  if (response.headers.get('content-type') !== 'application/oauth-authz-req+jwt')
    throw new Error('Wrong request object media type');
  return response.text();
}

/** The key a request object must be signed with, from its client id (§5.9.3). */
async function requestSigningKey(clientId: string, header: JsonObject) {
  if (clientId.startsWith('x509_hash:')) {
    const x5c = header.x5c;
    if (!Array.isArray(x5c) || typeof x5c[0] !== 'string') throw new Error('x509_hash: request without x5c');
    if ((await x509Hash(x5c[0])) !== clientId.slice('x509_hash:'.length)) throw new Error('x509_hash does not match the leaf');
    return importX509(`-----BEGIN CERTIFICATE-----\n${x5c[0]}\n-----END CERTIFICATE-----`, 'ES256');
  }
  if (clientId.startsWith('decentralized_identifier:did:jwk:')) {
    const did = clientId.slice('decentralized_identifier:'.length);
    if (header.kid !== `${did}#0`) throw new Error('kid is not the did:jwk verification method');
    const jwk = JSON.parse(new TextDecoder().decode(base64url.decode(did.slice('did:jwk:'.length)))) as JWK;
    return importJWK(jwk, 'ES256');
  }
  throw new Error(`The test wallet cannot authenticate ${clientId}`);
}

export interface HeldCredential {
  readonly sdJwt: string;
  readonly holderKey: SigningKey;
}

/** A presentation of `credential` for `request`, disclosing `disclose`; `keyBinding` overrides break KB rules. */
export function present(
  request: JsonObject,
  credential: HeldCredential,
  disclose: readonly ClaimPath[],
  keyBinding: { audience?: string; nonce?: string; issuedAt?: number; signingKey?: SigningKey } = {},
): Promise<string> {
  return presentSdJwt(credential.sdJwt, {
    disclose,
    crypto: webCrypto,
    keyBinding: {
      signingKey: keyBinding.signingKey ?? credential.holderKey,
      audience: keyBinding.audience ?? String(request.client_id),
      nonce: keyBinding.nonce ?? String(request.nonce),
      ...(keyBinding.issuedAt !== undefined ? { issuedAt: keyBinding.issuedAt } : {}),
    },
  });
}

export interface RespondOptions {
  /** Default: as the request's `response_mode` asks. */
  readonly encrypt?: boolean;
  readonly enc?: 'A128GCM' | 'A256GCM';
  /** Default: the request's `state`. */
  readonly state?: string;
  /** Extra or replacement form fields, sent as they are. */
  readonly form?: Readonly<Record<string, string>>;
  /** Post here instead of the request's `response_uri`. */
  readonly responseUri?: string;
}

export interface WalletPostResult {
  readonly status: number;
  readonly body: JsonObject;
}

/** Posts an Authorization Response (`vp_token`, or `error` for a decline) to the request's response URI (§8.2, §8.3). */
export async function respond(
  request: JsonObject,
  answer: { readonly vpToken: Readonly<Record<string, readonly string[]>> } | { readonly error: string },
  options: RespondOptions = {},
): Promise<WalletPostResult> {
  const state = options.state ?? String(request.state);
  const parameters: JsonObject =
    'error' in answer ? { error: answer.error, state } : { vp_token: { ...answer.vpToken } as JsonObject, state };
  const encrypt = options.encrypt ?? (request.response_mode === 'direct_post.jwt' && !('error' in answer));
  let form: Record<string, string>;
  if (encrypt) {
    form = { response: await encryptResponse(request, parameters, options.enc) };
  } else {
    form = Object.fromEntries(
      Object.entries(parameters).map(([name, value]) => [name, typeof value === 'string' ? value : JSON.stringify(value)]),
    );
  }
  return post(options.responseUri ?? String(request.response_uri), { ...form, ...options.form });
}

/** §8.3: an unsigned JWT in a JWE, ECDH-ES to the request's key, `kid` copied from it. */
export async function encryptResponse(request: JsonObject, parameters: JsonObject, enc?: 'A128GCM' | 'A256GCM'): Promise<string> {
  const metadata = request.client_metadata as JsonObject;
  const jwk = ((metadata.jwks as JsonObject).keys as JsonObject[])[0] as JsonObject;
  const supported = (metadata.encrypted_response_enc_values_supported as string[] | undefined) ?? ['A128GCM'];
  const chosen = enc ?? supported[0] ?? 'A128GCM';
  const key = await importJWK(jwk as JWK, 'ECDH-ES');
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(parameters)))
    .setProtectedHeader({ alg: 'ECDH-ES', enc: chosen, kid: String(jwk.kid) })
    .encrypt(key);
}

/** A raw form POST, for tests that send what no honest wallet would. */
export async function post(url: string, form: Readonly<Record<string, string>>): Promise<WalletPostResult> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as JsonObject) };
}
