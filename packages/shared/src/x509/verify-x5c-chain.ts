import type * as X509 from '@peculiar/x509';
import { JWS_ALGORITHMS, type Jwk, type JwsAlgorithm } from '../crypto/types.ts';
import { decodeBase64Url } from '../encoding/base64url.ts';
import { fail, isTesseraError } from '../errors/tessera-error.ts';
import { loadX509, type X509Module } from './load-x509.ts';

/**
 * Keys from an X.509 chain in an `x5c` JWS header, the HAIP way (OpenID4VC HAIP 1.0 §6.1.1;
 * draft-ietf-oauth-sd-jwt-vc "Issuer Signature Mechanisms"): the chain must lead to a trust
 * anchor, and for an issuer the leaf certificate's subjectAltName must match `iss`. One
 * implementation for the verifier (issuer keys) and the wallet (issuer keys when receiving,
 * `x509_hash:` verifiers when presenting). Runtime-agnostic: parsing through @peculiar/x509,
 * signatures through WebCrypto.
 */

/** Most certificates accepted in one `x5c` header: leaf, a few intermediates, perhaps the anchor. */
export const MAX_X5C_CERTIFICATES = 5;

/** Largest DER certificate accepted; real issuer certificates are 0.5–3 KiB. */
const MAX_CERTIFICATE_BYTES = 16_384;

export interface VerifyX5cChainOptions {
  /** Certificates trusted for this issuer: PEM, or standard base64 of the DER. */
  trustAnchors: readonly string[];
  /**
   * The credential's `iss`, which the leaf certificate's subjectAltName must match; `null` skips
   * that match, for a caller that binds the leaf another way (an OpenID4VP `x509_hash:` client id
   * is the hash of the leaf itself, §5.9.3) and asks only whether the chain leads to an anchor.
   */
  issuer: string | null;
  /** Time at which every certificate must be valid. Default: now. */
  now?: Date;
  /** The JWS algorithm of the token; the leaf key must fit it. */
  alg: JwsAlgorithm;
}

/**
 * Validates the `x5c` chain of an issuer-signed JWT and returns the leaf certificate's public key,
 * or fails with `certificate_invalid` naming the check that failed. RFC 7515 §4.1.6 (the leaf
 * first, each certificate certified by the next), RFC 5280 §6.1 path validation (signatures,
 * names, validity, basicConstraints, pathLenConstraint, keyUsage, unknown critical extensions),
 * and HAIP 1.0 §6.1.1 (the leaf is not self-signed and its SAN matches `iss`).
 * @example
 * const issuerKey = ({ header, payload }) =>
 *   verifyX5cChain(header.x5c, { trustAnchors: [rootPem], issuer: String(payload.iss), alg: 'ES256' });
 */
