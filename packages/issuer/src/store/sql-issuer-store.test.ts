import { type Database, openDatabase } from '@tessera/shared/node';
import { describePostgres, makeTempDir, type TestPostgres } from '@tessera/shared/node/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issuerMigrations } from './issuer-migrations.ts';
import { type Corruption, registerIssuerStoreContract, sampleOffer, secret } from './issuer-store.contract.ts';
import { createSqlIssuerStore } from './sql-issuer-store.ts';

// One database per backend for the whole file: PGlite takes seconds to start, a store a few
// queries. Each test starts from empty tables instead.

const TABLES = [
  'issuer_issuance',
  'issuer_status_entry',
  'issuer_status_list',
  'issuer_access_token',
  'issuer_offer',
  'issuer_nonce',
  'issuer_audit',
  'issuer_api_key',
];

async function emptyTables(database: Database): Promise<void> {
  await sql`${sql.raw(TABLES.map((table) => `delete from ${table};`).join(' '))}`.execute(database.kysely);
}

const CORRUPTIONS: Record<Corruption, (tenantId: string, id: string) => ReturnType<typeof sql>> = {
  'an offer whose configuration ids are not a list': (tenantId, id) =>
    sql`update issuer_offer set configuration_ids = '"a string"' where tenant_id = ${tenantId} and id = ${id}`,
  'an offer without its creator': (tenantId, id) =>
    sql`update issuer_offer set created_by = '' where tenant_id = ${tenantId} and id = ${id}`,
  'an issuance record whose claims are not an object': (tenantId, id) =>
    sql`update issuer_issuance set claims = '[1, 2]' where tenant_id = ${tenantId} and id = ${id}`,
  'an audit entry whose details are not an object': (tenantId, id) =>
    sql`update issuer_audit set details = '"text"' where tenant_id = ${tenantId} and seq = ${Number(id)}`,
  'a status entry whose status does not fit the list': (tenantId, id) => {
    const [listId, index] = id.split('/');
    return sql`update issuer_status_entry set status = 200 where tenant_id = ${tenantId} and list_id = ${listId} and idx = ${Number(index)}`;
  },
};

async function corrupt(database: Database, kind: Corruption, tenantId: string, id: string): Promise<void> {
  const { numAffectedRows } = await CORRUPTIONS[kind](tenantId, id).execute(database.kysely);
  expect(numAffectedRows).toBe(1n);
}

async function storedClaims(database: Database, tenantId: string, offerId: string): Promise<unknown> {
  const { rows } = await sql<{
    claims: unknown;
  }>`select claims from issuer_offer where tenant_id = ${tenantId} and id = ${offerId}`.execute(database.kysely);
  return rows[0]?.claims;
}

describe('the SQL issuer store on PGlite in memory', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite' });
    await createSqlIssuerStore(database);
  });
  afterAll(() => database?.close());

  registerIssuerStoreContract({
    open: async (clock, randomBytes) => {
      await emptyTables(database);
      return createSqlIssuerStore(database, { clock, migrate: false, ...(randomBytes ? { randomBytes } : {}) });
    },
    openSibling: (clock) => createSqlIssuerStore(database, { clock, migrate: false }),
    storedClaims: (tenantId, offerId) => storedClaims(database, tenantId, offerId),
    corrupt: (kind, tenantId, id) => corrupt(database, kind, tenantId, id),
  });

  it('tells the caller which row it cannot read, naming no claim values', async () => {
    await emptyTables(database);
    const reported: string[] = [];
    const store = await createSqlIssuerStore(database, {
      onInvalidRecord: (table, key, problem) => reported.push(`${table} ${key}: ${problem}`),
    });
    const offer = sampleOffer({ expiresAt: Date.now() + 60_000 });
    await store.createOffer('ngo-a', offer);
    await corrupt(database, 'an offer whose configuration ids are not a list', 'ngo-a', offer.id);
    expect(await store.getOffer('ngo-a', offer.id)).toBeUndefined();
    expect(reported).toEqual([`issuer_offer ngo-a/${offer.id}: configuration_ids is not a list of ids`]);
  });

  it('stores no secret in the clear: codes, PINs, tokens, nonces and keys appear only hashed', async () => {
    await emptyTables(database);
    const store = await createSqlIssuerStore(database, { migrate: false });
    const offer = sampleOffer({ expiresAt: Date.now() + 60_000, txCode: { pin: '8461937205' } });
    const accessToken = secret();
    const nonce = secret();
    const apiKey = secret();
    await store.createOffer('ngo-a', offer);
    await store.redeemPreAuthorizedCode('ngo-a', {
      code: offer.preAuthorizedCode,
      txCode: '8461937205',
      accessToken,
      accessTokenExpiresAt: Date.now() + 60_000,
    });
    await store.createNonce('ngo-a', nonce, Date.now() + 60_000);
    await store.createApiKey('ngo-a', { id: 'key-1', secret: apiKey, label: 'Desk' });
    const dump = [];
    for (const table of TABLES) {
      const { rows } = await sql`select * from ${sql.table(table)}`.execute(database.kysely);
      dump.push(JSON.stringify(rows));
    }
    const everything = dump.join('\n');
    for (const value of [offer.preAuthorizedCode, '8461937205', accessToken, nonce, apiKey]) {
      expect(everything).not.toContain(value);
    }
  });

  it('refuses a store option that is not a function', async () => {
    await expect(createSqlIssuerStore(database, { clock: 5 as never, migrate: false })).rejects.toThrow(TypeError);
  });
});

