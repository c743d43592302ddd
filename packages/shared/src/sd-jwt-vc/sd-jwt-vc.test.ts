import { describe, expect, it } from 'vitest';
import type { JsonObject, JsonValue } from '../encoding/json.ts';
import { presentSdJwt } from '../sd-jwt/present.ts';
import {
  AUDIENCE,
  clock,
  cnfOf,
  crypto,
  disclosure,
  expectFailure,
  holder,
  issuer,
  issuerJwt,
  joinSdJwt,
  NONCE,
  NOW,
  type TestDisclosure,
  vcPayload,
  withKb,
} from '../sd-jwt/test-helpers.ts';
import { type IssueSdJwtVcOptions, issueSdJwtVc } from './issue.ts';
import { NON_DISCLOSABLE_CLAIMS, SD_JWT_VC_TYP } from './rules.ts';
import { type VerifySdJwtVcOptions, verifySdJwtVc } from './verify.ts';

const GIVEN = 'Erika-SECRET-given-5c1e';
const STATUS = { status_list: { idx: 412, uri: 'https://issuer.example/status/1' } };
const VCT = 'https://credentials.example/residence-permit';

function issueOptions(extra: Partial<IssueSdJwtVcOptions> = {}): IssueSdJwtVcOptions {
  return {
    issuer: 'https://issuer.example',
    vct: VCT,
    claims: { given_name: GIVEN, family_name: 'Mustermann' },
    disclosable: [['given_name'], ['family_name']],
    holderKey: holder.publicJwk,
    status: STATUS.status_list,
    issuedAt: NOW - 60,
    expiresAt: NOW + 3600,
    signingKey: issuer.signingKey,
    crypto,
    ...extra,
  };
}

function verifyOptions(extra: Partial<VerifySdJwtVcOptions> = {}): VerifySdJwtVcOptions {
  return { issuerKey: issuer.publicJwk, crypto, keyBinding: 'forbidden', clock, ...extra };
}

/** A hand-crafted SD-JWT VC: `payload` with `_sd` over the disclosures, signed by the issuer. */
async function crafted(payload: JsonObject, disclosures: readonly TestDisclosure[], topLevel = disclosures): Promise<string> {
  const jwt = await issuerJwt({ ...payload, _sd: topLevel.map((d) => d.digest) });
  return joinSdJwt(jwt, disclosures);
}

/** The baseline payload without `name`, so a disclosure can carry it instead. */
function without(name: string): JsonObject {
  const payload = vcPayload({ status: STATUS, 'vct#integrity': 'sha256-abc', nbf: NOW - 60 });
  delete payload[name];
  return payload;
}

const VALUES: Record<string, JsonValue> = {
  iss: 'https://issuer.example',
  nbf: NOW - 60,
  exp: NOW + 3600,
  cnf: cnfOf() as JsonValue,
  vct: VCT,
  'vct#integrity': 'sha256-abc',
  status: STATUS,
};

