import type { JsonObject } from '@tessera/shared';

/**
 * Everything the issuer service keeps: credential offers and their pre-authorized codes, access
 * tokens, `c_nonce`s, Token Status Lists, issuance records, the staff audit log and API keys.
 * One implementation, `createSqlIssuerStore` (PGlite embedded or a PostgreSQL server shared by
 * replicas); the contract every backend meets is `issuer-store.contract.ts`.
 *
 * **Tenants.** Every method but `purgeExpired` takes the tenant first, and every query filters
 * by it: a row of tenant A is invisible to, and cannot be redeemed, consumed, revoked or changed
 * through, tenant B, even when B presents A's secret or id.
 *
 * **Secrets.** Callers pass raw secrets (pre-authorized codes, `tx_code` PINs, access tokens,
 * nonces, API keys) and the store hashes them before they reach the database; it never stores,
 * returns or logs them. Lookups take the raw secret the client presented.
 *
 * **Time.** The store reads "now" from its injected clock (ms since the epoch); an entity is
 * expired from its `expiresAt` instant on.
 *
 * **Errors.** Malformed arguments from our own code (a bad id, non-JSON claims, a negative
 * count) throw a `TypeError` before anything is written. Values a client sends (codes, PINs,
 * tokens, nonces, API keys, page cursors) never throw a TypeError for their content: an unknown
 * or malformed one is simply not found (a cursor: `page_cursor_invalid`). A stored row that does
 * not read back (hand-edited, or written by an incompatible version) is treated as absent.
 */
export interface IssuerStore {
  // ── Offers (OpenID4VCI 1.0 §4.1, pre-authorized code flow §3.5) ──────────────────────────
  /** Stores a pending offer; TypeError when its id or pre-authorized code is taken in the tenant. */
  createOffer(tenantId: string, offer: NewOffer): Promise<void>;
  /** The offer (without claim values), for `credential_offer_uri` and the staff page. */
  getOffer(tenantId: string, offerId: string): Promise<Offer | undefined>;
  /** The offer whose pre-authorized code is `code`, e.g. to serve it by reference to whoever holds the code. */
  findOfferByCode(tenantId: string, code: string): Promise<Offer | undefined>;
  /**
   * The token endpoint (§6): exchanges a pending, unexpired pre-authorized code (and its PIN)
   * for `accessToken`, atomically and at most once across concurrent callers and replicas. A
   * wrong PIN counts an attempt; the attempt that reaches the offer's limit burns the code, which
   * from then on answers `invalid_grant` even to the right PIN.
   */
  redeemPreAuthorizedCode(tenantId: string, redemption: Redemption): Promise<RedemptionResult>;
  /** The unexpired access token's binding to its offer, or undefined. */
  findAccessToken(tenantId: string, accessToken: string): Promise<AccessToken | undefined>;
  /**
   * The claim values of a redeemed offer whose credentials are not issued yet, for the credential
   * endpoint; undefined otherwise (pending, issued, burned, expired or unknown). A copy.
   */
  getOfferClaims(tenantId: string, offerId: string): Promise<JsonObject | undefined>;
  /**
   * Ends the offer's life after its credentials were signed: in one transaction, marks the
   * redeemed offer issued, deletes its claim values and writes one record per credential. True
   * for the one caller that did it; false (nothing written) when the offer is not redeemed and
   * awaiting issuance — e.g. a concurrent request for the same offer won. Each record's status
   * index must have been allocated (`allocateStatusIndices`) and not recorded before, and its
   * configuration must be one of the offer's (TypeError otherwise, nothing written).
   */
  completeIssuance(tenantId: string, offerId: string, records: readonly NewIssuanceRecord[]): Promise<boolean>;

  // ── Nonces (OpenID4VCI 1.0 §7, `c_nonce`) ──────────────────────────────────────────────────
  /** Stores a fresh nonce that `consumeNonce` accepts once until `expiresAt`. */
  createNonce(tenantId: string, nonce: string, expiresAt: number): Promise<void>;
  /** True exactly once, across concurrent callers and replicas, for a stored unexpired nonce; false otherwise. */
  consumeNonce(tenantId: string, nonce: string): Promise<boolean>;

