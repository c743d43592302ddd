import { beforeAll, describe, expect, it } from 'vitest';
import type { ClaimPath } from '../claim-path/claim-path.ts';
import { decodeBase64UrlText } from '../encoding/base64url.ts';
import type { JsonObject, JsonValue } from '../encoding/json.ts';
import { checkJwsSignature, decodeJws } from '../jws/compact.ts';
import { issueSdJwtVc } from '../sd-jwt-vc/issue.ts';
import { verifySdJwtVc } from '../sd-jwt-vc/verify.ts';
import { presentSdJwt } from './present.ts';
import {
  AUDIENCE,
  clock,
  crypto,
  digest,
  disclosure,
  expectFailure,
  holder,
  issuer,
  issuerJwt,
  joinSdJwt,
  NONCE,
  NOW,
  vcPayload,
  withKb,
} from './test-helpers.ts';

/** `checkJwsSignature` as a promise, so a synchronous failure reads as a rejection. */
const signatureCheck = (...args: Parameters<typeof checkJwsSignature>): Promise<void> =>
  Promise.resolve().then(() => checkJwsSignature(...args));

const CLAIMS: JsonObject = {
  given_name: 'Erika-SECRET',
  family_name: 'Mustermann-SECRET',
  address: { street_address: 'Heidestr. 17-SECRET', locality: 'Köln-SECRET', country: 'DE-SECRET' },
  nationalities: ['DE-SECRET', 'FR-SECRET', 'NL-SECRET'],
  degrees: [
    { type: 'BSc-SECRET', name: 'Physics-SECRET' },
    { type: 'MSc-SECRET', name: 'Maths-SECRET' },
  ],
  plain_claim: 'in the clear',
};
const DISCLOSABLE: ClaimPath[] = [
  ['given_name'],
  ['family_name'],
  ['address'],
  ['address', 'street_address'],
  ['address', 'locality'],
  ['nationalities', null],
  ['degrees', null],
  ['degrees', null, 'type'],
];
const SECRET_VALUES = ['Erika-SECRET', 'Köln-SECRET', 'BSc-SECRET'];

let credential: string;
/** Disclosure strings by a readable label: the claim name, or `element:<value>` for array elements. */
const labelled = new Map<string, string>();

beforeAll(async () => {
  credential = await issueSdJwtVc({
    issuer: 'https://issuer.example',
    vct: 'https://credentials.example/person',
    claims: CLAIMS,
    disclosable: DISCLOSABLE,
    holderKey: holder.publicJwk,
    issuedAt: NOW - 60,
    signingKey: issuer.signingKey,
    crypto,
    maxDecoys: 3,
  });
  for (const encoded of credential.split('~').slice(1, -1)) {
    const array = JSON.parse(decodeBase64UrlText(encoded) as string) as JsonValue[];
    const label = array.length === 3 ? String(array[1]) : `element:${JSON.stringify(array[1])}`;
    // Two degree objects both have a `type` disclosure; tell them apart by value.
    labelled.set(array.length === 3 && array[1] === 'type' ? `type:${array[2]}` : label, encoded);
  }
});

function labelsOf(presentation: string): string[] {
  const byEncoded = new Map([...labelled].map(([label, encoded]) => [encoded, label]));
  const parts = presentation.split('~');
  return parts
    .slice(1, -1)
    .map((encoded) => byEncoded.get(encoded) ?? `unknown:${encoded}`)
    .sort();
}

function degreeElement(type: string): string {
  const name = type === 'BSc-SECRET' ? 'Physics-SECRET' : 'Maths-SECRET';
  for (const label of labelled.keys()) {
    if (label.startsWith('element:{') && label.includes(name)) return label;
  }
  throw new Error(`no element for ${type}`);
}

async function present(disclose: ClaimPath[]): Promise<string> {
  return presentSdJwt(credential, { disclose, crypto });
}

