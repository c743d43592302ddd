import { type Clock, fail, type JsonObject, type JsonValue, signJwt } from '@tessera/shared';
import type { HolderKey } from '../keys/holder-keys.ts';
import type { Wallet } from '../wallet/wallet.ts';
import { newRecordId } from '../wallet/wallet-session.ts';
import { type CredentialOffer, PRE_AUTHORIZED_GRANT, readCredentialOffer } from './credential-offer.ts';
import { fetchIssuerMetadata, fetchTokenEndpoint, type IssuerMetadata } from './issuer-metadata.ts';
import { type ReceiveTrust, verifyReceivedSdJwtVc } from './verify-received.ts';
import { verifyReceivedJwtVc } from './verify-received-w3c.ts';
import { exchangeJson, isObject, type JsonAnswer, type WalletFetch, type WalletHttp } from './wallet-http.ts';

/** Options of `receiveCredential`. */
export interface ReceiveOptions {
  /** Which issuers to take credentials from. */
  trust: ReceiveTrust;
  /** The transaction code (PIN) staff gave with the offer, when the offer asks for one. */
  txCode?: string;
  /** Default: the global `fetch`. */
  fetch?: WalletFetch;
  /** Development only: allow plain http to localhost / 127.0.0.1 / [::1]. Default false. */
  allowInsecureLocalhost?: boolean;
  /** How many instances (one holder key each) to ask for; at most the issuer's `batch_size`. Default min(batch_size, 3). */
  instances?: number;
  /**
   * The offered configuration to request (`dc+sd-jwt` or `jwt_vc_json`). Default: the first
   * offered `dc+sd-jwt` one, else the first `jwt_vc_json` one.
   */
  configurationId?: string;
  /** Default `Date.now`. */
  clock?: Clock;
  /** Milliseconds per HTTP exchange. Default 10 000. */
  timeoutMs?: number;
}

/** What a receive stored. */
export type ReceivedCredentials = ReceivedCommon &
  (
    | { format: 'dc+sd-jwt'; vct: string }
    | {
        format: 'jwt_vc_json';
        /** The configuration's `credential_definition.type` (OpenID4VCI 1.0 Appendix A.1.1). */
        types: string[];
      }
  );

interface ReceivedCommon {
  /** Ids of the new 'credential' records, one per instance. */
  credentialIds: string[];
  configurationId: string;
  /** The credential's `iss`. */
  issuer: string;
  /** The Credential Issuer Identifier of the offer. */
  credentialIssuer: string;
  issuerTrusted: boolean;
}

/**
 * The value of a 'credential' record that `receiveCredential` stores, one type for every format,
 * told apart by `format`. Display data is kept as the issuer published it, in every language
 * (OpenID4VCI 1.0 §12.2.4 `display`, `credential_metadata`).
 */
export type ReceivedCredentialRecord = ReceivedSdJwtVcRecord | ReceivedJwtVcRecord;

/** A `dc+sd-jwt` credential (OpenID4VCI 1.0 Appendix A.3). */
export interface ReceivedSdJwtVcRecord extends ReceivedRecordCommon {
  format: 'dc+sd-jwt';
  /** The SD-JWT VC as issued (no KB-JWT). */
  sdJwt: string;
  vct: string;
}

/** A `jwt_vc_json` credential (OpenID4VCI 1.0 Appendix A.1.1): a W3C VC secured as a JWT. */
export interface ReceivedJwtVcRecord extends ReceivedRecordCommon {
  format: 'jwt_vc_json';
  /** The VC-JWT as issued. */
  jwt: string;
  /** The credential's `type` values, `VerifiableCredential` included. */
  types: string[];
  /** The holder's did:jwk, the credential's `sub` (`credentialSubject.id`): it signs presentations. */
  holderDid: string;
}

interface ReceivedRecordCommon extends JsonObject {
  /** The holder key bound in the credential (`cnf` of an SD-JWT VC, the did:jwk of a W3C VC). */
  keyId: string;
  configurationId: string;
  issuer: string;
  credentialIssuer: string;
  issuerTrusted: boolean;
  /** Milliseconds since the epoch. */
  receivedAt: number;
  expiresAt: number | null;
  /** Shared by the instances received together. */
  receiptId: string;
  display: { issuer: JsonObject[]; credential: JsonObject[]; claims: JsonObject[] };
}