export async function verifyX5cChain(x5c: unknown, options: VerifyX5cChainOptions): Promise<Jwk> {
  const { trustAnchors, issuer, alg, now = new Date() } = options;
  if (!Array.isArray(trustAnchors)) throw new TypeError('trustAnchors must be an array of certificates');
  if (issuer !== null && (typeof issuer !== 'string' || issuer.length === 0)) {
    throw new TypeError('issuer must be a non-empty string, or null');
  }
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new TypeError('now must be a valid Date');
  // The algorithm comes from the (unverified) token header; refuse anything not representable.
  if (!JWS_ALGORITHMS.includes(alg)) fail('unsupported_algorithm', 'The JWS algorithm is not supported');
  if (trustAnchors.length === 0) fail('certificate_invalid', 'No X.509 trust anchor is configured for this issuer');

  const x509 = await loadX509();
  const chain = readX5c(x509, x5c);
  const anchors = trustAnchors.map((anchor) => readTrustAnchor(x509, anchor));
  const time = now.getTime();
  const leaf = chain[0] as Certificate;

  // Cheap checks on the leaf first, so a token that cannot pass costs no signature verification.
  if (leaf.ca) fail('certificate_invalid', 'The leaf certificate is a CA certificate');
  if (equalBytes(leaf.subject, leaf.issuer)) {
    // HAIP 1.0 §6.1.1: the certificate that signs the credential must not be self-signed.
    fail('certificate_invalid', 'The leaf certificate is self-signed');
  }
  if (leaf.keyUsage !== undefined && (leaf.keyUsage & KEY_USAGE.digitalSignature) === 0) {
    fail('certificate_invalid', 'The leaf certificate key usage does not allow digital signatures');
  }
  if (issuer !== null && !subjectAltNameMatches(leaf, issuer)) {
    fail('certificate_invalid', 'No subjectAltName of the leaf certificate matches the issuer');
  }
  const leafKey = LEAF_KEYS[alg];
  const keyAlgorithm = leaf.certificate.publicKey.algorithm as EcKeyAlgorithm;
  if (keyAlgorithm.name !== leafKey.name || keyAlgorithm.namedCurve !== leafKey.namedCurve) {
    fail('certificate_invalid', `The leaf certificate key does not fit ${alg}`);
  }

  for (const [index, certificate] of chain.entries()) checkValidity(certificate, time, `x5c certificate ${index}`);

  // RFC 7515 §4.1.6: each certificate is certified by the next one, in order; no path building.
  for (let index = 0; index + 1 < chain.length; index++) {
    const child = chain[index] as Certificate;
    const parent = chain[index + 1] as Certificate;
    checkMayIssue(parent, `x5c certificate ${index + 1}`, index);
    await checkIssuedBy(child, parent, `x5c certificate ${index}`, `x5c certificate ${index + 1}`);
  }

  // The chain ends at a trust anchor: either the anchor itself closes the x5c array (HAIP 1.0
  // §6.1.1 says an issuer should leave it out, but including it is harmless), or the last
  // certificate is signed by an anchor. An anchor matches only by its exact DER or by its key
  // verifying the signature, never by a look-alike name in the token.
  const last = chain[chain.length - 1] as Certificate;
  if (!anchors.some((anchor) => equalBytes(anchor.der, last.der))) {
    let issuingAnchor: Certificate | undefined;
    for (const anchor of anchors) {
      if (equalBytes(anchor.subject, last.issuer) && (await signedBy(last, anchor))) {
        issuingAnchor = anchor;
        break;
      }
    }
    if (issuingAnchor === undefined) fail('certificate_invalid', 'The x5c chain does not lead to a trust anchor');
    checkValidity(issuingAnchor, time, 'The trust anchor');
    checkMayIssue(issuingAnchor, 'The trust anchor', chain.length - 1);
  }

  return exportLeafKey(leaf, alg);
}

// ---------------------------------------------------------------------------------------------
// Reading certificates

/** What path validation needs from one certificate, read once and checked for shape. */
interface Certificate {
  certificate: X509.X509Certificate;
  der: Uint8Array;
  /** DER of the subject and issuer names, compared byte for byte. */
  subject: Uint8Array;
  issuer: Uint8Array;
  notBefore: number;
  notAfter: number;
  /** basicConstraints cA; false when the extension is absent. */
  ca: boolean;
  pathLength: number | undefined;
  /** keyUsage bits (KEY_USAGE), or undefined when the extension is absent. */
  keyUsage: number | undefined;
  dnsNames: string[];
  uris: string[];
}

/** Key usage bits as @peculiar/x509 numbers them (RFC 5280 §4.2.1.3). */
const KEY_USAGE = { digitalSignature: 1, keyCertSign: 32 } as const;

const OID = {
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
} as const;

/**
 * RFC 5280 §4.2: a certificate with a critical extension the validator does not process must be
 * rejected. Name constraints, policies and extended key usage are not processed here, so a
 * chain that marks them critical fails closed.
 */
const UNDERSTOOD_CRITICAL_EXTENSIONS: ReadonlySet<string> = new Set(Object.values(OID));

