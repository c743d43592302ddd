import { type Clock, fail, isTesseraError, type JsonObject, type Jwk, verifySdJwtVc, webCrypto } from '@tessera/shared';
import { resolveIssuerKey } from './issuer-key.ts';
import type { WalletHttp } from './wallet-http.ts';

/**
 * Which issuers the wallet takes credentials from. It has the shape of the verifier's trust list
 * (`{ issuers: [{ id, credentialTypes, x509TrustAnchors }] }`), so an app can hand the same list to both.
 */
export interface ReceiveTrust {
  /**
   * Trusted issuers by their exact `iss`; `credentialTypes`, when given, limits the `vct`s each may
   * issue; `x509TrustAnchors` (PEM root certificates, as in the verifier's trust list) are what an
   * `x5c`-signed credential from that issuer must chain to (HAIP 1.0 §6.1.1). Anchors belong to
   * one issuer so that a CA trusted for one cannot vouch for another's `iss`.
   */
  readonly issuers: readonly {
    readonly id: string;
    readonly credentialTypes?: readonly string[];
    readonly x509TrustAnchors?: readonly string[];
  }[];
  /**
   * Also store credentials from issuers not on the list, marked `issuerTrusted: false` (the app
   * must say so). Default false: such credentials are refused with `untrusted_issuer`. Never
   * covers `x5c`-signed credentials: without an anchor nothing ties the certificate to `iss`.
   */
  readonly acceptUnknownIssuers?: boolean;
}

/** A received credential that passed every check. */
export interface VerifiedReceipt {
  issuer: string;
  vct: string;
  /** Whether `issuer` is on the trust list. */
  issuerTrusted: boolean;
  /** `exp` in milliseconds since the epoch, when the credential has one. */
  expiresAt?: number;
}

/**
 * Checks one SD-JWT VC straight from the credential endpoint before the wallet stores it: the
 * issuer's signature (key from its `x5c` chain, DID or JWT VC Issuer Metadata: see
 * `resolveIssuerKey`), `typ`, disclosures, time claims (not expired, not yet
 * valid), `iss` on the trust list, `vct` the one of the requested configuration, and `cnf.jwk`
 * the holder key sent in that instance's proof (SD-JWT VC §3.2.2.2). Fails with `untrusted_issuer`
 * or `credential_type_not_allowed` for trust, otherwise `credential_rejected` naming the reason,
 * with the underlying error as `cause`.
 */
export async function verifyReceivedSdJwtVc(
  credential: string,
  expected: { vct: string; holderKey: Jwk },
  { trust, http, clock }: { trust: ReceiveTrust; http: WalletHttp; clock: Clock },
): Promise<VerifiedReceipt> {
  let verified: Awaited<ReturnType<typeof verifySdJwtVc>>;
  try {
    verified = await verifySdJwtVc(credential, {
      issuerKey: ({ header, payload }) => resolveIssuerKey(header, payload, { trust, http, clock }),
      crypto: webCrypto,
      // Issued credentials carry no KB-JWT: the holder adds one when presenting.
      keyBinding: 'forbidden',
      vct: expected.vct,
      clock,
    });
  } catch (cause) {
    if (!isTesseraError(cause)) throw cause;
    // Not a defect of the credential but the holder's trust decision: the app says so as such.
    if (cause.code === 'untrusted_issuer') throw cause;
    fail('credential_rejected', `The issuer sent a credential that does not verify (${cause.code}: ${cause.message})`, cause);
  }
  if (!sameKey(verified.holderKey, expected.holderKey)) {
    fail('credential_rejected', 'The credential is not bound to the holder key the wallet sent (cnf.jwk)');
  }
  const listed = trust.issuers.find((issuer) => issuer.id === verified.issuer);
  if (listed === undefined && trust.acceptUnknownIssuers !== true) {
    fail('untrusted_issuer', 'The issuer is not on the wallet’s trust list');
  }
  if (listed?.credentialTypes !== undefined && !listed.credentialTypes.includes(verified.vct)) {
    fail('credential_type_not_allowed', 'The trust list does not allow this issuer to issue this credential type');
  }
  const receipt: VerifiedReceipt = { issuer: verified.issuer, vct: verified.vct, issuerTrusted: listed !== undefined };
  if (typeof verified.claims.exp === 'number') receipt.expiresAt = verified.claims.exp * 1000;
  return receipt;
}

/** Same EC public key: the members that define it (RFC 7638 §3.2), nothing else. */
function sameKey(received: Jwk | undefined, sent: Jwk): boolean {
  if (received === undefined) return false;
  const a = received as JsonObject;
  const b = sent as JsonObject;
  return ['kty', 'crv', 'x', 'y'].every((member) => typeof a[member] === 'string' && a[member] === b[member]);
}
