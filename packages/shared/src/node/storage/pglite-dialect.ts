import type { PGlite, Results } from '@electric-sql/pglite';
import { type Dialect, PostgresDialect, type PostgresPool, type PostgresPoolClient, type PostgresQueryResult } from 'kysely';

/**
 * Kysely over PGlite with Kysely's own `PostgresDialect`: PGlite is handed to it as a
 * `pg`-compatible pool, so the query compiler, the transaction handling (including the
 * aborted-COMMIT check), the introspector and the migration lock are the very same code that
 * runs against a PostgreSQL server. One dialect, two engines.
 *
 * PGlite is one PostgreSQL backend in this process: a single connection. Kysely runs a
 * transaction as BEGIN … COMMIT on one connection it holds, so the pool hands that connection
 * to one holder at a time and queues everyone else (FIFO). Without this, a query from another
 * request could land between someone's BEGIN and COMMIT and become part of their transaction.
 * The price: inside `db.transaction().execute(trx => …)` use `trx` only; a query on the outer
 * `db` there waits for the connection the transaction holds, forever.
 */

/** Creates a Kysely dialect over an open PGlite instance; destroying the Kysely closes PGlite. */
export function createPgliteDialect(pglite: PGlite): Dialect {
  return new PostgresDialect({ pool: new PglitePool(pglite) });
}

class PglitePool implements PostgresPool {
  readonly #pglite: PGlite;
  readonly #client: PostgresPoolClient;
  readonly #waiting: Array<{ grant: (client: PostgresPoolClient) => void; refuse: (error: Error) => void }> = [];
  #held = false;
  #ended = false;

  constructor(pglite: PGlite) {
    this.#pglite = pglite;
    this.#client = {
      query: ((sql: string, parameters: ReadonlyArray<unknown>) => this.#query(sql, parameters)) as PostgresPoolClient['query'],
      release: () => this.#release(),
    };
  }

  connect(): Promise<PostgresPoolClient> {
    if (this.#ended) return Promise.reject(new Error('The PGlite database is closed'));
    if (!this.#held) {
      this.#held = true;
      return Promise.resolve(this.#client);
    }
    return new Promise((grant, refuse) => this.#waiting.push({ grant, refuse }));
  }

  async end(): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    for (const waiter of this.#waiting.splice(0)) waiter.refuse(new Error('The PGlite database is closed'));
    await this.#pglite.close();
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next === undefined) this.#held = false;
    else next.grant(this.#client);
  }

  async #query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
    // Like `pg`: with parameters, one statement over the extended protocol; without, the simple
    // protocol, which also takes several statements (a migration may send a script).
    const results: Results<R> | undefined =
      parameters.length > 0
        ? await this.#pglite.query<R>(sql, [...parameters])
        : ((await this.#pglite.exec(sql)).at(-1) as Results<R> | undefined);
    if (results === undefined) return { command: 'SELECT', rowCount: 0, rows: [] };
    return {
      // Kysely reads `command` for INSERT/UPDATE/DELETE/MERGE row counts and for a COMMIT that
      // PostgreSQL answered with ROLLBACK (the transaction had failed).
      command: (results.command ?? 'SELECT') as PostgresQueryResult<R>['command'],
      rowCount: results.rowCount ?? results.affectedRows ?? 0,
      rows: results.rows,
    };
  }
}