describe('issueSdJwtVc', () => {
  it('issues a credential that verifies, with registered claims in the clear', async () => {
    const issued = await issueSdJwtVc(issueOptions());
    const payload = JSON.parse(Buffer.from(issued.split('.')[1] as string, 'base64url').toString()) as JsonObject;
    expect(payload).toMatchObject({ iss: 'https://issuer.example', vct: VCT, iat: NOW - 60, exp: NOW + 3600, status: STATUS });
    expect(payload.cnf).toEqual({ jwk: { kty: 'EC', crv: 'P-256', x: holder.publicJwk.x, y: holder.publicJwk.y } });
    expect(JSON.stringify(payload)).not.toContain(GIVEN);
    const header = JSON.parse(Buffer.from(issued.split('.')[0] as string, 'base64url').toString());
    expect(header).toEqual({ alg: 'ES256', typ: SD_JWT_VC_TYP });
    const verified = await verifySdJwtVc(issued, verifyOptions());
    expect(verified).toMatchObject({ issuer: 'https://issuer.example', vct: VCT, status: STATUS.status_list });
    expect(verified.holderKey).toMatchObject({ kty: 'EC', x: holder.publicJwk.x });
    expect(verified.claims.given_name).toBe(GIVEN);
  });

  it.each(NON_DISCLOSABLE_CLAIMS.map((name) => [name]))('refuses to make %s selectively disclosable', async (name) => {
    await expectFailure(issueSdJwtVc(issueOptions({ disclosable: [['given_name'], [name]] })), 'non_disclosable_claim', [GIVEN]);
  });

  it.each([[['cnf', 'jwk']], [['cnf', 'jwk', 'x']], [['status', 'status_list']], [['status', 'status_list', 'idx']]])(
    'refuses to make the part %j of a registered claim selectively disclosable',
    async (path) => {
      await expectFailure(issueSdJwtVc(issueOptions({ disclosable: [path] })), 'non_disclosable_claim');
    },
  );

  it('allows sub and iat to be selectively disclosable (draft-ietf-oauth-sd-jwt-vc §3.2.2.2)', async () => {
    const issued = await issueSdJwtVc(issueOptions({ claims: { sub: 'user-42' }, disclosable: [['sub'], ['iat']] }));
    const payload = JSON.parse(Buffer.from(issued.split('.')[1] as string, 'base64url').toString()) as JsonObject;
    expect(payload).not.toHaveProperty('iat');
    expect(payload).not.toHaveProperty('sub');
    const verified = await verifySdJwtVc(issued, verifyOptions());
    expect(verified.claims).toMatchObject({ sub: 'user-42', iat: NOW - 60 });
  });

  it.each([...NON_DISCLOSABLE_CLAIMS, 'iat'].map((name) => [name]))(
    'refuses %s inside claims: registered claims have their own options',
    async (name) => {
      await expect(issueSdJwtVc(issueOptions({ claims: { [name]: 'x' } }))).rejects.toThrow(TypeError);
    },
  );

  it.each([
    ['an empty issuer', { issuer: '' }],
    ['an empty vct', { vct: '' }],
    ['a private holder key', { holderKey: holder.privateJwk }],
  ])('refuses %s as a programmer mistake', async (_, extra) => {
    await expect(issueSdJwtVc(issueOptions(extra))).rejects.toThrow(TypeError);
  });

  it.each([
    ['a negative idx', { idx: -1, uri: STATUS.status_list.uri }],
    ['a fractional idx', { idx: 1.5, uri: STATUS.status_list.uri }],
    ['a relative uri', { idx: 1, uri: 'status/1' }],
  ])('refuses a status reference with %s', async (_, status) => {
    await expectFailure(issueSdJwtVc(issueOptions({ status })), 'invalid_status_reference');
  });
});

