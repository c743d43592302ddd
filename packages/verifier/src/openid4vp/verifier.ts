import {
  type ClaimPath,
  checkDcqlResponse,
  type DcqlCredentialQuery,
  type DcqlPresentation,
  type DcqlResponseCheck,
  fail,
  isTesseraError,
  type JsonObject,
  type JsonValue,
  parseDcqlQuery,
  pathsOverlap,
  randomToken,
  selectWithPaths,
  signJwt,
} from '@tessera/shared';
import { createMemoryTransactionStore } from '../transactions/memory-transaction-store.ts';
import type { Transaction, TransactionError, TransactionOutcome } from '../transactions/transaction-store.ts';
import type { TrustedIssuer } from '../trust/trust-list.ts';
import { createPresentationVerifier, type PresentationVerifier } from '../verify-presentation.ts';
import type { VerifiedW3cCredential } from '../w3c/verify-credential.ts';
import { type AuthorizationResponse, readAuthorizationResponse } from './authorization-response.ts';
import { checkClientIdentity, clientIdFor, requestObjectHeader } from './client-identity.ts';
import { VerifierHttpError, walletError } from './http-error.ts';
import { createResponseKey, decryptResponse, publicResponseKey } from './response-encryption.ts';
import type {
  PresentationRequest,
  ResponseEncryptionEnc,
  StartedTransaction,
  TransactionView,
  VerifiedCredential,
  Verifier,
  VerifierConfig,
  WalletReply,
} from './types.ts';
import { walletLink } from './wallet-link.ts';

/** OpenID4VP 1.0 §5.8: the audience of a request object when the wallet's metadata is static. */
export const STATIC_WALLET_AUDIENCE = 'https://self-issued.me/v2';
/** Request objects and KB-JWTs are ES256 (HAIP). */
const SIGNING_ALGORITHMS = ['ES256'];
const DEFAULT_TTL_SECONDS = 300;
const MAX_TTL_SECONDS = 3600;
/** How often `wait` re-reads the store, for transactions that another replica completes. */
const WAIT_POLL_MS = 1000;
const MAX_WALLET_METADATA_LENGTH = 16 * 1024;
const DEFAULT_RETENTION_SECONDS = 900;
const MAX_RETENTION_SECONDS = 7 * 86_400;
const PURGE_INTERVAL_MS = 60_000;

/**
 * Creates an OpenID4VP 1.0 verifier (see `Verifier`). Cross-device flow: the desk starts a
 * transaction and shows its link as a QR code; the wallet fetches the signed request object at
 * `request_uri`, posts its response to `response_uri`, and the desk learns the outcome by polling
 * or from the event.
 * @example
 * const verifier = createVerifier({ baseUrl: 'https://desk.example.org/verify', client, presentations: { trust } });
 * const { id, link } = await verifier.start({ query, purpose: { en: 'To check your residence status' } });
 */
