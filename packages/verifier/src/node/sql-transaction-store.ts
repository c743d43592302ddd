import { type Database, migrateToLatest, type StorageMigration } from '@tessera/shared/node';
import { type ColumnType, type Kysely, type Selectable, sql } from 'kysely';
import {
  findOutcomeProblem,
  findTransactionProblem,
  type NewTransaction,
  type Transaction,
  type TransactionOutcome,
  type TransactionStore,
  type TransactionStoreOptions,
  withEffectiveStatus,
} from '../transactions/transaction-store.ts';

/**
 * OpenID4VP transactions in PostgreSQL (a server, or PGlite embedded), shared by every verifier
 * replica on the database. Completion is one conditional UPDATE (`… WHERE status = 'pending' AND
 * expires_at > now`): PostgreSQL row locks make concurrent attempts wait for the first, which
 * re-checks the condition after it commits, so exactly one attempt wins across all replicas.
 *
 * JSON columns are `json`, not `jsonb`: jsonb refuses the string escape \u0000, and a claim value
 * carrying one would otherwise make recording a verified response fail. Nothing queries inside them.
 */

// Type aliases, not interfaces: Kysely's `withTables` wants index-signature-compatible shapes.
type TransactionTable = {
  id: string;
  state: string;
  nonce: string;
  purpose: ColumnType<unknown, string | null, never>;
  query: ColumnType<unknown, string, never>;
  client_id: string;
  response_mode: string;
  request_uri_method: string | null;
  ephemeral_key: ColumnType<unknown, string | null, never>;
  status: string;
  result: ColumnType<unknown, never, string | null>;
  error: ColumnType<unknown, never, string | null>;
  created_at: ColumnType<Date, Date, never>;
  expires_at: ColumnType<Date, Date, never>;
};

type VerifierTables = {
  verifier_transaction: TransactionTable;
};

/** The verifier's schema migrations, for `migrateToLatest` (run by `createSqlTransactionStore` unless told not to). */
export const verifierMigrations: readonly StorageMigration[] = Object.freeze([
  {
    name: 'verifier/001_transactions',
    async up(db: Kysely<object>): Promise<void> {
      await db.schema
        .createTable('verifier_transaction')
        .addColumn('id', 'text', (column) => column.primaryKey())
        .addColumn('state', 'text', (column) => column.notNull().unique())
        .addColumn('nonce', 'text', (column) => column.notNull())
        .addColumn('purpose', 'json')
        .addColumn('query', 'json', (column) => column.notNull())
        .addColumn('client_id', 'text', (column) => column.notNull())
        .addColumn('response_mode', 'text', (column) => column.notNull())
        .addColumn('request_uri_method', 'text')
        .addColumn('ephemeral_key', 'json')
        .addColumn('status', 'text', (column) =>
          column.notNull().check(sql`status in ('pending', 'responded', 'failed', 'expired')`),
        )
        .addColumn('result', 'json')
        .addColumn('error', 'json')
        .addColumn('created_at', 'timestamptz', (column) => column.notNull())
        .addColumn('expires_at', 'timestamptz', (column) => column.notNull())
        .execute();
      // expire() looks for pending transactions by expiry; ended ones need no index entry.
      await sql`create index verifier_transaction_pending_expiry on verifier_transaction (expires_at) where status = 'pending'`.execute(
        db,
      );
    },
  },
]);

export interface SqlTransactionStoreOptions extends TransactionStoreOptions {
  /** Run `verifierMigrations` first. Default true; false when the application migrates every component itself. */
  migrate?: boolean;
  /**
   * Told about a stored record that does not read back as a transaction (hand-edited, or written
   * by an incompatible version). The store treats it as absent. Default: ignore.
   */
  onInvalidRecord?: (id: string, problem: string) => void;
}

/**
 * Creates a transaction store over a database from `openDatabase` (`@tessera/shared/node`).
 *
 * @example
 * const database = await openDatabase({ kind: 'postgres', url: process.env.DATABASE_URL });
 * const transactions = await createSqlTransactionStore(database);
 */
