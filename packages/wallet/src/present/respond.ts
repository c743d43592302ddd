import { type ClaimPath, fail, isTesseraError, type JsonObject, type JsonValue, presentSdJwt, webCrypto } from '@tessera/shared';
import { CompactEncrypt, importJWK, type JWK } from 'jose';
import type { Wallet } from '../wallet/wallet.ts';
import type { ParsedRequest } from './check-request.ts';
import { type Consent, claimName, internalsOf } from './consent.ts';
import { checkVerifierUrl, type FetchFunction, fetchWithTimeout, readLimitedText } from './fetch-limits.ts';
import { heldCredentials, PRESENTED_INSTANCES_ID, presentedInstances } from './held-credentials.ts';

export interface RespondOptions {
  /**
   * What the holder added: `ref`s of optional claims from the consent, and query ids of optional
   * credential queries to answer. Nothing else is ever disclosed.
   */
  readonly optional?: readonly string[];
  /**
   * The credential instance per query id; default the consent's first candidate (a never-presented
   * one). Several ids answer a query with `multiple: true` (OpenID4VP 1.0 §6.1) with one
   * presentation each.
   */
  readonly credentials?: Readonly<Record<string, string | readonly string[]>>;
  /**
   * Another option of a required credential set (§6.2, §6.4.2): credential set index (in
   * `consent.credentialSets`) → option index. The option must be satisfiable; its queries are
   * answered instead of the default option's. Sets not named keep their `defaultOption`.
   */
  readonly choice?: Readonly<Record<number, number>>;
  /** Milliseconds since the epoch, for the history. Default `Date.now`. */
  readonly clock?: () => number;
}

/** The verifier's answer to the wallet's POST (OpenID4VP 1.0 §8.2). */
export interface VerifierAnswer {
  /** HTTP 200: the verifier took the response. */
  readonly accepted: boolean;
  readonly status: number;
  /** The JSON body (e.g. `redirect_uri`, or an OAuth error), `{}` when empty or not JSON. */
  readonly body: JsonObject;
}

/**
 * Answers a request the holder agreed to (OpenID4VP 1.0 §8): discloses the required claims plus
 * the optional ones the holder picked, never more, from the chosen (by default never-presented)
 * instances, with a KB-JWT whose `aud` is the client id and `nonce` the request's (§8.6, Appendix
 * B.3.6). A `jwt_vc_json` credential goes whole, in a VP JWT with that `aud` and `nonce` signed by
 * the holder's did:jwk (Appendix B.1.3.1); its consent candidate says so. Posts `direct_post` or `direct_post.jwt` (§8.2, §8.3). In the same commit it marks the
 * instances as presented and logs the verifier, purpose, claim NAMES and outcome to the history.
 * @example
 * const answer = await respond(wallet, consent, { optional: [consent.queries[0].candidates[0].optional[0].ref] });
 */
