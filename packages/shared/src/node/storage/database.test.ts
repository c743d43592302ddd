import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from './database.ts';
import { describePostgres, makeTempDir, openTestPostgres } from './test-databases.ts';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** The same SQL must come back with the same JavaScript types from both engines. */
async function expectPostgresTypes(database: Database): Promise<void> {
  const { kysely } = database;
  await sql`create table typed (id text primary key, doc json not null, at timestamptz not null, n integer not null)`.execute(
    kysely,
  );
  await sql`insert into typed values (${'a'}, ${JSON.stringify({ list: [1, 'two'] })}, ${new Date(1_767_000_000_123)}, ${7})`.execute(
    kysely,
  );
  const { rows } = await sql<{ id: string; doc: unknown; at: Date; n: number }>`select * from typed`.execute(kysely);
  expect(rows).toStrictEqual([{ id: 'a', doc: { list: [1, 'two'] }, at: new Date(1_767_000_000_123), n: 7 }]);
  const update = await sql`update typed set n = n + 1`.execute(kysely);
  expect(update.numAffectedRows).toBe(1n);
}

// In a folder rather than in memory: one PGlite start (seconds) covers the engine and the folder.
// The in-memory form runs in migrations.test.ts and in the verifier's transaction store tests.
describe('a PGlite database in a folder', () => {
  let folder: { path: string; remove(): Promise<void> };
  let database: Database;
  beforeAll(async () => {
    folder = await makeTempDir('tessera-database-');
    database = await openDatabase({ kind: 'pglite', dataDir: join(folder.path, 'not', 'yet', 'there') });
  });
  afterAll(async () => {
    await database?.close();
    await folder?.remove();
  });
  const dataDir = (): string => join(folder.path, 'not', 'yet', 'there');
  const lockFile = (): string => join(dataDir(), 'tessera.lock');

  it('answers through the PostgreSQL dialect with PostgreSQL types', async () => {
    expect(database.kind).toBe('pglite');
    await expectPostgresTypes(database);
  });

  it('runs a script of several statements when it has no parameters, as pg does', async () => {
    await sql`create table script_a (id int); create table script_b (id int); insert into script_b values (1)`.execute(
      database.kysely,
    );
    const { rows } = await sql<{ count: number }>`select count(*)::int as count from script_b`.execute(database.kysely);
    expect(rows).toEqual([{ count: 1 }]);
  });

  it('runs concurrent transactions one after another, so none joins or sees another’s uncommitted work', async () => {
    const { kysely } = database;
    await sql`create table counter (n int not null)`.execute(kysely);
    await sql`insert into counter values (0)`.execute(kysely);
    // Read, wait, write: interleaved on PGlite's one connection, both would read 0 and write 1.
    const increment = (): Promise<void> =>
      kysely.transaction().execute(async (trx) => {
        const { rows } = await sql<{ n: number }>`select n from counter`.execute(trx);
        await sleep(20);
        await sql`update counter set n = ${(rows[0]?.n ?? 0) + 1}`.execute(trx);
      });
    const seenOutside: number[] = [];
    const rolledBack = kysely
      .transaction()
      .execute(async (trx) => {
        await sql`update counter set n = 100`.execute(trx);
        await sleep(20);
        throw new Error('changed my mind');
      })
      .catch((error: Error) => error.message);
    const outside = sql<{ n: number }>`select n from counter`
      .execute(kysely)
      .then(({ rows }) => seenOutside.push(rows[0]?.n ?? -1));
    await Promise.all([increment(), increment(), rolledBack, outside]);

    expect(await rolledBack).toBe('changed my mind');
    expect(seenOutside).not.toContain(100);
    const { rows } = await sql<{ n: number }>`select n from counter`.execute(kysely);
    expect(rows).toEqual([{ n: 2 }]);
  });

  it('reports a failed statement with its SQLSTATE code and keeps serving', async () => {
    const { kysely } = database;
    await sql`create table unique_ids (id text primary key)`.execute(kysely);
    await sql`insert into unique_ids values (${'x'})`.execute(kysely);
    await expect(sql`insert into unique_ids values (${'x'})`.execute(kysely)).rejects.toMatchObject({ code: '23505' });
    await expect(
      kysely.transaction().execute(async (trx) => {
        await sql`insert into unique_ids values (${'y'})`.execute(trx);
        await sql`insert into unique_ids values (${'x'})`.execute(trx);
      }),
    ).rejects.toMatchObject({ code: '23505' });
    const { rows } = await sql<{ id: string }>`select id from unique_ids order by id`.execute(kysely);
    expect(rows).toEqual([{ id: 'x' }]);
  });

  it('refuses to open the folder a second time while it is open', async () => {
    await expect(openDatabase({ kind: 'pglite', dataDir: dataDir() })).rejects.toThrow(/already open in this process/);
    const { rows } = await sql<{ n: number }>`select n from counter`.execute(database.kysely);
    expect(rows).toEqual([{ n: 2 }]);
  });

  it('closes once, however often it is asked, refuses queries afterwards and releases the folder', async () => {
    await Promise.all([database.close(), database.close()]);
    await database.close();
    await expect(sql`select 1`.execute(database.kysely)).rejects.toThrow();
    expect(existsSync(lockFile())).toBe(false);
  });

  it('keeps its data across a restart', async () => {
    database = await openDatabase({ kind: 'pglite', dataDir: dataDir() });
    const { rows } = await sql<{ n: number }>`select n from counter`.execute(database.kysely);
    expect(rows).toEqual([{ n: 2 }]);
    await database.close();
  });

  it('refuses a folder that another living process holds, or that another host locked', async () => {
    await writeFile(lockFile(), JSON.stringify({ pid: process.ppid, host: hostname() }));
    await expect(openDatabase({ kind: 'pglite', dataDir: dataDir() })).rejects.toThrow(`in use by process ${process.ppid}`);
    await writeFile(lockFile(), JSON.stringify({ pid: process.pid, host: `not-${hostname()}` }));
    await expect(openDatabase({ kind: 'pglite', dataDir: dataDir() })).rejects.toThrow(/locked by host/);
  });

  it('takes over a lock whose process is gone', async () => {
    // Above the kernel's largest PID (2^22), so no such process can exist.
    await writeFile(lockFile(), JSON.stringify({ pid: 5_000_000, host: hostname() }));
    database = await openDatabase({ kind: 'pglite', dataDir: dataDir() });
    const { rows } = await sql<{ n: number }>`select n from counter`.execute(database.kysely);
    expect(rows).toEqual([{ n: 2 }]);
    await database.close();
    expect(existsSync(lockFile())).toBe(false);
  });
});

