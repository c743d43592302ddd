/**
 * Interoperability with sd-jwt-js (OWF, `@sd-jwt/sd-jwt-vc` 0.19.0 with `@sd-jwt/crypto-nodejs`):
 * credentials and presentations cross between the two libraries in every direction, with and
 * without key binding, with a recursive disclosure (`address` and its members) and disclosable
 * array elements, ES256 throughout. Each test checks that both sides see exactly the same claims.
 *
 * sd-jwt-js 0.19 behaviours this file works with (none is a bug in either library):
 * - `verify` checks the KB-JWT only when `keyBindingNonce` is passed; without it a KB-JWT is
 *   silently ignored. Every key-binding test passes the nonce.
 * - Its KB check compares `nonce` only: it never looks at `aud` or at the KB-JWT's `iat`, so the
 *   tests assert `aud` on its result themselves.
 * - It never checks the issuer JWT's `typ`; the tests assert the header instead.
 * - In a presentation frame an array index counts raw payload positions (decoys and undisclosed
 *   placeholders included), while a Tessera claims path counts the resolved array. Credentials
 *   whose arrays are selected by index are therefore issued without decoys.
 * - `disclose: [['address']]` in Tessera discloses the object with everything inside it; the
 *   sd-jwt-js frame `{ address: true }` would disclose only the outer disclosure, so the
 *   equivalent frame lists the members.
 */
import { digest, ES256, generateSalt } from '@sd-jwt/crypto-nodejs';
import { SDJwtVcInstance } from '@sd-jwt/sd-jwt-vc';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ClaimPath } from '../claim-path/claim-path.ts';
import { nodeCrypto, nodeSigningKey } from '../crypto/node.ts';
import type { Jwk, SigningKey } from '../crypto/types.ts';
import { generateKeyPair } from '../crypto/web.ts';
import type { JsonObject } from '../encoding/json.ts';
import { isTesseraError } from '../errors/tessera-error.ts';
import { decodeJws } from '../jws/compact.ts';
import { presentSdJwt } from '../sd-jwt/present.ts';
import { issueSdJwtVc } from './issue.ts';
import { type VerifiedSdJwtVc, verifySdJwtVc } from './verify.ts';

const NOW = 1_760_000_000;
const clock = (): number => NOW * 1000;
const ISSUER = 'https://issuer.example';
const VCT = 'https://tessera.example/residence-permit';
const AUDIENCE = 'https://desk.example';
const NONCE = 'n-0S6_WzA2Mj';

const subjectClaims = {
  given_name: 'Erika',
  family_name: 'Mustermann',
  birthdate: '1964-08-12',
  address: { street_address: 'Heidestraße 17', locality: 'Köln', country: 'DE' },
  nationalities: ['DE', 'UA', 'SO'],
  residence_status: 'permanent',
} satisfies JsonObject;

/** Tessera's disclosable paths: `address` and each of its members (recursive), each nationality. */
const tesseraDisclosable: ClaimPath[] = [
  ['given_name'],
  ['family_name'],
  ['birthdate'],
  ['address'],
  ['address', 'street_address'],
  ['address', 'locality'],
  ['address', 'country'],
  ['nationalities', null],
];

/** The same selection as an sd-jwt-js disclosure frame. */
const sdJwtJsDisclosureFrame = {
  _sd: ['given_name', 'family_name', 'birthdate', 'address'],
  address: { _sd: ['street_address', 'locality', 'country'] },
  nationalities: { _sd: [0, 1, 2] },
};

/** Selection A: one top-level claim, one member of the recursive `address`, one array element. */
const selectionA = {
  tessera: [['given_name'], ['address', 'locality'], ['nationalities', 1]] as ClaimPath[],
  sdJwtJs: { given_name: true, address: { locality: true }, nationalities: { 1: true } },
  claims: { given_name: 'Erika', address: { locality: 'Köln' }, nationalities: ['UA'] },
  disclosed: [['given_name'], ['address'], ['address', 'locality'], ['nationalities', 0]],
};

