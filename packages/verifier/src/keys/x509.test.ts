import {
  generateKeyPair,
  importSigningKey,
  issueSdJwtVc,
  type JsonObject,
  type JwsAlgorithm,
  loadX509,
  type SigningKey,
  TesseraError,
  verifySdJwtVc,
  webCrypto,
} from '@tessera/shared';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createRootCa,
  createTestPki,
  issueIntermediateCa,
  issueLeafCertificate,
  issueTestCertificate,
  type TestCertificate,
  type TestPki,
  tamperSignature,
  withMismatchedSignatureAlgorithm,
} from './test-pki.ts';
import { MAX_X5C_CERTIFICATES, verifyX5cChain } from './x509.ts';

const ISSUER = 'https://issuer.example';
const DAY_MS = 86_400_000;

/** Resolves to the TesseraError a promise rejects with, failing the test if it resolves. */
async function rejection(promise: Promise<unknown>): Promise<TesseraError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(TesseraError);
  return error as TesseraError;
}

async function expectInvalid(promise: Promise<unknown>, message: RegExp): Promise<void> {
  const error = await rejection(promise);
  expect(error.code).toBe('certificate_invalid');
  expect(error.message).toMatch(message);
}

/** The JWS algorithm of a leaf's key (leaves in these tests never have RSA keys). */
function jwsAlgorithmOf(certificate: TestCertificate): JwsAlgorithm {
  if (certificate.alg === 'RS256') throw new TypeError('An RSA key cannot sign a JWS here');
  return certificate.alg;
}

/** The certificate's key as a signing key, to prove a returned JWK is that key. */
async function signingKeyOf(certificate: TestCertificate): Promise<SigningKey> {
  const jwk = await crypto.subtle.exportKey('jwk', certificate.keys.privateKey);
  return importSigningKey(jwk as Parameters<typeof importSigningKey>[0], jwsAlgorithmOf(certificate));
}

async function expectSameKey(jwk: Parameters<typeof webCrypto.verifier>[0], certificate: TestCertificate): Promise<void> {
  const data = new TextEncoder().encode('signed by the leaf key');
  const signature = await (await signingKeyOf(certificate)).sign(data);
  const verifier = await webCrypto.verifier(jwk, jwsAlgorithmOf(certificate));
  expect(await verifier(data, signature)).toBe(true);
  expect(await verifier(new TextEncoder().encode('something else'), signature)).toBe(false);
}

let direct: TestPki;
let withIntermediate: TestPki;

beforeAll(async () => {
  direct = await createTestPki();
  withIntermediate = await createTestPki({ intermediate: true });
});

