import {
  encodeBase64Url,
  fail,
  isTesseraError,
  type Jwk,
  loadX509,
  MAX_X5C_CERTIFICATES,
  verifyX5cChain,
  type X509Module,
} from '@tessera/shared';

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

const STANDARD_BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * OpenID4VP 1.0 §5.9.3 `x509_hash`: the client id is base64url(SHA-256(DER of the leaf in
 * `x5c`)); a request whose leaf hashes to anything else is `client_id_mismatch`. The chain is then
 * checked against `trustAnchors` (PEM roots) by `verifyX5cChain` of @tessera/shared (RFC 5280
 * §6.1 path validation at `now`), the same checks the verifier applies to issuers' chains.
 * A chain that fails leaves the request authentic but its verifier unnamed.
 */
export async function checkVerifierCertificate(
  x5c: unknown,
  hash: string,
  trustAnchors: readonly string[],
  now: number,
): Promise<VerifierCertificate> {
  if (!Array.isArray(x5c) || x5c.length === 0 || x5c.length > MAX_X5C_CERTIFICATES) {
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
  let leaf: Certificate;
  try {
    leaf = new x509.X509Certificate(leafDer);
  } catch (cause) {
    fail('certificate_invalid', 'The x5c leaf certificate is not well-formed', cause);
  }
  const publicJwk = await leafPublicJwk(leaf);
  const name = leaf.subjectName.getField('CN')[0];
  if (trustAnchors.length === 0) return { publicJwk, name, trust: { trusted: false, reason: 'no_trust_anchor' } };
  try {
    // The chain checks the verifier applies to issuers (@tessera/shared), without the SAN match:
    // the client id binds the leaf by its hash, and the consent screen names it by its CN.
    await verifyX5cChain(x5c, { trustAnchors, issuer: null, alg: 'ES256', now: new Date(now) });
  } catch (cause) {
    if (!isTesseraError(cause, 'certificate_invalid')) throw cause;
    return { publicJwk, name, trust: { trusted: false, reason: 'untrusted_certificate' } };
  }
  return { publicJwk, name, trust: { trusted: true } };
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
