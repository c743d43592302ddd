/**
 * The issuer app on 127.0.0.1 for the staff, open-data and OpenAPI tests: two tenants, an
 * authority with a 2-bit status list (revocation and suspension) and an NGO with a 1-bit list.
 */
import type { Database } from '@tessera/shared/node';
import type { CreateIssuerAppOptions } from '../app/create-issuer-app.ts';
import { startTestIssuer, type TestIssuer } from '../app/test-issuer.ts';
import { RESIDENCE_PERMIT_CLAIMS } from '../credential-types/test-types.ts';
import { type CreatedStaffApiKey, createStaffApiKey } from './staff-api-key.ts';

export interface RunningIssuer extends TestIssuer {
  readonly keys: { readonly bologna: CreatedStaffApiKey; readonly caritas: CreatedStaffApiKey };
}

export async function startStaffTestIssuer(
  database: Database,
  { staff = { rateLimit: { max: 10_000 } } }: Pick<CreateIssuerAppOptions, 'staff'> = {},
): Promise<RunningIssuer> {
  const started = await startTestIssuer(database, {
    staff,
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
  });
  const { store } = started.issuer.context;
  const keys = {
    bologna: await createStaffApiKey(store, 'bologna', 'Front desk'),
    caritas: await createStaffApiKey(store, 'caritas', 'Caritas desk'),
  };
  return { ...started, keys };
}

export const PERMIT_SECRET = 'Amina-PLANTED-SECRET';

/** A residence permit whose given name is a value that must never show up in logs or errors. */
export const PERMIT_CLAIMS = { ...RESIDENCE_PERMIT_CLAIMS, given_name: PERMIT_SECRET };
