import { decodeBase64Url, decodeJws, generateKeyPair, type JsonObject } from '@tessera/shared';
import { type Database, openDatabase } from '@tessera/shared/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { residencePermit } from '../credential-types/index.ts';
import { createTenantKeyring, type TenantKeyring } from '../tenants/index.ts';
import { didJwkOf } from './holder-did-jwk.ts';
import { issueJwtVcJson, VC_CONTEXT_V1 } from './issue-jwt-vc.ts';

const SECRET = '7c'.repeat(32);
const BASE_URL = 'https://issuer.example';
const STATUS = { idx: 7, uri: `${BASE_URL}/tenants/bologna/status/main` };

describe('didJwkOf', () => {
  it('encodes the public members only, in RFC 7638 order, so one key gives one DID', async () => {
    const { publicJwk } = await generateKeyPair();
    const did = didJwkOf(publicJwk);
    expect(did).toMatch(/^did:jwk:[A-Za-z0-9_-]+$/);
    const decoded = JSON.parse(new TextDecoder().decode(decodeBase64Url(did.slice('did:jwk:'.length))));
    expect(Object.keys(decoded)).toEqual(['crv', 'kty', 'x', 'y']);
    expect(didJwkOf({ ...publicJwk, kid: 'k', alg: 'ES256', use: 'sig' })).toBe(did);
  });

  it('refuses a key that is not a public EC JWK', () => {
    expect(() => didJwkOf({ kty: 'oct', k: 'AAAA' })).toThrow(TypeError);
    expect(() => didJwkOf({ kty: 'EC', crv: 'P-256', x: 'AA' })).toThrow(TypeError);
  });
});

describe('issueJwtVcJson through the tenant keyring', () => {
  let database: Database;
  let keyring: TenantKeyring;
  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite' });
    keyring = await createTenantKeyring({ database, secretKey: SECRET, baseUrl: BASE_URL });
    await keyring.ensureTenant({ id: 'bologna', didMethod: 'web' });
  });
  afterAll(() => database?.close());

  const issue = async (tenantId = 'bologna', ring = keyring) =>
    issueJwtVcJson({
      keyring: ring,
      tenantId,
      type: residencePermit,
      claims: { given_name: 'Amina', residence_status: 'lawfully_resident' },
      holder: { key: (await generateKeyPair()).publicJwk },
      status: STATUS,
      issuedAt: 1_800_000_000,
      expiresAt: 1_800_086_400,
    });

  it('maps the credential onto the JWT claims of VCDM 1.1 §6.3.1 and puts status beside vc', async () => {
    const { header, payload } = decodeJws(await issue());
    const identity = await keyring.identity('bologna');
    expect(header).toEqual({ alg: 'ES256', typ: 'JWT', kid: identity.kid });
    expect(payload).toEqual({
      iss: identity.did,
      sub: expect.stringMatching(/^did:jwk:/),
      nbf: 1_800_000_000,
      exp: 1_800_086_400,
      status: { status_list: STATUS },
      vc: {
        '@context': [VC_CONTEXT_V1],
        type: ['VerifiableCredential', 'ResidencePermitCredential'],
        credentialSubject: { given_name: 'Amina', residence_status: 'lawfully_resident' },
      },
    });
  });

  it('refuses claims the credential mapping owns, and an unknown tenant', async () => {
    const credential = { credentialSubject: {}, issuanceDate: '2027-01-01T00:00:00Z' };
    for (const name of ['iss', 'sub', 'nbf', 'exp', 'jti', 'vc']) {
      await expect(
        keyring.issueW3cCredentialJwt('bologna', { credential, claims: { [name]: 'x' } as JsonObject }),
      ).rejects.toThrow(TypeError);
    }
    await expect(
      keyring.issueW3cCredentialJwt('bologna', { credential: { ...credential, iss: 'did:example:evil' } }),
    ).rejects.toThrow(TypeError);
    await expect(issue('nobody')).rejects.toMatchObject({ code: 'issuer_key_not_found' });
    await expect(issue('../etc')).rejects.toMatchObject({ code: 'issuer_key_not_found' });
  });

  it('fails with key_decryption_failed under a wrong secret, and signs nothing', async () => {
    const wrong = await createTenantKeyring({ database, secretKey: '8d'.repeat(32), baseUrl: BASE_URL });
    await expect(issue('bologna', wrong)).rejects.toMatchObject({ code: 'key_decryption_failed' });
  });
});