/** One verified instance, in the form its record needs. */
type Receipt = { issuer: string; issuerTrusted: boolean; expiresAt?: number } & (
  | { format: 'dc+sd-jwt'; vct: string }
  | { format: 'jwt_vc_json'; types: string[]; holderDid: string }
);

const PROOF_TYP = 'openid4vci-proof+jwt';
const DEFAULT_INSTANCES = 3;
const MAX_BYTES = 1024 * 1024;

/**
 * Receives credentials from an OpenID4VCI 1.0 offer (pre-authorized code flow): reads the offer
 * (by value or by reference, §4.1), fetches issuer and authorization-server metadata (§12.2,
 * RFC 8414), redeems the code with the PIN (§6.1), gets a nonce (§7), signs one proof per fresh
 * holder key (§8.2, Appendix F.1), requests the batch (§8), verifies every credential, and stores
 * them with one history entry in one commit. Takes `dc+sd-jwt` (Appendix A.3) and `jwt_vc_json`
 * (Appendix A.1.1: a W3C VC bound to the did:jwk of the instance's key, which the issuer derives
 * from the proof's `jwk`). On any failure nothing is stored (the keys made for
 * it are deleted) and a `TesseraError` says why: `offer_invalid`, `tx_code_required`,
 * `tx_code_invalid` (the issuer's message says how many attempts are left), `issuance_refused`,
 * `issuer_metadata_invalid`, `untrusted_issuer`, `credential_type_not_allowed`,
 * `credential_rejected`, or `fetch_*`.
 * @example
 * const { credentialIds } = await receiveCredential(wallet, scannedLink, { txCode: '493817', trust });
 */
