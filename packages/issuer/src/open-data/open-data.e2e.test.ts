/**
 * Open data over real HTTP: `GET /tenants` and `GET /types`, readable from any origin and
 * cacheable, holding only what the tenants already publish in their metadata.
 */
import { type Database, openDatabase } from '@tessera/shared/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STATUS_LIST_ID } from '../app/issuer-context.ts';
import { SHIPPED_CREDENTIAL_TYPES, serializeTypeMetadata, typeMetadata } from '../credential-types/index.ts';
import { getJson } from '../oid4vci/test-wallet.ts';
import { type RunningIssuer, startStaffTestIssuer } from '../staff/test-issuer.ts';

describe('open data', () => {
  let running: RunningIssuer;
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite' });
    running = await startStaffTestIssuer(database);
  }, 60_000);
  afterAll(async () => {
    await running?.close();
    await database?.close();
  });

  it("lists each tenant's public identity: names, DID, issuer identifier, status lists, types", async () => {
    const answer = await getJson(`${running.origin}/tenants`);
    expect(answer.status).toBe(200);
    const { origin } = running;
    const bolognaDid = (await running.issuer.context.keyring.identity('bologna')).did;
    const caritasDid = (await running.issuer.context.keyring.identity('caritas')).did;
    expect(answer.body.tenants).toEqual([
      {
        id: 'bologna',
        name: { en: 'City of Bologna', it: 'Comune di Bologna', ar: 'بلدية بولونيا' },
        did: bolognaDid,
        didDocument: `${origin}/tenants/bologna/did.json`,
        keySource: 'did',
        credentialIssuer: `${origin}/tenants/bologna`,
        credentialIssuerMetadata: `${origin}/.well-known/openid-credential-issuer/tenants/bologna`,
        statusLists: [`${origin}/tenants/bologna/status/${STATUS_LIST_ID}`],
        credentialTypes: [
          {
            id: 'residence_permit',
            vct: 'https://tessera.example/credentials/residence-permit',
            metadata: `${origin}/types/residence_permit`,
            configurationIds: ['residence_permit', 'residence_permit_jwt_vc_json'],
          },
          expect.objectContaining({ id: 'asylum_seeker_registration' }),
        ],
      },
      expect.objectContaining({ id: 'caritas', did: caritasDid, keySource: 'did' }),
    ]);
    expect(bolognaDid).toMatch(/^did:web:/);
    expect(answer.body.tenants).not.toContainEqual(expect.objectContaining({ id: 'caritas', didDocument: expect.anything() }));
    // What it points at is really there.
    expect((await fetch(`${origin}/tenants/bologna/status/${STATUS_LIST_ID}`)).status).toBe(200);
    expect((await getJson(`${origin}/tenants/bologna/did.json`)).body.id).toBe(bolognaDid);
  });

  it('lists every credential type with the same metadata as its vct URL serves', async () => {
    const answer = await getJson(`${running.origin}/types`);
    expect(answer.status).toBe(200);
    const types = answer.body.types as { id: string; metadata: unknown; metadataUrl: string }[];
    expect(types.map((type) => type.id)).toEqual(SHIPPED_CREDENTIAL_TYPES.map((type) => type.id));
    const ngo = types.find((type) => type.id === 'ngo_registration');
    expect(ngo).toMatchObject({ issuerKind: 'ngo', formats: ['dc+sd-jwt', 'jwt_vc_json'], validityDays: 365 });
    for (const type of SHIPPED_CREDENTIAL_TYPES) {
      const listed = types.find((entry) => entry.id === type.id);
      expect(listed?.metadata).toEqual(typeMetadata(type));
      const served = await fetch(String(listed?.metadataUrl));
      expect(await served.text()).toBe(serializeTypeMetadata(typeMetadata(type)));
    }
  });

  it('is readable from any origin and cacheable', async () => {
    for (const path of ['/tenants', '/types']) {
      const answer = await fetch(`${running.origin}${path}`, { headers: { origin: 'https://research.example' } });
      expect(answer.headers.get('access-control-allow-origin')).toBe('*');
      expect(answer.headers.get('cache-control')).toBe('public, max-age=300');
      const preflight = await fetch(`${running.origin}${path}`, {
        method: 'OPTIONS',
        headers: { origin: 'https://research.example', 'access-control-request-method': 'GET' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    }
  });
});
