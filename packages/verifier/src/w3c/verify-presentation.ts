import {
  type Clock,
  checkContext,
  checkDateMapping,
  checkIdMapping,
  checkTimeClaims,
  checkVcJwtHeader,
  decodeVcJwt,
  fail,
  idOf,
  isTesseraError,
  type JsonObject,
  type JwsAlgorithm,
  objectClaim,
  rejectPropertiesOutside,
  TesseraError,
  typesOf,
} from '@tessera/shared';
import type { Resolvable } from 'did-resolver';
import type { StatusChecker } from '../status/status-checker.ts';
import type { TrustList } from '../trust/trust-list.ts';
import { absoluteKid, requireDidIssuer } from './vc-jwt.ts';
import { veramoVerifyPresentation } from './veramo.ts';
import {
  type CredentialCheck,
  checkCredentialClaims,
  credentialCheck,
  type VerifiedW3cCredential,
  verifySignature,
} from './verify-credential.ts';

export interface VerifyW3cPresentationOptions {
  /** Resolves the holder's and the issuers' DIDs. */
  resolver: Resolvable;
  /** The nonce this verifier issued for the transaction; the VP JWT's `nonce` must equal it. */
  nonce: string;
  /** This verifier's identifier (the OpenID4VP client id); the VP JWT's `aud` must be exactly it. */
  audience: string;
  /** Which issuers are trusted for which types; applied to every credential in the presentation. */
  trust?: TrustList;
  clock?: Clock;
  /** Seconds of clock skew allowed, 0–60. Default 0. */
  clockTolerance?: number;
  /** How old the presentation may be, by its `iat` (or `nbf`), in seconds. Default 300. */
  maxAge?: number;
  /** Accepted JWS algorithms, for the presentation and its credentials. Default `['ES256']`. */
  algorithms?: readonly JwsAlgorithm[];
  /** Checks each credential's Token Status List entry; without it a credential that has one is refused (fail closed). */
  status?: StatusChecker;
  /**
   * Default true: each credential's subject (`sub`) must be the holder who signed the presentation,
   * so a credential copied from someone else cannot be presented. Turn off only for bearer credentials.
   */
  requireHolderBinding?: boolean;
}

export interface VerifiedW3cPresentation {
  verified: true;
  /** The holder's DID: the signed `iss`, equal to the presentation's `holder` when it has one. */
  holder: string;
  /** The presentation as W3C JSON (the `vp` claim with `holder` and `id` set from the JWT claims). */
  presentation: JsonObject;
  /** Every credential of the presentation, each verified like `verifyW3cCredentialJwt` does, in order. */
  credentials: VerifiedW3cCredential[];
  /** The DID URL of the verification method whose key verified the presentation's signature. */
  verificationMethod: string;
}

/** More credentials than a desk ever asks for in one presentation is a cost attack, not a use. */
export const MAX_PRESENTED_CREDENTIALS = 16;

const DEFAULT_MAX_AGE_SECONDS = 300;

/** Presentation properties that belong inside the `vp` claim (VC Data Model 1.1 §6.3.1). */
const PRESENTATION_PROPERTIES = ['@context', 'type', 'holder', 'verifiableCredential'] as const;

/**
 * Verifies a W3C Verifiable Presentation secured as a JWT (`jwt_vc_json` in OpenID4VP 1.0): the
 * holder's signature through Veramo, `aud` exactly the audience and `nonce` exactly the nonce, the
 * signed `iss` equal to the `holder`, the presentation's time claims and age, and then EVERY
 * credential inside it with all the checks of `verifyW3cCredentialJwt`, each one's subject bound to
 * the holder. One credential that fails fails the whole presentation: there is no partial result.
 * @example
 * const { holder, credentials } = await verifyW3cPresentationJwt(vpToken, { resolver, nonce, audience: clientId, trust });
 */