export async function receiveCredential(wallet: Wallet, offerUri: string, options: ReceiveOptions): Promise<ReceivedCredentials> {
  const { trust, txCode, clock = Date.now } = options;
  if (options.instances !== undefined && (!Number.isSafeInteger(options.instances) || options.instances < 1)) {
    throw new TypeError('instances must be a positive integer');
  }
  const http: WalletHttp = {
    fetch: options.fetch ?? ((url, init) => globalThis.fetch(url, init)),
    allowInsecureLocalhost: options.allowInsecureLocalhost === true,
    timeoutMs: options.timeoutMs ?? 10_000,
    maxBytes: MAX_BYTES,
  };

  if (wallet.locked) fail('wallet_locked', 'The wallet is locked; open it with its passphrase');
  const offer = await readCredentialOffer(offerUri, http);
  checkTxCode(offer, txCode);
  const metadata = await fetchIssuerMetadata(offer, http);
  const { configurationId, configuration, kind } = chooseConfiguration(offer, metadata, options.configurationId);
  const count = Math.min(options.instances ?? DEFAULT_INSTANCES, metadata.batchSize);
  const tokenEndpoint = await fetchTokenEndpoint(offer, metadata, http);

  // Keys first: a pre-authorized code redeems once, so nothing that can fail locally (a locked
  // wallet, a full store) may come after the token request.
  const keys = await wallet.keys.generateBatch(count);
  try {
    const accessToken = await redeemCode(tokenEndpoint, offer, txCode, http);
    const nonce = metadata.nonceEndpoint === undefined ? undefined : await fetchNonce(metadata.nonceEndpoint, http);
    const proofs = await Promise.all(keys.map((key) => proofJwt(wallet, key, offer.credentialIssuer, nonce, clock)));
    const credentials = await requestCredentials(metadata.credentialEndpoint, accessToken, configurationId, proofs, http);
    if (credentials.length !== keys.length) {
      fail('issuance_refused', `The issuer sent ${credentials.length} credentials for ${keys.length} proofs`);
    }
    const receipts: Receipt[] = [];
    for (const [index, credential] of credentials.entries()) {
      const holderKey = (keys[index] as HolderKey).publicJwk;
      const context = { trust, http, clock };
      if (kind.format === 'dc+sd-jwt') {
        const receipt = await verifyReceivedSdJwtVc(credential, { vct: kind.vct, holderKey }, context);
        receipts.push({ format: 'dc+sd-jwt', ...receipt });
      } else {
        const receipt = await verifyReceivedJwtVc(credential, { types: kind.types, holderKey }, context);
        receipts.push({ format: 'jwt_vc_json', ...receipt });
      }
    }
    const first = receipts[0] as Receipt;
    const receivedAt = clock();
    const receiptId = newRecordId();
    const display = {
      issuer: metadata.display,
      credential: displayList(configuration, 'display'),
      claims: displayList(configuration, 'claims'),
    };
    const records = credentials.map((issued, index) => {
      const receipt = receipts[index] as Receipt;
      const common = {
        keyId: (keys[index] as HolderKey).id,
        configurationId,
        issuer: receipt.issuer,
        credentialIssuer: offer.credentialIssuer,
        issuerTrusted: receipt.issuerTrusted,
        receivedAt,
        expiresAt: receipt.expiresAt ?? null,
        receiptId,
        display,
      };
      const value: ReceivedCredentialRecord =
        receipt.format === 'dc+sd-jwt'
          ? { format: 'dc+sd-jwt', sdJwt: issued, vct: receipt.vct, ...common }
          : { format: 'jwt_vc_json', jwt: issued, types: receipt.types, holderDid: receipt.holderDid, ...common };
      return { kind: 'credential' as const, id: newRecordId(), value };
    });
    const what = kind.format === 'dc+sd-jwt' ? { vct: kind.vct } : { types: kind.types };
    await wallet.commit({
      put: records,
      history: [
        {
          event: 'credential_received',
          at: receivedAt,
          details: {
            credentialIssuer: offer.credentialIssuer,
            issuer: first.issuer,
            issuerTrusted: first.issuerTrusted,
            format: kind.format,
            ...what,
            configurationId,
            credentialIds: records.map((record) => record.id),
          },
        },
      ],
    });
    return {
      credentialIds: records.map((record) => record.id),
      configurationId,
      issuer: first.issuer,
      credentialIssuer: offer.credentialIssuer,
      issuerTrusted: first.issuerTrusted,
      ...(kind.format === 'dc+sd-jwt' ? { format: kind.format, vct: kind.vct } : { format: kind.format, types: kind.types }),
    };
  } catch (error) {
    // Keys made for a failed receive bind nothing: drop them so nothing of it stays.
    // If even this fails (the wallet was locked meanwhile), the receive's own error matters more;
    // the orphan keys bind no credential.
    await wallet.commit({ deleteKeys: keys.map((key) => key.id) }).catch(() => undefined);
    throw error;
  }
}

/** Refuses before any request that could spend a PIN attempt. */
function checkTxCode(offer: CredentialOffer, txCode: string | undefined): void {
  if (offer.txCode === undefined) return;
  if (txCode === undefined || txCode === '') fail('tx_code_required', 'This offer needs the PIN the issuer gave you');
  const { length, inputMode } = offer.txCode;
  if (length !== undefined && txCode.length !== length) fail('tx_code_invalid', `The PIN must have ${length} characters`);
  if (inputMode === 'numeric' && !/^[0-9]+$/.test(txCode)) fail('tx_code_invalid', 'The PIN must be digits only');
}

/** What the wallet asks for: an SD-JWT VC of one `vct`, or a W3C VC of the configuration's types. */
type CredentialKind = { format: 'dc+sd-jwt'; vct: string } | { format: 'jwt_vc_json'; types: string[] };

const RECEIVABLE_FORMATS: readonly string[] = ['dc+sd-jwt', 'jwt_vc_json'];

