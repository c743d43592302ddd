import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, openDatabase } from './database.ts';
import { migrateToLatest, type StorageMigration } from './migrations.ts';
import { describePostgres } from './test-databases.ts';

/** A migration that creates table `<component>_<number>` and counts its runs in `runs`. */
function createsTable(name: string, runs: Map<string, number> = new Map()): StorageMigration {
  const table = name.replace('/', '_').slice(0, name.indexOf('_', name.indexOf('/')));
  return {
    name,
    async up(db: Kysely<object>) {
      runs.set(name, (runs.get(name) ?? 0) + 1);
      // No IF NOT EXISTS: running a migration twice must fail loudly.
      await db.schema.createTable(table).addColumn('id', 'integer').execute();
    },
  };
}

async function tableExists(database: Database, table: string): Promise<boolean> {
  const { rows } = await sql<{ found: string | null }>`select to_regclass(${table})::text as found`.execute(database.kysely);
  return rows[0]?.found !== null;
}

// Every test uses components of its own, so they share one PGlite instance without sharing history.
describe('migrating a PGlite database', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite' });
  });
  afterAll(() => database?.close());

  it('applies a component’s migrations in order, once', async () => {
    const runs = new Map<string, number>();
    const migrations = [createsTable('alpha/002_second', runs), createsTable('alpha/001_first', runs)];
    expect(await migrateToLatest(database, migrations)).toEqual({ applied: ['alpha/001_first', 'alpha/002_second'] });
    expect(await migrateToLatest(database, migrations)).toEqual({ applied: [] });
    expect(runs).toEqual(
      new Map([
        ['alpha/001_first', 1],
        ['alpha/002_second', 1],
      ]),
    );
    expect(await tableExists(database, 'alpha_001')).toBe(true);
    expect(await tableExists(database, 'alpha_002')).toBe(true);
  });

  it('applies only what was added since the last run', async () => {
    await migrateToLatest(database, [createsTable('beta/001_first')]);
    const report = await migrateToLatest(database, [createsTable('beta/001_first'), createsTable('beta/002_added')]);
    expect(report).toEqual({ applied: ['beta/002_added'] });
  });

  it('keeps components apart, so one deployed without the other never finds history missing', async () => {
    await migrateToLatest(database, [createsTable('gamma/001_first'), createsTable('delta/001_first')]);
    expect(await migrateToLatest(database, [createsTable('gamma/001_first')])).toEqual({ applied: [] });
    expect(await migrateToLatest(database, [createsTable('delta/001_first'), createsTable('delta/002_more')])).toEqual({
      applied: ['delta/002_more'],
    });
  });

  it('rolls a failing run back entirely and names the migration that failed', async () => {
    const failing: StorageMigration = {
      name: 'epsilon/002_fails',
      up: async () => {
        throw new Error('boom');
      },
    };
    const attempt = migrateToLatest(database, [createsTable('epsilon/001_first'), failing]);
    await expect(attempt).rejects.toThrow('Migration epsilon/002_fails failed');
    await expect(attempt).rejects.toMatchObject({ cause: { message: 'boom' } });
    expect(await tableExists(database, 'epsilon_001')).toBe(false);
    expect(await migrateToLatest(database, [createsTable('epsilon/001_first'), createsTable('epsilon/002_fixed')])).toEqual({
      applied: ['epsilon/001_first', 'epsilon/002_fixed'],
    });
  });

  it('refuses a migration slipped in before one already applied', async () => {
    await migrateToLatest(database, [createsTable('zeta/001_first'), createsTable('zeta/003_third')]);
    await expect(
      migrateToLatest(database, [createsTable('zeta/001_first'), createsTable('zeta/002_late'), createsTable('zeta/003_third')]),
    ).rejects.toThrow(/zeta/);
    expect(await tableExists(database, 'zeta_002')).toBe(false);
  });

  it('refuses migrations that are badly named or share a number', async () => {
    await expect(migrateToLatest(database, [createsTable('001_no_component')])).rejects.toThrow(TypeError);
    await expect(migrateToLatest(database, [createsTable('Eta/001_upper')])).rejects.toThrow(TypeError);
    await expect(migrateToLatest(database, [createsTable('eta/1_short')])).rejects.toThrow(TypeError);
    await expect(migrateToLatest(database, [createsTable('eta/001_one'), createsTable('eta/001_two')])).rejects.toThrow(
      TypeError,
    );
    await expect(migrateToLatest(database, [{ name: 'eta/001_no_up' } as StorageMigration])).rejects.toThrow(TypeError);
  });
});

describePostgres('migrating a PostgreSQL database', (connect) => {
  it('lets one of several processes starting at once migrate, and the others find nothing to do', async () => {
    const postgres = await connect();
    const processes = [postgres.database, ...(await Promise.all([1, 2, 3].map(() => postgres.openAnother())))];
    const runs = new Map<string, number>();
    const slow: StorageMigration = {
      name: 'race/002_slow',
      async up(db) {
        runs.set('race/002_slow', (runs.get('race/002_slow') ?? 0) + 1);
        // Long enough that the others arrive while it runs and must wait for the lock.
        await sql`select pg_sleep(0.2)`.execute(db);
        await db.schema.createTable('race_002').addColumn('id', 'integer').execute();
      },
    };
    const migrations = [createsTable('race/001_first', runs), slow];

    const reports = await Promise.all(processes.map((each) => migrateToLatest(each, migrations)));

    expect(reports.flatMap((report) => report.applied)).toEqual(['race/001_first', 'race/002_slow']);
    expect(reports.filter((report) => report.applied.length > 0)).toHaveLength(1);
    expect(runs).toEqual(
      new Map([
        ['race/001_first', 1],
        ['race/002_slow', 1],
      ]),
    );
    expect(await tableExists(postgres.database, 'race_002')).toBe(true);
  });
});
