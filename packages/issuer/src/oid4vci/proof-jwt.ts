import {
  allowedAlgorithm,
  type Clock,
  type CryptoProvider,
  checkJwsSignature,
  decodeJws,
  isTesseraError,
  type Jwk,
  jwkOfDidJwk,
  publicJwkFor,
  requireTyp,
} from '@tessera/shared';
import { CredentialRequestError } from './credential-request-error.ts';

/** OpenID4VCI 1.0 Appendix F.1: the `typ` of a key proof JWT. */
export const PROOF_JWT_TYP = 'openid4vci-proof+jwt';
/** How old a proof may be (its `iat`), and how far in the future, in seconds. */
const MAX_PROOF_AGE_SECONDS = 300;
const MAX_FUTURE_SKEW_SECONDS = 60;
const MAX_PROOF_LENGTH = 8 * 1024;

export interface VerifiedProof {
  /** The holder key the credential will be bound to (`cnf.jwk`): public members only. */
  readonly holderKey: Jwk;
  /** The holder's DID, as the proof's `kid` named it (without `#0`), when it named one. */
  readonly holderDid?: string;
  /** The proof's `nonce` (the `c_nonce` it answers). */
  readonly nonce: string;
}

/**
 * Verifies one key proof JWT of a Credential Request (OpenID4VCI 1.0 Appendix F.1, F.4): typed
 * `openid4vci-proof+jwt`, an allowed algorithm, signed by the holder key, `aud` = this Credential
 * Issuer, a fresh `iat`, and a `nonce`. The key comes from exactly one of (F.1):
 * - a `jwk` header, for every configuration (`jwk` binding; for `did:jwk` binding the DID is
 *   made from the key);
 * - a `kid` header that is a did:jwk DID URL (`did:jwk:…#0`), for configurations that list the
 *   `did:jwk` binding method: the credential is bound to that DID, as the holder wrote it.
 * `x5c`, other DID methods and key attestations are not accepted. The nonce's freshness is the
 * caller's: it must be consumed once for the whole request. Fails with `invalid_proof`.
 */
export async function verifyProofJwt(
  proof: unknown,
  {
    audience,
    clock,
    crypto,
    bindingMethods,
  }: { audience: string; clock: Clock; crypto: CryptoProvider; bindingMethods: readonly string[] },
): Promise<VerifiedProof> {
  if (typeof proof !== 'string' || proof.length === 0 || proof.length > MAX_PROOF_LENGTH) {
    throw new CredentialRequestError('invalid_proof', 'A proof is not a compact JWT');
  }
  try {
    const jws = decodeJws(proof);
    requireTyp(jws.header, PROOF_JWT_TYP);
    const alg = allowedAlgorithm(jws.header, ['ES256']);
    const { jwk, kid, x5c, key_attestation: keyAttestation } = jws.header;
    if (x5c !== undefined || keyAttestation !== undefined) {
      throw new CredentialRequestError('invalid_proof', 'The proof must name the holder key by jwk or by a did:jwk kid');
    }
    // F.1: `kid` MUST NOT be present together with `jwk`; one of them names the key.
    if ((jwk === undefined) === (kid === undefined)) {
      throw new CredentialRequestError('invalid_proof', 'The proof must carry exactly one of jwk and kid');
    }
    const holderDid = kid === undefined ? undefined : didOfKid(kid, bindingMethods);
    const holderKey = publicJwkFor(holderDid === undefined ? jwk : jwkOfDidJwk(holderDid), alg);
    await checkJwsSignature(jws, alg, holderKey, crypto);
    const { aud, iat, nonce } = jws.payload;
    if (!(aud === audience || (Array.isArray(aud) && aud.length === 1 && aud[0] === audience))) {
      throw new CredentialRequestError('invalid_proof', 'The proof is for another Credential Issuer (aud)');
    }
    const now = Math.floor(clock() / 1000);
    if (
      typeof iat !== 'number' ||
      !Number.isFinite(iat) ||
      iat < now - MAX_PROOF_AGE_SECONDS ||
      iat > now + MAX_FUTURE_SKEW_SECONDS
    ) {
      throw new CredentialRequestError('invalid_proof', 'The proof is not fresh (iat)');
    }
    // §8.2: with a Nonce Endpoint, every proof carries a c_nonce; a missing one is invalid_proof.
    if (typeof nonce !== 'string' || nonce.length === 0)
      throw new CredentialRequestError('invalid_proof', 'The proof has no nonce');
    return { holderKey, ...(holderDid === undefined ? {} : { holderDid }), nonce };
  } catch (error) {
    if (error instanceof CredentialRequestError) throw error;
    if (isTesseraError(error)) throw new CredentialRequestError('invalid_proof', `The proof is invalid (${error.code})`);
    throw error;
  }
}

/**
 * F.1: "If the Credential shall be bound to a DID, the kid refers to a DID URL which identifies a
 * particular key in the DID Document". Only did:jwk, resolved without the network (no fetch an
 * attacker could aim), and only where the configuration offers that binding: a `jwk`-bound
 * `dc+sd-jwt` has no DID to put in its credential.
 */
function didOfKid(kid: unknown, bindingMethods: readonly string[]): string {
  if (!bindingMethods.includes('did:jwk')) {
    throw new CredentialRequestError('invalid_proof', 'This credential configuration binds to a jwk, not to a DID (kid)');
  }
  // did:jwk's one verification method is `#0`.
  if (typeof kid !== 'string' || !/^did:jwk:[A-Za-z0-9_-]+#0$/.test(kid)) {
    throw new CredentialRequestError('invalid_proof', 'The proof kid must be a did:jwk DID URL ending in #0');
  }
  return kid.slice(0, -'#0'.length);
}