  // ── Token Status Lists (draft-ietf-oauth-status-list) ──────────────────────────────────────
  /**
   * Creates the list unless the tenant has one with this id, and returns the list as stored:
   * replicas starting together may race here, the first one wins and the others get its list.
   */
  ensureStatusList(tenantId: string, list: NewStatusList): Promise<StatusListInfo>;
  getStatusList(tenantId: string, listId: string): Promise<StatusListInfo | undefined>;
  listStatusLists(tenantId: string): Promise<StatusListInfo[]>;
  /**
   * Reserves `count` distinct indices of the list chosen uniformly at random among those never
   * allocated (so a credential's index says nothing about when it was issued, §12.1 of the
   * draft), durably and exactly once across replicas. All or nothing: throws `status_list_full`
   * when fewer than `count` are left. An index allocated for a credential that is then never
   * issued stays allocated (wasted), never handed out again.
   */
  allocateStatusIndices(tenantId: string, listId: string, count: number): Promise<number[]>;
  /**
   * Sets the status of an allocated index (0 valid, 1 invalid, 2 suspended, …, below 2^bits);
   * false when the index is not allocated in this tenant's list. Bumps the list's version.
   * Whether a change is allowed (INVALID is permanent, §7.1) is the caller's policy.
   */
  setStatus(tenantId: string, listId: string, index: number, status: number, options?: SetStatusOptions): Promise<boolean>;
  /** The list's non-zero entries (to encode the list) with the version they belong to, read as one snapshot. */
  readStatuses(tenantId: string, listId: string): Promise<StatusSnapshot | undefined>;

  // ── Issuance records ──────────────────────────────────────────────────────────────────────
  getIssuance(tenantId: string, recordId: string): Promise<IssuanceRecord | undefined>;
  /**
   * The records `completeIssuance` wrote for the offer, by id: the instances of one credential
   * (OpenID4VCI 1.0 §8 batch issuance gives each its own holder key and status index), which
   * staff revoke, suspend and reinstate together. Empty for an offer that is unknown, of another
   * tenant, or not issued.
   */
  listIssuancesOfOffer(tenantId: string, offerId: string): Promise<IssuanceRecord[]>;
  /** The tenant's issuance records, newest first. */
  listIssuances(tenantId: string, page?: PageRequest): Promise<Page<IssuanceRecord>>;
  /**
   * The tenant's issued credentials, newest first: one item per issued offer with all its records
   * (as `listIssuancesOfOffer`), so the instances of a batch are never split across pages. `limit`
   * counts credentials; a credential whose every record is damaged is left out.
   */
  listIssuedCredentials(tenantId: string, page?: PageRequest): Promise<Page<IssuedCredential>>;

  // ── Audit log ─────────────────────────────────────────────────────────────────────────────
  /**
   * Appends what a staff member did. Callers must never put claim values (or secrets) in any
   * field: the log is kept for good and is read by every staff member of the tenant.
   */
  appendAudit(tenantId: string, entry: NewAuditEntry): Promise<AuditEntry>;
  /** The tenant's audit entries, newest first. */
  listAudit(tenantId: string, page?: PageRequest): Promise<Page<AuditEntry>>;

  // ── Staff API keys ────────────────────────────────────────────────────────────────────────
  /** Stores a key for the tenant; TypeError when the id or the secret is already in use. */
  createApiKey(tenantId: string, key: NewApiKey): Promise<ApiKey>;
  /**
   * The tenant's unrevoked key whose secret is `secret`, or undefined — including when the
   * secret belongs to another tenant's key.
   */
  findApiKey(tenantId: string, secret: string): Promise<ApiKey | undefined>;
  listApiKeys(tenantId: string): Promise<ApiKey[]>;
  /** Revokes the key from now on; false when the tenant has no such unrevoked key. */
  revokeApiKey(tenantId: string, keyId: string): Promise<boolean>;

