import {
  allowedAlgorithm,
  type Clock,
  type CryptoProvider,
  checkJwsSignature,
  decodeJws,
  isTesseraError,
  type Jwk,
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
  /** The proof's `nonce` (the `c_nonce` it answers). */
  readonly nonce: string;
}

/**
 * Verifies one key proof JWT of a Credential Request (OpenID4VCI 1.0 Appendix F.1, F.4): typed
 * `openid4vci-proof+jwt`, an allowed algorithm, the holder key in the `jwk` header (the binding
 * method this issuer publishes; `kid`, `x5c` and key attestations are not accepted), signed by
 * that key, `aud` = this Credential Issuer, a fresh `iat`, and a `nonce`. The nonce's freshness is
 * the caller's: it must be consumed once for the whole request. Fails with `invalid_proof`.
 */
export async function verifyProofJwt(
  proof: unknown,
  { audience, clock, crypto }: { audience: string; clock: Clock; crypto: CryptoProvider },
): Promise<VerifiedProof> {
  if (typeof proof !== 'string' || proof.length === 0 || proof.length > MAX_PROOF_LENGTH) {
    throw new CredentialRequestError('invalid_proof', 'A proof is not a compact JWT');
  }
  try {
    const jws = decodeJws(proof);
    requireTyp(jws.header, PROOF_JWT_TYP);
    const alg = allowedAlgorithm(jws.header, ['ES256']);
    // F.1: `kid` MUST NOT be present together with `jwk`; this issuer binds to a `jwk` only.
    if (jws.header.kid !== undefined || jws.header.x5c !== undefined || jws.header.key_attestation !== undefined) {
      throw new CredentialRequestError('invalid_proof', 'The proof must carry the holder key as jwk, and only that');
    }
    const holderKey = publicJwkFor(jws.header.jwk, alg);
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
    return { holderKey, nonce };
  } catch (error) {
    if (error instanceof CredentialRequestError) throw error;
    if (isTesseraError(error)) throw new CredentialRequestError('invalid_proof', `The proof is invalid (${error.code})`);
    throw error;
  }
}
