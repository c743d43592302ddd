import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Database, openDatabase } from '@tessera/shared/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIssuerApp } from '../app/create-issuer-app.ts';
import { residencePermit, SHIPPED_CREDENTIAL_TYPES } from '../credential-types/index.ts';
import { createSqlIssuerStore } from '../store/index.ts';
import { createTenantKeyring } from '../tenants/index.ts';

describe('type metadata at the vct URL', () => {
  let server: Server;
  let database: Database;
  let origin: string;
  beforeAll(async () => {
    let handler: Parameters<typeof createServer>[1] = (_request, response) => response.writeHead(503).end();
    server = createServer((request, response) => handler?.(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://localhost:${(server.address() as AddressInfo).port}`;
    database = await openDatabase({ kind: 'pglite' });
    const local = { ...residencePermit, id: 'local_permit', vct: `${origin}/credentials/local-permit` };
    const { app } = await createIssuerApp({
      config: {
        baseUrl: origin,
        allowInsecureBaseUrl: true,
        tenants: [{ id: 'city', name: { en: 'City' }, didMethod: 'jwk', credentialTypes: ['local_permit'] }],
      },
      credentialTypes: [...SHIPPED_CREDENTIAL_TYPES, local],
      store: await createSqlIssuerStore(database),
      keyring: await createTenantKeyring({ database, secretKey: '7e'.repeat(32), baseUrl: origin }),
    });
    handler = app;
  }, 60_000);
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await database?.close();
  });

  it('serves a type whose vct lies under the service at that URL, identical to /types/<id>', async () => {
    const atVct = await fetch(`${origin}/credentials/local-permit`);
    expect(atVct.status).toBe(200);
    const body = await atVct.text();
    expect(JSON.parse(body).vct).toBe(`${origin}/credentials/local-permit`);
    expect(await (await fetch(`${origin}/types/local_permit`)).text()).toBe(body);
    // A vct under another origin is not claimed here.
    expect((await fetch(`${origin}/credentials/residence-permit`)).status).toBe(404);
  });
});