  // ── Maintenance ───────────────────────────────────────────────────────────────────────────
  /**
   * For every tenant (a housekeeping job, not a tenant request): deletes the claim values of
   * offers whose time ran out (pending past `expiresAt`, redeemed past their access token's
   * expiry) and marks them expired, and deletes expired nonces and access tokens.
   */
  purgeExpired(now?: number): Promise<PurgeReport>;
}

/** `expired`: a pending offer past `expiresAt`, or a redeemed one whose access token expired before issuance. */
export type OfferState = 'pending' | 'redeemed' | 'issued' | 'burned' | 'expired';

/** How the wallet is told to ask for the PIN (OpenID4VCI 1.0 §4.1.1 `tx_code`). */
export interface TxCodeDescription {
  readonly inputMode: 'numeric' | 'text';
  readonly length: number;
  readonly description?: string;
}

export interface NewOffer {
  /** URL-safe, unguessable when it appears in a `credential_offer_uri`. */
  readonly id: string;
  /** `credential_configuration_ids` of the offer, at least one. */
  readonly configurationIds: readonly string[];
  /**
   * The claim values to issue, kept only until the credentials are issued or the offer expires.
   * Any JSON object the caller's credential types understand (e.g. keyed by configuration id).
   */
  readonly claims: JsonObject;
  /** The raw pre-authorized code (at least 16 characters, ≥ 128 bits of randomness). */
  readonly preAuthorizedCode: string;
  /** The PIN the migrant receives out of band; `inputMode` defaults to numeric when the PIN is all digits. */
  readonly txCode?: { readonly pin: string; readonly inputMode?: 'numeric' | 'text'; readonly description?: string };
  /** Wrong PINs accepted before the code is burned. Default 5, at most 20. */
  readonly txCodeMaxAttempts?: number;
  /** The staff member (or API key) who made the offer; recorded as the issuer of its credentials. */
  readonly createdBy: string;
  /** Milliseconds since the epoch: the pre-authorized code cannot be redeemed from then on. */
  readonly expiresAt: number;
}

export interface Offer {
  readonly id: string;
  readonly configurationIds: readonly string[];
  /** The effective state at the store's clock. */
  readonly state: OfferState;
  readonly txCode?: TxCodeDescription;
  /** Wrong PINs still allowed; absent when the offer has no PIN. */
  readonly txCodeAttemptsLeft?: number;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly redeemedAt?: number;
  readonly issuedAt?: number;
}

export interface Redemption {
  /** `pre-authorized_code` as the wallet sent it. */
  readonly code: string;
  /** `tx_code` as the wallet sent it, if it sent one. */
  readonly txCode?: string;
  /** The fresh access token to bind to the offer on success (at least 16 characters). */
  readonly accessToken: string;
  /** When the access token expires; the offer's claim values stay available until then. */
  readonly accessTokenExpiresAt: number;
}

/**
 * What the token endpoint answers (OpenID4VCI 1.0 §6.3): `invalid_grant` for an unknown,
 * expired, used or burned code and for a wrong PIN (`invalid_tx_code`, which also tells how many
 * attempts are left); `invalid_request` when a PIN is missing though expected
 * (`tx_code_missing`) or sent though not expected (`tx_code_unexpected`) — neither counts as an
 * attempt nor changes the offer.
 */
export type RedemptionResult =
  | {
      readonly outcome: 'redeemed';
      readonly offerId: string;
      readonly configurationIds: readonly string[];
      readonly accessTokenExpiresAt: number;
    }
  | { readonly outcome: 'invalid_grant' }
  | { readonly outcome: 'invalid_tx_code'; readonly attemptsLeft: number }
  | { readonly outcome: 'tx_code_missing' }
  | { readonly outcome: 'tx_code_unexpected' };

/**
 * An access token bound to its offer. It may be presented until it expires (OpenID4VCI allows
 * several credential requests per token); the offer's credentials are nevertheless issued once,
 * which `completeIssuance` enforces.
 */
export interface AccessToken {
  readonly offerId: string;
  readonly expiresAt: number;
}

