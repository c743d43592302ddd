import type { Clock, JsonObject, JsonValue } from '@tessera/shared';

/**
 * An OpenID4VP transaction: one request the verifier made and the one response it may accept.
 * OpenID4VP 1.0 §5.2/§14.1: `nonce` binds the presentation (the KB-JWT's `nonce`) and `state`
 * ties the wallet's response to this request; both, and the `id` that names the transaction in
 * URLs (`request_uri`, the desk's polling), must be fresh, unguessable values (at least 128 bits
 * from a CSPRNG, base64url) and are never reused. A transaction is single-use and expires.
 */
export interface Transaction {
  readonly id: string;
  readonly state: string;
  readonly nonce: string;
  /**
   * Why the verifier asks, by BCP 47 language tag, for the wallet's consent screen. The signed
   * request object is minted from the transaction at each fetch (it carries the wallet's
   * `wallet_nonce` for `request_uri_method=post`), so only its inputs are stored.
   */
  readonly purpose?: Readonly<Record<string, string>>;
  /** The DCQL query this transaction asked for. */
  readonly query: JsonObject;
  readonly clientId: string;
  readonly responseMode: ResponseMode;
  /** How the wallet fetches the request object (OpenID4VP 1.0 §5.1); absent when the request travels by value. */
  readonly requestUriMethod?: 'get' | 'post';
  /**
   * For `direct_post.jwt`: the private JWK of the per-transaction ECDH-ES key the wallet encrypts
   * its response to. Stored as it is (not encrypted at rest): it protects one response for the
   * minutes a transaction lives, and whoever can read the store can read that response's result
   * anyway. Encrypting it under a server key is a later hardening step.
   */
  readonly ephemeralKey?: JsonObject;
  /** `pending` past `expiresAt` reads as `expired`, whether or not `expire()` has run yet. */
  readonly status: TransactionStatus;
  /** What the verification established (never null), when `status` is `responded`. */
  readonly result?: JsonValue;
  /** Why the response was rejected, when `status` is `failed`. */
  readonly error?: TransactionError;
  /** Milliseconds since the epoch. */
  readonly createdAt: number;
  /** Milliseconds since the epoch; from this instant on the transaction is expired. */
  readonly expiresAt: number;
}

export type ResponseMode = 'direct_post' | 'direct_post.jwt';
export type TransactionStatus = 'pending' | 'responded' | 'failed' | 'expired';

export interface TransactionError {
  /** A TesseraError code or an OAuth error code (`access_denied`, …). */
  readonly code: string;
  /** Safe to show: never contains claim values. */
  readonly message: string;
}

/** What `create` takes: every transaction starts `pending`. */
export type NewTransaction = Omit<Transaction, 'status' | 'result' | 'error'>;

/** How a pending transaction ends: with a verified result, or with the reason it was rejected. */
export type TransactionOutcome =
  | { readonly status: 'responded'; readonly result: JsonValue }
  | { readonly status: 'failed'; readonly error: TransactionError };

/**
 * Where transactions live. Implementations: `createMemoryTransactionStore` (one process, also in
 * browsers) and `createSqlTransactionStore` from `@tessera/verifier/node` (PGlite or PostgreSQL,
 * shared by replicas). All pass the contract suite in `transaction-store.contract.ts`.
 */
export interface TransactionStore {
  /** Stores a new pending transaction; throws a TypeError if its `id` or `state` is already taken. */
  create(transaction: NewTransaction): Promise<void>;
  /** The transaction, or undefined when unknown (or its stored record is unreadable). */
  get(id: string): Promise<Transaction | undefined>;
  /** The transaction a wallet's response names by `state`, or undefined. */
  findByState(state: string): Promise<Transaction | undefined>;
  /**
   * Ends a pending, unexpired transaction with `outcome`, atomically and exactly once across
   * every replica: true for the one caller that did it; false when the transaction is unknown,
   * no longer pending, or expired. OpenID4VP 1.0 §14.1: a response is accepted at most once.
   */
  complete(id: string, outcome: TransactionOutcome): Promise<boolean>;
  /** Marks every pending transaction whose `expiresAt` is at or before `now` as expired; returns how many. */
  expire(now?: number): Promise<number>;
  /**
   * Deletes every transaction that expired before `before`, whatever its status, with its result
   * and the disclosed claims in it; returns how many. Data minimisation: a desk calls it
   * periodically with `now − retention`, so results are kept no longer than they are needed.
   */
  purge(before: number): Promise<number>;
}