export function createVerifier(config: VerifierConfig): Verifier {
  const clock = config.clock ?? Date.now;
  const baseUrl = checkBaseUrl(config);
  checkClientIdentity(config.client);
  const ttlSeconds = config.transactionTtlSeconds ?? DEFAULT_TTL_SECONDS;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 10 || ttlSeconds > MAX_TTL_SECONDS) {
    throw new TypeError(`transactionTtlSeconds must be a whole number from 10 to ${MAX_TTL_SECONDS}`);
  }
  const retentionSeconds = config.resultRetentionSeconds ?? DEFAULT_RETENTION_SECONDS;
  if (!Number.isInteger(retentionSeconds) || retentionSeconds < 0 || retentionSeconds > MAX_RETENTION_SECONDS) {
    throw new TypeError(`resultRetentionSeconds must be a whole number from 0 to ${MAX_RETENTION_SECONDS}`);
  }
  let lastPurge = Number.NEGATIVE_INFINITY;
  const encryption: readonly ResponseEncryptionEnc[] = config.encryption ?? ['A128GCM', 'A256GCM'];
  if (encryption.length === 0 || encryption.some((enc) => enc !== 'A128GCM' && enc !== 'A256GCM')) {
    throw new TypeError('encryption must list A128GCM and/or A256GCM');
  }
  const defaultResponseMode = config.responseMode ?? 'direct_post.jwt';
  const defaultRequestUriMethod = config.requestUriMethod ?? 'post';
  const store = config.store ?? createMemoryTransactionStore({ clock });
  const presentations: PresentationVerifier =
    'verify' in config.presentations ? config.presentations : createPresentationVerifier({ clock, ...config.presentations });
  const listeners = new Set<(view: TransactionView) => void>();
  // Only what is signed into the request; `redirect_uri:` ids depend on the transaction.
  const fixedClientId = config.client.prefix === 'redirect_uri' ? undefined : clientIdFor(config.client, '');

  const requestUri = (state: string) => `${baseUrl}/request/${encodeURIComponent(state)}`;
  const responseUri = (state: string) => `${baseUrl}/response/${encodeURIComponent(state)}`;

  /** The Authorization Request parameters of a transaction (§5), as signed into its request object. */
  function requestParameters(transaction: Transaction): JsonObject {
    const formats: JsonObject = {
      // Appendix B.3.4: the algorithms this verifier accepts for the SD-JWT and its KB-JWT.
      'dc+sd-jwt': { 'sd-jwt_alg_values': SIGNING_ALGORITHMS, 'kb-jwt_alg_values': SIGNING_ALGORITHMS },
    };
    // Appendix B.1.2: for W3C VCs as JWTs, the algorithms of the VC and of the VP.
    if (asksForJwtVc(transaction.query)) formats.jwt_vc_json = { alg_values: SIGNING_ALGORITHMS };
    const clientMetadata: JsonObject = { vp_formats_supported: formats };
    if (transaction.responseMode === 'direct_post.jwt' && transaction.ephemeralKey !== undefined) {
      clientMetadata.jwks = { keys: [publicResponseKey(transaction.ephemeralKey)] };
      clientMetadata.encrypted_response_enc_values_supported = [...encryption];
    }
    const parameters: JsonObject = {
      client_id: transaction.clientId,
      response_type: 'vp_token',
      response_mode: transaction.responseMode,
      response_uri: responseUri(transaction.state),
      nonce: transaction.nonce,
      state: transaction.state,
      dcql_query: transaction.query,
      client_metadata: clientMetadata,
    };
    if (transaction.purpose !== undefined) {
      parameters.verifier_info = [{ format: 'tessera_purpose', data: { ...transaction.purpose } }];
    }
    return parameters;
  }

  /** The request object of a transaction (RFC 9101 §4), with the wallet's `wallet_nonce` when it sent one (§5.10). */
  function signRequest(transaction: Transaction, walletNonce?: string): Promise<string> {
    const payload: JsonObject = {
      ...requestParameters(transaction),
      ...(walletNonce === undefined ? {} : { wallet_nonce: walletNonce }),
      aud: STATIC_WALLET_AUDIENCE,
      iat: Math.floor(clock() / 1000),
      exp: Math.floor(transaction.expiresAt / 1000),
    };
    if (config.client.prefix === 'redirect_uri') throw new TypeError('A redirect_uri: client cannot sign');
    return signJwt(requestObjectHeader(config.client), payload, config.client.signingKey);
  }

  /**
   * The link a wallet opens: by reference, the signed request in the link (a transaction stored
   * without a `requestUriMethod`), or the whole unsigned request by value for `redirect_uri:`.
   */
  async function linkOf(transaction: Transaction): Promise<string> {
    const method = transaction.requestUriMethod;
    if (method !== undefined) {
      return walletLink({ clientId: transaction.clientId, requestUri: requestUri(transaction.state), requestUriMethod: method });
    }
    if (config.client.prefix === 'redirect_uri') return walletLink({ byValue: requestParameters(transaction) });
    return walletLink({ clientId: transaction.clientId, requestObject: await signRequest(transaction) });
  }

  /** What the desk sees of a transaction; a pending one carries its link, so any replica can draw the QR code. */
  function view(transaction: Transaction, link?: string): TransactionView {
    const base = {
      id: transaction.id,
      status: transaction.status,
      createdAt: transaction.createdAt,
      expiresAt: transaction.expiresAt,
    };
    if (transaction.status === 'pending') return link === undefined ? base : { ...base, link };
    if (transaction.status === 'responded') {
      return { ...base, credentials: (transaction.result as unknown as { credentials: VerifiedCredential[] }).credentials };
    }
    if (transaction.status === 'failed' && transaction.error !== undefined) return { ...base, error: transaction.error };
    return base;
  }

  async function viewWithLink(transaction: Transaction): Promise<TransactionView> {
    return view(transaction, transaction.status === 'pending' ? await linkOf(transaction) : undefined);
  }

  async function end(transaction: Transaction, outcome: TransactionOutcome): Promise<boolean> {
    const done = await store.complete(transaction.id, outcome);
    if (done) {
      // What the store now holds, without reading it back: the pending transaction with its outcome.
      const ended: Transaction = { ...transaction, ...outcome };
      for (const listener of listeners) safely(() => listener(view(ended)));
    }
    return done;
  }

  /** Verifies every presentation and the DCQL query; throws the first `TesseraError`. */
  async function verifyVpToken(transaction: Transaction, vpToken: Readonly<Record<string, readonly string[]>>) {
    // Stored as sent; parsed again so the check sees the same model `start` validated.
    const query = parseDcqlQuery(transaction.query);
    const byId = new Map(query.credentials.map((credentialQuery) => [credentialQuery.id, credentialQuery]));
    const expectations = { nonce: transaction.nonce, audience: transaction.clientId };
    const verifiedByQuery: Record<string, DcqlPresentation[]> = Object.create(null);
    // Each result is finished once the DCQL check says which claim set its presentation answered.
    const results: ((check: DcqlResponseCheck) => VerifiedCredential)[] = [];
    for (const [queryId, tokens] of Object.entries(vpToken)) {
      const credentialQuery = byId.get(queryId);
      // §8.1: the keys are the query's credential query ids; the id is the sender's text, so it
      // stays out of the message.
      if (credentialQuery === undefined) {
        fail('dcql_unsatisfied', 'The response answers a credential query id that the query does not contain');
      }
      const presented: DcqlPresentation[] = [];
      verifiedByQuery[queryId] = presented;
      for (const token of tokens) {
        if (credentialQuery.format === 'jwt_vc_json') {
          const credential = await verifyJwtVcToken(token, expectations);
          presented.push({
            format: 'jwt_vc_json',
            types: credential.types,
            claims: credential.credential,
            disclosed: [],
            holderBound: true,
          });
          const position = presented.length - 1;
          results.push((check) => jwtVcResult(credentialQuery, credential, claimSetOf(check, queryId, position)));
          continue;
        }
        // §8.6 / §14.1: KB-JWT `nonce` is this transaction's, `aud` is our client id.
        const verified = await presentations.verify(token, expectations);
        presented.push({
          format: 'dc+sd-jwt',
          vct: verified.vct,
          claims: verified.claims,
          disclosed: verified.disclosed,
          holderBound: true,
        });
        // The holder's key (`cnf`) has done its job; keeping it would only make the holder linkable.
        const { cnf: _holderKey, ...claims } = verified.claims;
        results.push(() => ({
          queryId,
          format: 'dc+sd-jwt',
          issuer: verified.issuer,
          trustedIssuer: verified.trustedIssuer,
          vct: verified.vct,
          claims,
          disclosed: verified.disclosed,
          status: verified.status,
        }));
      }
    }
    // §6.4 and §8.6: the verifier must not rely on the wallet to honour its query.
    const check = checkDcqlResponse(query, verifiedByQuery);
    // §6.4: a presentation may carry claims its own query did not ask for only when another
    // credential query of the request asked for them (the same credential selected twice).
    const askedAnywhere = query.credentials.flatMap((credentialQuery) => (credentialQuery.claims ?? []).map(({ path }) => path));
    for (const answered of check.queries) {
      for (const presentation of answered.presentations) {
        if (presentation.unrequested.some((path) => !askedAnywhere.some((asked) => pathsOverlap(asked, path)))) {
          // §6.4.1: wallets MUST NOT send unrequested selectively disclosable claims. Refusing keeps
          // them out of the result and out of storage.
          fail('unrequested_disclosure', `The wallet disclosed claims that query ${answered.queryId} did not ask for`);
        }
      }
    }
    return results.map((finish) => finish(check));
  }

  /**
   * Appendix B.1.3.1: a VP JWT with this transaction's `nonce` and our client id as `aud`, signed
   * by the holder, each credential about that holder, trusted, not revoked (fail closed). One
   * presentation answers with one credential, so `multiple` counts presentations as for SD-JWT.
   */
  async function verifyJwtVcToken(token: string, expectations: { nonce: string; audience: string }) {
    if (presentations.verifyJwtVc === undefined) {
      fail('dcql_unsatisfied', 'This verifier cannot verify jwt_vc_json presentations');
    }
    const verified = await presentations.verifyJwtVc(token, expectations);
    const [credential, ...more] = verified.credentials;
    if (credential === undefined || more.length > 0) {
      fail('dcql_unsatisfied', 'A jwt_vc_json presentation must carry exactly one credential');
    }
    return credential;
  }

  async function acceptResponse(transaction: Transaction, response: AuthorizationResponse): Promise<WalletReply> {
    // §5.3 / RFC 6749 §4.1.2: the response must carry back this transaction's `state`.
    if (response.state !== transaction.state) fail('state_mismatch', 'The response state is not the transaction state');
    if (response.kind === 'error') {
      const ended = await end(transaction, {
        status: 'failed',
        error: { code: response.error, message: `The wallet declined: ${response.error}` },
      });
      if (!ended) return closedReply();
      return { httpStatus: 200, body: {} };
    }
    const credentials = await verifyVpToken(transaction, response.vpToken);
    const ended = await end(transaction, { status: 'responded', result: { credentials } as unknown as JsonValue });
    return ended ? { httpStatus: 200, body: {} } : closedReply();
  }

  /** A response for a transaction that another response ended first (a replay, or a race). */
  function closedReply(): WalletReply {
    return walletError(400, 'invalid_request', 'transaction_closed', 'The transaction has already ended');
  }

  return {
    async start(request: PresentationRequest): Promise<StartedTransaction> {
      const query = parseDcqlQuery(request.query);
      const w3c = presentations.verifyJwtVc !== undefined;
      for (const credentialQuery of query.credentials) {
        if (credentialQuery.format === 'dc+sd-jwt' || (w3c && credentialQuery.format === 'jwt_vc_json')) continue;
        fail(
          'dcql_invalid',
          `This verifier accepts ${w3c ? 'dc+sd-jwt and jwt_vc_json' : 'dc+sd-jwt'} credentials only, not ${credentialQuery.format}`,
        );
      }
      const purpose = request.purpose === undefined ? undefined : checkPurpose(request.purpose);
      const responseMode = request.responseMode ?? defaultResponseMode;
      if (responseMode !== 'direct_post' && responseMode !== 'direct_post.jwt')
        throw new TypeError('responseMode is not supported');
      const method = request.requestUriMethod ?? defaultRequestUriMethod;
      if (method !== 'get' && method !== 'post') throw new TypeError('requestUriMethod must be get or post');
      const byValue = request.requestByValue ?? config.requestByValue ?? false;
      if (typeof byValue !== 'boolean') throw new TypeError('requestByValue must be true or false');
      // §5.2, §14.1: fresh, unguessable values (256 bits) for the desk handle, state and nonce.
      const id = randomToken();
      const state = randomToken();
      const nonce = randomToken();
      const now = clock();
      const ephemeralKey = responseMode === 'direct_post.jwt' ? (await createResponseKey(randomToken(16))).privateJwk : undefined;
      const clientId = fixedClientId !== undefined ? await fixedClientId : await clientIdFor(config.client, responseUri(state));
      const transaction = {
        id,
        state,
        nonce,
        query: request.query,
        clientId,
        responseMode,
        // No request URI to fetch when the request travels in the link: always for unsigned
        // `redirect_uri:` requests, and signed ones when asked to.
        ...(config.client.prefix !== 'redirect_uri' && !byValue ? { requestUriMethod: method } : {}),
        ...(ephemeralKey !== undefined ? { ephemeralKey } : {}),
        ...(purpose !== undefined ? { purpose } : {}),
        createdAt: now,
        expiresAt: now + ttlSeconds * 1000,
      };
      await store.create(transaction);
      // Data minimisation: outcomes older than the retention go, with the claims they hold.
      if (now - lastPurge >= PURGE_INTERVAL_MS) {
        lastPurge = now;
        await store.purge(now - retentionSeconds * 1000);
      }
      const link = await linkOf({ ...transaction, status: 'pending' });
      return { id, link, expiresAt: transaction.expiresAt };
    },

    async get(id) {
      const transaction = await store.get(id);
      return transaction === undefined ? undefined : viewWithLink(transaction);
    },

    async wait(id, timeoutMs) {
      const deadline = clock() + Math.max(0, Math.min(timeoutMs, 60_000));
      for (;;) {
        const transaction = await store.get(id);
        if (transaction === undefined) return undefined;
        const remaining = deadline - clock();
        if (transaction.status !== 'pending' || remaining <= 0) return viewWithLink(transaction);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, Math.min(remaining, WAIT_POLL_MS, Math.max(1, transaction.expiresAt - clock())));
          const unsubscribe = subscribe((ended) => {
            if (ended.id === id) done();
          });
          function done() {
            clearTimeout(timer);
            unsubscribe();
            resolve();
          }
        });
      }
    },

    onTransactionEnded: subscribe,

    async requestObject(state, post) {
      if (config.client.prefix === 'redirect_uri') {
        throw new VerifierHttpError(400, 'invalid_request', 'request_invalid', 'This verifier sends its requests by value');
      }
      const transaction = await openTransaction(state);
      if (transaction.requestUriMethod === undefined) {
        throw new VerifierHttpError(400, 'invalid_request', 'request_invalid', 'This transaction sends its request in the link');
      }
      if (post?.walletMetadata !== undefined) checkWalletMetadata(post.walletMetadata);
      const walletNonce = post?.walletNonce;
      // §5.10: echo the wallet's nonce in the signed request, so the wallet can detect a replayed request.
      if (walletNonce !== undefined && !/^[\x21-\x7E]{1,256}$/.test(walletNonce)) {
        throw new VerifierHttpError(400, 'invalid_request', 'request_invalid', 'wallet_nonce is not a valid value');
      }
      return signRequest(transaction, walletNonce);
    },

    async receiveResponse(state, form) {
      let transaction: Transaction;
      try {
        transaction = await openTransaction(state);
      } catch (error) {
        if (error instanceof VerifierHttpError) return error.reply();
        throw error;
      }
      try {
        return await acceptResponse(transaction, await readResponse(transaction, form));
      } catch (error) {
        if (!isTesseraError(error)) throw error;
        // A `state` that is not this transaction's is a response for another request: refuse it
        // and leave this transaction open for its own wallet.
        if (error.code === 'state_mismatch') return walletError(400, 'invalid_request', error.code, error.message);
        // §14.1: one response per transaction. A rejected one ends it too, with the reason for the desk.
        const reason: TransactionError = { code: error.code, message: error.message };
        if (!(await end(transaction, { status: 'failed', error: reason }))) return closedReply();
        return walletError(400, 'invalid_request', error.code, error.message);
      }
    },
  };

  function subscribe(listener: (view: TransactionView) => void): () => void {
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }

  /** The pending transaction a wallet names by `state`, or the HTTP error that says why there is none. */
  async function openTransaction(state: string): Promise<Transaction> {
    const transaction = await store.findByState(state);
    if (transaction === undefined) {
      throw new VerifierHttpError(400, 'invalid_request', 'transaction_unknown', 'No such transaction');
    }
    if (transaction.status === 'expired') {
      throw new VerifierHttpError(400, 'invalid_request', 'transaction_expired', 'The transaction has expired');
    }
    if (transaction.status !== 'pending') {
      throw new VerifierHttpError(400, 'invalid_request', 'transaction_closed', 'The transaction has already ended');
    }
    return transaction;
  }

  async function readResponse(transaction: Transaction, form: Readonly<Record<string, string>>): Promise<AuthorizationResponse> {
    // §8.3.1: a wallet that cannot encrypt may still send an error response in the clear.
    if (transaction.responseMode === 'direct_post' || form.error !== undefined) {
      if (form.response !== undefined) fail('response_malformed', 'An encrypted response was not asked for');
      return readAuthorizationResponse(form, 'form');
    }
    if (form.vp_token !== undefined) fail('response_malformed', 'This transaction accepts encrypted responses only');
    if (typeof form.response !== 'string') fail('response_malformed', 'The response parameter is missing');
    if (transaction.ephemeralKey === undefined) fail('response_undecryptable', 'The transaction has no response key');
    const payload = await decryptResponse(form.response, transaction.ephemeralKey, encryption);
    const response = readAuthorizationResponse(payload, 'encrypted');
    // Some wallets also send `state` beside the JWE; when both are there they must agree.
    if (form.state !== undefined && response.state !== undefined && form.state !== response.state) {
      fail('state_mismatch', 'The response state is not the transaction state');
    }
    return response.state === undefined && form.state !== undefined ? { ...response, state: form.state } : response;
  }
}

