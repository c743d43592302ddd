import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe } from 'vitest';
import { type Database, openDatabase } from './database.ts';

/**
 * Test-only helpers for storage contract suites (`@tessera/shared/node/testing`).
 *
 * PostgreSQL runs when `TESSERA_TEST_POSTGRES_URL` is set (CI sets it); a run told to use it that
 * cannot reach the server fails, it does not skip. Each caller gets its own schema, so test files
 * running in parallel, and CI runs sharing a server, never see each other's rows.
 */

/** The PostgreSQL server tests should use, or undefined to skip them. */
export const TEST_POSTGRES_URL: string | undefined = process.env.TESSERA_TEST_POSTGRES_URL || undefined;

/** Why PostgreSQL suites are skipped; put it in the skipped suite's name so the report says so. */
export const POSTGRES_SKIP_REASON = 'skipped: TESSERA_TEST_POSTGRES_URL is not set (CI sets it)';

export interface TestPostgres {
  /** The schema every connection of this handle uses. */
  readonly schema: string;
  /** The first connection pool, opened on the fresh schema. */
  readonly database: Database;
  /** Opens another, independent pool on the same schema: a second replica. */
  openAnother(): Promise<Database>;
  /** Closes every pool this handle opened and drops the schema with everything in it. */
  drop(): Promise<void>;
}

/** Opens a fresh, uniquely named schema on the test PostgreSQL server; throws when it is unreachable. */
export async function openTestPostgres(url: string | undefined = TEST_POSTGRES_URL): Promise<TestPostgres> {
  if (url === undefined) throw new TypeError('TESSERA_TEST_POSTGRES_URL is not set');
  const schema = `tessera_test_${randomBytes(6).toString('hex')}`;
  const opened: Database[] = [];
  const open = async (): Promise<Database> => {
    const database = await openDatabase({ kind: 'postgres', url, schema, maxConnections: 25, connectTimeoutMs: 5000 });
    opened.push(database);
    return database;
  };
  const database = await open();
  return {
    schema,
    database,
    openAnother: open,
    drop: async () => {
      await Promise.all(opened.map((each) => each.close()));
      const admin = await openDatabase({ kind: 'postgres', url, maxConnections: 1 });
      try {
        await sql`drop schema if exists ${sql.id(schema)} cascade`.execute(admin.kysely);
      } finally {
        await admin.close();
      }
    },
  };
}

/**
 * A describe block for tests on PostgreSQL. When `TESSERA_TEST_POSTGRES_URL` is unset it is
 * skipped, and its name says why. When set, `connect()` opens one fresh schema for the whole
 * block (dropped afterwards); if the server cannot be reached every test in the block fails with
 * that error, rather than being reported as skipped as a failing `beforeAll` would leave them.
 */
export function describePostgres(name: string, body: (connect: () => Promise<TestPostgres>) => void): void {
  if (TEST_POSTGRES_URL === undefined) {
    describe.skip(`${name} (${POSTGRES_SKIP_REASON})`, () => body(() => Promise.reject(new Error(POSTGRES_SKIP_REASON))));
    return;
  }
  describe(name, () => {
    let opening: Promise<TestPostgres> | undefined;
    afterAll(async () => {
      const postgres = await opening?.catch(() => undefined);
      await postgres?.drop();
    });
    body(() => {
      opening ??= openTestPostgres();
      return opening;
    });
  });
}

/** Makes an empty temporary folder; `remove()` deletes it with its contents. */
export async function makeTempDir(prefix = 'tessera-'): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}