describe('opening a database', () => {
  it('refuses a configuration that cannot be right', async () => {
    await expect(openDatabase({ kind: 'pglite', dataDir: '' })).rejects.toThrow(TypeError);
    await expect(openDatabase({ kind: 'postgres', url: 'mysql://localhost/x' })).rejects.toThrow(TypeError);
    await expect(openDatabase({ kind: 'postgres', url: 'postgres://localhost/x', maxConnections: 0 })).rejects.toThrow(TypeError);
    await expect(openDatabase({ kind: 'postgres', url: 'postgres://localhost/x', schema: 'Bad"Name' })).rejects.toThrow(
      TypeError,
    );
  });

  it('fails, rather than hands out a dead pool, when the PostgreSQL server cannot be reached', async () => {
    await expect(openDatabase({ kind: 'postgres', url: 'postgres://postgres@127.0.0.1:1/test' })).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });
});

describePostgres('a PostgreSQL database', (connect) => {
  it('answers through the PostgreSQL dialect with the same types as PGlite', async () => {
    const { database } = await connect();
    expect(database.kind).toBe('postgres');
    await expectPostgresTypes(database);
  });

  it('keeps the tables of each schema apart', async () => {
    const mine = await connect();
    const other = await openTestPostgres();
    try {
      await sql`create table only_mine (id int)`.execute(mine.database.kysely);
      await expect(sql`select * from only_mine`.execute(other.database.kysely)).rejects.toMatchObject({ code: '42P01' });
      const { rows } = await sql<{ count: number }>`select count(*)::int as count from only_mine`.execute(mine.database.kysely);
      expect(rows).toEqual([{ count: 0 }]);
    } finally {
      await other.drop();
    }
  });
});