describe('verifyX5cChain with a valid chain', () => {
  it('returns the leaf key of a root → leaf chain', async () => {
    const jwk = await verifyX5cChain(direct.x5c, { trustAnchors: direct.trustAnchors, issuer: ISSUER, alg: 'ES256' });
    expect(jwk).toEqual({ kty: 'EC', crv: 'P-256', x: expect.any(String), y: expect.any(String) });
    await expectSameKey(jwk, direct.leaf);
  });

  it('returns the leaf key of a root → intermediate → leaf chain', async () => {
    const jwk = await verifyX5cChain(withIntermediate.x5c, {
      trustAnchors: withIntermediate.trustAnchors,
      issuer: ISSUER,
      alg: 'ES256',
    });
    await expectSameKey(jwk, withIntermediate.leaf);
  });

  it('accepts an x5c header that also carries the trust anchor itself', async () => {
    const { leaf, intermediate, root, trustAnchors } = withIntermediate;
    const x5c = [leaf.x5c, intermediate?.x5c, root.x5c];
    await expect(verifyX5cChain(x5c, { trustAnchors, issuer: ISSUER, alg: 'ES256' })).resolves.toMatchObject({ crv: 'P-256' });
  });

  it('accepts trust anchors given as base64 DER as well as PEM, among other anchors', async () => {
    const other = await createRootCa({ subject: 'CN=Another Root' });
    const trustAnchors = [other.pem, withIntermediate.root.x5c];
    await expect(verifyX5cChain(withIntermediate.x5c, { trustAnchors, issuer: ISSUER, alg: 'ES256' })).resolves.toBeDefined();
  });

  it('matches a dNSName SAN without regard to case and ignores the port and path of iss', async () => {
    const pki = await createTestPki({ leaf: { dnsNames: ['other.example', 'Issuer.EXAMPLE'] } });
    const issuer = 'https://ISSUER.example:8443/tenants/42';
    await expect(verifyX5cChain(pki.x5c, { trustAnchors: pki.trustAnchors, issuer, alg: 'ES256' })).resolves.toBeDefined();
  });

  it('matches an https issuer against a uniformResourceIdentifier SAN equal to it', async () => {
    const issuer = 'https://issuer.example/tenants/42';
    const pki = await createTestPki({ leaf: { dnsNames: [], uris: [issuer] } });
    await expect(verifyX5cChain(pki.x5c, { trustAnchors: pki.trustAnchors, issuer, alg: 'ES256' })).resolves.toBeDefined();
  });

  it('matches a DID issuer against a uniformResourceIdentifier SAN equal to it', async () => {
    const issuer = 'did:web:issuer.example';
    const pki = await createTestPki({ leaf: { dnsNames: ['issuer.example'], uris: [issuer] } });
    await expect(verifyX5cChain(pki.x5c, { trustAnchors: pki.trustAnchors, issuer, alg: 'ES256' })).resolves.toBeDefined();
  });

  it.each([
    ['ES384', 'EC', 'P-384'],
    ['ES512', 'EC', 'P-521'],
    ['EdDSA', 'OKP', 'Ed25519'],
  ] as const)('returns a %s leaf key as a %s %s JWK', async (alg, kty, crv) => {
    const root = await createRootCa({ alg: alg === 'EdDSA' ? 'EdDSA' : 'ES384' });
    const leaf = await issueLeafCertificate(root, { alg });
    const jwk = await verifyX5cChain([leaf.x5c], { trustAnchors: [root.pem], issuer: ISSUER, alg });
    expect(jwk).toMatchObject({ kty, crv });
    expect('d' in jwk).toBe(false);
    await expectSameKey(jwk, leaf);
  });

  it('accepts a CA that signs with RSA (PKCS#1 v1.5, SHA-256)', async () => {
    const root = await createRootCa({ alg: 'RS256', subject: 'CN=RSA Root' });
    const leaf = await issueLeafCertificate(root);
    const jwk = await verifyX5cChain([leaf.x5c], { trustAnchors: [root.pem], issuer: ISSUER, alg: 'ES256' });
    await expectSameKey(jwk, leaf);
  });

  it('verifies at the given time rather than now', async () => {
    const notBefore = new Date('2020-01-01T00:00:00Z');
    const notAfter = new Date('2021-01-01T00:00:00Z');
    const root = await createRootCa({ notBefore, notAfter });
    const leaf = await issueLeafCertificate(root, { notBefore, notAfter });
    const options = { trustAnchors: [root.pem], issuer: ISSUER, alg: 'ES256' as const };
    await expect(verifyX5cChain([leaf.x5c], { ...options, now: new Date('2020-06-01T00:00:00Z') })).resolves.toBeDefined();
    await expectInvalid(verifyX5cChain([leaf.x5c], options), /x5c certificate 0 has expired/);
  });
});