function asksForJwtVc(query: JsonObject): boolean {
  const credentials = query.credentials;
  return Array.isArray(credentials) && credentials.some((entry) => isObject(entry) && entry.format === 'jwt_vc_json');
}

/** The claim set a presentation answered (its first satisfied one), when the query has `claim_sets`. */
function claimSetOf(check: DcqlResponseCheck, queryId: string, position: number): number | undefined {
  return check.queries.find((answered) => answered.queryId === queryId)?.presentations[position]?.claimSetIndex;
}

/** Credential properties a W3C result keeps whatever was asked: who vouches, for what, and when. */
const W3C_RESULT_PROPERTIES = ['issuer', 'type', 'issuanceDate', 'expirationDate', 'validFrom', 'validUntil'];

/**
 * The desk's view of a verified W3C VC. It arrives whole (W3C VCs as JWTs are not selectively
 * disclosable), but data minimisation keeps only what the credential query asked for (the claim
 * set the presentation answered, §6.4.1) and the credential's issuer, type and dates; the rest,
 * the holder's DID among it, is not stored.
 */
function jwtVcResult(
  credentialQuery: DcqlCredentialQuery,
  verified: VerifiedW3cCredential,
  claimSetIndex: number | undefined,
): VerifiedCredential {
  const asked = credentialQuery.claims ?? [];
  const chosen = claimSetIndex === undefined ? undefined : new Set(credentialQuery.claim_sets?.[claimSetIndex] ?? []);
  const paths = asked.filter((claim) => chosen === undefined || (claim.id !== undefined && chosen.has(claim.id)));
  const claims: JsonObject = {};
  for (const name of W3C_RESULT_PROPERTIES) {
    const value = verified.credential[name];
    if (value !== undefined) claims[name] = value;
  }
  const disclosed: ClaimPath[] = [];
  for (const { path } of paths) {
    if (selectWithPaths(verified.credential, path).length === 0) continue;
    disclosed.push(path);
    copyClaim(claims, verified.credential, path);
  }
  const [type = 'VerifiableCredential'] = verified.types.filter((name) => name !== 'VerifiableCredential');
  return {
    queryId: credentialQuery.id,
    format: 'jwt_vc_json',
    issuer: verified.issuer,
    // The W3C verification refuses an issuer without a trust list entry; the trust list is always given.
    trustedIssuer: verified.trustedIssuer as TrustedIssuer,
    vct: type,
    types: verified.types,
    claims,
    disclosed,
    status: verified.status,
  };
}

