import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInContext } from 'node:vm';
import {
  decodeJws,
  encodeBase64Url,
  generateKeyPair,
  importSigningKey,
  type JsonObject,
  type Jwk,
  signJwt,
} from '@tessera/shared';
import { createBrowserRealm } from '@tessera/shared/node/testing';
import { createDidResolver } from '@tessera/verifier';
import { verifyW3cPresentationJwt } from '@tessera/verifier/w3c';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestProfile, indexedDbBackend, type TestBackend } from '../node/test-wallets.ts';
import type { Wallet } from '../wallet/wallet.ts';
import { createW3cPresentation, type W3cPresentationInput } from './w3c-presentation.ts';

const didJwkOf = (jwk: Jwk): string =>
  `did:jwk:${encodeBase64Url(new TextEncoder().encode(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y })))}`;
const NOW = Math.floor(Date.now() / 1000);
const AUDIENCE = 'x509_hash:desk-example';

let backend: TestBackend;
let wallet: Wallet;
let issuerDid: string;
let input: W3cPresentationInput;

beforeAll(async () => {
  backend = await indexedDbBackend();
  wallet = await createTestProfile(backend, 'amina');
  const key = await wallet.keys.generate();
  const holderDid = didJwkOf(key.publicJwk);
  const issuer = await generateKeyPair();
  issuerDid = didJwkOf(issuer.publicJwk);
  const credential = await signJwt(
    { typ: 'JWT' },
    {
      iss: issuerDid,
      sub: holderDid,
      nbf: NOW - 60,
      exp: NOW + 3600,
      vc: {
        '@context': ['https://www.w3.org/2018/credentials/v1'],
        type: ['VerifiableCredential', 'ResidencePermitCredential'],
        credentialSubject: { residence_status: 'lawfully_resident' },
      },
    },
    await importSigningKey(issuer.privateJwk, 'ES256', `${issuerDid}#0`),
  );
  input = {
    credential,
    holderDid,
    publicJwk: key.publicJwk,
    signingKey: await wallet.keys.signingKey(key.id),
    audience: AUDIENCE,
    nonce: 'n-1',
    now: NOW,
  };
});

afterAll(async () => {
  wallet?.lock();
  await backend?.dispose();
});

describe('createW3cPresentation', () => {
  it('signs a VP JWT with the wallet holder key that the verifier accepts for its nonce and audience', async () => {
    const vp = await createW3cPresentation(input);
    const { header, payload } = decodeJws(vp);
    expect(header).toEqual({ alg: 'ES256', typ: 'JWT', kid: `${input.holderDid}#0` });
    expect(payload).toMatchObject({
      iss: input.holderDid,
      nonce: 'n-1',
      aud: [AUDIENCE],
      nbf: NOW,
      vp: { type: ['VerifiablePresentation'], verifiableCredential: [input.credential] },
    });
    const verified = await verifyW3cPresentationJwt(vp, { resolver: createDidResolver(), nonce: 'n-1', audience: AUDIENCE });
    expect(verified).toMatchObject({ holder: input.holderDid, verificationMethod: `${input.holderDid}#0` });
    expect(verified.credentials[0]).toMatchObject({ issuer: issuerDid, subject: input.holderDid });
    await expect(
      verifyW3cPresentationJwt(vp, { resolver: createDidResolver(), nonce: 'n-2', audience: AUDIENCE }),
    ).rejects.toMatchObject({ code: 'kb_nonce_mismatch' });
  });

  it('stops signing when the wallet locks, with the wallet’s own code', async () => {
    const other = await createTestProfile(backend, 'locked');
    const key = await other.keys.generate();
    const signingKey = await other.keys.signingKey(key.id);
    other.lock();
    await expect(
      createW3cPresentation({ ...input, holderDid: didJwkOf(key.publicJwk), publicJwk: key.publicJwk, signingKey }),
    ).rejects.toMatchObject({ code: 'wallet_locked' });
  });

  it('refuses a holder key that is not P-256 as a programmer mistake', async () => {
    await expect(createW3cPresentation({ ...input, publicJwk: { kty: 'OKP', crv: 'Ed25519', x: 'AA' } })).rejects.toThrow(
      TypeError,
    );
  });
});

describe('createW3cPresentation in a browser', () => {
  it('bundles for the browser platform and signs there with a non-extractable WebCrypto key', async () => {
    const { build } = await import('esbuild');
    const result = await build({
      stdin: {
        contents: "export { createW3cPresentation } from './w3c-presentation.ts';\n",
        resolveDir: dirname(fileURLToPath(import.meta.url)),
        sourcefile: 'w3c-presentation-browser-entry.ts',
        loader: 'ts',
      },
      bundle: true,
      write: false,
      format: 'iife',
      globalName: 'TesseraWalletW3c',
      platform: 'browser',
      target: 'es2022',
      logLevel: 'silent',
      absWorkingDir: resolve(dirname(fileURLToPath(import.meta.url)), '../../../..'),
    });
    expect(result.errors).toEqual([]);
    const code = result.outputFiles.map((file) => file.text).join('\n');
    expect(code).not.toMatch(/require\(["']node:/);
    // A realm without process, Buffer, require or module: what a page offers.
    const context = createBrowserRealm();
    // The page's own TextEncoder and TextDecoder: Node's would make byte arrays of this realm, which
    // the bundle's `instanceof Uint8Array` checks (multiformats) rightly refuse as foreign.
    runInContext(
      `globalThis.TextEncoder = class { encode(text) { return Uint8Array.from(unescape(encodeURIComponent(text)), (c) => c.charCodeAt(0)); } };
       globalThis.TextDecoder = class { decode(bytes) { return decodeURIComponent(escape(String.fromCharCode(...new Uint8Array(bytes ?? [])))); } };`,
      context,
    );
    runInContext(code, context);
    expect(runInContext('typeof process + typeof Buffer + typeof require', context)).toBe('undefinedundefinedundefined');
    const api = context.TesseraWalletW3c as { createW3cPresentation: typeof createW3cPresentation };
    const vp = await api.createW3cPresentation({ ...input, nonce: 'n-browser' });
    const verified = await verifyW3cPresentationJwt(vp, {
      resolver: createDidResolver(),
      nonce: 'n-browser',
      audience: AUDIENCE,
    });
    expect(verified.holder).toBe(input.holderDid);
    expect((decodeJws(vp).payload.vp as JsonObject).verifiableCredential).toEqual([input.credential]);
  });
});
