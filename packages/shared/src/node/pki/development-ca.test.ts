import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPair } from '../../crypto/web.ts';
import { loadX509 } from '../../x509/load-x509.ts';
import { makeTempDir } from '../storage/test-databases.ts';
import { createDevelopmentCa, type IssueDevelopmentCertificateOptions, issueDevelopmentCertificate } from './development-ca.ts';

describe('the development CA', () => {
  let folder: { path: string; remove(): Promise<void> };
  beforeAll(async () => {
    folder = await makeTempDir('tessera-dev-ca-test-');
  });
  afterAll(() => folder?.remove());

  it('writes a root CA with a private key only its owner can read, and reuses it on the next run', async () => {
    const dir = join(folder.path, 'reused');
    const first = await createDevelopmentCa({ dir });
    expect(first.created).toBe(true);
    expect((await stat(join(dir, 'ca-key.pem'))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(dir, 'ca-key.pem'), 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const second = await createDevelopmentCa({ dir });
    expect(second.created).toBe(false);
    expect(second.certificatePem).toBe(first.certificatePem);

    const x509 = await loadX509();
    const root = new x509.X509Certificate(first.certificatePem);
    expect(root.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(true);
    expect(root.notAfter.getTime() - Date.now()).toBeGreaterThan(9 * 365 * 86_400_000);
    expect(await root.isSelfSigned(crypto)).toBe(true);
  });

  it('refuses a CA key that other users can read, and a key that does not belong to the certificate', async () => {
    const dir = join(folder.path, 'exposed');
    await createDevelopmentCa({ dir });
    await chmod(join(dir, 'ca-key.pem'), 0o644);
    await expect(createDevelopmentCa({ dir })).rejects.toThrow(/readable by other users/);

    const mixed = join(folder.path, 'mixed');
    const other = join(folder.path, 'other');
    await createDevelopmentCa({ dir: mixed });
    await createDevelopmentCa({ dir: other });
    await writeFile(join(mixed, 'ca.pem'), await readFile(join(other, 'ca.pem')));
    await expect(createDevelopmentCa({ dir: mixed })).rejects.toThrow(/does not belong to its certificate/);
    await writeFile(join(mixed, 'ca.pem'), 'not a certificate');
    await expect(createDevelopmentCa({ dir: mixed })).rejects.toThrow(/not a PEM certificate/);
  });

  it('issues a leaf for a key: not a CA, for signatures, with the subjectAltNames it was given', async () => {
    const ca = await createDevelopmentCa({ dir: join(folder.path, 'leaf') });
    const { publicJwk } = await generateKeyPair();
    const issued = await issueDevelopmentCertificate(ca, {
      publicJwk,
      uris: ['https://issuer.example.org/tenants/bologna'],
      dnsNames: ['issuer.example.org', 'Alias.example.org', 'issuer.example.org'],
      name: 'City of Bologna — Immigration Office, Via, Comma',
    });
    expect(issued.x5c).toHaveLength(1);
    const x509 = await loadX509();
    const leaf = new x509.X509Certificate(issued.x5c[0] as string);
    expect(leaf.subject).toContain('City of Bologna — Immigration Office');
    expect(leaf.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(false);
    expect(leaf.getExtension(x509.KeyUsagesExtension)?.usages).toBe(x509.KeyUsageFlags.digitalSignature);
    const names = leaf.getExtension(x509.SubjectAlternativeNameExtension)?.names.items.map((n) => `${n.type}:${n.value}`);
    expect(names).toEqual(['url:https://issuer.example.org/tenants/bologna', 'dns:issuer.example.org', 'dns:alias.example.org']);
    const root = new x509.X509Certificate(ca.certificatePem);
    expect(await leaf.verify({ publicKey: root.publicKey, signatureOnly: true }, crypto)).toBe(true);
    const leafKey = await crypto.subtle.exportKey(
      'jwk',
      await leaf.publicKey.export({ name: 'ECDSA', namedCurve: 'P-256' }, ['verify'], crypto),
    );
    expect({ x: leafKey.x, y: leafKey.y }).toEqual({ x: publicJwk.x, y: publicJwk.y });
  });

  it('refuses a key that is not a public P-256 JWK, and options that cannot be right', async () => {
    const ca = await createDevelopmentCa({ dir: join(folder.path, 'bad-input') });
    const { publicJwk, privateJwk } = await generateKeyPair();
    const uris = ['did:web:issuer.example.org:tenants:x'];
    const bad: IssueDevelopmentCertificateOptions[] = [
      { publicJwk: privateJwk, uris, name: 'x' },
      { publicJwk: { ...publicJwk, crv: 'P-384' }, uris, name: 'x' },
      { publicJwk: { ...publicJwk, x: publicJwk.y as string }, uris, name: 'x' },
      { publicJwk, uris: [''], name: 'x' },
      { publicJwk, name: 'x' },
      { publicJwk, uris, name: ' ' },
      { publicJwk, uris, name: 'x', validityDays: 0 },
    ];
    for (const options of bad) await expect(issueDevelopmentCertificate(ca, options)).rejects.toThrow(TypeError);
    await expect(createDevelopmentCa({ dir: '' })).rejects.toThrow(TypeError);
  });
});