/** Selection B: the whole recursive `address` object and another array element. */
const selectionB = {
  tessera: [['family_name'], ['address'], ['nationalities', 0]] as ClaimPath[],
  sdJwtJs: { family_name: true, address: { street_address: true, locality: true, country: true }, nationalities: { 0: true } },
  claims: { family_name: 'Mustermann', address: subjectClaims.address, nationalities: ['DE'] },
  disclosed: [
    ['family_name'],
    ['address'],
    ['address', 'street_address'],
    ['address', 'locality'],
    ['address', 'country'],
    ['nationalities', 0],
  ],
};

let issuer: { privateJwk: Jwk; publicJwk: Jwk };
let holder: { privateJwk: Jwk; publicJwk: Jwk };
let issuerKey: SigningKey;
let holderKey: SigningKey;
let sdJwtJs: SDJwtVcInstance;

beforeAll(async () => {
  issuer = await generateKeyPair('ES256');
  holder = await generateKeyPair('ES256');
  issuerKey = nodeSigningKey(issuer.privateJwk, 'ES256');
  holderKey = nodeSigningKey(holder.privateJwk, 'ES256');
  sdJwtJs = new SDJwtVcInstance({
    signer: await ES256.getSigner(issuer.privateJwk),
    signAlg: 'ES256',
    verifier: await ES256.getVerifier(issuer.publicJwk),
    kbSigner: await ES256.getSigner(holder.privateJwk),
    kbSignAlg: 'ES256',
    // sd-jwt-js hands the KB verifier the verified payload; the holder key is its cnf.jwk.
    kbVerifier: async (data: string, signature: string, payload: { cnf?: { jwk?: object } }) => {
      const jwk = payload.cnf?.jwk;
      if (jwk === undefined) return false;
      return (await ES256.getVerifier(jwk))(data, signature);
    },
    hasher: digest,
    hashAlg: 'sha-256',
    saltGenerator: generateSalt,
  });
});

/** The registered claims every credential here carries in the clear. */
function registeredClaims(): JsonObject {
  return { iss: ISSUER, iat: NOW, vct: VCT, cnf: { jwk: holder.publicJwk as JsonObject } };
}

function issueWithTessera(maxDecoys = 0): Promise<string> {
  return issueSdJwtVc({
    issuer: ISSUER,
    vct: VCT,
    claims: subjectClaims,
    disclosable: tesseraDisclosable,
    holderKey: holder.publicJwk,
    issuedAt: NOW,
    signingKey: issuerKey,
    crypto: nodeCrypto,
    maxDecoys,
  });
}

function issueWithSdJwtJs(): Promise<string> {
  return sdJwtJs.issue({ ...registeredClaims(), ...subjectClaims } as never, sdJwtJsDisclosureFrame as never);
}

function presentWithTessera(credential: string, disclose: ClaimPath[], keyBinding: boolean): Promise<string> {
  return presentSdJwt(credential, {
    disclose,
    crypto: nodeCrypto,
    ...(keyBinding ? { keyBinding: { signingKey: holderKey, audience: AUDIENCE, nonce: NONCE, issuedAt: NOW } } : {}),
  });
}

function presentWithSdJwtJs(credential: string, frame: object, keyBinding: boolean): Promise<string> {
  return sdJwtJs.present(
    credential,
    frame as never,
    keyBinding ? { kb: { payload: { aud: AUDIENCE, nonce: NONCE, iat: NOW } } } : undefined,
  );
}

function verifyWithTessera(presentation: string, keyBinding: boolean): Promise<VerifiedSdJwtVc> {
  return verifySdJwtVc(presentation, {
    issuerKey: issuer.publicJwk,
    crypto: nodeCrypto,
    clock,
    vct: VCT,
    ...(keyBinding ? { keyBinding: 'required', audience: AUDIENCE, nonce: NONCE } : { keyBinding: 'forbidden' }),
  });
}