describe('verifyX5cChain rejects', () => {
  const options = (pki: TestPki) => ({ trustAnchors: pki.trustAnchors, issuer: ISSUER, alg: 'ES256' as const });

  it('a chain that leads to another trust anchor', async () => {
    const other = await createRootCa({ subject: 'CN=Another Root' });
    await expectInvalid(
      verifyX5cChain(direct.x5c, { ...options(direct), trustAnchors: [other.pem] }),
      /does not lead to a trust anchor/,
    );
  });

  it('a chain with no trust anchor configured', async () => {
    await expectInvalid(verifyX5cChain(direct.x5c, { ...options(direct), trustAnchors: [] }), /No X\.509 trust anchor/);
  });

  it('a chain whose intermediate is missing', async () => {
    const { leaf } = withIntermediate;
    await expectInvalid(verifyX5cChain([leaf.x5c], options(withIntermediate)), /does not lead to a trust anchor/);
  });

  it('a chain in scrambled order', async () => {
    const { leaf, intermediate, root } = withIntermediate;
    const x5c = intermediate?.x5c as string;
    await expectInvalid(
      verifyX5cChain([leaf.x5c, root.x5c, x5c], options(withIntermediate)),
      /issuer of x5c certificate 0 is not the subject of x5c certificate 1/,
    );
    await expectInvalid(verifyX5cChain([x5c, leaf.x5c], options(withIntermediate)), /leaf certificate is a CA/);
  });

  it('an expired leaf', async () => {
    const root = await createRootCa();
    const leaf = await issueLeafCertificate(root, {
      notBefore: new Date(Date.now() - 10 * DAY_MS),
      notAfter: new Date(Date.now() - DAY_MS),
    });
    await expectInvalid(
      verifyX5cChain([leaf.x5c], { trustAnchors: [root.pem], issuer: ISSUER, alg: 'ES256' }),
      /x5c certificate 0 has expired/,
    );
  });

  it('a not-yet-valid intermediate', async () => {
    const root = await createRootCa();
    const intermediate = await issueIntermediateCa(root, { notBefore: new Date(Date.now() + DAY_MS) });
    const leaf = await issueLeafCertificate(intermediate);
    await expectInvalid(
      verifyX5cChain([leaf.x5c, intermediate.x5c], { trustAnchors: [root.pem], issuer: ISSUER, alg: 'ES256' }),
      /x5c certificate 1 is not yet valid/,
    );
  });

  it('an expired trust anchor', async () => {
    const root = await createRootCa({ notBefore: new Date(Date.now() - 10 * DAY_MS), notAfter: new Date(Date.now() - DAY_MS) });
    const leaf = await issueLeafCertificate(root);
    await expectInvalid(
      verifyX5cChain([leaf.x5c], { trustAnchors: [root.pem], issuer: ISSUER, alg: 'ES256' }),
      /trust anchor has expired/,
    );
  });

  it.each([
    ['with cA false', false],
    ['without basicConstraints', undefined],
  ])('an intermediate %s', async (_, ca) => {
    const root = await createRootCa();
    const intermediate = await issueTestCertificate(root, { subject: 'CN=Not A CA', ...(ca === undefined ? {} : { ca }) });
    const leaf = await issueLeafCertificate(intermediate);
    await expectInvalid(
      verifyX5cChain([leaf.x5c, intermediate.x5c], { trustAnchors: [root.pem], issuer: ISSUER, alg: 'ES256' }),
      /x5c certificate 1 is not a CA certificate/,
    );
  });

  it('an intermediate whose keyUsage does not allow signing certificates', async () => {
    const x509 = await loadX509();
    const root = await createRootCa();
    const intermediate = await issueIntermediateCa(root, { keyUsage: x509.KeyUsageFlags.digitalSignature });
    const leaf = await issueLeafCertificate(intermediate);
    await expectInvalid(
      verifyX5cChain([leaf.x5c, intermediate.x5c], { trustAnchors: [root.pem], issuer: ISSUER, alg: 'ES256' }),
      /x5c certificate 1 may not sign certificates/,
    );
  });

  it('a chain longer than the root pathLenConstraint allows', async () => {
    const root = await createRootCa({ pathLength: 0 });
    const intermediate = await issueIntermediateCa(root);
    const leaf = await issueLeafCertificate(intermediate);
    await expectInvalid(
      verifyX5cChain([leaf.x5c, intermediate.x5c], { trustAnchors: [root.pem], issuer: ISSUER, alg: 'ES256' }),
      /trust anchor allows fewer intermediate CAs/,
    );
  });

  it('a leaf that is a CA', async () => {
    const pki = await createTestPki({ leaf: { ca: true } });
    await expectInvalid(verifyX5cChain(pki.x5c, options(pki)), /leaf certificate is a CA certificate/);
  });

  it('a self-signed leaf, whether or not it is a trust anchor', async () => {
    const x509 = await loadX509();
    const leaf = await createRootCa({
      subject: 'CN=Self Signed Issuer',
      ca: false,
      keyUsage: x509.KeyUsageFlags.digitalSignature,
      dnsNames: ['issuer.example'],
    });
    const other = await createRootCa({ subject: 'CN=Another Root' });
    for (const trustAnchors of [[other.pem], [leaf.pem]]) {
      await expectInvalid(
        verifyX5cChain([leaf.x5c], { trustAnchors, issuer: ISSUER, alg: 'ES256' }),
        /leaf certificate is self-signed/,
      );
    }
  });

  it('a leaf whose SAN names another host', async () => {
    const pki = await createTestPki({ leaf: { dnsNames: ['attacker.example', 'issuer.example.attacker.example'] } });
    await expectInvalid(verifyX5cChain(pki.x5c, options(pki)), /No subjectAltName of the leaf certificate matches/);
  });

  it('a dNSName SAN for an issuer that is not a plain https URL', async () => {
    const pki = await createTestPki({ leaf: { dnsNames: ['issuer.example'] } });
    for (const issuer of ['http://issuer.example', 'did:web:issuer.example', 'https://user@issuer.example', 'issuer.example']) {
      await expectInvalid(verifyX5cChain(pki.x5c, { ...options(pki), issuer }), /No subjectAltName/);
    }
  });

  it('a uniformResourceIdentifier SAN that differs from the issuer', async () => {
    const pki = await createTestPki({ leaf: { dnsNames: [], uris: ['https://issuer.example/a', 'did:web:issuer.example'] } });
    for (const issuer of [
      'https://issuer.example/b',
      'https://issuer.example',
      'https://issuer.example/A',
      'did:web:Issuer.example',
    ]) {
      await expectInvalid(verifyX5cChain(pki.x5c, { ...options(pki), issuer }), /No subjectAltName/);
    }
  });

  it('a leaf without any SAN', async () => {
    const pki = await createTestPki({ leaf: { dnsNames: [] } });
    await expectInvalid(verifyX5cChain(pki.x5c, options(pki)), /No subjectAltName/);
  });

  it('a leaf whose keyUsage lacks digitalSignature', async () => {
    const x509 = await loadX509();
    const pki = await createTestPki({ leaf: { keyUsage: x509.KeyUsageFlags.keyAgreement | x509.KeyUsageFlags.nonRepudiation } });
    await expectInvalid(verifyX5cChain(pki.x5c, options(pki)), /key usage does not allow digital signatures/);
  });

  it('a leaf key that does not fit the algorithm', async () => {
    const pki = await createTestPki({ leaf: { alg: 'ES384' } });
    await expectInvalid(verifyX5cChain(pki.x5c, options(pki)), /key does not fit ES256/);
    await expectInvalid(verifyX5cChain(pki.x5c, { ...options(pki), alg: 'EdDSA' }), /key does not fit EdDSA/);
  });

  it('a leaf with an unsupported key type', async () => {
    const keys = (await crypto.subtle.generateKey(
      { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      true,
      ['sign', 'verify'],
    )) as CryptoKeyPair;
    const root = await createRootCa();
    const leaf = await issueLeafCertificate(root, { keys });
    await expectInvalid(
      verifyX5cChain([leaf.x5c], { trustAnchors: [root.pem], issuer: ISSUER, alg: 'ES256' }),
      /key does not fit ES256/,
    );
  });

  it('a certificate with an unsupported critical extension', async () => {
    const x509 = await loadX509();
    const policies = new x509.CertificatePolicyExtension(['1.2.3.4'], true);
    const pki = await createTestPki({ leaf: { extensions: [policies] } });
    await expectInvalid(verifyX5cChain(pki.x5c, options(pki)), /x5c certificate 0 has an unsupported critical extension/);
  });

  it('a certificate signed with SHA-1', async () => {
    const root = await createRootCa();
    const leaf = await issueLeafCertificate(root, { signingAlgorithm: { name: 'ECDSA', hash: 'SHA-1' } });
    expect(leaf.certificate.signatureAlgorithm).toMatchObject({ hash: { name: 'SHA-1' } });
    await expectInvalid(
      verifyX5cChain([leaf.x5c], { trustAnchors: [root.pem], issuer: ISSUER, alg: 'ES256' }),
      /does not lead to a trust anchor/,
    );
  });

  it('a certificate whose signed and outer signature algorithms differ', async () => {
    const forged = await withMismatchedSignatureAlgorithm(direct.leaf, direct.root);
    await expectInvalid(
      verifyX5cChain([forged], { trustAnchors: direct.trustAnchors, issuer: ISSUER, alg: 'ES256' }),
      /does not lead to a trust anchor/,
    );
  });

  it('a certificate whose signature was tampered with', async () => {
    const { leaf, intermediate } = withIntermediate;
    await expectInvalid(
      verifyX5cChain([tamperSignature(leaf.x5c), intermediate?.x5c], options(withIntermediate)),
      /signature on x5c certificate 0 does not verify with the key of x5c certificate 1/,
    );
    await expectInvalid(
      verifyX5cChain([leaf.x5c, tamperSignature(intermediate?.x5c as string)], options(withIntermediate)),
      /does not lead to a trust anchor/,
    );
  });

  it('an attacker chain that copies the anchor name onto its own key', async () => {
    // The attacker's root has the very subject name of the trusted root, but its own key.
    const forgedRoot = await createRootCa({ subject: direct.root.certificate.subject });
    expect(forgedRoot.certificate.subject).toBe(direct.root.certificate.subject);
    const forgedIntermediate = await issueIntermediateCa(forgedRoot);
    const leaf = await issueLeafCertificate(forgedIntermediate);
    const anchored = options(direct);
    // Leaf → intermediate → forged root in the header, and leaf → intermediate alone.
    await expectInvalid(
      verifyX5cChain([leaf.x5c, forgedIntermediate.x5c, forgedRoot.x5c], anchored),
      /does not lead to a trust anchor/,
    );
    await expectInvalid(verifyX5cChain([leaf.x5c, forgedIntermediate.x5c], anchored), /does not lead to a trust anchor/);
    // A leaf issued straight under the copied name.
    const directLeaf = await issueLeafCertificate(forgedRoot);
    await expectInvalid(verifyX5cChain([directLeaf.x5c], anchored), /does not lead to a trust anchor/);
  });

  it.each([
    ['a string', 'MIIB'],
    ['an object', { 0: direct?.leaf.x5c }],
    ['null', null],
    ['an empty array', []],
  ])('an x5c header that is %s', async (_, x5c) => {
    await expectInvalid(verifyX5cChain(x5c, options(direct)), /x5c header must/);
  });

  it('an x5c header with more certificates than allowed', async () => {
    const x5c = Array.from({ length: MAX_X5C_CERTIFICATES + 1 }, () => direct.leaf.x5c);
    await expectInvalid(verifyX5cChain(x5c, options(direct)), /between 1 and 5 certificates/);
  });

  it.each([
    ['a number', 42, /is not a string/],
    ['base64url', () => direct.leaf.x5c.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''), /not standard base64/],
    ['base64 with line breaks', () => direct.leaf.x5c.replace(/(.{64})/g, '$1\n'), /not standard base64/],
    ['a PEM certificate', () => direct.leaf.pem, /not standard base64/],
    ['garbage', '!!!not base64!!!', /not standard base64/],
    ['base64 that is not a certificate', btoa('not a certificate'), /not a DER X\.509 certificate/],
    ['a DER SEQUENCE that is not a certificate', btoa(String.fromCharCode(0x30, 0x03, 0x02, 0x01, 0x00)), /not a well-formed/],
    ['a certificate with trailing bytes', () => btoa(`${atob(direct.leaf.x5c)}\u0000\u0000`), /not a DER X\.509 certificate/],
  ])('an x5c entry that is %s', async (_, entry, message) => {
    const value = typeof entry === 'function' ? entry() : entry;
    await expectInvalid(verifyX5cChain([value], options(direct)), message);
  });

  it('an algorithm outside the supported set', async () => {
    const error = await rejection(verifyX5cChain(direct.x5c, { ...options(direct), alg: 'HS256' as JwsAlgorithm }));
    expect(error.code).toBe('unsupported_algorithm');
  });

  it('a malformed trust anchor as a configuration mistake', async () => {
    await expect(verifyX5cChain(direct.x5c, { ...options(direct), trustAnchors: ['not a certificate'] })).rejects.toThrow(
      TypeError,
    );
  });

  it('never puts certificate contents in its messages', async () => {
    const error = await rejection(verifyX5cChain([tamperSignature(direct.leaf.x5c)], options(direct)));
    expect(error.message).not.toMatch(/issuer\.example|Tessera Test|MII/);
  });
});

