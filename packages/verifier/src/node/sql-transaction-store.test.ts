import { type Database, openDatabase } from '@tessera/shared/node';
import { describePostgres, makeTempDir, type TestPostgres } from '@tessera/shared/node/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Corruption,
  registerTransactionStoreContract,
  sampleTransaction,
} from '../transactions/transaction-store.contract.ts';
import { createSqlTransactionStore } from './sql-transaction-store.ts';

// One database per backend for the whole file: PGlite takes seconds to start, a store a few
// queries. Each test starts from an empty table instead.

const CORRUPTIONS: Record<Corruption, string> = {
  'a query that is not an object': `query = '"a string"'`,
  'an unknown response mode': `response_mode = 'fragment'`,
  'an empty nonce': `nonce = ''`,
  'an ephemeral key that is not an object': `ephemeral_key = '[1, 2]'`,
  'a failed status without an error': `status = 'failed'`,
  'an error without a code': `status = 'failed', error = '{"message": "no code"}'`,
};

async function corrupt(database: Database, id: string, kind: Corruption): Promise<void> {
  await sql`update verifier_transaction set ${sql.raw(CORRUPTIONS[kind])} where id = ${id}`.execute(database.kysely);
}

async function emptyTable(database: Database): Promise<void> {
  await sql`delete from verifier_transaction`.execute(database.kysely);
}

describe('the SQL transaction store on PGlite in memory', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite' });
    await createSqlTransactionStore(database);
  });
  afterAll(() => database?.close());

  registerTransactionStoreContract({
    open: async (clock) => {
      await emptyTable(database);
      return createSqlTransactionStore(database, { clock, migrate: false });
    },
    openSibling: (clock) => createSqlTransactionStore(database, { clock, migrate: false }),
    corrupt: (id, kind) => corrupt(database, id, kind),
  });

  it('tells the caller about a record it cannot read', async () => {
    const reported: string[] = [];
    const store = await createSqlTransactionStore(database, {
      onInvalidRecord: (id, problem) => reported.push(`${id}: ${problem}`),
    });
    const tx = sampleTransaction();
    await store.create(tx);
    await corrupt(database, tx.id, 'an unknown response mode');
    expect(await store.get(tx.id)).toBeUndefined();
    expect(reported).toEqual([`${tx.id}: responseMode is not supported`]);
  });
});

describe('the SQL transaction store on PGlite in a folder', () => {
  let folder: { path: string; remove(): Promise<void> };
  let database: Database;
  beforeAll(async () => {
    folder = await makeTempDir('tessera-transactions-');
    database = await openDatabase({ kind: 'pglite', dataDir: folder.path });
    await createSqlTransactionStore(database);
  });
  afterAll(async () => {
    await database?.close();
    await folder?.remove();
  });

  registerTransactionStoreContract({
    open: async (clock) => {
      await emptyTable(database);
      return createSqlTransactionStore(database, { clock, migrate: false });
    },
    openSibling: (clock) => createSqlTransactionStore(database, { clock, migrate: false }),
    reopen: async (clock) => {
      await database.close();
      database = await openDatabase({ kind: 'pglite', dataDir: folder.path });
      return createSqlTransactionStore(database, { clock });
    },
    corrupt: (id, kind) => corrupt(database, id, kind),
  });
});

describePostgres('the SQL transaction store on PostgreSQL', (connect) => {
  // The first pool is one replica, `replica` another: separate connections, as two processes have.
  let ready: Promise<{ postgres: TestPostgres; replica: Database }> | undefined;
  const setUp = (): Promise<{ postgres: TestPostgres; replica: Database }> => {
    ready ??= (async () => {
      const postgres = await connect();
      await createSqlTransactionStore(postgres.database);
      return { postgres, replica: await postgres.openAnother() };
    })();
    return ready;
  };

  registerTransactionStoreContract({
    open: async (clock) => {
      const { postgres } = await setUp();
      await emptyTable(postgres.database);
      return createSqlTransactionStore(postgres.database, { clock, migrate: false });
    },
    openSibling: async (clock) => createSqlTransactionStore((await setUp()).replica, { clock }),
    reopen: async (clock) => createSqlTransactionStore(await (await setUp()).postgres.openAnother(), { clock }),
    corrupt: async (id, kind) => corrupt((await setUp()).postgres.database, id, kind),
  });
});
