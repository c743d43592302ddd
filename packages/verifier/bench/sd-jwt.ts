/**
 * The SD-JWT cases: issue, present and verify with Tessera and sd-jwt-js on equal input, and the
 * raw node:crypto ES256 limit on a signing input the size of the issuer JWT's. Every function is
 * checked once against the other library before any timing.
 */
import { deepStrictEqual, strictEqual } from 'node:assert/strict';
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import type { VerificationResult } from '@sd-jwt/sd-jwt-vc';
import { issueSdJwtVc, type JsonObject, type Jwk, presentSdJwt, type VerifiedSdJwtVc, verifySdJwtVc } from '@tessera/shared';
import { nodeCrypto, nodeSigningKey } from '@tessera/shared/node';
import {
  AUDIENCE,
  createFixtures,
  type Fixtures,
  ISSUER,
  NONCE,
  PRESENTED_CLAIMS,
  SD_JWT_JS_DISCLOSURE_FRAME,
  SD_JWT_JS_PRESENTATION_FRAME,
  SUBJECT_CLAIMS,
  TESSERA_DISCLOSABLE,
  TESSERA_PRESENTED,
  VCT,
} from './fixtures.ts';

export interface SdJwtCases {
  fx: Fixtures;
  tessera: {
    issue: () => Promise<string>;
    present: () => Promise<string>;
    /** Verifies `vp` with key binding required; keys imported once and cached. */
    verify: (vp: string) => Promise<VerifiedSdJwtVc>;
  };
  sdJwtJs: { issue: () => Promise<string>; present: () => Promise<string>; verify: (vp: string) => Promise<VerificationResult> };
  /** A Tessera presentation of a Tessera credential: what both libraries verify. */
  presentation: string;
  raw: { signingInputBytes: number; sign: () => unknown; verify: () => unknown };
}