export async function verifyW3cPresentationJwt(
  vpJwt: string,
  options: VerifyW3cPresentationOptions,
): Promise<VerifiedW3cPresentation> {
  if (typeof vpJwt !== 'string') throw new TypeError('vpJwt must be a string');
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const { nonce, audience, maxAge = DEFAULT_MAX_AGE_SECONDS, requireHolderBinding = true } = options;
  if (typeof nonce !== 'string' || nonce.length === 0) throw new TypeError('nonce must be a non-empty string');
  if (typeof audience !== 'string' || audience.length === 0) throw new TypeError('audience must be a non-empty string');
  if (typeof maxAge !== 'number' || !Number.isFinite(maxAge) || maxAge <= 0) {
    throw new TypeError('maxAge must be a positive number of seconds');
  }
  const check = credentialCheck(options);

  const { header, payload } = decodeVcJwt(vpJwt);
  const { kid } = checkVcJwtHeader(header, check.policy.algorithms);
  const holder = requireDidIssuer(payload, 'holder');
  const expectedMethod = absoluteKid(kid, holder);
  // RFC 7519 §4.1.4–6, with the rules SD-JWTs follow: numbers only, `exp == now` expired.
  checkTimeClaims(payload, check.policy.nowMs, check.policy.toleranceSeconds);
  checkFreshness(payload, check, maxAge);
  checkAudienceAndNonce(payload, audience, nonce);
  const { presentation, credentialJwts } = decodePresentation(payload, holder);

  // Every local check on every credential first, holder binding included: a presentation that
  // carries an untrusted or malformed credential fails before any DID is resolved.
  const embeddedCheck: CredentialCheck = { ...check, audience };
  const checked = credentialJwts.map((jwt, position) =>
    inCredential(position, () => {
      const claims = checkCredentialClaims(jwt, embeddedCheck);
      if (requireHolderBinding && claims.subject !== holder) {
        fail('w3c_holder_mismatch', 'The credential is not about the holder who signed the presentation');
      }
      return claims;
    }),
  );

  const signer = await veramoVerifyPresentation(vpJwt, {
    resolver: check.resolver,
    nowSeconds: Math.floor(check.policy.nowMs / 1000),
    toleranceSeconds: check.policy.toleranceSeconds,
    audience,
    nonce,
  });
  const verificationMethod = signer.startsWith('#') ? `${holder}${signer}` : signer;
  if (expectedMethod !== undefined && verificationMethod !== expectedMethod) {
    fail('issuer_key_not_found', 'The presentation was not signed with the key the JWS kid names');
  }

  // One at a time: the first failure ends the verification, and no later DID is resolved for it.
  const credentials: VerifiedW3cCredential[] = [];
  for (const [position, claims] of checked.entries()) {
    credentials.push(await inCredential(position, () => verifySignature(claims, embeddedCheck)));
  }
  return { verified: true, holder, presentation, credentials, verificationMethod };
}

/** A failing credential fails the presentation with its own code; the message says which one. */
function inCredential<T>(position: number, run: () => T): T {
  const wrap = (error: unknown): never => {
    if (isTesseraError(error)) {
      throw new TesseraError(error.code, `Credential ${position} of the presentation: ${error.message}`, { cause: error });
    }
    throw error;
  };
  try {
    const result = run();
    return result instanceof Promise ? (result.catch(wrap) as T) : result;
  } catch (error) {
    return wrap(error);
  }
}

/**
 * The nonce makes a presentation single-use; the age limit bounds how long a captured one is worth
 * anything before the transaction expires (the KB-JWT freshness window of SD-JWT, for W3C).
 */
function checkFreshness(payload: JsonObject, check: CredentialCheck, maxAge: number): void {
  const issuedAt = payload.iat ?? payload.nbf;
  if (issuedAt === undefined) return;
  const now = check.policy.nowMs / 1000;
  if (now - check.policy.toleranceSeconds > (issuedAt as number) + maxAge) {
    fail('kb_iat_invalid', 'The presentation is older than the freshness window allows');
  }
}

/**
 * OpenID4VP 1.0 (Appendix B, W3C VCs): `aud` is the verifier's client id and `nonce` the
 * request's nonce. Compared exactly; an `aud` array must hold that one value and nothing else, so
 * a presentation addressed to several verifiers is not accepted by any of them.
 */
function checkAudienceAndNonce(payload: JsonObject, audience: string, nonce: string): void {
  const aud = payload.aud;
  const only = Array.isArray(aud) && aud.length === 1 ? aud[0] : aud;
  if (only !== audience) fail('kb_aud_mismatch', 'The presentation aud is not this verifier');
  if (payload.nonce !== nonce) fail('kb_nonce_mismatch', 'The presentation nonce is not the one this verifier issued');
}

function decodePresentation(payload: JsonObject, holder: string): { presentation: JsonObject; credentialJwts: string[] } {
  rejectPropertiesOutside(payload, 'vp', PRESENTATION_PROPERTIES);
  const vp = objectClaim(payload, 'vp');
  checkContext(vp, 'vp');
  typesOf(vp, 'VerifiablePresentation');
  const claimedHolder = idOf(vp.holder, 'holder');
  if (claimedHolder !== undefined && claimedHolder !== holder) {
    fail('w3c_claims_mismatch', 'The holder property differs from the signed iss claim');
  }
  checkIdMapping(payload, vp);
  checkDateMapping(vp, 'issuanceDate', 'nbf', payload.nbf);
  checkDateMapping(vp, 'expirationDate', 'exp', payload.exp);

  const embedded = vp.verifiableCredential;
  const credentialJwts = Array.isArray(embedded) ? embedded : embedded === undefined ? [] : [embedded];
  if (credentialJwts.length === 0) fail('w3c_invalid', 'The presentation carries no credential');
  if (credentialJwts.length > MAX_PRESENTED_CREDENTIALS) {
    fail('w3c_invalid', `The presentation carries more than ${MAX_PRESENTED_CREDENTIALS} credentials`);
  }
  // An embedded credential as a JSON object would be unsigned data beside (or instead of) its
  // proof; jwt_vc_json presentations carry each credential as its compact JWT, and only that.
  if (!credentialJwts.every((item): item is string => typeof item === 'string')) {
    fail('w3c_invalid', 'Every credential in the presentation must be a compact JWT string');
  }

  const presentation: JsonObject = { ...vp, holder: vp.holder ?? holder, verifiableCredential: credentialJwts };
  if (typeof payload.jti === 'string' && presentation.id === undefined) presentation.id = payload.jti;
  return { presentation, credentialJwts };
}