const STANDARD_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function readX5c(x509: X509Module, x5c: unknown): Certificate[] {
  if (!Array.isArray(x5c)) fail('certificate_invalid', 'The x5c header must be an array of certificates');
  if (x5c.length === 0 || x5c.length > MAX_X5C_CERTIFICATES) {
    fail('certificate_invalid', `The x5c header must hold between 1 and ${MAX_X5C_CERTIFICATES} certificates`);
  }
  return x5c.map((entry: unknown, index) => {
    const label = `x5c certificate ${index}`;
    if (typeof entry !== 'string') fail('certificate_invalid', `${label} is not a string`);
    const der = decodeStandardBase64(entry);
    if (der === undefined) fail('certificate_invalid', `${label} is not standard base64 (RFC 7515 §4.1.6)`);
    return readCertificate(x509, der, label);
  });
}

/** Parses a configured trust anchor; a malformed one is a configuration mistake. */
function readTrustAnchor(x509: X509Module, anchor: string): Certificate {
  const cached = anchorCache.get(anchor);
  if (cached !== undefined) return cached;
  if (typeof anchor !== 'string') throw new TypeError('Each trust anchor must be a PEM or base64 DER certificate');
  const pem = /^\s*-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----\s*$/.exec(anchor);
  const der = decodeStandardBase64(pem === null ? anchor.trim() : (pem[1] as string).replace(/\s+/g, ''));
  let parsed: Certificate;
  try {
    if (der === undefined) throw new Error('not base64');
    parsed = readCertificate(x509, der, 'The trust anchor');
  } catch (cause) {
    throw new TypeError('A trust anchor is not a well-formed PEM or base64 DER certificate', { cause });
  }
  // Anchors come from configuration and repeat on every call: parse each once.
  if (anchorCache.size >= ANCHOR_CACHE_LIMIT) anchorCache.delete(anchorCache.keys().next().value as string);
  anchorCache.set(anchor, parsed);
  return parsed;
}

const ANCHOR_CACHE_LIMIT = 256;
const anchorCache = new Map<string, Certificate>();

