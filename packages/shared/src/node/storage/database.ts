import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Kysely } from 'kysely';
import { lockDataDir } from './data-dir-lock.ts';

/**
 * Server-side storage for the issuer and the verifier: Kysely with one PostgreSQL dialect over
 * two engines. PGlite (PostgreSQL compiled to WebAssembly, in this process) is the embedded
 * default and needs nothing installed; a PostgreSQL server through `pg` serves several replicas.
 * Both speak the same SQL, so every store and migration is written once.
 *
 * Kysely, PGlite and pg are loaded when a database is opened, not when `@tessera/shared/node` is
 * imported: a CLI that only wants node:crypto does not pay ~100 ms for them, and a deployment on
 * PostgreSQL never loads the WebAssembly engine.
 */

export type DatabaseConfig =
  | {
      kind: 'pglite';
      /**
       * Folder holding the database files, created when missing; one process at a time (a
       * `tessera.lock` file in it refuses a second opener). Undefined: in memory, gone on close.
       */
      dataDir?: string;
    }
  | {
      kind: 'postgres';
      /** Connection URL, e.g. `postgres://user@127.0.0.1:5432/tessera`. */
      url: string;
      /** Largest number of pooled connections. Default 10. */
      maxConnections?: number;
      /**
       * PostgreSQL schema for every table (created when missing), so several deployments or test
       * runs can share one database. Default: the server's `search_path` (normally `public`).
       */
      schema?: string;
      /** Time to wait for a connection, in milliseconds. Default 10000. */
      connectTimeoutMs?: number;
    };

export interface Database {
  readonly kind: DatabaseConfig['kind'];
  /**
   * The query builder. Each component declares its own tables: `database.kysely.withTables<MyTables>()`.
   * With PGlite there is one connection: inside `transaction().execute(trx => …)` use `trx` only.
   */
  readonly kysely: Kysely<object>;
  /** Closes the pool or the PGlite instance (flushing it to `dataDir`). Idempotent. */
  close(): Promise<void>;
}

/** PostgreSQL identifiers we create ourselves: lower case, so they never need quoting rules. */
const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Opens a database and checks that it answers.
 *
 * @example
 * const database = await openDatabase({ kind: 'pglite', dataDir: './data/db' });
 * await migrateToLatest(database, verifierMigrations);
 * // …
 * await database.close();
 */
export async function openDatabase(config: DatabaseConfig): Promise<Database> {
  const { kysely, release } = config.kind === 'pglite' ? await openPglite(config.dataDir) : await openPostgres(config);
  let closing: Promise<void> | undefined;
  const database: Database = {
    kind: config.kind,
    kysely,
    close: () => {
      closing ??= kysely.destroy().finally(release);
      return closing;
    },
  };
  try {
    const { sql } = await import('kysely');
    if (config.kind === 'postgres' && config.schema !== undefined) await createSchema(kysely, config.schema);
    else await sql`select 1`.execute(kysely);
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
  return database;
}

interface Opened {
  kysely: Kysely<object>;
  /** Runs once the engine is closed. */
  release(): Promise<void>;
}

const nothingToRelease = async (): Promise<void> => undefined;

async function openPglite(dataDir: string | undefined): Promise<Opened> {
  if (dataDir !== undefined && (typeof dataDir !== 'string' || dataDir === '')) {
    throw new TypeError('dataDir must be a non-empty path');
  }
  const [{ PGlite }, { Kysely }, { createPgliteDialect }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('kysely'),
    import('./pglite-dialect.ts'),
  ]);
  if (dataDir === undefined) {
    return { kysely: new Kysely<object>({ dialect: createPgliteDialect(await PGlite.create()) }), release: nothingToRelease };
  }
  // PGlite creates the folder itself but not its parents.
  const folder = resolve(dataDir);
  await mkdir(folder, { recursive: true });
  const release = await lockDataDir(folder);
  try {
    const pglite = await PGlite.create({ dataDir: folder });
    return { kysely: new Kysely<object>({ dialect: createPgliteDialect(pglite) }), release };
  } catch (error) {
    await release();
    throw error;
  }
}

async function openPostgres(config: Extract<DatabaseConfig, { kind: 'postgres' }>): Promise<Opened> {
  const { url, maxConnections = 10, schema, connectTimeoutMs = 10_000 } = config;
  if (typeof url !== 'string' || !/^postgres(ql)?:\/\//.test(url)) {
    throw new TypeError('url must be a postgres:// connection URL');
  }
  if (!Number.isInteger(maxConnections) || maxConnections < 1) throw new TypeError('maxConnections must be a positive integer');
  if (!Number.isInteger(connectTimeoutMs) || connectTimeoutMs < 1)
    throw new TypeError('connectTimeoutMs must be a positive integer');
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new TypeError('schema must be a lower-case PostgreSQL identifier (a-z, 0-9, _)');
  }
  const [{ Pool }, { Kysely, PostgresDialect }] = await Promise.all([import('pg'), import('kysely')]);
  const pool = new Pool({
    connectionString: url,
    max: maxConnections,
    connectionTimeoutMillis: connectTimeoutMs,
    // Every connection starts in the schema, so unqualified table names resolve there alone.
    ...(schema === undefined ? {} : { options: `-c search_path=${schema}` }),
  });
  // An idle connection that the server drops emits 'error' on the pool; unhandled, that event
  // would end the process. The next query simply gets a fresh connection.
  pool.on('error', () => undefined);
  return { kysely: new Kysely<object>({ dialect: new PostgresDialect({ pool }) }), release: nothingToRelease };
}

async function createSchema(kysely: Kysely<object>, schema: string): Promise<void> {
  const { sql } = await import('kysely');
  try {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(kysely);
  } catch (error) {
    // Two processes creating it at once: IF NOT EXISTS can still lose the race on the catalog's
    // unique index (SQLSTATE 23505). The schema exists then, which is all we wanted.
    if ((error as { code?: unknown }).code !== '23505') throw error;
  }
}
