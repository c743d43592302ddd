import type { ClaimPath, Clock, JsonObject, SigningKey } from '@tessera/shared';
import type { ResponseMode, TransactionError, TransactionStatus, TransactionStore } from '../transactions/transaction-store.ts';
import type { TrustedIssuer } from '../trust/trust-list.ts';
import type { PresentationStatus, PresentationVerifier, PresentationVerifierConfig } from '../verify-presentation.ts';

/**
 * How the verifier identifies itself to wallets (OpenID4VP 1.0 §5.9.3, Client Identifier Prefixes).
 * - `x509_hash`: the request object is signed with the key of the leaf certificate, sent in `x5c`;
 *   the client id is `x509_hash:` + base64url(SHA-256(DER of the leaf)). HAIP's choice.
 * - `decentralized_identifier`: signed with a key of the verifier's DID; `kid` is the DID URL of
 *   that verification method (`did:web` in deployment, `did:jwk` for local use).
 * - `redirect_uri`: unsigned, the request travels by value in the link; the client id is
 *   `redirect_uri:` + the response URI. Wallets cannot authenticate such a verifier, so it exists
 *   for development only and must be switched on explicitly.
 */
export type ClientIdentity =
  | {
      readonly prefix: 'x509_hash';
      /** The `x5c` chain, leaf first: standard base64 of each DER certificate (RFC 7515 §4.1.6). */
      readonly certificateChain: readonly string[];
      /** Signs with the leaf certificate's key; ES256 (HAIP). */
      readonly signingKey: SigningKey;
    }
  | {
      readonly prefix: 'decentralized_identifier';
      readonly did: string;
      /** Signs with the key of a verification method of `did`; its `kid` must be that method's DID URL. */
      readonly signingKey: SigningKey & { readonly kid: string };
    }
  | { readonly prefix: 'redirect_uri'; readonly development: true };

export type RequestUriMethod = 'get' | 'post';
export type ResponseEncryptionEnc = 'A128GCM' | 'A256GCM';

export interface VerifierConfig {
  /**
   * The public URL the verifier's router is mounted at, e.g. `https://desk.example.org/verify`.
   * `request_uri` and `response_uri` are built under it. `https:` only, unless the development
   * identity (`redirect_uri`) or `allowInsecureBaseUrl` is used.
   */
  readonly baseUrl: string;
  readonly client: ClientIdentity;
  /** Verifies each presentation: a ready verifier, or the configuration for one (trust list, status policy…). */
  readonly presentations: PresentationVerifier | PresentationVerifierConfig;
  /** Where transactions live. Default: in memory (one process). */
  readonly store?: TransactionStore;
  /** Default `direct_post.jwt` (encrypted, as HAIP requires). */
  readonly responseMode?: ResponseMode;
  /** Default `post`: the wallet may send its metadata and a `wallet_nonce` (OpenID4VP 1.0 §5.10). */
  readonly requestUriMethod?: RequestUriMethod;
  /**
   * Default false: the link carries a `request_uri` the wallet fetches the signed request from.
   * True: the signed request object travels in the link itself (`request`, OpenID4VP 1.0 §5 with
   * RFC 9101 §5.1), so a wallet with no connection can still show its consent screen and needs
   * the network only to send its answer. The price: a larger QR code (the request with its
   * certificate, about 2–3 KB) and no `wallet_nonce`. Not for `redirect_uri:` clients, whose
   * unsigned requests travel by value anyway.
   */
  readonly requestByValue?: boolean;
  /** Content encryption the verifier accepts for `direct_post.jwt`. Default both, A128GCM first. */
  readonly encryption?: readonly ResponseEncryptionEnc[];
  /** How long a transaction waits for the wallet. Default 300 s, at most one hour. */
  readonly transactionTtlSeconds?: number;
  /**
   * How long an ended transaction's outcome (and the disclosed claims in it) is kept after the
   * transaction's expiry, for the desk to read. Default 900 s. Data minimisation: older ones are
   * purged from the store as new transactions start (at most once a minute).
   */
  readonly resultRetentionSeconds?: number;
  /** For local development over `http://`. */
  readonly allowInsecureBaseUrl?: boolean;
  readonly clock?: Clock;
}

/** What the desk asks for. */
export interface PresentationRequest {
  /** The DCQL query (OpenID4VP 1.0 §6): credential queries, claims with paths and `values`, `claim_sets`, `credential_sets`. */
  readonly query: JsonObject;
  /**
   * Why the verifier asks, by BCP 47 language tag, shown by the wallet on its consent screen.
   * OpenID4VP 1.0 has no purpose parameter; it travels as a `verifier_info` entry of format
   * `tessera_purpose` (§5.1: attestations that "enrich the End-User consent dialog"; wallets
   * ignore formats they do not know).
   */
  readonly purpose?: Readonly<Record<string, string>>;
  readonly responseMode?: ResponseMode;
  readonly requestUriMethod?: RequestUriMethod;
  /** Overrides `VerifierConfig.requestByValue` for this transaction. */
  readonly requestByValue?: boolean;
}