function decodeStandardBase64(text: string): Uint8Array | undefined {
  if (text.length === 0 || text.length % 4 !== 0 || text.length > Math.ceil(MAX_CERTIFICATE_BYTES / 3) * 4) return undefined;
  if (!STANDARD_BASE64.test(text)) return undefined;
  // base64 and base64url differ in two characters only; the shared decoder rejects non-canonical input.
  return decodeBase64Url(text.replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_'));
}

function readCertificate(x509: X509Module, der: Uint8Array, label: string): Certificate {
  if (der.length > MAX_CERTIFICATE_BYTES) fail('certificate_invalid', `${label} is too large`);
  // The parser reads BER and stops after the first element; insist on one DER SEQUENCE, nothing after.
  if (!isSingleDerSequence(der)) fail('certificate_invalid', `${label} is not a DER X.509 certificate`);
  try {
    const certificate = new x509.X509Certificate(der as Uint8Array<ArrayBuffer>);
    const facts: Certificate = {
      certificate,
      der,
      subject: new Uint8Array(certificate.subjectName.toArrayBuffer()),
      issuer: new Uint8Array(certificate.issuerName.toArrayBuffer()),
      notBefore: certificate.notBefore.getTime(),
      notAfter: certificate.notAfter.getTime(),
      ca: false,
      pathLength: undefined,
      keyUsage: undefined,
      dnsNames: [],
      uris: [],
    };
    const seen = new Set<string>();
    for (const extension of certificate.extensions) {
      // RFC 5280 §4.2: a certificate must not include more than one instance of an extension.
      if (seen.has(extension.type)) fail('certificate_invalid', `${label} repeats an extension`);
      seen.add(extension.type);
      if (extension.critical && !UNDERSTOOD_CRITICAL_EXTENSIONS.has(extension.type)) {
        fail('certificate_invalid', `${label} has an unsupported critical extension`);
      }
      if (extension instanceof x509.BasicConstraintsExtension) {
        facts.ca = extension.ca;
        facts.pathLength = extension.pathLength;
      } else if (extension instanceof x509.KeyUsagesExtension) {
        facts.keyUsage = extension.usages;
      } else if (extension instanceof x509.SubjectAlternativeNameExtension) {
        for (const name of extension.names.items) {
          if (name.type === 'dns') facts.dnsNames.push(name.value);
          else if (name.type === 'url') facts.uris.push(name.value);
        }
      }
    }
    if (!Number.isFinite(facts.notBefore) || !Number.isFinite(facts.notAfter)) throw new Error('bad validity');
    return facts;
  } catch (cause) {
    if (isTesseraError(cause)) throw cause;
    fail('certificate_invalid', `${label} is not a well-formed X.509 certificate`, cause);
  }
}

/** True when `der` is exactly one SEQUENCE with a definite length, as a DER certificate is. */
function isSingleDerSequence(der: Uint8Array): boolean {
  if (der.length < 2 || der[0] !== 0x30) return false;
  const first = der[1] as number;
  if (first < 0x80) return 2 + first === der.length;
  const octets = first & 0x7f;
  // 0 octets is BER's indefinite length; more than 3 cannot fit MAX_CERTIFICATE_BYTES.
  if (octets === 0 || octets > 3 || der.length < 2 + octets) return false;
  let length = 0;
  for (let i = 0; i < octets; i++) length = length * 256 + (der[2 + i] as number);
  return 2 + octets + length === der.length;
}

// ---------------------------------------------------------------------------------------------
// Path validation (RFC 5280 §6.1)

function checkValidity(certificate: Certificate, time: number, label: string): void {
  // RFC 5280 §4.1.2.5: both ends of the validity period are inclusive.
  if (time < certificate.notBefore) fail('certificate_invalid', `${label} is not yet valid`);
  if (time > certificate.notAfter) fail('certificate_invalid', `${label} has expired`);
}

/**
 * RFC 5280 §6.1.4 (k), (l), (n): `parent` is a CA allowed to sign certificates, with
 * `intermediatesBelow` CA certificates between it and the leaf. Counting self-issued ones too is
 * stricter than (l) and never matters for the short chains issuers send.
 */
function checkMayIssue(parent: Certificate, label: string, intermediatesBelow: number): void {
  if (!parent.ca) fail('certificate_invalid', `${label} is not a CA certificate (basicConstraints)`);
  if (parent.keyUsage !== undefined && (parent.keyUsage & KEY_USAGE.keyCertSign) === 0) {
    fail('certificate_invalid', `${label} may not sign certificates (keyUsage)`);
  }
  if (parent.pathLength !== undefined && intermediatesBelow > parent.pathLength) {
    fail('certificate_invalid', `${label} allows fewer intermediate CAs than the chain holds (pathLenConstraint)`);
  }
}

/** RFC 5280 §6.1.3 (a): `child` names `parent` as its issuer and carries its signature. */
async function checkIssuedBy(child: Certificate, parent: Certificate, childLabel: string, parentLabel: string): Promise<void> {
  if (!equalBytes(child.issuer, parent.subject)) {
    fail('certificate_invalid', `The issuer of ${childLabel} is not the subject of ${parentLabel}`);
  }
  if (!(await signedBy(child, parent))) {
    fail('certificate_invalid', `The signature on ${childLabel} does not verify with the key of ${parentLabel}`);
  }
}

/** Certificate signature algorithms accepted: no SHA-1, no MD5 (RFC 9155 spirit). */
const SIGNATURE_HASHES: ReadonlySet<string> = new Set(['SHA-256', 'SHA-384', 'SHA-512']);
const SIGNATURE_NAMES: ReadonlySet<string> = new Set(['ECDSA', 'Ed25519', 'RSASSA-PKCS1-v1_5', 'RSA-PSS']);

async function signedBy(child: Certificate, parent: Certificate): Promise<boolean> {
  const algorithm = child.certificate.signatureAlgorithm as { name: string; hash?: { name: string } };
  if (!SIGNATURE_NAMES.has(algorithm.name)) return false;
  if (algorithm.name !== 'Ed25519' && !SIGNATURE_HASHES.has(algorithm.hash?.name ?? '')) return false;
  if (!sameSignatureAlgorithm(child.certificate)) return false;
  const key = parent.certificate.publicKey.algorithm as RsaHashedKeyAlgorithm;
  if (key.name.startsWith('RSA') && !(key.modulusLength >= 2048)) return false;
  try {
    return await child.certificate.verify({ publicKey: parent.certificate.publicKey, signatureOnly: true }, crypto);
  } catch {
    return false;
  }
}

/**
 * RFC 5280 §4.1.1.2: the outer signatureAlgorithm must equal the signed one in tbsCertificate.
 * @peculiar/x509 keeps the parsed structure in a protected `asn` member; a shape it no longer
 * has fails closed.
 */
function sameSignatureAlgorithm(certificate: X509.X509Certificate): boolean {
  const asn = (certificate as unknown as { asn?: AsnCertificate }).asn;
  const outer = asn?.signatureAlgorithm;
  const inner = asn?.tbsCertificate?.signature;
  if (outer === undefined || inner === undefined || typeof outer.algorithm !== 'string') return false;
  return outer.algorithm === inner.algorithm && equalBytes(asBytes(outer.parameters), asBytes(inner.parameters));
}

interface AsnAlgorithmIdentifier {
  algorithm: string;
  parameters?: ArrayBuffer | null;
}
interface AsnCertificate {
  signatureAlgorithm?: AsnAlgorithmIdentifier;
  tbsCertificate?: { signature?: AsnAlgorithmIdentifier };
}

function asBytes(value: ArrayBuffer | null | undefined): Uint8Array {
  return value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(0);
}

// ---------------------------------------------------------------------------------------------
// The leaf: issuer name and key

/**
 * HAIP 1.0 §6.1.1: an https `iss` must match a dNSName SAN of the leaf (case-insensitively, as
 * DNS names compare); any `iss` also matches a uniformResourceIdentifier SAN equal to it, which is
 * how a DID or a URL with a path is certified.
 */
function subjectAltNameMatches(leaf: Certificate, issuer: string): boolean {
  if (leaf.uris.includes(issuer)) return true;
  const host = httpsHost(issuer);
  return host !== undefined && leaf.dnsNames.some((name) => name.toLowerCase() === host);
}

function httpsHost(issuer: string): string | undefined {
  let url: URL;
  try {
    url = new URL(issuer);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.hostname === '') return undefined;
  return url.hostname.toLowerCase();
}

/** The WebCrypto key algorithm each JWS algorithm needs (RFC 7518 §3.4, RFC 8037 §3.1). */
const LEAF_KEYS: Record<JwsAlgorithm, { name: string; namedCurve?: string }> = {
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
  ES384: { name: 'ECDSA', namedCurve: 'P-384' },
  ES512: { name: 'ECDSA', namedCurve: 'P-521' },
  EdDSA: { name: 'Ed25519' },
};

async function exportLeafKey(leaf: Certificate, alg: JwsAlgorithm): Promise<Jwk> {
  let jwk: JsonWebKey;
  try {
    const key = await leaf.certificate.publicKey.export(LEAF_KEYS[alg], ['verify'], crypto);
    jwk = await crypto.subtle.exportKey('jwk', key);
  } catch (cause) {
    fail('certificate_invalid', `The leaf certificate key cannot be used with ${alg}`, cause);
  }
  if (typeof jwk.kty !== 'string' || typeof jwk.crv !== 'string' || typeof jwk.x !== 'string') {
    fail('certificate_invalid', `The leaf certificate key cannot be used with ${alg}`);
  }
  const publicJwk: Jwk = { kty: jwk.kty, crv: jwk.crv, x: jwk.x };
  if (typeof jwk.y === 'string') publicJwk.y = jwk.y;
  return publicJwk;
}

// ---------------------------------------------------------------------------------------------

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
