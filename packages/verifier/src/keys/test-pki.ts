import type * as X509 from '@peculiar/x509';
import { type JwsAlgorithm, loadX509 } from '@tessera/shared';

/**
 * Test only: a throwaway PKI built at test time with @peculiar/x509 and WebCrypto (root CA →
 * optional intermediate → leaf), so x5c tests run against real certificates and real signatures.
 */

/** Key types for test certificates: the JWS ones, and RSA for CAs of older PKIs. */
export type TestKeyAlgorithm = JwsAlgorithm | 'RS256';

export interface TestCertificate {
  certificate: X509.X509Certificate;
  keys: CryptoKeyPair;
  /** The algorithm of the certificate's own key. */
  alg: TestKeyAlgorithm;
  /** Standard base64 of the DER, as an `x5c` entry (RFC 7515 §4.1.6). */
  x5c: string;
  pem: string;
}

export interface TestCertificateOptions {
  /** Distinguished name, e.g. `CN=Tessera Test Issuer`. */
  subject: string;
  /** Key type of the certificate's own key. Default ES256. */
  alg?: TestKeyAlgorithm;
  /** An existing key pair instead of a fresh one (its type must match `alg`). */
  keys?: CryptoKeyPair;
  /** basicConstraints cA; `undefined` leaves the extension out. */
  ca?: boolean;
  pathLength?: number;
  /** keyUsage bits (`KeyUsageFlags`); `undefined` leaves the extension out. */
  keyUsage?: number;
  dnsNames?: readonly string[];
  uris?: readonly string[];
  notBefore?: Date;
  notAfter?: Date;
  extensions?: readonly X509.Extension[];
  /** The issuer's signature algorithm, instead of the one that goes with its key. */
  signingAlgorithm?: EcdsaParams | RsaPssParams | Algorithm;
}

const DAY_MS = 86_400_000;

const KEY_PARAMS: Record<TestKeyAlgorithm, EcKeyGenParams | RsaHashedKeyGenParams | Algorithm> = {
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
  ES384: { name: 'ECDSA', namedCurve: 'P-384' },
  ES512: { name: 'ECDSA', namedCurve: 'P-521' },
  EdDSA: { name: 'Ed25519' },
  RS256: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
};

/** The certificate signature algorithm that goes with the signer's key. */
const SIGNING_PARAMS: Record<TestKeyAlgorithm, EcdsaParams | Algorithm> = {
  ES256: { name: 'ECDSA', hash: 'SHA-256' },
  ES384: { name: 'ECDSA', hash: 'SHA-384' },
  ES512: { name: 'ECDSA', hash: 'SHA-512' },
  EdDSA: { name: 'Ed25519' },
  RS256: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
};

/** A fresh extractable key pair for `alg`. */
export async function generateTestKeys(alg: TestKeyAlgorithm = 'ES256'): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(KEY_PARAMS[alg], true, ['sign', 'verify'])) as CryptoKeyPair;
}

/** A self-signed root CA (cA, keyCertSign + cRLSign, unless the options say otherwise). */
export async function createRootCa(options: Partial<TestCertificateOptions> = {}): Promise<TestCertificate> {
  const x509 = await loadX509();
  const alg = options.alg ?? 'ES256';
  const keys = options.keys ?? (await generateTestKeys(alg));
  const settings: TestCertificateOptions = {
    ca: true,
    keyUsage: x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
    ...options,
    subject: options.subject ?? 'CN=Tessera Test Root',
  };
  const certificate = await x509.X509CertificateGenerator.createSelfSigned(
    {
      name: settings.subject,
      keys,
      signingAlgorithm: settings.signingAlgorithm ?? SIGNING_PARAMS[alg],
      ...validity(settings),
      extensions: extensionsFor(x509, settings),
    },
    crypto,
  );
  return wrap(certificate, keys, alg);
}

/** A certificate for `options.subject`, signed by `issuer`. */
export async function issueTestCertificate(issuer: TestCertificate, options: TestCertificateOptions): Promise<TestCertificate> {
  const x509 = await loadX509();
  const alg = options.alg ?? 'ES256';
  const keys = options.keys ?? (await generateTestKeys(alg));
  const certificate = await x509.X509CertificateGenerator.create(
    {
      subject: options.subject,
      issuer: issuer.certificate.subjectName,
      publicKey: keys.publicKey,
      signingKey: issuer.keys.privateKey,
      signingAlgorithm: options.signingAlgorithm ?? SIGNING_PARAMS[issuer.alg],
      ...validity(options),
      extensions: extensionsFor(x509, options),
    },
    crypto,
  );
  return wrap(certificate, keys, alg);
}

/** An intermediate CA (cA, pathLength 0, keyCertSign + cRLSign, unless the options say otherwise). */
export async function issueIntermediateCa(
  issuer: TestCertificate,
  options: Partial<TestCertificateOptions> = {},
): Promise<TestCertificate> {
  const x509 = await loadX509();
  return issueTestCertificate(issuer, {
    ca: true,
    pathLength: 0,
    keyUsage: x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
    ...options,
    subject: options.subject ?? 'CN=Tessera Test Intermediate',
  });
}

/** An issuer's signing certificate: keyUsage digitalSignature, a dNSName SAN for `issuer.example`. */
export async function issueLeafCertificate(
  issuer: TestCertificate,
  options: Partial<TestCertificateOptions> = {},
): Promise<TestCertificate> {
  const x509 = await loadX509();
  return issueTestCertificate(issuer, {
    keyUsage: x509.KeyUsageFlags.digitalSignature,
    dnsNames: ['issuer.example'],
    ...options,
    subject: options.subject ?? 'CN=Tessera Test Issuer',
  });
}

