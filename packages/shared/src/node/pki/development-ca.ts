import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Jwk } from '../../crypto/types.ts';
import { loadX509, type X509Module } from '../../x509/load-x509.ts';

/**
 * A development PKI, so that what HAIP signs with X.509 certificates works offline: issuers sign
 * credentials with an `x5c` header (OpenID4VC HAIP 1.0 §6.1.1: the leaf names the issuer in its
 * subjectAltName) and verifiers sign request objects for the `x509_hash:` client id. One root CA
 * lives in a folder and is reused across runs; each issuer tenant or verifier gets a leaf
 * certificate for its public key. Wallets and verifiers list the root as a trust anchor. Not for
 * production: a real deployment gets its certificates from its PKI.
 */

export interface DevelopmentCa {
  /** The folder holding `ca.pem` and `ca-key.pem`. */
  dir: string;
  /** The root certificate as PEM: what verifiers configure as a trust anchor. */
  certificatePem: string;
  /** False when the CA was read from the folder rather than made now. */
  created: boolean;
  /** @internal The parsed root and its signing key, for `issueDevelopmentCertificate`. */
  readonly signer: { certificate: InstanceType<X509Module['X509Certificate']>; privateKey: CryptoKey };
}

export interface CreateDevelopmentCaOptions {
  /** Folder for the CA files; created (mode 0700) when missing. */
  dir: string;
  /** Common name of the root. Default `Tessera Development CA`. */
  name?: string;
  /** Validity of a new root, in days. Default 3650: long-lived, so certificates issued from it outlive test runs. */
  validityDays?: number;
  /** Milliseconds since the epoch. Default `Date.now`. */
  clock?: () => number;
}

export interface IssueDevelopmentCertificateOptions {
  /** The key the certificate certifies (P-256, public). */
  publicJwk: Jwk;
  /** Common name of the leaf, e.g. `City of Bologna — Immigration Office` or `Job centre Bologna — desk 3`. */
  name: string;
  /** uniformResourceIdentifier SANs, e.g. an issuer's `iss` URL or DID. */
  uris?: readonly string[];
  /** dNSName SANs, e.g. the host of the issuer or of the verifier's service. */
  dnsNames?: readonly string[];
  /** Validity in days. Default 365. */
  validityDays?: number;
  clock?: () => number;
}

export interface DevelopmentCertificate {
  /** The `x5c` JWS header value (RFC 7515 §4.1.6): standard base64 DER, leaf first; the root is left out (HAIP 1.0 §6.1.1). */
  x5c: string[];
  certificatePem: string;
}

const CERTIFICATE_FILE = 'ca.pem';
const KEY_FILE = 'ca-key.pem';
const DAY_MS = 86_400_000;
/** Backdating notBefore absorbs clock skew between issuer and verifier. */
const BACKDATE_MS = 5 * 60_000;
const EC_P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const ECDSA_SHA256 = { name: 'ECDSA', hash: 'SHA-256' } as const;

/**
 * Makes a development root CA in `dir`, or reads the one already there. The private key is
 * written as PKCS #8 PEM with mode 0600, and a key file others can read is refused.
 * @example
 * const ca = await createDevelopmentCa({ dir: './data/dev-ca' });
 * const { x5c } = await issueDevelopmentCertificate(ca, { publicJwk, name: 'Job centre Bologna', dnsNames: ['desk.example.org'] });
 */
export async function createDevelopmentCa({
  dir,
  name = 'Tessera Development CA',
  validityDays = 3650,
  clock = Date.now,
}: CreateDevelopmentCaOptions): Promise<DevelopmentCa> {
  if (typeof dir !== 'string' || dir === '') throw new TypeError('dir must be a non-empty path');
  checkDays(validityDays);
  const x509 = await loadX509();
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const keyPath = join(dir, KEY_FILE);
  const certificatePath = join(dir, CERTIFICATE_FILE);
  const existing = await readExisting(keyPath, certificatePath);
  if (existing !== undefined) return { dir, created: false, ...(await openCa(x509, existing.keyPem, existing.certificatePem)) };

  const keys = (await crypto.subtle.generateKey(EC_P256, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = clock();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomSerial(),
      name: [{ CN: [name] }],
      keys,
      signingAlgorithm: ECDSA_SHA256,
      notBefore: new Date(now - BACKDATE_MS),
      notAfter: new Date(now + validityDays * DAY_MS),
      extensions: [
        // RFC 5280 §4.2.1.9: a CA; path length 0 since it signs leaf certificates only.
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey, false, crypto),
      ],
    },
    crypto,
  );
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', keys.privateKey));
  const keyPem = pem('PRIVATE KEY', pkcs8);
  const certificatePem = certificate.toString('pem');
  // `wx`: never overwrite a CA another process made meanwhile; the key goes first, so a
  // certificate file never exists without its key.
  await writeFile(keyPath, keyPem, { flag: 'wx', mode: 0o600 });
  await writeFile(certificatePath, `${certificatePem}\n`, { flag: 'wx', mode: 0o644 });
  return { dir, created: true, ...(await openCa(x509, keyPem, certificatePem)) };
}

/**
 * Issues a leaf certificate for `publicJwk`, signed by the development CA: not a CA, keyUsage
 * digitalSignature, and the subjectAltNames a relying party matches the signer's identity against.
 */
