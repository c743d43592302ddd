/**
 * Test-only: the issuer app served over real HTTP on 127.0.0.1, on the caller's database, for the
 * end-to-end tests of this package and of the wallet (`@tessera/issuer/testing`).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Clock } from '@tessera/shared';
import { createDevelopmentCa, type Database, type DevelopmentCa } from '@tessera/shared/node';
import { makeTempDir } from '@tessera/shared/node/testing';
import { RESIDENCE_PERMIT_CLAIMS } from '../credential-types/test-types.ts';
import { type CreatedCredentialOffer, createCredentialOffer, type NewCredentialOffer } from '../oid4vci/credential-offer.ts';
import type { StaffRouterOptions } from '../staff/staff-router.ts';
import { createSqlIssuerStore } from '../store/index.ts';
import { createTenantKeyring } from '../tenants/index.ts';
import { createIssuerApp, type IssuerApp } from './create-issuer-app.ts';

/** One tenant as the configuration file writes it (`issuerConfigSchema`), checked by the app. */
export interface TestTenant {
  readonly id: string;
  readonly keySource?: string;
  readonly [key: string]: unknown;
}

/** A tenant that issues residence permits only, with a 4096-entry status list; `keys` picks its DID method or x5c. */
export function permitTenant(
  id: string,
  name: Readonly<Record<string, string>>,
  keys: Readonly<Record<string, string>>,
): TestTenant {
  return { id, name, ...keys, credentialTypes: ['residence_permit'], statusList: { size: 4096 } };
}

export interface StartTestIssuerOptions {
  readonly tenants: readonly TestTenant[];
  /** The configuration's `batchSize`; the app's default when absent. */
  readonly batchSize?: number;
  readonly staff?: StaffRouterOptions;
  /** One clock for the app, its store and its keyring; default `Date.now`. */
  readonly clock?: Clock;
}

export interface TestIssuer {
  readonly issuer: IssuerApp;
  /** `http://localhost:<port>`: the base URL the issuer believes it has; it listens on 127.0.0.1. */
  readonly origin: string;
  /** The development CA, made in a temp folder when a tenant signs with `x5c`. */
  readonly developmentCa: DevelopmentCa | undefined;
  /** The DID a tenant signs with (did:web or did:jwk). */
  did(tenantId: string): Promise<string>;
  /**
   * An offer as staff would make it (`createCredentialOffer`): by default a residence permit of
   * `tenantId` with `RESIDENCE_PERMIT_CLAIMS` and a PIN, made by `staff-1`.
   */
  offer(tenantId: string, options?: Partial<Omit<NewCredentialOffer, 'tenantId'>>): Promise<CreatedCredentialOffer>;
  close(): Promise<void>;
}

/**
 * Starts the issuer app on an ephemeral port of 127.0.0.1. The server listens before the app is
 * built because the base URL (and so every DID and `credential_issuer`) carries the port.
 */
export async function startTestIssuer(
  database: Database,
  { tenants, batchSize, staff, clock }: StartTestIssuerOptions,
): Promise<TestIssuer> {
  let handler: Parameters<typeof createServer>[1] = (_request, response) => response.writeHead(503).end();
  const server: Server = createServer((request, response) => handler?.(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  const caFolder = tenants.some((tenant) => tenant.keySource === 'x5c') ? await makeTempDir('tessera-issuer-ca-') : undefined;
  const developmentCa = caFolder && (await createDevelopmentCa({ dir: join(caFolder.path, 'ca') }));
  const issuer = await createIssuerApp({
    config: {
      baseUrl: origin,
      allowInsecureBaseUrl: true,
      ...(batchSize !== undefined ? { batchSize } : {}),
      tenants,
    },
    store: await createSqlIssuerStore(database, clock !== undefined ? { clock } : {}),
    keyring: await createTenantKeyring({
      database,
      secretKey: '6b'.repeat(32),
      baseUrl: origin,
      ...(clock !== undefined ? { clock } : {}),
    }),
    ...(developmentCa !== undefined ? { developmentCa } : {}),
    ...(staff !== undefined ? { staff } : {}),
    ...(clock !== undefined ? { clock } : {}),
  });
  handler = issuer.app;
  return {
    issuer,
    origin,
    developmentCa,
    did: async (tenantId) => (await issuer.context.keyring.identity(tenantId)).did,
    offer: (tenantId, options = {}) =>
      createCredentialOffer(issuer.context, {
        tenantId,
        typeId: 'residence_permit',
        claims: RESIDENCE_PERMIT_CLAIMS,
        createdBy: 'staff-1',
        ...options,
      }),
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await caFolder?.remove();
    },
  };
}