function chooseConfiguration(
  offer: CredentialOffer,
  metadata: IssuerMetadata,
  wanted: string | undefined,
): { configurationId: string; configuration: JsonObject; kind: CredentialKind } {
  if (wanted !== undefined && !offer.configurationIds.includes(wanted)) {
    fail('offer_invalid', 'The offer does not include the requested credential configuration');
  }
  for (const id of offer.configurationIds) {
    if (!Object.hasOwn(metadata.configurations, id)) {
      fail('issuer_metadata_invalid', 'The issuer metadata lacks a configuration the offer names');
    }
  }
  const formatOf = (candidate: string): unknown => metadata.configurations[candidate]?.format;
  // SD-JWT VC first: its claims can be disclosed one by one, a W3C VC's only all together.
  const id =
    wanted === undefined
      ? (offer.configurationIds.find((candidate) => formatOf(candidate) === 'dc+sd-jwt') ??
        offer.configurationIds.find((candidate) => formatOf(candidate) === 'jwt_vc_json'))
      : RECEIVABLE_FORMATS.includes(String(formatOf(wanted)))
        ? wanted
        : undefined;
  if (id === undefined) {
    fail('offer_invalid', 'The wallet can receive dc+sd-jwt and jwt_vc_json credentials only, and none is offered');
  }
  const configuration = metadata.configurations[id] as JsonObject;
  const proofTypes = configuration.proof_types_supported;
  // §12.2.4: when proofs are asked for, the wallet's kind (jwt, ES256) must be among them.
  if (proofTypes !== undefined) {
    const jwt = isObject(proofTypes) ? proofTypes.jwt : undefined;
    const algs = isObject(jwt) ? jwt.proof_signing_alg_values_supported : undefined;
    if (!Array.isArray(algs) || !algs.includes('ES256')) {
      fail('offer_invalid', 'The issuer does not accept ES256 proof JWTs, the only kind the wallet signs');
    }
  }
  return { configurationId: id, configuration, kind: credentialKind(configuration) };
}

/**
 * `vct` of a `dc+sd-jwt` configuration (Appendix A.3.2), or `credential_definition.type` of a
 * `jwt_vc_json` one (Appendix A.1.1.2). A W3C credential names its holder by a DID: the wallet
 * uses did:jwk of the instance's key, so an issuer that lists binding methods must list did:jwk.
 */
function credentialKind(configuration: JsonObject): CredentialKind {
  if (configuration.format === 'dc+sd-jwt') {
    const vct = configuration.vct;
    if (typeof vct !== 'string' || vct.length === 0) fail('issuer_metadata_invalid', 'The configuration has no vct');
    return { format: 'dc+sd-jwt', vct };
  }
  const definition = configuration.credential_definition;
  const types = isObject(definition) ? definition.type : undefined;
  if (!Array.isArray(types) || types.length === 0 || !types.every((type) => typeof type === 'string' && type.length > 0)) {
    fail('issuer_metadata_invalid', 'The jwt_vc_json configuration has no credential_definition.type');
  }
  const methods = configuration.cryptographic_binding_methods_supported;
  if (methods !== undefined && !(Array.isArray(methods) && methods.includes('did:jwk'))) {
    fail('offer_invalid', 'The issuer cannot bind this credential to a did:jwk, the holder identifier the wallet uses');
  }
  return { format: 'jwt_vc_json', types: types as string[] };
}

/** §12.2.4 `credential_metadata.display` / `.claims` (pre-1.0 issuers put them at the top level). */
function displayList(configuration: JsonObject, member: 'display' | 'claims'): JsonObject[] {
  const holder = isObject(configuration.credential_metadata) ? configuration.credential_metadata : configuration;
  const list = holder[member];
  if (list === undefined) return [];
  if (!Array.isArray(list) || !list.every(isObject)) fail('issuer_metadata_invalid', `The configuration ${member} is malformed`);
  return list as JsonObject[];
}