describe('the SQL issuer store on PGlite in a folder', () => {
  let folder: { path: string; remove(): Promise<void> };
  let database: Database;
  beforeAll(async () => {
    folder = await makeTempDir('tessera-issuer-store-');
    database = await openDatabase({ kind: 'pglite', dataDir: folder.path });
    await createSqlIssuerStore(database);
  });
  afterAll(async () => {
    await database?.close();
    await folder?.remove();
  });

  registerIssuerStoreContract({
    open: async (clock, randomBytes) => {
      await emptyTables(database);
      return createSqlIssuerStore(database, { clock, migrate: false, ...(randomBytes ? { randomBytes } : {}) });
    },
    reopen: async (clock) => {
      await database.close();
      database = await openDatabase({ kind: 'pglite', dataDir: folder.path });
      return createSqlIssuerStore(database, { clock });
    },
    storedClaims: (tenantId, offerId) => storedClaims(database, tenantId, offerId),
  });

  it('finds its schema up to date when it is opened again', async () => {
    await database.close();
    database = await openDatabase({ kind: 'pglite', dataDir: folder.path });
    const { migrateToLatest } = await import('@tessera/shared/node');
    expect(await migrateToLatest(database, issuerMigrations)).toEqual({ applied: [] });
  });
});

describePostgres('the SQL issuer store on PostgreSQL', (connect) => {
  // The first pool is one replica, `replica` another: separate connections, as two processes have.
  let ready: Promise<{ postgres: TestPostgres; replica: Database }> | undefined;
  const setUp = (): Promise<{ postgres: TestPostgres; replica: Database }> => {
    ready ??= (async () => {
      const postgres = await connect();
      await createSqlIssuerStore(postgres.database);
      return { postgres, replica: await postgres.openAnother() };
    })();
    return ready;
  };

  registerIssuerStoreContract({
    open: async (clock, randomBytes) => {
      const { postgres } = await setUp();
      await emptyTables(postgres.database);
      return createSqlIssuerStore(postgres.database, { clock, migrate: false, ...(randomBytes ? { randomBytes } : {}) });
    },
    // Migrates again, as a second process starting up would: it must find nothing to do.
    openSibling: async (clock) => createSqlIssuerStore((await setUp()).replica, { clock }),
    reopen: async (clock) => createSqlIssuerStore(await (await setUp()).postgres.openAnother(), { clock }),
    storedClaims: async (tenantId, offerId) => storedClaims((await setUp()).postgres.database, tenantId, offerId),
    corrupt: async (kind, tenantId, id) => corrupt((await setUp()).postgres.database, kind, tenantId, id),
  });

  it('lets two processes starting at once on one server migrate once and then serve as one', async () => {
    const { postgres } = await setUp();
    const fresh = await postgres.openAnother();
    const stores = await Promise.all([createSqlIssuerStore(fresh), createSqlIssuerStore(postgres.database)]);
    const offer = sampleOffer({ expiresAt: Date.now() + 60_000 });
    await stores[0]?.createOffer('ngo-a', offer);
    expect(await stores[1]?.getOffer('ngo-a', offer.id)).toMatchObject({ state: 'pending' });
  });
});
