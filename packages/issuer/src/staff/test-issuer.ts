/**
 * The issuer app on 127.0.0.1 for the staff, open-data and OpenAPI tests: two tenants, an
 * authority with a 2-bit status list (revocation and suspension) and an NGO with a 1-bit list.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Database } from '@tessera/shared/node';
import { type CreateIssuerAppOptions, createIssuerApp, type IssuerApp } from '../app/create-issuer-app.ts';
import { createSqlIssuerStore } from '../store/index.ts';
import { createTenantKeyring } from '../tenants/index.ts';
import { type CreatedStaffApiKey, createStaffApiKey } from './staff-api-key.ts';

export interface RunningIssuer {
  readonly issuer: IssuerApp;
  /** `http://localhost:<port>`: the base URL the issuer believes it has. */
  readonly origin: string;
  readonly keys: { readonly bologna: CreatedStaffApiKey; readonly caritas: CreatedStaffApiKey };
  close(): Promise<void>;
}

export async function startTestIssuer(
  database: Database,
  { staff = { rateLimit: { max: 10_000 } } }: Pick<CreateIssuerAppOptions, 'staff'> = {},
): Promise<RunningIssuer> {
  let handler: Parameters<typeof createServer>[1] = (_request, response) => response.writeHead(503).end();
  const server: Server = createServer((request, response) => handler?.(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  const store = await createSqlIssuerStore(database);
  const issuer = await createIssuerApp({
    config: {
      baseUrl: origin,
      allowInsecureBaseUrl: true,
      tenants: [
        {
          id: 'bologna',
          name: { en: 'City of Bologna', it: 'Comune di Bologna', ar: 'بلدية بولونيا' },
          didMethod: 'web',
          credentialTypes: ['residence_permit', 'asylum_seeker_registration'],
          statusList: { size: 4096, bits: 2 },
        },
        {
          id: 'caritas',
          name: { en: 'Caritas Bologna', it: 'Caritas Bologna' },
          didMethod: 'jwk',
          credentialTypes: ['ngo_registration', 'language_course_certificate'],
          statusList: { size: 4096, bits: 1 },
        },
      ],
    },
    store,
    keyring: await createTenantKeyring({ database, secretKey: '6b'.repeat(32), baseUrl: origin }),
    staff,
  });
  handler = issuer.app;
  const keys = {
    bologna: await createStaffApiKey(store, 'bologna', 'Front desk'),
    caritas: await createStaffApiKey(store, 'caritas', 'Caritas desk'),
  };
  return {
    issuer,
    origin,
    keys,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export const PERMIT_SECRET = 'Amina-PLANTED-SECRET';

/** A residence permit whose given name is a value that must never show up in logs or errors. */
export const PERMIT_CLAIMS = {
  given_name: PERMIT_SECRET,
  family_name: 'Haile',
  birth_date: '1994-03-07',
  nationality: 'ER',
  residence_status: 'lawfully_resident',
  permit_type: 'humanitarian',
  valid_until: '2027-06-30',
  address: { street_address: 'Via Roma 5', locality: 'Bologna', postal_code: '40121' },
  age_equal_or_over: { '18': true },
};