export interface TransactionStoreOptions {
  /** Decides expiry in `get`, `findByState` and `complete`. Default `Date.now`. */
  clock?: Clock;
}

/** A pending transaction past its expiry can never be completed: report it as what it is. */
export function withEffectiveStatus(transaction: Transaction, now: number): Transaction {
  return transaction.status === 'pending' && transaction.expiresAt <= now ? { ...transaction, status: 'expired' } : transaction;
}

const STATUSES: ReadonlySet<string> = new Set(['pending', 'responded', 'failed', 'expired']);
const RESPONSE_MODES: ReadonlySet<string> = new Set(['direct_post', 'direct_post.jwt']);
const MAX_TOKEN_LENGTH = 512;

/**
 * Describes what is wrong with `value` as a transaction (the first problem found), or returns
 * undefined when it is one. Stores use it to refuse bad input on `create` (a TypeError: the
 * caller's mistake) and to skip records that do not read back as a transaction (a damaged or
 * hand-edited row must never crash a read or be mistaken for a valid transaction).
 */
export function findTransactionProblem(value: unknown, { isNew = false }: { isNew?: boolean } = {}): string | undefined {
  if (!isPlainObject(value)) return 'is not an object';
  const tx = value as Record<string, unknown>;
  for (const field of ['id', 'state', 'nonce', 'clientId'] as const) {
    const text = tx[field];
    if (typeof text !== 'string' || text.length === 0 || text.length > MAX_TOKEN_LENGTH) {
      return `${field} must be a non-empty string of at most ${MAX_TOKEN_LENGTH} characters`;
    }
  }
  if (
    tx.purpose !== undefined &&
    !(isPlainObject(tx.purpose) && Object.values(tx.purpose).every((text) => typeof text === 'string'))
  ) {
    return 'purpose must map language tags to texts';
  }
  if (!isPlainObject(tx.query)) return 'query must be a JSON object';
  if (typeof tx.responseMode !== 'string' || !RESPONSE_MODES.has(tx.responseMode)) return 'responseMode is not supported';
  if (tx.ephemeralKey !== undefined && !isPlainObject(tx.ephemeralKey)) return 'ephemeralKey must be a JWK object';
  if (tx.requestUriMethod !== undefined && tx.requestUriMethod !== 'get' && tx.requestUriMethod !== 'post') {
    return 'requestUriMethod must be get or post';
  }
  for (const field of ['createdAt', 'expiresAt'] as const) {
    const time = tx[field];
    if (typeof time !== 'number' || !Number.isSafeInteger(time) || time < 0) return `${field} must be a time in milliseconds`;
  }
  if (isNew) {
    for (const field of ['status', 'result', 'error'] as const) {
      if (tx[field] !== undefined) return `a new transaction has no ${field}`;
    }
    return undefined;
  }
  if (typeof tx.status !== 'string' || !STATUSES.has(tx.status)) return 'status is not known';
  if (tx.status === 'responded' ? tx.result === undefined || tx.result === null : tx.result !== undefined) {
    return 'result does not match status';
  }
  if (tx.status === 'failed' ? findErrorProblem(tx.error) !== undefined : tx.error !== undefined) {
    return 'error does not match status';
  }
  return undefined;
}

/** Describes what is wrong with `outcome`, or returns undefined when it is a valid outcome. */
export function findOutcomeProblem(outcome: unknown): string | undefined {
  if (!isPlainObject(outcome)) return 'outcome is not an object';
  const { status, result, error } = outcome as Record<string, unknown>;
  // null is no result: a stored JSON null could not be told from a missing one.
  if (status === 'responded') return result === undefined || result === null ? 'a responded outcome needs a result' : undefined;
  if (status === 'failed') return findErrorProblem(error);
  return 'outcome status must be responded or failed';
}

function findErrorProblem(error: unknown): string | undefined {
  if (!isPlainObject(error)) return 'error must be an object';
  const { code, message } = error as Record<string, unknown>;
  if (typeof code !== 'string' || code.length === 0 || code.length > 100) return 'error.code must be a short string';
  if (typeof message !== 'string' || message.length > 2000) return 'error.message must be a string';
  return undefined;
}

function isPlainObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