describe('presentSdJwt disclosure selection', () => {
  it('labels every disclosure of the test credential', () => {
    expect(labelled.size).toBe(2 + 3 + 3 + 2 + 2);
  });

  it.each<[string, ClaimPath[], () => string[]]>([
    ['a single top-level claim', [['given_name']], () => ['given_name']],
    ['a nested claim, which brings its parent', [['address', 'locality']], () => ['address', 'locality']],
    ['an object claim, which brings its whole subtree', [['address']], () => ['address', 'locality', 'street_address']],
    [
      'null over an array, which brings every element',
      [['nationalities', null]],
      () => ['element:"DE-SECRET"', 'element:"FR-SECRET"', 'element:"NL-SECRET"'],
    ],
    ['one array position', [['nationalities', 1]], () => ['element:"FR-SECRET"']],
    [
      'a claim inside every array element',
      [['degrees', null, 'type']],
      () => [degreeElement('BSc-SECRET'), degreeElement('MSc-SECRET'), 'type:BSc-SECRET', 'type:MSc-SECRET'],
    ],
    ['a plain claim inside one array element', [['degrees', 1, 'name']], () => [degreeElement('MSc-SECRET')]],
    ['a claim in the clear, which needs no disclosure', [['plain_claim']], () => []],
    ['a registered claim', [['iss'], ['vct']], () => []],
    ['nothing', [], () => []],
    [
      'several overlapping paths, each disclosure once',
      [['address'], ['address', 'locality'], ['given_name'], ['given_name']],
      () => ['address', 'given_name', 'locality', 'street_address'],
    ],
  ])('discloses exactly what %s needs', async (_, paths, expected) => {
    const presentation = await present(paths);
    expect(labelsOf(presentation)).toEqual([...expected()].sort());
    expect(presentation.startsWith(credential.slice(0, credential.indexOf('~') + 1))).toBe(true);
    expect(presentation.endsWith('~')).toBe(true);
  });

  it('produces a presentation that verifies with verifySdJwtVc to exactly the chosen claims', async () => {
    const presentation = await present([['given_name'], ['address', 'locality'], ['nationalities', 0]]);
    const { claims } = await verifySdJwtVc(presentation, { issuerKey: issuer.publicJwk, crypto, keyBinding: 'forbidden', clock });
    expect(claims).toMatchObject({
      given_name: 'Erika-SECRET',
      address: { locality: 'Köln-SECRET' },
      nationalities: ['DE-SECRET'],
    });
    expect(claims).not.toHaveProperty('family_name');
    expect(claims.address).not.toHaveProperty('street_address');
    expect(claims.degrees).toEqual([]);
    expect(claims.plain_claim).toBe('in the clear');
  });

  it.each<[string, ClaimPath]>([
    ['an unknown claim', ['nope']],
    ['an unknown member of an object claim', ['address', 'nope']],
    ['a position past the end of an array', ['nationalities', 7]],
    ['a member of a string claim', ['given_name', 'x']],
    ['a position in an object', ['address', 0]],
    ['every element of an object', ['address', null]],
    ['an inherited member name', ['constructor']],
  ])('fails with claim_not_found for %s', async (_, path) => {
    await expectFailure(present([['given_name'], path]), 'claim_not_found', SECRET_VALUES);
  });

  it.each([[[]], [[-1]], [[0.5]], [[{}]], ['given_name']])('refuses the path %j as a programmer mistake', async (path) => {
    await expect(present([path as never])).rejects.toThrow(TypeError);
  });

  it('refuses to present an SD-JWT that already carries a KB-JWT', async () => {
    const bound = await presentSdJwt(credential, {
      disclose: [['given_name']],
      crypto,
      keyBinding: { signingKey: holder.signingKey, audience: AUDIENCE, nonce: NONCE },
    });
    await expectFailure(presentSdJwt(bound, { disclose: [['given_name']], crypto }), 'malformed_sd_jwt');
  });

  it('refuses to present a credential whose disclosures do not resolve', async () => {
    const given = await disclosure('given_name', 'Erika-SECRET');
    const stray = await disclosure('family_name', 'Mustermann-SECRET');
    const token = joinSdJwt(await issuerJwt(vcPayload({ _sd: [given.digest] })), [given, stray]);
    await expectFailure(presentSdJwt(token, { disclose: [['given_name']], crypto }), 'disclosure_unreferenced', SECRET_VALUES);
  });
});

describe('presentSdJwt key binding', () => {
  async function bound(issuedAt?: number): Promise<string> {
    const keyBinding = {
      signingKey: holder.signingKey,
      audience: AUDIENCE,
      nonce: NONCE,
      ...(issuedAt === undefined ? {} : { issuedAt }),
    };
    return presentSdJwt(credential, { disclose: [['given_name'], ['address', 'locality']], crypto, keyBinding });
  }

  it('signs a KB-JWT with typ kb+jwt, aud, nonce, iat and sd_hash over the exact presented string', async () => {
    const presentation = await bound(NOW);
    const cut = presentation.lastIndexOf('~') + 1;
    const kb = decodeJws(presentation.slice(cut));
    expect(kb.header).toEqual({ alg: 'ES256', typ: 'kb+jwt' });
    expect(kb.payload).toEqual({ iat: NOW, aud: AUDIENCE, nonce: NONCE, sd_hash: await digest(presentation.slice(0, cut)) });
    await expect(signatureCheck(kb, 'ES256', holder.publicJwk, crypto)).resolves.toBeUndefined();
  });

  it('sets iat to the current time by default', async () => {
    const before = Math.floor(Date.now() / 1000);
    const presentation = await bound();
    const kb = decodeJws(presentation.slice(presentation.lastIndexOf('~') + 1));
    expect(kb.payload.iat).toBeGreaterThanOrEqual(before);
    expect(kb.payload.iat).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
  });

  it('produces a key-bound presentation that verifySdJwtVc accepts', async () => {
    const presentation = await bound(NOW);
    const verified = await verifySdJwtVc(presentation, {
      issuerKey: issuer.publicJwk,
      crypto,
      keyBinding: 'required',
      audience: AUDIENCE,
      nonce: NONCE,
      clock,
    });
    expect(verified.claims).toMatchObject({ given_name: 'Erika-SECRET', address: { locality: 'Köln-SECRET' } });
    expect(verified.claims).not.toHaveProperty('family_name');
    expect(verified.keyBinding?.payload.sd_hash).toBe(await digest(presentation.slice(0, presentation.lastIndexOf('~') + 1)));
  });

  it('is rejected by a verifier expecting another nonce or audience', async () => {
    const presentation = await bound(NOW);
    const options = { issuerKey: issuer.publicJwk, crypto, keyBinding: 'required' as const, clock };
    await expectFailure(verifySdJwtVc(presentation, { ...options, audience: AUDIENCE, nonce: 'other' }), 'kb_nonce_mismatch');
    await expectFailure(
      verifySdJwtVc(presentation, { ...options, audience: 'https://other.example', nonce: NONCE }),
      'kb_aud_mismatch',
    );
  });

  it('matches the KB-JWT built by hand by the test helpers', async () => {
    const presentation = await bound(NOW);
    const withoutKb = presentation.slice(0, presentation.lastIndexOf('~') + 1);
    const byHand = decodeJws((await withKb(withoutKb)).slice(withoutKb.length));
    const byLibrary = decodeJws(presentation.slice(withoutKb.length));
    expect(byLibrary.payload).toEqual(byHand.payload);
  });
});