/** §6.1 token request with the pre-authorized code and the PIN as `tx_code`. */
async function redeemCode(
  endpoint: string,
  offer: CredentialOffer,
  txCode: string | undefined,
  http: WalletHttp,
): Promise<string> {
  const form = new URLSearchParams({ grant_type: PRE_AUTHORIZED_GRANT, 'pre-authorized_code': offer.preAuthorizedCode });
  if (offer.txCode !== undefined && txCode !== undefined) form.set('tx_code', txCode);
  const answer = await exchangeJson(
    endpoint,
    { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: form },
    http,
  );
  if (answer.status !== 200) {
    const { error, description } = oauthError(answer);
    // §6.3 uses invalid_grant both for a wrong transaction code and for a dead code; only the
    // description tells them apart, so a PIN-protected offer's refusal that speaks of the code or
    // of attempts is reported as a wrong PIN (with the issuer's words: how many tries are left).
    if (error === 'invalid_grant' && offer.txCode !== undefined && /transaction code|tx_code|pin\b|attempt/i.test(description)) {
      fail('tx_code_invalid', `The issuer did not accept the PIN: ${description}`);
    }
    fail('issuance_refused', `The issuer refused the code (${error}${description === '' ? '' : `: ${description}`})`);
  }
  const body = answer.body;
  if (!isObject(body) || typeof body.access_token !== 'string' || body.access_token.length === 0) {
    fail('issuance_refused', 'The token response has no access_token');
  }
  if (typeof body.token_type !== 'string' || body.token_type.toLowerCase() !== 'bearer') {
    fail('issuance_refused', 'The wallet supports Bearer access tokens only');
  }
  return body.access_token;
}

/** §7.2: a fresh `c_nonce` for the proofs. */
async function fetchNonce(endpoint: string, http: WalletHttp): Promise<string> {
  const answer = await exchangeJson(endpoint, { method: 'POST', headers: { accept: 'application/json' } }, http);
  const nonce = isObject(answer.body) ? answer.body.c_nonce : undefined;
  if (answer.status !== 200 || typeof nonce !== 'string' || nonce.length === 0 || nonce.length > 1024) {
    fail('issuance_refused', 'The nonce endpoint gave no c_nonce');
  }
  return nonce;
}

/** Appendix F.1: a key proof with the public key in `jwk`, `aud` the issuer, the `c_nonce`; no `iss` (anonymous pre-authorized flow). */
async function proofJwt(
  wallet: Wallet,
  key: HolderKey,
  audience: string,
  nonce: string | undefined,
  clock: Clock,
): Promise<string> {
  const payload: JsonObject = { aud: audience, iat: Math.floor(clock() / 1000) };
  if (nonce !== undefined) payload.nonce = nonce;
  return signJwt({ typ: PROOF_TYP, jwk: key.publicJwk as JsonObject }, payload, await wallet.keys.signingKey(key.id));
}

/** §8.2 request and §8.3 immediate response `{ credentials: [{ credential }] }`. */
async function requestCredentials(
  endpoint: string,
  accessToken: string,
  configurationId: string,
  proofs: string[],
  http: WalletHttp,
): Promise<string[]> {
  const answer = await exchangeJson(
    endpoint,
    {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ credential_configuration_id: configurationId, proofs: { jwt: proofs } }),
    },
    http,
  );
  if (answer.status !== 200) {
    const { error, description } = oauthError(answer);
    fail(
      'issuance_refused',
      `The issuer refused the credential request (${error}${description === '' ? '' : `: ${description}`})`,
    );
  }
  const body = answer.body;
  if (isObject(body) && body.transaction_id !== undefined) {
    fail('issuance_refused', 'The issuer deferred issuance, which this wallet does not support yet');
  }
  const list: JsonValue | undefined = isObject(body) ? body.credentials : undefined;
  if (!Array.isArray(list) || list.length === 0) fail('issuance_refused', 'The credential response has no credentials');
  return list.map((entry) => {
    const credential = isObject(entry) ? entry.credential : undefined;
    if (typeof credential !== 'string' || credential.length === 0) {
      fail('credential_rejected', 'The credential response holds something that is not a credential in compact form');
    }
    return credential;
  });
}

/** An OAuth error body (RFC 6749 §5.2) reduced to printable, bounded text for messages. */
function oauthError(answer: JsonAnswer): { error: string; description: string } {
  const clean = (value: unknown, max: number): string =>
    typeof value === 'string' ? value.replace(/[\p{Cc}\p{Cf}]/gu, ' ').slice(0, max) : '';
  const body = isObject(answer.body) ? answer.body : {};
  return { error: clean(body.error, 64) || `HTTP ${answer.status}`, description: clean(body.error_description, 200) };
}
