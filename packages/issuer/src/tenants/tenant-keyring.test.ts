import { join } from 'node:path';
import { type Database, openDatabase } from '@tessera/shared/node';
import { describePostgres, makeTempDir } from '@tessera/shared/node/testing';
import { compactVerify, importJWK } from 'jose';
import { afterAll, describe, expect, it } from 'vitest';
import { BASE_URL, dumpTables, registerTenantKeyringContract, SECRET, signJws } from './tenant-keyring.contract.ts';
import { createTenantKeyring } from './tenant-keyring.ts';

describe('the tenant keyring on PGlite in memory', () => {
  let database: Database | undefined;
  afterAll(() => database?.close());
  registerTenantKeyringContract({
    database: async () => {
      database ??= await openDatabase({ kind: 'pglite' });
      return database;
    },
  });
});

describePostgres('the tenant keyring on PostgreSQL', (connect) => {
  registerTenantKeyringContract({
    database: async () => (await connect()).database,
    anotherDatabase: async () => (await connect()).openAnother(),
  });
});

describe('the tenant keyring on PGlite in a folder', () => {
  it('keeps tenants and keys across a restart, still sealed, and signs with the same key', async () => {
    const folder = await makeTempDir('tessera-keyring-');
    try {
      const dataDir = join(folder.path, 'db');
      let database = await openDatabase({ kind: 'pglite', dataDir });
      let keyring = await createTenantKeyring({ database, secretKey: SECRET, baseUrl: BASE_URL });
      const web = await keyring.ensureTenant({ id: 'bologna', didMethod: 'web' });
      const rotated = await keyring.rotate('bologna');
      const jwk = await keyring.ensureTenant({ id: 'local', didMethod: 'jwk' });
      const documentBefore = await keyring.didDocument('bologna');
      await database.close();

      database = await openDatabase({ kind: 'pglite', dataDir });
      try {
        keyring = await createTenantKeyring({ database, secretKey: SECRET, baseUrl: BASE_URL });
        const reopened = await keyring.identity('bologna');
        expect(reopened.kid).toBe(rotated.kid);
        expect(reopened.kid).not.toBe(web.kid);
        expect(await keyring.didDocument('bologna')).toEqual(documentBefore);
        expect((await keyring.ensureTenant({ id: 'local', didMethod: 'jwk' })).did).toBe(jwk.did);
        const jws = await signJws(reopened, { after: 'restart' });
        await expect(compactVerify(jws, await importJWK(rotated.publicJwk, 'ES256'))).resolves.toBeDefined();
        expect(await dumpTables(database)).not.toContain('"privateKeyHex"');
      } finally {
        await database.close();
      }
    } finally {
      await folder.remove();
    }
  });
});