/** A new transaction, for the desk. */
export interface StartedTransaction {
  /** The desk's handle for polling. Secret: the wallet never sees it (OpenID4VP 1.0 §13.3 reference design). */
  readonly id: string;
  /**
   * What the wallet opens: `openid4vp://?client_id=…&request_uri=…`, or `…&request=<signed request>`
   * with `requestByValue`, or the whole unsigned request by value for `redirect_uri:`.
   */
  readonly link: string;
  /** Milliseconds since the epoch. */
  readonly expiresAt: number;
}

/** One verified credential in a response. */
export interface VerifiedCredential {
  /** The DCQL credential query it answers. */
  readonly queryId: string;
  /** Absent in results stored before W3C support: `dc+sd-jwt`. */
  readonly format?: 'dc+sd-jwt' | 'jwt_vc_json';
  readonly issuer: string;
  /** The trust list's entry: display names by language. */
  readonly trustedIssuer: TrustedIssuer;
  /** The SD-JWT VC `vct`; for `jwt_vc_json`, the credential's first type other than `VerifiableCredential`. */
  readonly vct: string;
  /** `jwt_vc_json` only: every `type` of the credential. */
  readonly types?: readonly string[];
  /**
   * Only what the holder disclosed, plus the claims the issuer left in the clear. A W3C VC comes
   * whole, but the result keeps only the claims the query asked for and the credential's
   * `issuer`, `type` and dates: the rest (the holder's DID included) is dropped on arrival.
   */
  readonly claims: JsonObject;
  /** For `jwt_vc_json`: the asked claims paths that the credential holds. */
  readonly disclosed: readonly ClaimPath[];
  readonly status: PresentationStatus;
}

/** What the desk sees of a transaction. */
export interface TransactionView {
  readonly id: string;
  readonly status: TransactionStatus;
  readonly createdAt: number;
  readonly expiresAt: number;
  /** While `status` is `pending`: the link the wallet opens, to show again (as a QR code) on any replica. */
  readonly link?: string;
  /** When `status` is `responded`. */
  readonly credentials?: readonly VerifiedCredential[];
  /** When `status` is `failed`: a stable code and a message without claim values. */
  readonly error?: TransactionError;
}

/** What the response endpoint answers the wallet (OpenID4VP 1.0 §8.2). */
export interface WalletReply {
  readonly httpStatus: number;
  readonly body: JsonObject;
}

/**
 * An OpenID4VP 1.0 verifier: starts transactions for the desk, serves their request objects to
 * wallets, receives and verifies the wallets' responses, and reports the outcome by polling and
 * as an event. HTTP-agnostic: `createVerifierRouter` in `@tessera/verifier/node` puts it on express.
 */
export interface Verifier {
  /** Starts a transaction: fresh `id`, `state`, `nonce` (and response key for `direct_post.jwt`). */
  start(request: PresentationRequest): Promise<StartedTransaction>;
  /** The desk's view of a transaction, or undefined when unknown. */
  get(id: string): Promise<TransactionView | undefined>;
  /**
   * Like `get`, but while the transaction is pending waits up to `timeoutMs` for it to end (an
   * event in this process, or a re-read of the store shared by replicas). For long polling.
   */
  wait(id: string, timeoutMs: number): Promise<TransactionView | undefined>;
  /** Called whenever a transaction ends (responded or failed) in this process; returns an unsubscribe function. */
  onTransactionEnded(listener: (view: TransactionView) => void): () => void;
  /**
   * The signed request object (`typ: oauth-authz-req+jwt`) for the transaction whose `state` is in
   * the request URI. `post` carries what the wallet sent (OpenID4VP 1.0 §5.10). Throws a
   * `VerifierHttpError` (unknown or ended transaction, bad parameters).
   */
  requestObject(state: string, post?: { readonly walletNonce?: string; readonly walletMetadata?: string }): Promise<string>;
  /**
   * Handles the wallet's POST to the response URI: form fields `vp_token` and `state`
   * (`direct_post`), `response` (`direct_post.jwt`), or `error` (the wallet declined). Never throws:
   * returns the HTTP status and JSON body for the wallet (OAuth error JSON when rejected).
   */
  receiveResponse(state: string, form: Readonly<Record<string, string>>): Promise<WalletReply>;
}
