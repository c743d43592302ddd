/**
 * How the wallet finds the key of an issuer that is not a DID, over real HTTP on 127.0.0.1:
 * - X.509: the real issuer app's x5c tenant (its development CA), received with `receiveCredential`
 *   with that CA as the issuer's anchor, with none, and with another CA;
 * - JWT VC Issuer Metadata: the real issuer's `/.well-known/jwt-vc-issuer` document, and a small
 *   express server publishing metadata documents (good and hostile) for credentials signed here
 *   with the shared SD-JWT VC code, checked by the wallet's own verification.
 */
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createCredentialOffer } from '@tessera/issuer';
import { permitTenant, RESIDENCE_PERMIT_CLAIMS, startTestIssuer, type TestIssuer } from '@tessera/issuer/testing';
import {
  decodeJws,
  generateKeyPair,
  issueSdJwtVc,
  isTesseraError,
  type JsonObject,
  type Jwk,
  verifyX5cChain,
} from '@tessera/shared';
import {
  createDevelopmentCa,
  type Database,
  type DevelopmentCa,
  nodeCrypto,
  nodeSigningKey,
  openDatabase,
} from '@tessera/shared/node';
import { makeTempDir } from '@tessera/shared/node/testing';
import express from 'express';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestProfile, fileBackend, type TestBackend } from '../node/test-wallets.ts';
import type { Wallet } from '../wallet/wallet.ts';
import { resolveIssuerKey } from './issuer-key.ts';
import { type ReceiveOptions, receiveCredential } from './receive-credential.ts';
import { expectNothingStored } from './test-receive.ts';
import { type ReceiveTrust, verifyReceivedSdJwtVc } from './verify-received.ts';
import type { WalletHttp } from './wallet-http.ts';

const PERMIT_VCT = 'https://tessera.example/credentials/residence-permit';
const SECRET = 'Amina-PLANTED-SECRET';
const PERMIT_CLAIMS = { ...RESIDENCE_PERMIT_CLAIMS, given_name: SECRET };

/** The wallet's hardened HTTP as `receiveCredential` builds it, loopback http allowed. */
const http = (allowInsecureLocalhost = true): WalletHttp => ({
  fetch: (url, init) => globalThis.fetch(url, init),
  allowInsecureLocalhost,
  timeoutMs: 5000,
  maxBytes: 1024 * 1024,
});

/** The issuer-signed JWT of a stored SD-JWT VC record (the part before the first `~`). */
const issuerJwt = (value: unknown): string => String((value as JsonObject).sdJwt).split('~')[0] as string;

/** The error a promise rejects with; fails the test when it resolves. */
async function rejection(promise: Promise<unknown>): Promise<{ code: string; message: string; cause?: unknown }> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!isTesseraError(error)) throw new Error(`expected a TesseraError, got ${String(error)}`);
  expect(error.message).not.toContain(SECRET);
  return error;
}

