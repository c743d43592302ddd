import type { Kysely, Migration } from 'kysely';
import type { Database } from './database.ts';

/**
 * Versioned schema migrations, given as code. Each component (verifier, issuer, …) owns a list
 * named `component/NNN_description`; the lists of all components that share a database can be
 * passed together. Migrations only go forward: a deployment never runs `down`.
 *
 * Each component keeps its history in its own table (`tessera_migration_<component>`), so a
 * verifier and an issuer that share a database, deployed and upgraded independently, never see
 * each other's migrations as "missing" or "out of order". Within a component Kysely's Migrator
 * enforces the order: the executed migrations must be the first ones of the list.
 *
 * Several processes may start at once on one PostgreSQL server: Kysely's Migrator takes a
 * session-level advisory lock (`pg_advisory_lock`) for the whole run and runs the pending
 * migrations in one transaction (PostgreSQL has transactional DDL), so one process migrates and
 * the others, once they get the lock, find nothing left to do. A failed migration leaves the
 * schema as it was.
 */

export interface StorageMigration {
  /** `component/NNN_description`: lower case, e.g. `verifier/001_transactions`. */
  readonly name: string;
  /** Changes the schema; runs inside the migration transaction. */
  up(db: Kysely<object>): Promise<void>;
}

export interface MigrationReport {
  /** Names of the migrations this call applied, in order; empty when the schema was up to date. */
  readonly applied: readonly string[];
}

const MIGRATION_NAME = /^([a-z][a-z0-9_]{0,39})\/(\d{3})_[a-z0-9_]+$/;

/**
 * Brings the schema up to date with `migrations`, or throws (the schema is then unchanged for
 * the component whose migration failed; components are migrated one after another).
 *
 * @example
 * await migrateToLatest(database, [...verifierMigrations, ...issuerMigrations]);
 */
export async function migrateToLatest(database: Database, migrations: readonly StorageMigration[]): Promise<MigrationReport> {
  const byComponent = groupByComponent(migrations);
  const { Migrator, sql } = await import('kysely');
  const applied: string[] = [];
  const kysely = database.kysely;
  // Kysely looks its own tables up by schema as well as by name; without the schema it would take
  // another schema's table of the same name (another deployment or test run on the server) for ours.
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(kysely);
  const schema = rows[0]?.schema;
  if (typeof schema !== 'string') throw new Error('The database has no current schema to migrate');

  for (const [component, list] of byComponent) {
    const provided: Record<string, Migration> = {};
    for (const migration of list) provided[migration.name] = { up: (db) => migration.up(db) };
    const migrator = new Migrator({
      db: kysely,
      provider: { getMigrations: async () => provided },
      migrationTableSchema: schema,
      migrationTableName: `tessera_migration_${component}`,
      migrationLockTableName: 'tessera_migration_lock',
    });
    const { error, results = [] } = await migrator.migrateToLatest();
    if (error !== undefined) {
      const failed = results.find((result) => result.status === 'Error')?.migrationName;
      throw new Error(failed === undefined ? `Migrating ${component} failed` : `Migration ${failed} failed`, { cause: error });
    }
    for (const result of results) if (result.status === 'Success') applied.push(result.migrationName);
  }
  return { applied };
}

function groupByComponent(migrations: readonly StorageMigration[]): Map<string, StorageMigration[]> {
  if (!Array.isArray(migrations)) throw new TypeError('migrations must be an array');
  const byComponent = new Map<string, StorageMigration[]>();
  const numbers = new Set<string>();
  for (const migration of migrations) {
    const match = MIGRATION_NAME.exec(migration?.name);
    if (match === null || typeof migration.up !== 'function') {
      throw new TypeError('each migration needs a name like "component/001_description" and an up function');
    }
    const [, component = '', number = ''] = match;
    // Kysely orders migrations by name, so two with one number would run in an order nobody chose.
    if (numbers.has(`${component}/${number}`)) throw new TypeError(`two migrations are numbered ${component}/${number}`);
    numbers.add(`${component}/${number}`);
    const list = byComponent.get(component) ?? [];
    list.push(migration);
    byComponent.set(component, list);
  }
  return byComponent;
}