/** Copies the value a path names into `target`, down to its first array step (arrays are kept whole). */
function copyClaim(target: JsonObject, source: JsonObject, path: ClaimPath): void {
  let from: JsonValue = source;
  let to: JsonObject = target;
  const names: string[] = [];
  for (const step of path) {
    if (typeof step !== 'string') break;
    names.push(step);
  }
  for (const [index, name] of names.entries()) {
    if (!isObject(from) || !Object.hasOwn(from, name)) return;
    const value = from[name] as JsonValue;
    if (index === names.length - 1) {
      define(to, name, value);
      return;
    }
    const existing = Object.hasOwn(to, name) ? to[name] : undefined;
    const next: JsonObject = isObject(existing) ? existing : {};
    define(to, name, next);
    to = next;
    from = value;
  }
}

/** An own property even for `__proto__`, so a hostile claim name cannot change a prototype. */
function define(target: JsonObject, name: string, value: JsonValue): void {
  Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkBaseUrl(config: VerifierConfig): string {
  let url: URL;
  try {
    url = new URL(config.baseUrl);
  } catch {
    throw new TypeError('baseUrl must be an absolute URL');
  }
  const insecureAllowed = config.allowInsecureBaseUrl === true || config.client.prefix === 'redirect_uri';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && insecureAllowed)) {
    throw new TypeError('baseUrl must be https: (http: only for development, with allowInsecureBaseUrl)');
  }
  if (url.search !== '' || url.hash !== '') throw new TypeError('baseUrl must not have a query or fragment');
  return url.href.replace(/\/+$/, '');
}

function checkPurpose(purpose: Readonly<Record<string, string>>): Record<string, string> {
  const entries = Object.entries(purpose);
  if (entries.length === 0 || entries.length > 64) throw new TypeError('purpose must have 1 to 64 languages');
  for (const [language, text] of entries) {
    if (!/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(language)) throw new TypeError('purpose keys must be BCP 47 language tags');
    if (typeof text !== 'string' || text.length === 0 || text.length > 500)
      throw new TypeError('purpose texts must be 1 to 500 characters');
  }
  return Object.fromEntries(entries);
}

function checkWalletMetadata(text: string): void {
  let metadata: unknown;
  try {
    metadata = text.length <= MAX_WALLET_METADATA_LENGTH ? JSON.parse(text) : undefined;
  } catch {
    metadata = undefined;
  }
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw new VerifierHttpError(400, 'invalid_request', 'request_invalid', 'wallet_metadata must be a JSON object');
  }
}

/** A listener's failure must not undo or hide a completed transaction. */
function safely(call: () => void): void {
  try {
    call();
  } catch {
    // Listeners are the application's; their errors are theirs to report.
  }
}
