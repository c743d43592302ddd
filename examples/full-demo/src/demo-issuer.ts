import type { RequestListener } from 'node:http';
import { join } from 'node:path';
import { createIssuerApp, createSqlIssuerStore, createStaffApiKey, createTenantKeyring, type IssuerApp } from '@tessera/issuer';
import { createDevelopmentCa, type DevelopmentCa, openDatabase } from '@tessera/shared/node';
import type { DemoSecrets } from './demo-secrets.ts';
import { type Listening, listen } from './listen.ts';

/** The two issuers of the story: a city's immigration office and an NGO's language school. */
export const DEMO_TENANTS = [
  {
    id: 'city',
    name: {
      en: 'City of Bologna — Immigration Office',
      it: 'Comune di Bologna — Ufficio Immigrazione',
      de: 'Stadt Bologna — Ausländerbehörde',
      fr: 'Ville de Bologne — Bureau de l’immigration',
      ar: 'بلدية بولونيا — مكتب الهجرة',
      uk: 'Місто Болонья — імміграційна служба',
    },
    didMethod: 'web',
    credentialTypes: ['residence_permit', 'asylum_seeker_registration'],
  },
  {
    id: 'school',
    name: {
      en: 'Caritas Language School',
      it: 'Scuola di lingua Caritas',
      de: 'Caritas-Sprachschule',
      fr: 'École de langues Caritas',
      ar: 'مدرسة كاريتاس للغات',
      uk: 'Мовна школа Карітас',
    },
    didMethod: 'web',
    credentialTypes: ['language_course_certificate', 'ngo_registration'],
  },
] as const;

export interface DemoIssuer {
  readonly listening: Listening;
  readonly app: IssuerApp;
  /** `http://localhost:<port>`: the issuer's public base URL (its DIDs are did:web on it). */
  readonly origin: string;
  /** The development CA in the data folder, which the wallet and the desk trust in the demo. */
  readonly developmentCa: DevelopmentCa;
  /** Each tenant's DID and staff page. */
  readonly tenants: readonly {
    id: string;
    name: Readonly<Record<string, string>>;
    did: string;
    staffPage: string;
    credentialTypes: readonly string[];
  }[];
  close(): Promise<void>;
}

/**
 * The issuer service on PGlite in `<dataDir>/issuer`: both tenants, their keys (sealed with the
 * demo's key secret), status lists, and one staff API key each, made on the first start and kept
 * in `secrets`. The server listens before the app is built, because the base URL carries the port.
 */
export async function startDemoIssuer({
  dataDir,
  host,
  port,
  secrets,
}: {
  dataDir: string;
  host: string;
  port: number;
  secrets: DemoSecrets;
}): Promise<DemoIssuer> {
  let handler: RequestListener = (_request, response) => response.writeHead(503).end();
  const listening = await listen((request, response) => handler(request, response), host, port);
  const origin = `http://localhost:${listening.port}`;
  const database = await openDatabase({ kind: 'pglite', dataDir: join(dataDir, 'issuer', 'db') }).catch(async (error) => {
    await listening.close();
    throw error;
  });
  try {
    const developmentCa = await createDevelopmentCa({ dir: join(dataDir, 'issuer', 'ca') });
    const store = await createSqlIssuerStore(database);
    const app = await createIssuerApp({
      config: { baseUrl: origin, allowInsecureBaseUrl: true, tenants: DEMO_TENANTS },
      store,
      keyring: await createTenantKeyring({ database, secretKey: secrets.keySecret, baseUrl: origin }),
      developmentCa,
    });
    const tenants = [];
    for (const tenant of DEMO_TENANTS) {
      secrets.staffKeys[tenant.id] ??= (await createStaffApiKey(store, tenant.id, 'Tessera demo')).secret;
      const { did } = await app.context.keyring.identity(tenant.id);
      tenants.push({
        id: tenant.id,
        name: tenant.name,
        did,
        staffPage: `${origin}/tenants/${tenant.id}/staff/`,
        credentialTypes: tenant.credentialTypes,
      });
    }
    handler = app.app;
    return {
      listening,
      app,
      origin,
      developmentCa,
      tenants,
      close: async () => {
        await listening.close();
        await database.close();
      },
    };
  } catch (error) {
    await listening.close();
    await database.close();
    throw error;
  }
}