export interface TestPki {
  root: TestCertificate;
  intermediate?: TestCertificate;
  leaf: TestCertificate;
  /** The `x5c` header: leaf first, then the intermediate when there is one; never the root. */
  x5c: string[];
  /** The root as a PEM trust anchor. */
  trustAnchors: string[];
}

/** A root → (intermediate →) leaf PKI with sensible defaults. */
export async function createTestPki(
  options: { intermediate?: boolean; leaf?: Partial<TestCertificateOptions> } = {},
): Promise<TestPki> {
  const root = await createRootCa();
  const intermediate = options.intermediate === true ? await issueIntermediateCa(root) : undefined;
  const leaf = await issueLeafCertificate(intermediate ?? root, options.leaf);
  const pki: TestPki = { root, leaf, x5c: [leaf.x5c], trustAnchors: [root.pem] };
  if (intermediate !== undefined) {
    pki.intermediate = intermediate;
    pki.x5c.push(intermediate.x5c);
  }
  return pki;
}

/** The same certificate with one bit of its signature flipped (the last byte of the DER). */
export function tamperSignature(x5c: string): string {
  const der = Uint8Array.from(atob(x5c), (char) => char.charCodeAt(0));
  der[der.length - 1] = (der[der.length - 1] as number) ^ 0x01;
  return btoa(String.fromCharCode(...der));
}

/**
 * `certificate` re-signed by `issuer` with ECDSA SHA-384 while its tbsCertificate still says
 * ECDSA SHA-256: the signature verifies under the outer algorithm, but RFC 5280 §4.1.1.2 requires
 * the two algorithm identifiers to be equal. `issuer` must have an EC key.
 */
export async function withMismatchedSignatureAlgorithm(certificate: TestCertificate, issuer: TestCertificate): Promise<string> {
  const sha256 = [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
  const sha384 = [...sha256.slice(0, -1), 0x03];
  const der = Uint8Array.from(atob(certificate.x5c), (char) => char.charCodeAt(0));
  const outer = derElement(der, 0);
  const tbs = der.slice(outer.contentStart, derElement(der, outer.contentStart).end);
  const at = indexOfBytes(tbs, sha256);
  if (at < 0) throw new TypeError('The certificate is not signed with ECDSA SHA-256');
  const signature = new Uint8Array(
    await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-384' }, issuer.keys.privateKey, tbs as Uint8Array<ArrayBuffer>),
  );
  const half = signature.length / 2;
  const ecdsaSigValue = derSequence([derInteger(signature.slice(0, half)), derInteger(signature.slice(half))]);
  const algorithm = derSequence([Uint8Array.from(sha384)]);
  const bitString = Uint8Array.from([0x03, ...derLength(ecdsaSigValue.length + 1), 0x00, ...ecdsaSigValue]);
  return btoa(String.fromCharCode(...derSequence([tbs, algorithm, bitString])));
}

function derElement(der: Uint8Array, offset: number): { contentStart: number; end: number } {
  const first = der[offset + 1] as number;
  if (first < 0x80) return { contentStart: offset + 2, end: offset + 2 + first };
  const octets = first & 0x7f;
  let length = 0;
  for (let i = 0; i < octets; i++) length = length * 256 + (der[offset + 2 + i] as number);
  return { contentStart: offset + 2 + octets, end: offset + 2 + octets + length };
}

function derLength(length: number): number[] {
  if (length < 0x80) return [length];
  if (length < 0x100) return [0x81, length];
  return [0x82, length >> 8, length & 0xff];
}

function derSequence(parts: readonly Uint8Array[]): Uint8Array {
  const content = parts.flatMap((part) => [...part]);
  return Uint8Array.from([0x30, ...derLength(content.length), ...content]);
}

function derInteger(unsigned: Uint8Array): Uint8Array {
  let start = 0;
  while (start < unsigned.length - 1 && unsigned[start] === 0) start++;
  const bytes = [...unsigned.slice(start)];
  if ((bytes[0] as number) >= 0x80) bytes.unshift(0);
  return Uint8Array.from([0x02, ...derLength(bytes.length), ...bytes]);
}

function indexOfBytes(haystack: Uint8Array, needle: readonly number[]): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

function validity(options: Partial<TestCertificateOptions>): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return {
    notBefore: options.notBefore ?? new Date(now - DAY_MS),
    notAfter: options.notAfter ?? new Date(now + 365 * DAY_MS),
  };
}

function extensionsFor(x509: typeof X509, options: Partial<TestCertificateOptions>): X509.Extension[] {
  const extensions: X509.Extension[] = [];
  if (options.ca !== undefined) extensions.push(new x509.BasicConstraintsExtension(options.ca, options.pathLength, true));
  if (options.keyUsage !== undefined) extensions.push(new x509.KeyUsagesExtension(options.keyUsage, true));
  const names = [
    ...(options.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(options.uris ?? []).map((value) => ({ type: 'url' as const, value })),
  ];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names, false));
  extensions.push(...(options.extensions ?? []));
  return extensions;
}

function wrap(certificate: X509.X509Certificate, keys: CryptoKeyPair, alg: TestKeyAlgorithm): TestCertificate {
  return { certificate, keys, alg, x5c: certificate.toString('base64'), pem: certificate.toString('pem') };
}