export async function issueDevelopmentCertificate(
  ca: DevelopmentCa,
  options: IssueDevelopmentCertificateOptions,
): Promise<DevelopmentCertificate> {
  const { publicJwk, name, uris = [], dnsNames = [], validityDays = 365, clock = Date.now } = options;
  if (typeof name !== 'string' || name.trim() === '') throw new TypeError('name must be a non-empty string');
  if (uris.length + dnsNames.length === 0) throw new TypeError('a certificate needs at least one subjectAltName');
  for (const value of [...uris, ...dnsNames]) {
    if (typeof value !== 'string' || value === '') throw new TypeError('subjectAltNames must be non-empty strings');
  }
  checkDays(validityDays);
  const x509 = await loadX509();
  const publicKey = await importP256(publicJwk);
  const names: { type: 'dns' | 'url'; value: string }[] = [
    ...[...new Set(uris)].map((value) => ({ type: 'url' as const, value })),
    ...[...new Set(dnsNames.map((dns) => dns.toLowerCase()))].map((value) => ({ type: 'dns' as const, value })),
  ];
  const now = clock();
  const leaf = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerial(),
      subject: [{ CN: [name] }],
      issuer: ca.signer.certificate.subjectName,
      publicKey,
      signingKey: ca.signer.privateKey,
      signingAlgorithm: ECDSA_SHA256,
      notBefore: new Date(now - BACKDATE_MS),
      notAfter: new Date(now + validityDays * DAY_MS),
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.SubjectAlternativeNameExtension(names, false),
        await x509.SubjectKeyIdentifierExtension.create(publicKey, false, crypto),
        await x509.AuthorityKeyIdentifierExtension.create(ca.signer.certificate, false, crypto),
      ],
    },
    crypto,
  );
  return { x5c: [leaf.toString('base64')], certificatePem: leaf.toString('pem') };
}

async function readExisting(
  keyPath: string,
  certificatePath: string,
): Promise<{ keyPem: string; certificatePem: string } | undefined> {
  const keyStats = await stat(keyPath).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (keyStats === undefined) return undefined;
  // Like ssh with its keys: a CA key others can read is treated as leaked, not used.
  if (process.platform !== 'win32' && (keyStats.mode & 0o077) !== 0) {
    throw new Error(`The development CA key ${keyPath} is readable by other users; chmod 600 it or make a new CA`);
  }
  const keyPem = await readFile(keyPath, 'utf8');
  const certificatePem = await readFile(certificatePath, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new Error(`The development CA folder has ${KEY_FILE} but no ${CERTIFICATE_FILE}`);
    throw error;
  });
  return { keyPem, certificatePem };
}

/** Parses the CA files and proves the key belongs to the certificate, so a mixed-up folder fails here. */
async function openCa(
  x509: X509Module,
  keyPem: string,
  certificatePem: string,
): Promise<Pick<DevelopmentCa, 'certificatePem' | 'signer'>> {
  let certificate: InstanceType<X509Module['X509Certificate']>;
  let privateKey: CryptoKey;
  try {
    certificate = new x509.X509Certificate(certificatePem.trim());
    privateKey = await crypto.subtle.importKey('pkcs8', unpem('PRIVATE KEY', keyPem), EC_P256, false, ['sign']);
  } catch (cause) {
    throw new Error('The development CA files are not a PEM certificate and a PKCS #8 P-256 key', { cause });
  }
  const probe = new TextEncoder().encode('tessera development CA key check');
  const signature = await crypto.subtle.sign(ECDSA_SHA256, privateKey, probe);
  const publicKey = await certificate.publicKey.export(EC_P256, ['verify'], crypto);
  if (!(await crypto.subtle.verify(ECDSA_SHA256, publicKey, signature, probe))) {
    throw new Error('The development CA key does not belong to its certificate');
  }
  return { certificatePem: certificate.toString('pem'), signer: { certificate, privateKey } };
}

async function importP256(jwk: Jwk): Promise<CryptoKey> {
  if (jwk?.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.x !== 'string' || typeof jwk.y !== 'string' || jwk.d !== undefined) {
    throw new TypeError('publicJwk must be a public P-256 JWK');
  }
  try {
    return await crypto.subtle.importKey('jwk', { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y }, EC_P256, true, ['verify']);
  } catch (cause) {
    throw new TypeError('publicJwk is not a valid P-256 point', { cause });
  }
}

function checkDays(days: number): void {
  if (!Number.isInteger(days) || days < 1 || days > 36_500) throw new TypeError('validity must be a whole number of days');
}

/** 16 random bytes, the top bit cleared: RFC 5280 §4.1.2.2 wants a positive serial of at most 20 octets. */
function randomSerial(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = ((bytes[0] as number) & 0x7f) | 0x01;
  return Buffer.from(bytes).toString('hex');
}

function pem(label: string, der: Uint8Array): string {
  const base64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${base64.replace(/.{64}/g, '$&\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

function unpem(label: string, text: string): Uint8Array<ArrayBuffer> {
  const match = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(text);
  if (match === null) throw new Error(`No ${label} PEM block`);
  return new Uint8Array(Buffer.from((match[1] as string).replace(/\s+/g, ''), 'base64'));
}