describe('receiving from an issuer that signs with an X.509 certificate (x5c)', () => {
  let running: TestIssuer;
  let database: Database;
  let backend: TestBackend;
  let wallet: Wallet;
  let iss: string;
  let ca: DevelopmentCa;
  let otherCaFolder: Awaited<ReturnType<typeof makeTempDir>>;
  let otherCa: DevelopmentCa;
  let profileNumber = 0;

  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite' });
    running = await startTestIssuer(database, { tenants: [permitTenant('caritas', { en: 'Caritas' }, { keySource: 'x5c' })] });
    iss = `${running.origin}/tenants/caritas`;
    ca = running.developmentCa as DevelopmentCa;
    otherCaFolder = await makeTempDir('tessera-other-ca-');
    otherCa = await createDevelopmentCa({ dir: join(otherCaFolder.path, 'ca'), name: 'Someone else’s CA' });
  }, 60_000);
  afterAll(async () => {
    await running?.close();
    await database?.close();
    await otherCaFolder?.remove();
  });
  beforeEach(async () => {
    backend = await fileBackend();
    wallet = await createTestProfile(backend, `amina-${++profileNumber}`);
  });
  afterEach(async () => {
    wallet.lock();
    await backend.dispose();
  });

  const receive = async (trust: ReceiveTrust): Promise<Awaited<ReturnType<typeof receiveCredential>>> => {
    const created = await createCredentialOffer(running.issuer.context, {
      tenantId: 'caritas',
      typeId: 'residence_permit',
      claims: PERMIT_CLAIMS,
      pin: false,
      createdBy: 'staff-1',
    });
    const options: ReceiveOptions = { trust, allowInsecureLocalhost: true, instances: 1 };
    return receiveCredential(wallet, created.link, options);
  };

  it('receives when the trust list gives the issuer the CA that certified it as anchor', async () => {
    const result = await receive({ issuers: [{ id: iss, x509TrustAnchors: [ca.certificatePem] }] });
    expect(result).toMatchObject({ issuer: iss, issuerTrusted: true });
    const [record] = await wallet.records.list('credential');
    const header = decodeJws(issuerJwt(record?.value)).header;
    expect(Array.isArray(header.x5c)).toBe(true);
  });

  it('refuses with untrusted_issuer when the issuer is listed without anchors, or not listed even when unknown issuers are accepted', async () => {
    for (const trust of [{ issuers: [{ id: iss }] }, { issuers: [], acceptUnknownIssuers: true }] as ReceiveTrust[]) {
      const error = await rejection(receive(trust));
      expect(error.code).toBe('untrusted_issuer');
      await expectNothingStored(wallet);
    }
  });

  it('refuses a chain that leads to another CA than the issuer’s anchor, and one anchored for another issuer', async () => {
    const wrongCa = await rejection(receive({ issuers: [{ id: iss, x509TrustAnchors: [otherCa.certificatePem] }] }));
    expect(wrongCa.code).toBe('credential_rejected');
    expect(isTesseraError(wrongCa.cause, 'certificate_invalid')).toBe(true);
    await expectNothingStored(wallet);
    // The anchors of one issuer vouch for no other: the right CA listed under another id does not help.
    const elsewhere = await rejection(
      receive({ issuers: [{ id: `${running.origin}/tenants/other`, x509TrustAnchors: [ca.certificatePem] }] }),
    );
    expect(elsewhere.code).toBe('untrusted_issuer');
  });

  it('refuses a certificate whose SAN does not name the iss, and one not yet valid at the wallet’s clock', async () => {
    await receive({ issuers: [{ id: iss, x509TrustAnchors: [ca.certificatePem] }] });
    const [record] = await wallet.records.list('credential');
    const { header, payload } = decodeJws(issuerJwt(record?.value));
    const context = (now: number) => ({
      trust: {
        issuers: [
          { id: iss, x509TrustAnchors: [ca.certificatePem] },
          { id: 'https://issuer.example', x509TrustAnchors: [ca.certificatePem] },
        ],
      },
      http: http(),
      clock: () => now,
    });
    expect(await resolveIssuerKey(header, payload, context(Date.now()))).toMatchObject({ kty: 'EC', crv: 'P-256' });
    const otherIss = await rejection(
      resolveIssuerKey(header, { ...payload, iss: 'https://issuer.example' }, context(Date.now())),
    );
    expect(otherIss).toMatchObject({ code: 'certificate_invalid' });
    expect(otherIss.message).toMatch(/subjectAltName/);
    const tooEarly = await rejection(resolveIssuerKey(header, payload, context(Date.now() - 86_400_000)));
    expect(tooEarly).toMatchObject({ code: 'certificate_invalid' });
    expect(tooEarly.message).toMatch(/not yet valid/);
  });

  it('finds the same key through the issuer’s JWT VC Issuer Metadata as through its certificate', async () => {
    await receive({ issuers: [{ id: iss, x509TrustAnchors: [ca.certificatePem] }] });
    const [record] = await wallet.records.list('credential');
    const { header, payload } = decodeJws(issuerJwt(record?.value));
    const fromCertificate = await verifyX5cChain(header.x5c, { trustAnchors: [ca.certificatePem], issuer: iss, alg: 'ES256' });
    const { x5c: _x5c, ...withoutX5c } = header;
    const fromMetadata = await resolveIssuerKey(withoutX5c, payload, {
      trust: { issuers: [{ id: iss }] },
      http: http(),
      clock: Date.now,
    });
    expect(fromMetadata).toEqual(fromCertificate);
  });
});

