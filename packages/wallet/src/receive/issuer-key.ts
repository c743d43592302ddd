import { type Clock, fail, type JsonObject, type Jwk, resolveJwtVcIssuerKey, verifyX5cChain } from '@tessera/shared';
import { isResolvableDid, publicKeyOf, resolveDidKey } from './did-key.ts';
import type { ReceiveTrust } from './verify-received.ts';
import { checkUrl, getJsonObject, type WalletHttp } from './wallet-http.ts';

/** What the wallet needs to find an issuer's key. */
export interface IssuerKeyContext {
  readonly trust: ReceiveTrust;
  readonly http: WalletHttp;
  readonly clock: Clock;
}

/**
 * The public key an issuer signed a credential with, by a mechanism SD-JWT VC ("Issuer Signature
 * Mechanisms") or the DID methods allow, the first that applies:
 * - an `x5c` header: the chain must lead to one of the trust anchors the trust list gives for this
 *   `iss`, and the leaf's subjectAltName must name `iss` (HAIP 1.0 §6.1.1); an issuer without
 *   anchors is `untrusted_issuer`, a chain that fails is `certificate_invalid`;
 * - a DID `iss`: did:jwk decoded, did:web fetched, `kid` one of its assertion methods (DID Core
 *   §5.3.2: issuers sign with assertion keys);
 * - an https `iss`: its JWT VC Issuer Metadata (SD-JWT VC "JWT VC Issuer Metadata"), `issuer`
 *   exactly `iss`, the key from `jwks` or `jwks_uri` by `kid` (required when there are several).
 * Keys are P-256 public keys only. An issuer the wallet would refuse anyway is refused before
 * anything is fetched (`untrusted_issuer`), so an unknown `iss` never makes the wallet reach out.
 */
export async function resolveIssuerKey(
  header: JsonObject,
  payload: JsonObject,
  { trust, http, clock }: IssuerKeyContext,
): Promise<Jwk> {
  const iss = payload.iss;
  if (typeof iss !== 'string' || iss.length === 0) fail('missing_claim', 'The credential has no iss claim');
  // Unverified here: verifyReceivedSdJwtVc decides again on the verified claims.
  const listed = trust.issuers.find((issuer) => issuer.id === iss);
  if (listed === undefined && trust.acceptUnknownIssuers !== true) {
    fail('untrusted_issuer', 'The issuer is not on the wallet’s trust list');
  }
  if (header.x5c !== undefined) {
    // The certificate is the only thing binding this key to `iss`, so only anchors vouch for it:
    // `acceptUnknownIssuers` cannot stand in for them.
    const anchors = listed?.x509TrustAnchors ?? [];
    if (anchors.length === 0) {
      fail(
        'untrusted_issuer',
        'The credential is signed with an X.509 certificate, and the wallet has no trust anchor for this issuer',
      );
    }
    // The wallet verifies ES256 signatures only, so the leaf key must be P-256.
    return verifyX5cChain(header.x5c, { trustAnchors: anchors, issuer: iss, alg: 'ES256', now: new Date(clock()) });
  }
  const kid = header.kid;
  if (kid !== undefined && typeof kid !== 'string') fail('issuer_key_not_found', 'The kid header is not a string');
  if (isResolvableDid(iss)) {
    return resolveDidKey(iss, { kid, purpose: 'assertionMethod', http, notFound: 'issuer_key_not_found' });
  }
  if (iss.startsWith('https://') || iss.startsWith('http://')) {
    const jwk = await resolveJwtVcIssuerKey(iss, kid, {
      getJson: (url, accept) =>
        getJsonObject(
          checkUrl(url, 'A JWT VC Issuer Metadata URL', http.allowInsecureLocalhost, 'fetch_blocked').href,
          { accept },
          http,
          'issuer_metadata_invalid',
          'The issuer metadata',
        ),
      allowInsecureLocalhost: http.allowInsecureLocalhost,
    });
    return publicKeyOf(jwk, 'issuer_key_not_found');
  }
  fail('issuer_key_not_found', 'The wallet finds issuer keys for did:jwk, did:web and https issuers only');
}