/** Keys, both libraries, the credential and presentation, each library's output read by both. */
export async function prepareSdJwt(): Promise<SdJwtCases> {
  const fx = await createFixtures();
  const tesseraIssue = (): Promise<string> =>
    issueSdJwtVc({
      issuer: ISSUER,
      vct: VCT,
      claims: SUBJECT_CLAIMS,
      disclosable: TESSERA_DISCLOSABLE,
      holderKey: fx.holder.publicJwk,
      signingKey: fx.tessera.issuerKey,
      crypto: nodeCrypto,
    });
  const sdJwtJsIssue = (): Promise<string> =>
    fx.sdJwtJs.issue({ ...fx.registeredClaims, ...SUBJECT_CLAIMS } as never, SD_JWT_JS_DISCLOSURE_FRAME as never);

  // Both libraries present and verify the same Tessera-issued credential, so they work on equal input.
  const credential = await tesseraIssue();
  const tesseraPresent = (): Promise<string> =>
    presentSdJwt(credential, {
      disclose: TESSERA_PRESENTED,
      crypto: nodeCrypto,
      keyBinding: { signingKey: fx.tessera.holderKey, audience: AUDIENCE, nonce: NONCE },
    });
  const sdJwtJsPresent = (): Promise<string> =>
    fx.sdJwtJs.present(credential, SD_JWT_JS_PRESENTATION_FRAME as never, {
      kb: { payload: { aud: AUDIENCE, nonce: NONCE, iat: Math.floor(Date.now() / 1000) } },
    });

  const presentation = await tesseraPresent();
  const tesseraVerify = (vp: string) =>
    verifySdJwtVc(vp, {
      issuerKey: fx.issuer.publicJwk,
      crypto: nodeCrypto,
      keyBinding: 'required',
      audience: AUDIENCE,
      nonce: NONCE,
    });
  const tesseraVerifyCredential = (sdJwt: string) =>
    verifySdJwtVc(sdJwt, { issuerKey: fx.issuer.publicJwk, crypto: nodeCrypto, keyBinding: 'forbidden' });
  // keyBindingNonce turns on sd-jwt-js's KB-JWT check; without it the KB-JWT would be ignored.
  const sdJwtJsVerify = (vp: string) => fx.sdJwtJs.verify(vp, { keyBindingNonce: NONCE });

  const registered = fx.registeredClaims;
  const allClaims = { ...registered, ...SUBJECT_CLAIMS };
  const presented = { ...registered, ...PRESENTED_CLAIMS };
  // The issued credentials: each library's output read by both.
  for (const sdJwt of [credential, await sdJwtJsIssue()]) {
    deepStrictEqual(withIat((await tesseraVerifyCredential(sdJwt)).claims, registered), allClaims);
    deepStrictEqual(withIat((await fx.sdJwtJs.verify(sdJwt)).payload as JsonObject, registered), allClaims);
  }
  // The presentations: each library's, verified by both with key binding.
  for (const vp of [presentation, await sdJwtJsPresent()]) {
    const tessera = await tesseraVerify(vp);
    const sdJwtJs = await sdJwtJsVerify(vp);
    deepStrictEqual(withIat(tessera.claims, registered), presented);
    deepStrictEqual(withIat(sdJwtJs.payload as JsonObject, registered), presented);
    strictEqual(sdJwtJs.kb?.payload.nonce, NONCE);
    strictEqual(tessera.keyBinding?.payload.aud, AUDIENCE);
  }

  // The raw limit: node:crypto ES256 on a signing input the size of the issuer JWT's.
  const signingInput = Buffer.from(credential.slice(0, credential.lastIndexOf('.', credential.indexOf('~'))));
  const signKey = { key: fx.issuer.privateKey, dsaEncoding: 'ieee-p1363' as const };
  const verifyKey = { key: fx.issuer.publicKey, dsaEncoding: 'ieee-p1363' as const };
  const rawSignature = sign('sha256', signingInput, signKey);
  strictEqual(verify('sha256', signingInput, verifyKey, rawSignature), true);

  return {
    fx,
    tessera: { issue: tesseraIssue, present: tesseraPresent, verify: tesseraVerify },
    sdJwtJs: { issue: sdJwtJsIssue, present: sdJwtJsPresent, verify: sdJwtJsVerify },
    presentation,
    raw: {
      signingInputBytes: signingInput.length,
      sign: () => sign('sha256', signingInput, signKey),
      verify: () => verify('sha256', signingInput, verifyKey, rawSignature),
    },
  };
}

/**
 * Presentations from many holders, each credential bound to its own key: more holders than
 * Tessera's verifier cache keeps (1,000 keys), so every verification imports the holder key, as
 * at a desk that sees a new person each time. Returns the next one on each call, round robin.
 */
export async function prepareFreshPresentations(cases: SdJwtCases): Promise<() => string> {
  const holders = 1536;
  const presentations: string[] = [];
  for (let i = 0; i < holders; i++) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const privateJwk = privateKey.export({ format: 'jwk' }) as Jwk;
    const { d: _d, ...publicJwk } = privateJwk;
    const sdJwt = await issueSdJwtVc({
      issuer: ISSUER,
      vct: VCT,
      claims: SUBJECT_CLAIMS,
      disclosable: TESSERA_DISCLOSABLE,
      holderKey: publicJwk,
      signingKey: cases.fx.tessera.issuerKey,
      crypto: nodeCrypto,
    });
    presentations.push(
      await presentSdJwt(sdJwt, {
        disclose: TESSERA_PRESENTED,
        crypto: nodeCrypto,
        keyBinding: { signingKey: nodeSigningKey(privateJwk, 'ES256'), audience: AUDIENCE, nonce: NONCE },
      }),
    );
  }
  for (const vp of presentations.slice(0, 3)) {
    strictEqual((await cases.tessera.verify(vp)).keyBinding?.payload.nonce, NONCE);
    strictEqual((await cases.sdJwtJs.verify(vp)).kb?.payload.nonce, NONCE);
  }
  let cursor = 0;
  return () => presentations[cursor++ % holders] as string;
}

/** Tessera stamps its own `iat`; the claims are compared with the fixture's. */
function withIat(claims: JsonObject, registered: JsonObject): JsonObject {
  return { ...claims, iat: registered.iat as number };
}