describe('receiving from an https issuer through its JWT VC Issuer Metadata', () => {
  let server: ReturnType<ReturnType<typeof express>['listen']>;
  let origin: string;
  let keyA: Awaited<ReturnType<typeof generateKeyPair>>;
  let keyB: Awaited<ReturnType<typeof generateKeyPair>>;
  let holder: Awaited<ReturnType<typeof generateKeyPair>>;
  const served: string[] = [];

  const pub = (jwk: Jwk, kid: string): JsonObject => ({ ...(jwk as JsonObject), kid });

  beforeAll(async () => {
    [keyA, keyB, holder] = await Promise.all([generateKeyPair(), generateKeyPair(), generateKeyPair()]);
    const p384 = (await crypto.subtle.exportKey(
      'jwk',
      (
        await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, ['sign', 'verify'])
      ).publicKey,
    )) as JsonObject;
    const app = express();
    app.use((request, _response, next) => {
      served.push(request.path);
      next();
    });
    const documents: Record<string, () => JsonObject> = {
      good: () => ({ issuer: `${origin}/good`, jwks: { keys: [pub(keyA.publicJwk, 'a'), pub(keyB.publicJwk, 'b')] } }),
      single: () => ({ issuer: `${origin}/single`, jwks: { keys: [keyA.publicJwk as JsonObject] } }),
      'by-uri': () => ({ issuer: `${origin}/by-uri`, jwks_uri: `${origin}/keys/by-uri.json` }),
      'other-issuer': () => ({ issuer: `${origin}/good`, jwks: { keys: [pub(keyA.publicJwk, 'a')] } }),
      private: () => ({ issuer: `${origin}/private`, jwks: { keys: [pub(keyA.privateJwk, 'a')] } }),
      p384: () => ({ issuer: `${origin}/p384`, jwks: { keys: [{ ...p384, kid: 'a' }] } }),
      both: () => ({ issuer: `${origin}/both`, jwks: { keys: [] }, jwks_uri: `${origin}/keys/by-uri.json` }),
      big: () => ({ issuer: `${origin}/big`, jwks: { keys: [pub(keyA.publicJwk, 'a')] }, padding: 'x'.repeat(1_100_000) }),
    };
    app.get('/.well-known/jwt-vc-issuer/:name', (request, response) => {
      const document = documents[String(request.params.name)];
      if (document === undefined) response.status(404).end();
      else response.json(document());
    });
    app.get('/keys/by-uri.json', (_request, response) => {
      response.json({ keys: [pub(keyA.publicJwk, 'a')] });
    });
    server = await new Promise((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  /** An SD-JWT VC with `iss` = `<origin>/<name>`, signed here with the shared issuing code. */
  const credential = (name: string, signer = keyA, kid: string | null = 'a'): Promise<string> =>
    issueSdJwtVc({
      issuer: `${origin}/${name}`,
      vct: PERMIT_VCT,
      claims: { given_name: SECRET },
      disclosable: [['given_name']],
      holderKey: holder.publicJwk,
      issuedAt: Math.floor(Date.now() / 1000) - 60,
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
      signingKey: nodeSigningKey(signer.privateJwk, 'ES256', kid ?? undefined),
      crypto: nodeCrypto,
    });
  const verify = (sdJwt: string, name: string, allowInsecureLocalhost = true) =>
    verifyReceivedSdJwtVc(
      sdJwt,
      { vct: PERMIT_VCT, holderKey: holder.publicJwk },
      { trust: { issuers: [{ id: `${origin}/${name}` }] }, http: http(allowInsecureLocalhost), clock: Date.now },
    );
  /** The code the wallet refuses with, and the code of the underlying reason. */
  const refusal = async (promise: Promise<unknown>): Promise<[string, string | undefined]> => {
    const error = await rejection(promise);
    return [error.code, isTesseraError(error.cause) ? error.cause.code : undefined];
  };

  it('verifies credentials with the key the metadata names by kid, inline or at jwks_uri, or its only key', async () => {
    expect(await verify(await credential('good', keyB, 'b'), 'good')).toMatchObject({
      issuer: `${origin}/good`,
      issuerTrusted: true,
    });
    expect(await verify(await credential('by-uri'), 'by-uri')).toMatchObject({ issuer: `${origin}/by-uri` });
    expect(await verify(await credential('single', keyA, null), 'single')).toMatchObject({ issuer: `${origin}/single` });
    expect(served).toContain('/.well-known/jwt-vc-issuer/good');
    expect(served).toContain('/keys/by-uri.json');
  });

  it('refuses metadata whose issuer is not exactly the iss, and metadata with both jwks and jwks_uri', async () => {
    expect(await refusal(verify(await credential('other-issuer'), 'other-issuer'))).toEqual([
      'credential_rejected',
      'issuer_metadata_invalid',
    ]);
    expect(await refusal(verify(await credential('both'), 'both'))).toEqual(['credential_rejected', 'issuer_metadata_invalid']);
  });

  it('refuses a kid the metadata does not have, no kid among several keys, and a key that did not sign', async () => {
    expect(await refusal(verify(await credential('good', keyA, 'z'), 'good'))).toEqual([
      'credential_rejected',
      'issuer_key_not_found',
    ]);
    expect(await refusal(verify(await credential('good', keyA, null), 'good'))).toEqual([
      'credential_rejected',
      'issuer_key_not_found',
    ]);
    expect(await refusal(verify(await credential('good', keyB, 'a'), 'good'))).toEqual([
      'credential_rejected',
      'invalid_signature',
    ]);
  });

  it('refuses a JWK Set holding a private key, and a key that is not P-256', async () => {
    expect(await refusal(verify(await credential('private'), 'private'))).toEqual([
      'credential_rejected',
      'issuer_metadata_invalid',
    ]);
    expect(await refusal(verify(await credential('p384'), 'p384'))).toEqual(['credential_rejected', 'issuer_key_not_found']);
  });

  it('refuses metadata larger than the wallet reads, and a missing document', async () => {
    expect(await refusal(verify(await credential('big'), 'big'))).toEqual(['credential_rejected', 'fetch_too_large']);
    expect(await refusal(verify(await credential('nobody'), 'nobody'))).toEqual([
      'credential_rejected',
      'issuer_metadata_invalid',
    ]);
  });

  it('refuses a plain http issuer unless loopback development is allowed, without fetching anything', async () => {
    const before = served.length;
    expect(await refusal(verify(await credential('good'), 'good', false))).toEqual([
      'credential_rejected',
      'issuer_metadata_invalid',
    ]);
    expect(served.length).toBe(before);
  });

  it('refuses an issuer not on the trust list before fetching its metadata', async () => {
    const before = served.length;
    const error = await rejection(
      verifyReceivedSdJwtVc(
        await credential('good'),
        { vct: PERMIT_VCT, holderKey: holder.publicJwk },
        { trust: { issuers: [] }, http: http(), clock: Date.now },
      ),
    );
    expect(error.code).toBe('untrusted_issuer');
    expect(served.length).toBe(before);
  });
});