async function verifyWithSdJwtJs(
  presentation: string,
  keyBinding: boolean,
): Promise<{ payload: JsonObject; kb: { payload: JsonObject } | undefined }> {
  // Without keyBindingNonce sd-jwt-js would skip the KB-JWT entirely (see the file comment).
  const result = await sdJwtJs.verify(presentation, { currentDate: NOW, ...(keyBinding ? { keyBindingNonce: NONCE } : {}) });
  return { payload: result.payload as unknown as JsonObject, kb: result.kb as { payload: JsonObject } | undefined };
}

/** Puts the KB-JWT of one presentation onto another presentation (without KB) of the same credential. */
function moveKbJwt(from: string, onto: string): string {
  return onto + from.slice(from.lastIndexOf('~') + 1);
}

/** Sorted JSON of claim paths, so two lists compare as sets. */
function pathSet(paths: readonly ClaimPath[]): string[] {
  return paths.map((path) => JSON.stringify(path)).sort();
}

/** Checks a presentation the same way on both sides and that they agree with the expected claims. */
async function expectBothVerify(
  presentation: string,
  keyBinding: boolean,
  selection: { claims: JsonObject; disclosed: ClaimPath[] },
): Promise<void> {
  const expected = { ...registeredClaims(), ...selection.claims, residence_status: 'permanent' };
  const tessera = await verifyWithTessera(presentation, keyBinding);
  const sdJwt = await verifyWithSdJwtJs(presentation, keyBinding);
  expect(tessera.claims).toStrictEqual(expected);
  expect(sdJwt.payload).toStrictEqual(expected);
  expect(pathSet(tessera.disclosed)).toStrictEqual(pathSet(selection.disclosed));
  expect(tessera.header.typ).toBe('dc+sd-jwt');
  if (keyBinding) {
    expect(tessera.keyBinding?.payload).toMatchObject({ aud: AUDIENCE, nonce: NONCE, iat: NOW });
    // sd-jwt-js does not check aud itself (see the file comment); both saw the same KB-JWT.
    expect(sdJwt.kb?.payload).toStrictEqual(tessera.keyBinding?.payload);
  } else {
    expect(tessera.keyBinding).toBeUndefined();
    expect(sdJwt.kb).toBeUndefined();
  }
}

