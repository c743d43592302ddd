import {
  type ClaimPath,
  generateKeyPair,
  issueSdJwtVc,
  type JsonObject,
  presentSdJwt,
  toPublicJwk,
  verifySdJwtVc,
} from '@tessera/shared';
import { nodeCrypto, nodeSigningKey } from '@tessera/shared/node';
import { beforeAll, describe, expect, it } from 'vitest';
import { type CredentialType, credentialExpiresAt, parseCredentialType } from './credential-type.ts';
import { disclosablePaths } from './disclosable-paths.ts';
import { residencePermit } from './shipped/index.ts';
import { RESIDENCE_PERMIT_CLAIMS, sampleTypeInput } from './test-types.ts';
import { validateClaims } from './validate-claims.ts';

const ISSUER = 'https://issuer.example/tenants/berlin';
const GIVEN = 'Amina-SECRET-7c2d';

const PERMIT_CLAIMS = { ...RESIDENCE_PERMIT_CLAIMS, given_name: GIVEN };

let issuerKeys: Awaited<ReturnType<typeof generateKeyPair>>;
let holderKeys: Awaited<ReturnType<typeof generateKeyPair>>;

beforeAll(async () => {
  issuerKeys = await generateKeyPair('ES256');
  holderKeys = await generateKeyPair('ES256');
});

/** Issues a credential of `type` the way the credential endpoint will: validated claims, derived paths. */
async function issue(type: CredentialType, input: unknown): Promise<string> {
  const issuedAt = Math.floor(Date.now() / 1000);
  return issueSdJwtVc({
    issuer: ISSUER,
    vct: type.vct,
    claims: validateClaims(type, input),
    disclosable: disclosablePaths(type),
    holderKey: toPublicJwk(holderKeys.publicJwk),
    issuedAt,
    expiresAt: credentialExpiresAt(type, issuedAt),
    signingKey: nodeSigningKey(issuerKeys.privateJwk, 'ES256'),
    crypto: nodeCrypto,
  });
}

function payloadOf(sdJwt: string): JsonObject {
  const jwt = sdJwt.split('~')[0] as string;
  return JSON.parse(Buffer.from(jwt.split('.')[1] as string, 'base64url').toString('utf8')) as JsonObject;
}

const sortPaths = (paths: readonly ClaimPath[]) => paths.map((path) => JSON.stringify(path)).sort();

describe('disclosablePaths', () => {
  it('lists always and allowed claims and leaves out never claims', () => {
    const type = parseCredentialType(sampleTypeInput());
    expect(disclosablePaths(type)).toEqual([
      ['member_name'],
      ['member_since'],
      ['loans'],
      ['card'],
      ['card', 'number'],
      ['card', 'premium'],
    ]);
  });

  it('lists every claim of the residence permit, nested ones included', () => {
    expect(disclosablePaths(residencePermit)).toContainEqual(['age_equal_or_over', '18']);
    expect(disclosablePaths(residencePermit)).toContainEqual(['address', 'postal_code']);
    expect(disclosablePaths(residencePermit)).toHaveLength(residencePermit.claims.length);
  });

  it('returns fresh arrays that callers may change without changing the type', () => {
    const [first] = disclosablePaths(residencePermit) as string[][];
    first?.push('x');
    expect(residencePermit.claims[0]?.path).toEqual(['given_name']);
  });
});

describe('issuing with disclosablePaths (round trip through @tessera/shared)', () => {
  it('hides every residence permit claim behind a disclosure, registered claims in the clear', async () => {
    const credential = await issue(residencePermit, PERMIT_CLAIMS);
    const payload = payloadOf(credential);
    expect(payload).toMatchObject({ iss: ISSUER, vct: residencePermit.vct });
    expect(typeof payload.exp).toBe('number');
    for (const name of Object.keys(PERMIT_CLAIMS)) expect(payload).not.toHaveProperty(name);
    expect(JSON.stringify(payload)).not.toContain(GIVEN);

    const verified = await verifySdJwtVc(credential, {
      issuerKey: toPublicJwk(issuerKeys.publicJwk),
      crypto: nodeCrypto,
      keyBinding: 'forbidden',
      vct: residencePermit.vct,
    });
    expect(sortPaths(verified.disclosed)).toEqual(sortPaths(disclosablePaths(residencePermit)));
    expect(verified.claims).toMatchObject(PERMIT_CLAIMS);
  });

  it('lets the holder show residence_status and being 18 or over, and nothing else', async () => {
    const credential = await issue(residencePermit, PERMIT_CLAIMS);
    const presentation = await presentSdJwt(credential, {
      disclose: [['residence_status'], ['age_equal_or_over', '18']],
      crypto: nodeCrypto,
    });
    const verified = await verifySdJwtVc(presentation, {
      issuerKey: toPublicJwk(issuerKeys.publicJwk),
      crypto: nodeCrypto,
      keyBinding: 'forbidden',
    });
    expect(verified.claims.residence_status).toBe('lawfully_resident');
    expect(verified.claims.age_equal_or_over).toEqual({ '18': true });
    for (const name of ['given_name', 'family_name', 'birth_date', 'nationality', 'address']) {
      expect(verified.claims).not.toHaveProperty(name);
    }
    const disclosures = presentation.split('~').slice(1, -1);
    expect(disclosures).toHaveLength(3);
    for (const disclosure of disclosures) expect(Buffer.from(disclosure, 'base64url').toString('utf8')).not.toContain(GIVEN);
  });

  it('shows one address member without the others', async () => {
    const credential = await issue(residencePermit, PERMIT_CLAIMS);
    const presentation = await presentSdJwt(credential, { disclose: [['address', 'locality']], crypto: nodeCrypto });
    const verified = await verifySdJwtVc(presentation, {
      issuerKey: toPublicJwk(issuerKeys.publicJwk),
      crypto: nodeCrypto,
      keyBinding: 'forbidden',
    });
    expect(verified.claims.address).toEqual({ locality: RESIDENCE_PERMIT_CLAIMS.address.locality });
  });

  it('puts a never-disclosable claim in the clear and keeps the others hidden', async () => {
    const type = parseCredentialType(sampleTypeInput());
    const credential = await issue(type, { member_name: GIVEN, branch: 'south', loans: 2, card: { number: 'C-17' } });
    const payload = payloadOf(credential);
    expect(payload.branch).toBe('south');
    expect(payload).not.toHaveProperty('member_name');
    expect(payload).not.toHaveProperty('loans');
    const verified = await verifySdJwtVc(credential, {
      issuerKey: toPublicJwk(issuerKeys.publicJwk),
      crypto: nodeCrypto,
      keyBinding: 'forbidden',
    });
    expect(verified.disclosed).not.toContainEqual(['branch']);
    expect(verified.claims).toMatchObject({ member_name: GIVEN, branch: 'south', loans: 2, card: { number: 'C-17' } });
  });
});
