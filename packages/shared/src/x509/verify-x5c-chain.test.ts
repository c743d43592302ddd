import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair } from '../crypto/web.ts';
import { isTesseraError } from '../errors/tessera-error.ts';
import { createDevelopmentCa, type DevelopmentCa, issueDevelopmentCertificate } from '../node/pki/development-ca.ts';
import { makeTempDir } from '../node/storage/test-databases.ts';
import { verifyX5cChain } from './verify-x5c-chain.ts';

/**
 * The `issuer: null` mode the wallet uses for `x509_hash:` verifiers; the full path validation
 * suite runs in packages/verifier/src/keys/x509.test.ts against this same implementation.
 */
describe('verifyX5cChain without an issuer to match', () => {
  let folder: { path: string; remove(): Promise<void> };
  let ca: DevelopmentCa;
  let other: DevelopmentCa;
  let x5c: string[];

  beforeAll(async () => {
    folder = await makeTempDir('tessera-x5c-test-');
    ca = await createDevelopmentCa({ dir: join(folder.path, 'ca') });
    other = await createDevelopmentCa({ dir: join(folder.path, 'other') });
    const { publicJwk } = await generateKeyPair();
    ({ x5c } = await issueDevelopmentCertificate(ca, { publicJwk, name: 'Job centre (test)', dnsNames: ['desk.example'] }));
  });
  afterAll(() => folder?.remove());

  it('skips the subjectAltName match but still requires the chain to lead to an anchor', async () => {
    await expect(verifyX5cChain(x5c, { trustAnchors: [ca.certificatePem], issuer: null, alg: 'ES256' })).resolves.toMatchObject({
      crv: 'P-256',
    });
    const wrongAnchor = await verifyX5cChain(x5c, { trustAnchors: [other.certificatePem], issuer: null, alg: 'ES256' }).catch(
      (error: unknown) => error,
    );
    expect(isTesseraError(wrongAnchor, 'certificate_invalid')).toBe(true);
  });

  it('still matches the subjectAltName when an issuer is given, and refuses a missing issuer as a programmer error', async () => {
    const named = { trustAnchors: [ca.certificatePem], alg: 'ES256' } as const;
    await expect(verifyX5cChain(x5c, { ...named, issuer: 'https://desk.example' })).resolves.toBeDefined();
    await expect(verifyX5cChain(x5c, { ...named, issuer: 'https://other.example' })).rejects.toMatchObject({
      code: 'certificate_invalid',
    });
    await expect(verifyX5cChain(x5c, { ...named, issuer: undefined as unknown as string })).rejects.toThrow(TypeError);
  });
});