export async function createSqlTransactionStore(
  database: Database,
  { clock = Date.now, migrate = true, onInvalidRecord = () => undefined }: SqlTransactionStoreOptions = {},
): Promise<TransactionStore> {
  if (migrate) await migrateToLatest(database, verifierMigrations);
  const db = database.kysely.withTables<VerifierTables>();

  const read = (row: Selectable<TransactionTable> | undefined): Transaction | undefined => {
    if (row === undefined) return undefined;
    const transaction = decodeRow(row);
    if (typeof transaction === 'string') {
      onInvalidRecord(String(row.id), transaction);
      return undefined;
    }
    return withEffectiveStatus(transaction, clock());
  };

  return {
    async create(transaction: NewTransaction): Promise<void> {
      const problem = findTransactionProblem(transaction, { isNew: true });
      if (problem !== undefined) throw new TypeError(`Invalid transaction: ${problem}`);
      try {
        await db
          .insertInto('verifier_transaction')
          .values({
            id: transaction.id,
            state: transaction.state,
            nonce: transaction.nonce,
            purpose: transaction.purpose === undefined ? null : JSON.stringify(transaction.purpose),
            query: JSON.stringify(transaction.query),
            client_id: transaction.clientId,
            response_mode: transaction.responseMode,
            request_uri_method: transaction.requestUriMethod ?? null,
            ephemeral_key: transaction.ephemeralKey === undefined ? null : JSON.stringify(transaction.ephemeralKey),
            status: 'pending',
            created_at: new Date(transaction.createdAt),
            expires_at: new Date(transaction.expiresAt),
          })
          .execute();
      } catch (error) {
        // SQLSTATE 23505 unique_violation: the id or the state is taken.
        if ((error as { code?: unknown }).code === '23505') {
          throw new TypeError('A transaction with this id or state already exists', { cause: error });
        }
        throw error;
      }
    },

    get: async (id: string): Promise<Transaction | undefined> =>
      read(await db.selectFrom('verifier_transaction').selectAll().where('id', '=', id).executeTakeFirst()),

    findByState: async (state: string): Promise<Transaction | undefined> =>
      read(await db.selectFrom('verifier_transaction').selectAll().where('state', '=', state).executeTakeFirst()),

    async complete(id: string, outcome: TransactionOutcome): Promise<boolean> {
      const problem = findOutcomeProblem(outcome);
      if (problem !== undefined) throw new TypeError(`Invalid outcome: ${problem}`);
      const { numUpdatedRows } = await db
        .updateTable('verifier_transaction')
        .set(
          outcome.status === 'responded'
            ? { status: 'responded', result: JSON.stringify(outcome.result) }
            : { status: 'failed', error: JSON.stringify({ code: outcome.error.code, message: outcome.error.message }) },
        )
        .where('id', '=', id)
        .where('status', '=', 'pending')
        .where('expires_at', '>', new Date(clock()))
        .executeTakeFirst();
      return numUpdatedRows === 1n;
    },

    async purge(before: number): Promise<number> {
      if (!Number.isFinite(before)) throw new TypeError('before must be a time in milliseconds');
      const { numDeletedRows } = await db
        .deleteFrom('verifier_transaction')
        .where('expires_at', '<', new Date(before))
        .executeTakeFirst();
      return Number(numDeletedRows);
    },

    async expire(now: number = clock()): Promise<number> {
      const { numUpdatedRows } = await db
        .updateTable('verifier_transaction')
        .set({ status: 'expired' })
        .where('status', '=', 'pending')
        .where('expires_at', '<=', new Date(now))
        .executeTakeFirst();
      return Number(numUpdatedRows);
    },
  };
}

/** The transaction a row holds, or what is wrong with it. */
function decodeRow(row: Selectable<TransactionTable>): Transaction | string {
  const { created_at: createdAt, expires_at: expiresAt } = row;
  if (!(createdAt instanceof Date) || !(expiresAt instanceof Date)) return 'times are not timestamps';
  const candidate = {
    id: row.id,
    state: row.state,
    nonce: row.nonce,
    ...(row.purpose === null ? {} : { purpose: row.purpose }),
    query: row.query,
    clientId: row.client_id,
    responseMode: row.response_mode,
    ...(row.request_uri_method === null ? {} : { requestUriMethod: row.request_uri_method }),
    ...(row.ephemeral_key === null ? {} : { ephemeralKey: row.ephemeral_key }),
    status: row.status,
    ...(row.result === null ? {} : { result: row.result }),
    ...(row.error === null ? {} : { error: row.error }),
    createdAt: createdAt.getTime(),
    expiresAt: expiresAt.getTime(),
  };
  const problem = findTransactionProblem(candidate);
  if (problem !== undefined) return problem;
  const transaction = candidate as Transaction;
  const { error } = transaction;
  // Hand back only the fields an error has, whatever else the stored JSON carries.
  return error === undefined ? transaction : { ...transaction, error: { code: error.code, message: error.message } };
}