export async function respond(wallet: Wallet, consent: Consent, options: RespondOptions = {}): Promise<VerifierAnswer> {
  const { request, selections, transport } = internalsOf(consent);
  if (!consent.satisfiable) fail('dcql_unsatisfied', 'The wallet cannot answer every required credential query; decline instead');
  const picked = new Set(options.optional ?? []);
  const known = new Set<string>();
  const held = new Map((await heldCredentials(wallet)).map((credential) => [credential.id, credential]));
  const answered = answeredQueries(consent, picked, options.choice ?? {});
  const vpToken: Record<string, string[]> = {};
  const disclosed: JsonObject[] = [];
  const used: string[] = [];

  for (const query of consent.queries) {
    known.add(query.queryId);
    for (const candidate of query.candidates) for (const claim of candidate.optional) known.add(claim.ref);
    const chosen = options.credentials?.[query.queryId];
    if (!answered.has(query.queryId)) {
      if (chosen !== undefined && query.need !== 'optional') throw new TypeError(`Query ${query.queryId} is not answered`);
      continue;
    }
    const chosenIds = chosen === undefined ? undefined : typeof chosen === 'string' ? [chosen] : [...chosen];
    if (chosenIds !== undefined && (chosenIds.length === 0 || new Set(chosenIds).size !== chosenIds.length)) {
      throw new TypeError(`Choose one or more distinct credentials for query ${query.queryId}`);
    }
    // §6.1 `multiple`: several credentials for one query only when the verifier allows it.
    if (chosenIds !== undefined && chosenIds.length > 1 && !query.multiple) {
      throw new TypeError(`Query ${query.queryId} takes one credential`);
    }
    const candidates = (chosenIds ?? [query.candidates[0]?.credentialId]).map((id) =>
      query.candidates.find((candidate) => candidate.credentialId === id),
    );
    const presentations: string[] = [];
    for (const candidate of candidates) {
      if (candidate === undefined) throw new TypeError(`No usable credential for query ${query.queryId}`);
      const selection = selections.get(query.queryId)?.get(candidate.credentialId);
      const credential = held.get(candidate.credentialId);
      if (selection === undefined || credential === undefined) {
        fail('claim_not_found', 'A chosen credential is no longer in the wallet');
      }
      if (credential.format === 'jwt_vc_json') {
        // OpenID4VP 1.0 Appendix B.1.3.1: a VP JWT whose `nonce` is the request's and `aud` the
        // Client Identifier, signed by the holder's did:jwk (the credential's subject). Veramo is
        // loaded only now, so SD-JWT-only use never pays for it.
        const { createW3cPresentation } = await import('./w3c-presentation.ts');
        const holderKey = await wallet.keys.get(credential.keyId);
        if (holderKey === undefined) fail('claim_not_found', 'The holder key of a chosen credential is no longer in the wallet');
        presentations.push(
          await createW3cPresentation({
            credential: credential.jwt,
            holderDid: credential.holderDid,
            publicJwk: holderKey.publicJwk,
            signingKey: await wallet.keys.signingKey(credential.keyId),
            audience: request.clientId,
            nonce: request.nonce,
            now: Math.floor((options.clock ?? Date.now)() / 1000),
          }),
        );
        used.push(credential.id);
        // The history names everything that left: a W3C VC is shared whole.
        const shared = candidate.format === 'jwt_vc_json' ? candidate.sharedClaims : [];
        disclosed.push({
          queryId: query.queryId,
          format: 'jwt_vc_json',
          types: [...credential.types],
          claims: [...shared],
          wholeCredential: true,
        });
        continue;
      }
      const disclose: ClaimPath[] = [
        ...selection.required,
        ...selection.optional.filter((c) => picked.has(c.ref)).map((c) => c.path),
      ];
      const signingKey = await wallet.keys.signingKey(credential.keyId);
      presentations.push(
        await presentSdJwt(credential.sdJwt, {
          disclose,
          crypto: webCrypto,
          keyBinding: { signingKey, audience: request.clientId, nonce: request.nonce },
        }),
      );
      used.push(credential.id);
      disclosed.push({ queryId: query.queryId, format: 'dc+sd-jwt', vct: credential.vct, claims: disclose.map(claimName) });
    }
    vpToken[query.queryId] = presentations;
  }
  for (const ref of picked) if (!known.has(ref)) throw new TypeError(`The consent has no optional item ${ref}`);

  const parameters: JsonObject = { vp_token: vpToken, ...(request.state === undefined ? {} : { state: request.state }) };
  const form =
    request.responseMode === 'direct_post.jwt' ? { response: await encryptResponse(request, parameters) } : formOf(parameters);
  const { answer, failure } = await postSettled(request, form, transport);
  // The presentation may have reached the verifier even when its answer did not reach us, so the
  // instances count as presented either way.
  const previously = await presentedInstances(wallet);
  await wallet.commit({
    put: [{ kind: 'metadata', id: PRESENTED_INSTANCES_ID, value: { ids: [...new Set([...previously, ...used])] } }],
    history: [
      {
        event: 'credential_presented',
        ...(options.clock === undefined ? {} : { at: options.clock() }),
        details: { ...historyHeader(consent), disclosed, outcome: outcomeOf(answer, failure) },
      },
    ],
  });
  if (answer === undefined) throw failure;
  return answer;
}

export interface DeclineOptions {
  /** Milliseconds since the epoch, for the history. Default `Date.now`. */
  readonly clock?: () => number;
}

/**
 * The credential queries to answer (§6.4.2): in every required credential set the chosen option
 * (or its default, the first satisfiable one), and the queries of optional sets the holder picked
 * by id. A query the verifier named in no credential set is optional too (§6.2).
 */
function answeredQueries(consent: Consent, picked: ReadonlySet<string>, choice: Readonly<Record<number, number>>): Set<string> {
  const answered = new Set<string>();
  for (const key of Object.keys(choice)) {
    const set = consent.credentialSets[Number(key)];
    if (set === undefined || !set.required || String(Number(key)) !== key) {
      throw new TypeError(`Credential set ${key} is not a required credential set of the consent`);
    }
  }
  for (const [index, set] of consent.credentialSets.entries()) {
    if (!set.required) continue;
    const option = set.options[choice[index] ?? set.defaultOption ?? -1];
    if (option === undefined || !option.satisfiable)
      throw new TypeError(`Credential set ${index} has no such satisfiable option`);
    for (const id of option.queryIds) answered.add(id);
  }
  const pickable = new Set(consent.queries.filter((query) => query.need === 'optional').map((query) => query.queryId));
  for (const set of consent.credentialSets) {
    if (!set.required) for (const option of set.options) for (const id of option.queryIds) pickable.add(id);
  }
  for (const id of picked) if (pickable.has(id)) answered.add(id);
  return answered;
}

/**
 * Tells the verifier the holder said no: `error=access_denied` (OpenID4VP 1.0 §8.5, RFC 6749
 * §4.1.2.1) to the response URI, and logs the refusal in the history. Nothing is disclosed.
 * @example
 * await decline(wallet, consent);
 */
