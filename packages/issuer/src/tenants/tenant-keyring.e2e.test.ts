/**
 * Tenant keys end to end: credentials signed through Veramo's KMS verify with @tessera/verifier
 * (a real peer, as a devDependency) through did:web documents served over HTTP on 127.0.0.1,
 * through did:jwk resolved locally, and through an x5c chain to the development CA.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { generateKeyPair, issueSdJwtVc, isTesseraError, type Jwk, presentSdJwt, type SigningKey } from '@tessera/shared';
import { createDevelopmentCa, type Database, nodeCrypto, nodeSigningKey, openDatabase } from '@tessera/shared/node';
import { makeTempDir } from '@tessera/shared/node/testing';
import { errorCodeOfAsync } from '@tessera/shared/testing';
import { parseTrustList, type TrustList, verifyPresentation } from '@tessera/verifier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueTenantCertificate } from './tenant-certificate.ts';
import { createTenantKeyring, type TenantIdentity, type TenantKeyring } from './tenant-keyring.ts';

const VCT = 'https://tessera.example/credentials/language-course';
const NONCE = 'n-tenant-e2e';
const AUDIENCE = 'x509_hash:desk-test';
const X5C_ISSUER = 'https://issuer.example.org/tenants/caritas';
const ELSEWHERE = 'https://elsewhere.example.org';
const now = (): number => Math.floor(Date.now() / 1000);

let database: Database;
let server: Server;
let keyring: TenantKeyring;
let bologna: TenantIdentity;
let local: TenantIdentity;
let caritas: TenantIdentity;
let holder: { privateJwk: Jwk; publicJwk: Jwk };
let caFolder: { path: string; remove(): Promise<void> };
let trustAnchor: string;
let x5c: string[];
let documentRequests = 0;

beforeAll(async () => {
  database = await openDatabase({ kind: 'pglite' });
  // The service's did.json route, reduced to what the keyring provides.
  server = createServer((req, res) => {
    const match = /^\/tenants\/([^/]+)\/did\.json$/.exec(req.url ?? '');
    documentRequests++;
    keyring
      .didDocument(match?.[1] ?? '')
      .then((document) => res.writeHead(200, { 'content-type': 'application/did+json' }).end(JSON.stringify(document)))
      .catch((error: unknown) => res.writeHead(isTesseraError(error, 'issuer_key_not_found') ? 404 : 500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  keyring = await createTenantKeyring({ database, secretKey: '3c'.repeat(32), baseUrl: `http://localhost:${port}` });
  bologna = await keyring.ensureTenant({ id: 'bologna', didMethod: 'web' });
  local = await keyring.ensureTenant({ id: 'local', didMethod: 'jwk' });
  caritas = await keyring.ensureTenant({ id: 'caritas', didMethod: 'web' });
  holder = await generateKeyPair();

  caFolder = await makeTempDir('tessera-dev-ca-');
  const ca = await createDevelopmentCa({ dir: join(caFolder.path, 'ca') });
  trustAnchor = ca.certificatePem;
  ({ x5c } = await issueTenantCertificate(ca, {
    publicJwk: caritas.publicJwk,
    issuer: X5C_ISSUER,
    name: 'Caritas Language School',
  }));
});

afterAll(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await database?.close();
  await caFolder?.remove();
});

function trust(anchors: string[] = [trustAnchor]): TrustList {
  return parseTrustList({
    version: 1,
    issuers: [
      { id: bologna.did, name: { en: 'City of Bologna — Immigration Office' }, credentialTypes: [VCT] },
      { id: local.did, name: { en: 'Local development issuer' }, credentialTypes: [VCT] },
      { id: X5C_ISSUER, name: { en: 'Caritas Language School' }, credentialTypes: [VCT], x509TrustAnchors: anchors },
      { id: ELSEWHERE, name: { en: 'Another tenant' }, credentialTypes: [VCT], x509TrustAnchors: anchors },
    ],
  });
}

async function credential(issuer: string, signingKey: SigningKey, header?: Record<string, unknown>): Promise<string> {
  return issueSdJwtVc({
    issuer,
    vct: VCT,
    claims: { course: 'Italiano A2', hours: 120 },
    disclosable: [['course'], ['hours']],
    holderKey: holder.publicJwk,
    issuedAt: now() - 60,
    expiresAt: now() + 3600,
    signingKey,
    crypto: nodeCrypto,
    ...(header === undefined ? {} : { header: header as Record<string, string> }),
  });
}

async function verify(sdJwt: string, trustList: TrustList = trust()): Promise<Awaited<ReturnType<typeof verifyPresentation>>> {
  const presentation = await presentSdJwt(sdJwt, {
    disclose: [['course']],
    crypto: nodeCrypto,
    keyBinding: { signingKey: nodeSigningKey(holder.privateJwk, 'ES256'), audience: AUDIENCE, nonce: NONCE, issuedAt: now() },
  });
  return verifyPresentation(presentation, {
    trust: trustList,
    fetchPolicy: { allowInsecureLocalhost: true, timeoutMs: 2000 },
    crypto: nodeCrypto,
    nonce: NONCE,
    audience: AUDIENCE,
  });
}

describe('credentials signed with tenant keys, verified by @tessera/verifier', () => {
  it('verifies a credential of a did:web tenant through its document served over HTTP', async () => {
    expect(bologna.did).toMatch(/^did:web:localhost%3A\d+:tenants:bologna$/);
    const before = documentRequests;
    const result = await verify(await credential(bologna.did, bologna.signingKey));
    expect(result.issuer).toBe(bologna.did);
    expect(result.claims.course).toBe('Italiano A2');
    expect(documentRequests).toBeGreaterThan(before);
  });

  it('keeps verifying a credential signed before a rotation, and verifies the ones signed after it', async () => {
    const tenant = await keyring.ensureTenant({ id: 'bologna', didMethod: 'web' });
    const old = await credential(tenant.did, tenant.signingKey);
    const rotated = await keyring.rotate('bologna');
    expect(rotated.kid).not.toBe(tenant.kid);
    const fresh = await credential(rotated.did, rotated.signingKey);
    expect(JSON.parse(Buffer.from(fresh.split('.')[0] as string, 'base64url').toString()).kid).toBe(rotated.kid);
    expect((await verify(old)).issuer).toBe(tenant.did);
    expect((await verify(fresh)).issuer).toBe(tenant.did);
  });

  it('rejects a credential that names a tenant key but was signed by another key', async () => {
    const impostor = await generateKeyPair();
    const forged = await credential(
      bologna.did,
      nodeSigningKey(impostor.privateJwk, 'ES256', (await keyring.identity('bologna')).kid),
    );
    expect(await errorCodeOfAsync(verify(forged))).toBe('invalid_signature');
    const unknownKid = await credential(bologna.did, nodeSigningKey(impostor.privateJwk, 'ES256', `${bologna.did}#not-a-key`));
    expect(await errorCodeOfAsync(verify(unknownKid))).toBe('issuer_key_not_found');
  });

  it('verifies a credential of a did:jwk tenant, resolved without any fetch', async () => {
    const before = documentRequests;
    const result = await verify(await credential(local.did, local.signingKey));
    expect(result.issuer).toBe(local.did);
    expect(documentRequests).toBe(before);
  });

  it('verifies a credential signed with an x5c chain to the development CA, and not with another CA as anchor', async () => {
    const signed = await credential(X5C_ISSUER, caritas.signingKey, { x5c });
    const result = await verify(signed);
    expect(result.issuer).toBe(X5C_ISSUER);
    expect(result.trustedIssuer.name.en).toBe('Caritas Language School');

    const otherFolder = await makeTempDir('tessera-other-ca-');
    try {
      const other = await createDevelopmentCa({ dir: otherFolder.path });
      expect(await errorCodeOfAsync(verify(signed, trust([other.certificatePem])))).toBe('certificate_invalid');
    } finally {
      await otherFolder.remove();
    }
    // The certificate's subjectAltNames certify the tenant's key for X5C_ISSUER only.
    const elsewhere = await credential(ELSEWHERE, caritas.signingKey, { x5c });
    expect(await errorCodeOfAsync(verify(elsewhere))).toBe('certificate_invalid');
  });
});
