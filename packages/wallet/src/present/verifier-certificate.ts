import { encodeBase64Url, fail, type Jwk, loadX509, type X509Module } from '@tessera/shared';

type Certificate = InstanceType<X509Module['X509Certificate']>;

/** The `x5c` of an `x509_hash:` request object, checked against the client id. */
export interface VerifierCertificate {
  /** The leaf's public key, which must have signed the request object. */
  readonly publicJwk: Jwk;
  /** The leaf's subject common name, what the consent screen shows. */
  readonly name: string | undefined;
  /** Whether the chain leads to one of the wallet's trust anchors, and if not, why. */
  readonly trust:
    | { readonly trusted: true }
    | { readonly trusted: false; readonly reason: 'no_trust_anchor' | 'untrusted_certificate' };
}

const MAX_CHAIN = 5;
const STANDARD_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * OpenID4VP 1.0 §5.9.3 `x509_hash`: the client id is base64url(SHA-256(DER of the leaf in
 * `x5c`)); a request whose leaf hashes to anything else is `client_id_mismatch`. The chain is then
 * checked against `trustAnchors` (PEM roots): each certificate issued and signed by the next, CA
 * parents, all within validity at `now` (RFC 5280 §6.1, the parts that apply to a short chain).
 * A chain that leads nowhere leaves the request authentic but its verifier unnamed.
 */
export async function checkVerifierCertificate(
  x5c: unknown,
  hash: string,
  trustAnchors: readonly string[],
  now: number,
): Promise<VerifierCertificate> {
  if (!Array.isArray(x5c) || x5c.length === 0 || x5c.length > MAX_CHAIN) {
    fail('request_invalid', 'An x509_hash: request object needs an x5c header of 1 to 5 certificates');
  }
  const ders = x5c.map((entry) => {
    if (typeof entry !== 'string' || !STANDARD_BASE64.test(entry)) fail('request_invalid', 'An x5c entry is not base64 DER');
    return Uint8Array.from(atob(entry), (char) => char.charCodeAt(0));
  });
  const leafDer = ders[0] as Uint8Array<ArrayBuffer>;
  const digest = encodeBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', leafDer)));
  if (digest !== hash) fail('client_id_mismatch', 'The x5c leaf certificate does not hash to the x509_hash: client id');

  const x509 = await loadX509();
  let chain: Certificate[];
  try {
    chain = ders.map((der) => new x509.X509Certificate(der as Uint8Array<ArrayBuffer>));
  } catch (cause) {
    fail('certificate_invalid', 'An x5c certificate is not well-formed', cause);
  }
  const leaf = chain[0] as Certificate;
  const publicJwk = await leafPublicJwk(leaf);
  const name = leaf.subjectName.getField('CN')[0];
  if (trustAnchors.length === 0) return { publicJwk, name, trust: { trusted: false, reason: 'no_trust_anchor' } };
  let anchors: Certificate[];
  try {
    anchors = trustAnchors.map((pem) => new x509.X509Certificate(pem));
  } catch {
    throw new TypeError('trustAnchors must be PEM certificates');
  }
  const trusted = await leadsToAnchor(x509, chain, anchors, now);
  return { publicJwk, name, trust: trusted ? { trusted: true } : { trusted: false, reason: 'untrusted_certificate' } };
}

async function leafPublicJwk(leaf: Certificate): Promise<Jwk> {
  try {
    const key = await leaf.publicKey.export({ name: 'ECDSA', namedCurve: 'P-256' }, ['verify'], crypto);
    const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', key);
    return { kty: kty ?? '', crv: crv ?? '', x: x ?? '', y: y ?? '' } as Jwk;
  } catch (cause) {
    // HAIP: request objects are ES256, so the leaf's key is P-256.
    fail('certificate_invalid', 'The x5c leaf does not hold a P-256 key', cause);
  }
}

async function leadsToAnchor(x509: X509Module, chain: Certificate[], anchors: Certificate[], now: number): Promise<boolean> {
  const at = new Date(now);
  const within = (certificate: Certificate): boolean => certificate.notBefore <= at && at <= certificate.notAfter;
  for (const [index, certificate] of chain.entries()) {
    if (!within(certificate)) return false;
    const parent = chain[index + 1];
    if (parent !== undefined && !(await issuedBy(x509, certificate, parent))) return false;
  }
  const top = chain[chain.length - 1] as Certificate;
  for (const anchor of anchors) {
    if (anchor.equal(top)) return true;
    if (within(anchor) && (await issuedBy(x509, top, anchor))) return true;
  }
  return false;
}

/** RFC 5280 §6.1.3 (a) and §6.1.4 (k): named by, signed by, and a CA. */
async function issuedBy(x509: X509Module, child: Certificate, parent: Certificate): Promise<boolean> {
  if (child.issuer !== parent.subject) return false;
  const constraints = parent.getExtension(x509.BasicConstraintsExtension);
  if (constraints === null || !constraints.ca) return false;
  try {
    return await child.verify({ publicKey: parent.publicKey, signatureOnly: true }, crypto);
  } catch {
    return false;
  }
}