describe('verifySdJwtVc', () => {
  it('accepts the hand-crafted baseline, so each negative test below changes exactly one thing', async () => {
    const given = await disclosure('given_name', GIVEN);
    const result = await verifySdJwtVc(await crafted(without('none'), [given]), verifyOptions());
    expect(result.claims).toMatchObject({ given_name: GIVEN, 'vct#integrity': 'sha256-abc' });
    expect(result.status).toEqual(STATUS.status_list);
  });

  it.each(NON_DISCLOSABLE_CLAIMS.map((name) => [name]))('rejects a credential that discloses %s', async (name) => {
    const hidden = await disclosure(name, VALUES[name] as JsonValue);
    await expectFailure(verifySdJwtVc(await crafted(without(name), [hidden]), verifyOptions()), 'non_disclosable_claim', [
      JSON.stringify(VALUES[name]),
    ]);
  });

  it('rejects a disclosed cnf even when key binding is required', async () => {
    const cnf = await disclosure('cnf', cnfOf());
    const presentation = await withKb(await crafted(without('cnf'), [cnf]));
    await expectFailure(
      verifySdJwtVc(presentation, verifyOptions({ keyBinding: 'required', audience: AUDIENCE, nonce: NONCE })),
      'non_disclosable_claim',
    );
  });

  it.each([
    ['cnf', 'jwk', holder.publicJwk as JsonValue],
    ['status', 'status_list', STATUS.status_list as JsonValue],
  ])('rejects a credential that discloses a member of %s', async (parent, member, value) => {
    const inner = await disclosure(member, value);
    const payload = without(parent);
    payload[parent] = { _sd: [inner.digest] };
    await expectFailure(verifySdJwtVc(await crafted(payload, [inner], []), verifyOptions()), 'non_disclosable_claim');
  });

  it.each([
    ['no vct', 'vct', undefined],
    ['an empty vct', 'vct', ''],
    ['a numeric vct', 'vct', 7],
    ['no iss', 'iss', undefined],
    ['an empty iss', 'iss', ''],
    ['an object iss', 'iss', { id: 'https://issuer.example' }],
  ])('rejects a credential with %s', async (_, name, value) => {
    const payload = without(name);
    if (value !== undefined) payload[name] = value;
    await expectFailure(verifySdJwtVc(await crafted(payload, []), verifyOptions()), 'missing_claim');
  });

  it('accepts only the credential types the verifier lists', async () => {
    const token = await crafted(without('none'), []);
    await expectFailure(verifySdJwtVc(token, verifyOptions({ vct: 'https://credentials.example/other' })), 'invalid_claim');
    await expectFailure(verifySdJwtVc(token, verifyOptions({ vct: [`${VCT}/`, VCT.toUpperCase()] })), 'invalid_claim');
    await expect(verifySdJwtVc(token, verifyOptions({ vct: VCT }))).resolves.toMatchObject({ vct: VCT });
    await expect(verifySdJwtVc(token, verifyOptions({ vct: ['x', VCT] }))).resolves.toMatchObject({ vct: VCT });
  });

  it.each([
    ['a string', 'revoked'],
    ['an empty object', {}],
    ['a string status_list', { status_list: 'x' }],
    ['a negative idx', { status_list: { idx: -1, uri: STATUS.status_list.uri } }],
    ['a fractional idx', { status_list: { idx: 0.5, uri: STATUS.status_list.uri } }],
    ['a string idx', { status_list: { idx: '4', uri: STATUS.status_list.uri } }],
    ['an unsafe integer idx', { status_list: { idx: 2 ** 53, uri: STATUS.status_list.uri } }],
    ['no uri', { status_list: { idx: 4 } }],
    ['a relative uri', { status_list: { idx: 4, uri: '/status/1' } }],
    ['a numeric uri', { status_list: { idx: 4, uri: 42 } }],
    ['an overlong uri', { status_list: { idx: 4, uri: `https://issuer.example/${'a'.repeat(3000)}` } }],
  ])('rejects a status reference that is %s', async (_, status) => {
    const payload = without('status');
    payload.status = status as JsonValue;
    await expectFailure(verifySdJwtVc(await crafted(payload, []), verifyOptions()), 'invalid_status_reference');
  });

  it('rejects a cnf without a jwk when key binding is not required', async () => {
    const payload = without('cnf');
    payload.cnf = { kid: 'holder' };
    await expectFailure(verifySdJwtVc(await crafted(payload, []), verifyOptions()), 'invalid_claim');
  });

  it.each([['vc+sd-jwt'], ['example+sd-jwt'], ['JWT']])('rejects the issuer JWT typ %s', async (typ) => {
    const jwt = await issuerJwt(without('none'), { typ });
    await expectFailure(verifySdJwtVc(`${jwt}~`, verifyOptions()), 'invalid_typ');
  });

  it('verifies a presentation with key binding and returns issuer, type, holder key, status and KB-JWT', async () => {
    const issued = await issueSdJwtVc(issueOptions());
    const presentation = await presentSdJwt(issued, {
      disclose: [['given_name']],
      crypto,
      keyBinding: { signingKey: holder.signingKey, audience: AUDIENCE, nonce: NONCE, issuedAt: NOW },
    });
    const verified = await verifySdJwtVc(
      presentation,
      verifyOptions({ keyBinding: 'required', audience: AUDIENCE, nonce: NONCE, vct: VCT }),
    );
    expect(verified.claims.given_name).toBe(GIVEN);
    expect(verified.claims).not.toHaveProperty('family_name');
    expect(verified.disclosed).toEqual([['given_name']]);
    expect(verified.keyBinding?.payload).toMatchObject({ aud: AUDIENCE, nonce: NONCE, iat: NOW });
    expect(verified.status).toEqual(STATUS.status_list);
  });
});

describe('vct#integrity', () => {
  it('issues vct#integrity in the clear when the option is set', async () => {
    const credential = await issueSdJwtVc(issueOptions({ vctIntegrity: 'sha256-cmVzaWRlbmNlLXBlcm1pdA' }));
    const verified = await verifySdJwtVc(credential, verifyOptions());
    expect(verified.claims['vct#integrity']).toBe('sha256-cmVzaWRlbmNlLXBlcm1pdA');
    expect(verified.disclosed).not.toContainEqual(['vct#integrity']);
  });
});