export interface SetStatusOptions {
  /**
   * Compare-and-set: change the entry only if its status is still this one; false otherwise. A
   * policy decided on a read (revocation is final) then holds across replicas without a lock.
   */
  readonly expected?: number;
}

export interface NewStatusList {
  /** URL-safe; appears in the list's URI. */
  readonly id: string;
  /** Number of entries. Default 2^17 = 131072, at most 2^24. */
  readonly size?: number;
  /** Bits per entry: 1 (valid/invalid) or 2 (adds suspended), 4 or 8. Default 1. */
  readonly bits?: 1 | 2 | 4 | 8;
}

export interface StatusListInfo {
  readonly id: string;
  readonly size: number;
  readonly bits: 1 | 2 | 4 | 8;
  /** Indices handed out so far. */
  readonly allocated: number;
  /** Incremented by every status change; use it for `ETag`s. */
  readonly version: number;
  readonly updatedAt: number;
}

export interface StatusSnapshot {
  readonly id: string;
  readonly size: number;
  readonly bits: 1 | 2 | 4 | 8;
  readonly version: number;
  /** For `Last-Modified`: the last status change, or the list's creation. */
  readonly updatedAt: number;
  /** Entries whose status is not 0 (VALID), by ascending index. */
  readonly entries: ReadonlyArray<{ readonly index: number; readonly status: number }>;
}

export interface NewIssuanceRecord {
  readonly id: string;
  /** One of the offer's `configurationIds`. */
  readonly configurationId: string;
  /** The credential format, e.g. `dc+sd-jwt`. */
  readonly format: string;
  readonly statusListId: string;
  readonly statusIndex: number;
  /** The issued claim values: only when the tenant's configuration says to keep them. */
  readonly claims?: JsonObject;
}

export interface IssuanceRecord extends NewIssuanceRecord {
  readonly offerId: string;
  readonly issuedAt: number;
  /** The staff member who made the offer. */
  readonly issuedBy: string;
}

/**
 * One credential as its holder and the staff know it: what one offer's issuance produced. Its
 * instances share type, format, time and issuer, and differ in holder key, salts and status
 * index, so that verifiers cannot link them (OpenID4VCI 1.0 §8, batch issuance).
 */
export interface IssuedCredential {
  readonly offerId: string;
  /** Its records by id; at least one. */
  readonly instances: readonly IssuanceRecord[];
}

export interface NewAuditEntry {
  /** Who: a staff member or API key id. */
  readonly actor: string;
  /** What, as a stable verb, e.g. `offer.create`, `credential.revoke`. */
  readonly action: string;
  /** On what: an offer, record or key id. */
  readonly target?: string;
  /** More context. Never claim values or secrets. */
  readonly details?: JsonObject;
}

export interface AuditEntry extends NewAuditEntry {
  readonly id: string;
  /** When, by the store's clock. */
  readonly at: number;
}

export interface NewApiKey {
  readonly id: string;
  /** The raw secret given to the staff member once (at least 16 characters). */
  readonly secret: string;
  readonly label: string;
}

export interface ApiKey {
  readonly tenantId: string;
  readonly id: string;
  readonly label: string;
  readonly createdAt: number;
  readonly revokedAt?: number;
}

export interface PageRequest {
  /** 1 to 100; default 50. */
  readonly limit?: number;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string;
}

export interface Page<T> {
  readonly items: T[];
  /** Present when more items may follow. */
  readonly nextCursor?: string;
}

export interface PurgeReport {
  /** Offers whose claim values were deleted and which are now expired. */
  readonly offers: number;
  readonly nonces: number;
  readonly accessTokens: number;
}

/** Token Status List size when a tenant's configuration names none (2^17 entries = 16 KiB at 1 bit). */
export const DEFAULT_STATUS_LIST_SIZE = 131_072;
export const MAX_STATUS_LIST_SIZE = 16_777_216;
/** Wrong `tx_code` attempts before a pre-authorized code is burned, unless the offer says otherwise. */
export const DEFAULT_TX_CODE_MAX_ATTEMPTS = 5;