export async function decline(wallet: Wallet, consent: Consent, options: DeclineOptions = {}): Promise<VerifierAnswer> {
  const { request, transport } = internalsOf(consent);
  const form: Record<string, string> = { error: 'access_denied' };
  if (request.state !== undefined) form.state = request.state;
  const { answer, failure } = await postSettled(request, form, transport);
  await wallet.history.add({
    event: 'presentation_declined',
    ...(options.clock === undefined ? {} : { at: options.clock() }),
    details: { ...historyHeader(consent), outcome: outcomeOf(answer, failure) },
  });
  if (answer === undefined) throw failure;
  return answer;
}

function historyHeader(consent: Consent): JsonObject {
  const { verifier } = consent;
  return {
    verifier: {
      clientId: verifier.clientId,
      verified: verifier.verified,
      ...(verifier.verified ? { name: verifier.name } : { reason: verifier.reason }),
    },
    ...(consent.purpose === undefined ? {} : { purpose: consent.purpose.text }),
  };
}

function outcomeOf(answer: VerifierAnswer | undefined, failure: unknown): JsonObject {
  if (answer === undefined) return { result: 'not_delivered', code: isTesseraError(failure) ? failure.code : 'fetch_failed' };
  if (answer.accepted) return { result: 'accepted' };
  const code = answer.body.tessera_code ?? answer.body.error;
  return { result: 'rejected', status: answer.status, ...(typeof code === 'string' ? { code: code.slice(0, 64) } : {}) };
}

function formOf(parameters: JsonObject): Record<string, string> {
  return Object.fromEntries(
    Object.entries(parameters).map(([name, value]) => [name, typeof value === 'string' ? value : JSON.stringify(value)]),
  );
}

const SUPPORTED_ENC = ['A128GCM', 'A256GCM'] as const;

/**
 * §8.3: the response parameters as JWE, ECDH-ES to the verifier's key in `client_metadata.jwks`
 * (its `kid` copied), `enc` the first of `encrypted_response_enc_values_supported` the wallet
 * supports (default A128GCM, §5.1).
 */
async function encryptResponse(request: ParsedRequest, parameters: JsonObject): Promise<string> {
  const metadata = request.clientMetadata ?? {};
  const jwks = metadata.jwks as JsonValue;
  const keys = typeof jwks === 'object' && jwks !== null && !Array.isArray(jwks) && Array.isArray(jwks.keys) ? jwks.keys : [];
  const jwk = keys.find(
    (key): key is JsonObject =>
      typeof key === 'object' &&
      key !== null &&
      !Array.isArray(key) &&
      key.kty === 'EC' &&
      key.crv === 'P-256' &&
      (key.use === undefined || key.use === 'enc') &&
      (key.alg === undefined || key.alg === 'ECDH-ES') &&
      key.d === undefined,
  );
  if (jwk === undefined) fail('request_invalid', 'direct_post.jwt needs a P-256 ECDH-ES key in client_metadata.jwks');
  const offered = metadata.encrypted_response_enc_values_supported;
  const enc = Array.isArray(offered) ? SUPPORTED_ENC.find((value) => offered.includes(value)) : 'A128GCM';
  if (enc === undefined) fail('request_invalid', 'The verifier accepts no content encryption the wallet supports');
  let key: CryptoKey | Uint8Array;
  try {
    key = await importJWK({ kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y } as JWK, 'ECDH-ES');
  } catch (cause) {
    fail('request_invalid', 'The verifier encryption key is not a usable P-256 key', cause);
  }
  return new CompactEncrypt(new TextEncoder().encode(JSON.stringify(parameters)))
    .setProtectedHeader({ alg: 'ECDH-ES', enc, ...(typeof jwk.kid === 'string' ? { kid: jwk.kid } : {}) })
    .encrypt(key);
}

/**
 * Posts to the response URI and keeps the failure instead of throwing it, so the caller can log
 * the outcome in the history before it reports the failure.
 */
async function postSettled(
  request: ParsedRequest,
  form: Readonly<Record<string, string>>,
  transport: { readonly fetch: FetchFunction; readonly allowInsecureLocalhost: boolean },
): Promise<{ answer: VerifierAnswer | undefined; failure: unknown }> {
  try {
    return { answer: await post(request, form, transport), failure: undefined };
  } catch (failure) {
    return { answer: undefined, failure };
  }
}

async function post(
  request: ParsedRequest,
  form: Readonly<Record<string, string>>,
  transport: { readonly fetch: FetchFunction; readonly allowInsecureLocalhost: boolean },
): Promise<VerifierAnswer> {
  const url = checkVerifierUrl(request.responseUri, transport.allowInsecureLocalhost, 'response_uri');
  const response = await fetchWithTimeout(transport.fetch, url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  const text = await readLimitedText(response);
  let body: JsonObject = {};
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) body = parsed as JsonObject;
  } catch {
    // A non-JSON body carries nothing the wallet acts on.
  }
  return { accepted: response.status === 200, status: response.status, body };
}