describe('an SD-JWT VC signed with an x5c chain', () => {
  const vct = 'https://tessera.example/residence-permit';

  async function issueWithChain(pki: TestPki, signingKey?: SigningKey): Promise<string> {
    return issueSdJwtVc({
      issuer: ISSUER,
      vct,
      claims: { given_name: 'Erika' },
      disclosable: [['given_name']],
      signingKey: signingKey ?? (await signingKeyOf(pki.leaf)),
      crypto: webCrypto,
      header: { x5c: pki.x5c },
    });
  }

  function x5cIssuerKey(trustAnchors: readonly string[]) {
    return ({ header, payload }: { header: JsonObject; payload: JsonObject }) =>
      verifyX5cChain(header.x5c, { trustAnchors, issuer: String(payload.iss), alg: header.alg as JwsAlgorithm });
  }

  it('verifies with the key from its x5c header', async () => {
    const credential = await issueWithChain(withIntermediate);
    const verified = await verifySdJwtVc(credential, {
      issuerKey: x5cIssuerKey(withIntermediate.trustAnchors),
      crypto: webCrypto,
      keyBinding: 'forbidden',
    });
    expect(verified.issuer).toBe(ISSUER);
    expect(verified.claims.given_name).toBe('Erika');
    expect(verified.header.x5c).toEqual(withIntermediate.x5c);
  });

  it('is rejected when signed by a key other than the leaf key', async () => {
    const { privateJwk } = await generateKeyPair('ES256');
    const credential = await issueWithChain(withIntermediate, await importSigningKey(privateJwk, 'ES256'));
    const error = await rejection(
      verifySdJwtVc(credential, {
        issuerKey: x5cIssuerKey(withIntermediate.trustAnchors),
        crypto: webCrypto,
        keyBinding: 'forbidden',
      }),
    );
    expect(error.code).toBe('invalid_signature');
  });

  it('is rejected when its chain leads to an untrusted root', async () => {
    const credential = await issueWithChain(direct);
    const error = await rejection(
      verifySdJwtVc(credential, {
        issuerKey: x5cIssuerKey(withIntermediate.trustAnchors),
        crypto: webCrypto,
        keyBinding: 'forbidden',
      }),
    );
    expect(error.code).toBe('certificate_invalid');
  });
});