describe('SD-JWT VC interop with sd-jwt-js 0.19', () => {
  describe('Tessera issues, sd-jwt-js presents, Tessera verifies', () => {
    for (const keyBinding of [true, false]) {
      it(`accepts a presentation that sd-jwt-js built ${keyBinding ? 'with' : 'without'} a KB-JWT`, async () => {
        const credential = await issueWithTessera();
        const presentation = await presentWithSdJwtJs(credential, selectionA.sdJwtJs, keyBinding);
        await expectBothVerify(presentation, keyBinding, selectionA);
      });
    }

    it('lets sd-jwt-js disclose the whole recursive address object', async () => {
      const credential = await issueWithTessera();
      const presentation = await presentWithSdJwtJs(credential, selectionB.sdJwtJs, true);
      await expectBothVerify(presentation, true, selectionB);
    });
  });

  describe('sd-jwt-js issues, Tessera presents, both verify', () => {
    it('reads a dc+sd-jwt credential from sd-jwt-js with every claim sd-jwt-js reads', async () => {
      const credential = await issueWithSdJwtJs();
      const header = decodeJws(credential.slice(0, credential.indexOf('~'))).header;
      expect(header).toStrictEqual({ typ: 'dc+sd-jwt', alg: 'ES256' });
      const tessera = await verifyWithTessera(credential, false);
      const sdJwt = await verifyWithSdJwtJs(credential, false);
      expect(tessera.claims).toStrictEqual({ ...registeredClaims(), ...subjectClaims });
      expect(sdJwt.payload).toStrictEqual(tessera.claims);
      expect(tessera.holderKey).toStrictEqual(holder.publicJwk);
      expect(tessera.disclosed).toHaveLength(10);
    });

    for (const keyBinding of [true, false]) {
      for (const [name, selection] of [
        ['one member of the recursive address and one array element', selectionA],
        ['the whole recursive address and one array element', selectionB],
      ] as const) {
        it(`presents ${name} ${keyBinding ? 'with' : 'without'} a KB-JWT that both libraries accept`, async () => {
          const credential = await issueWithSdJwtJs();
          const presentation = await presentWithTessera(credential, selection.tessera, keyBinding);
          await expectBothVerify(presentation, keyBinding, selection);
        });
      }
    }
  });

  describe('Tessera issues and presents, sd-jwt-js verifies', () => {
    for (const keyBinding of [true, false]) {
      it(`accepts a Tessera presentation ${keyBinding ? 'with' : 'without'} a KB-JWT`, async () => {
        const credential = await issueWithTessera();
        const presentation = await presentWithTessera(credential, selectionA.tessera, keyBinding);
        await expectBothVerify(presentation, keyBinding, selectionA);
      });
    }

    it('reads every claim of a Tessera credential that carries decoy digests', async () => {
      const credential = await issueWithTessera(3);
      const sdJwt = await verifyWithSdJwtJs(credential, false);
      expect(sdJwt.payload).toStrictEqual({ ...registeredClaims(), ...subjectClaims });
      // Decoys do not shift claims paths for presentations selected by name.
      const presentation = await presentWithTessera(credential, selectionB.tessera.slice(0, 2), true);
      const { claims } = await verifyWithTessera(presentation, true);
      expect((await verifyWithSdJwtJs(presentation, true)).payload).toStrictEqual(claims);
      expect(claims).toStrictEqual({
        ...registeredClaims(),
        family_name: 'Mustermann',
        address: subjectClaims.address,
        nationalities: [],
        residence_status: 'permanent',
      });
    });
  });

  describe('both compute sd_hash and check the nonce alike', () => {
    it('rejects, on both sides, a Tessera KB-JWT moved onto another presentation of the same credential', async () => {
      const credential = await issueWithTessera();
      const presentation = await presentWithTessera(credential, selectionA.tessera, true);
      const tampered = moveKbJwt(presentation, await presentWithTessera(credential, [['given_name']], false));
      await expect(verifyWithTessera(tampered, true)).rejects.toSatisfy((error) => isTesseraError(error, 'kb_sd_hash_mismatch'));
      await expect(verifyWithSdJwtJs(tampered, true)).rejects.toThrow(/sd_hash/);
    });

    it('rejects, on both sides, an sd-jwt-js KB-JWT moved onto another presentation of the same credential', async () => {
      const credential = await issueWithSdJwtJs();
      const presentation = await presentWithSdJwtJs(credential, selectionA.sdJwtJs, true);
      const tampered = moveKbJwt(presentation, await presentWithSdJwtJs(credential, { given_name: true }, false));
      await expect(verifyWithTessera(tampered, true)).rejects.toSatisfy((error) => isTesseraError(error, 'kb_sd_hash_mismatch'));
      await expect(verifyWithSdJwtJs(tampered, true)).rejects.toThrow(/sd_hash/);
    });

    it('rejects, on both sides, a KB-JWT made for another nonce', async () => {
      const credential = await issueWithTessera();
      const presentation = await presentSdJwt(credential, {
        disclose: selectionA.tessera,
        crypto: nodeCrypto,
        keyBinding: { signingKey: holderKey, audience: AUDIENCE, nonce: 'another-nonce', issuedAt: NOW },
      });
      await expect(verifyWithTessera(presentation, true)).rejects.toSatisfy((error) =>
        isTesseraError(error, 'kb_nonce_mismatch'),
      );
      await expect(verifyWithSdJwtJs(presentation, true)).rejects.toThrow(/Nonce/);
    });
  });
});
