import {
  type Clock,
  checkClockTolerance,
  checkContext,
  checkDateMapping,
  checkIdMapping,
  checkTimeClaims,
  checkVcJwtHeader,
  decodeVcJwt,
  fail,
  idOf,
  type JsonObject,
  type JsonValue,
  type JwsAlgorithm,
  objectClaim,
  parseStatusReference,
  rejectPropertiesOutside,
  type StatusListReference,
  toDateTime,
  typesOf,
  VC_CREDENTIAL_PROPERTIES,
} from '@tessera/shared';
import type { Resolvable } from 'did-resolver';
import { assertStatusValid, type StatusChecker, type StatusResult } from '../status/status-checker.ts';
import { findTrustedIssuer, type TrustedIssuer, type TrustList } from '../trust/trust-list.ts';
import { absoluteKid, checkAlgorithms, DEFAULT_W3C_ALGORITHMS, requireDidIssuer, type VcJwtPolicy } from './vc-jwt.ts';
import { veramoVerifyCredential } from './veramo.ts';

export interface VerifyW3cCredentialOptions {
  /** Resolves the issuer's DID (did-resolver `Resolver`; for did:web, one built on the hardened fetch). */
  resolver: Resolvable;
  /**
   * Which issuers are trusted, for which credential types: every `type` of the credential other
   * than `VerifiableCredential` must be among the issuer's `credentialTypes`. Without it the
   * result says who signed the credential, not whether that issuer may vouch for it.
   */
  trust?: TrustList;
  clock?: Clock;
  /** Seconds of clock skew allowed, 0–60. Default 0. */
  clockTolerance?: number;
  /** This verifier's identifier: a credential with an `aud` claim must name it (RFC 7519 §4.1.3). */
  audience?: string;
  /** Accepted JWS algorithms. Default `['ES256']`. */
  algorithms?: readonly JwsAlgorithm[];
  /**
   * Checks the Token Status List a credential points to with the JWT `status` claim
   * (draft-ietf-oauth-status-list §6.2, the form Tessera's issuer uses for `jwt_vc_json`). Without
   * one, such a credential is refused with `status_unavailable`: status fails closed.
   */
  status?: StatusChecker;
}

export interface VerifiedW3cCredential {
  verified: true;
  /** The issuer's DID: the signed `iss`, equal to the credential's `issuer` when it has one. */
  issuer: string;
  /** The subject's id: the signed `sub`, equal to `credentialSubject.id` when it has one. Absent for a credential with no subject id. */
  subject?: string;
  /** The credential's `type` values, `VerifiableCredential` included. */
  types: string[];
  /**
   * The credential as W3C JSON, decoded by VC Data Model 1.1 §6.3.1: the `vc` claim with `issuer`,
   * `issuanceDate`, `expirationDate`, `credentialSubject.id` and `id` set from the signed JWT claims.
   */
  credential: JsonObject;
  /** The DID URL of the verification method whose key verified the signature. */
  verificationMethod: string;
  /** The trust list entry of the issuer, when `trust` was given. */
  trustedIssuer?: TrustedIssuer;
  /** The credential's status as checked (revoked and suspended credentials are refused), or `none` when it has no status claim. */
  status: StatusResult | { status: 'none' };
  /** The verified JWT, as received. */
  jwt: string;
}

/** Checked options, shared with the credentials inside a presentation. */
export interface CredentialCheck {
  resolver: Resolvable;
  trust: TrustList | undefined;
  status: StatusChecker | undefined;
  audience: string | undefined;
  policy: VcJwtPolicy;
}

/**
 * Verifies a W3C Verifiable Credential secured as a JWT (`jwt_vc_json`): the signature through
 * Veramo with a key of the issuer's DID, and then Tessera's own checks on the signed claims: an
 * allowed algorithm (ES256 by default, never `none`), `typ` `JWT` when present, `exp`/`nbf`/`iat`
 * at the clock, and `iss`/`sub`/`nbf`/`exp`/`jti` equal to the credential's `issuer`,
 * `credentialSubject.id`, `issuanceDate`/`validFrom`, `expirationDate`/`validUntil` and `id`
 * (VC Data Model 1.1 §6.3.1), so no unsigned-looking JSON field can say something the JWT claims
 * do not. A credential with `credentialStatus` is refused with `status_unavailable`: W3C status
 * methods are not supported, and status fails closed. Returns the verified result or throws a
 * `TesseraError`.
 * @example
 * const { issuer, subject, credential } = await verifyW3cCredentialJwt(jwt, { resolver, trust });
 */
export async function verifyW3cCredentialJwt(jwt: string, options: VerifyW3cCredentialOptions): Promise<VerifiedW3cCredential> {
  if (typeof jwt !== 'string') throw new TypeError('jwt must be a string');
  return verifyCredentialJwt(jwt, credentialCheck(options));
}

/** Validates the options once and reads the clock once, so every check sees the same instant. */
export function credentialCheck(options: VerifyW3cCredentialOptions): CredentialCheck {
  if (typeof options !== 'object' || options === null) throw new TypeError('options must be an object');
  const {
    resolver,
    trust,
    status,
    clock = Date.now,
    clockTolerance = 0,
    audience,
    algorithms = DEFAULT_W3C_ALGORITHMS,
  } = options;
  if (status !== undefined && typeof status?.check !== 'function') throw new TypeError('status must be a StatusChecker');
  if (typeof resolver?.resolve !== 'function') throw new TypeError('resolver must be a did-resolver Resolvable');
  if (audience !== undefined && (typeof audience !== 'string' || audience.length === 0)) {
    throw new TypeError('audience must be a non-empty string');
  }
  const nowMs = clock();
  if (typeof nowMs !== 'number' || !Number.isFinite(nowMs)) throw new TypeError('clock must return milliseconds since the epoch');
  return {
    resolver,
    trust,
    status,
    audience,
    policy: { algorithms: checkAlgorithms(algorithms), nowMs, toleranceSeconds: checkClockTolerance(clockTolerance) },
  };
}

/** The whole credential check, for one credential. */
export async function verifyCredentialJwt(jwt: string, check: CredentialCheck): Promise<VerifiedW3cCredential> {
  return verifySignature(checkCredentialClaims(jwt, check), check);
}

/** A credential whose claims passed every local check; only its signature is left to verify. */
export interface CheckedCredential extends Omit<VerifiedW3cCredential, 'verificationMethod' | 'status'> {
  /** The absolute DID URL the JWS `kid` names, if it has one. */
  expectedMethod: string | undefined;
  /** Where the credential's status is published, from its signed `status` claim. */
  statusReference: StatusListReference | undefined;
}

/**
 * Every check that needs no network: header, time claims, audience, the claim mapping and trust.
 * A presentation runs it on all its credentials before resolving any DID.
 */
export function checkCredentialClaims(jwt: string, check: CredentialCheck): CheckedCredential {
  const { header, payload } = decodeVcJwt(jwt);
  const { kid } = checkVcJwtHeader(header, check.policy.algorithms);
  const issuer = requireDidIssuer(payload, 'issuer');
  const expectedMethod = absoluteKid(kid, issuer);
  // RFC 7519 §4.1.4–6, with the rules SD-JWTs follow: numbers only, `exp == now` expired.
  checkTimeClaims(payload, check.policy.nowMs, check.policy.toleranceSeconds);
  checkCredentialAudience(payload, check.audience);
  const { credential, subject, types } = decodeCredential(payload, issuer);
  const statusReference = payload.status === undefined ? undefined : parseStatusReference(payload.status);
  // Trust is decided before the DID is resolved, so an untrusted issuer never makes the verifier
  // reach out; the values it is decided on are the payload's, which the signature then covers.
  const trustedIssuer = check.trust === undefined ? undefined : trustedFor(check.trust, issuer, types);
  return {
    verified: true,
    issuer,
    ...(subject !== undefined ? { subject } : {}),
    types,
    credential,
    ...(trustedIssuer !== undefined ? { trustedIssuer } : {}),
    jwt,
    expectedMethod,
    statusReference,
  };
}

/**
 * The signature, through Veramo, by a key of the issuer's DID (the one `kid` names, if any); then
 * the status, once the claims that point to it are known to be the issuer's (expired credentials
 * were refused before, so they cause no fetch).
 */
export async function verifySignature(checked: CheckedCredential, check: CredentialCheck): Promise<VerifiedW3cCredential> {
  const { expectedMethod, statusReference, ...claims } = checked;
  const signer = await veramoVerifyCredential(checked.jwt, {
    resolver: check.resolver,
    nowSeconds: Math.floor(check.policy.nowMs / 1000),
    toleranceSeconds: check.policy.toleranceSeconds,
    ...(check.audience !== undefined ? { audience: check.audience } : {}),
  });
  const verificationMethod = signer.startsWith('#') ? `${checked.issuer}${signer}` : signer;
  if (expectedMethod !== undefined && verificationMethod !== expectedMethod) {
    fail('issuer_key_not_found', 'The signature was not made with the key the JWS kid names');
  }
  return { ...claims, verificationMethod, status: await checkStatus(statusReference, claims.issuer, check.status) };
}

async function checkStatus(
  reference: StatusListReference | undefined,
  issuer: string,
  checker: StatusChecker | undefined,
): Promise<VerifiedW3cCredential['status']> {
  if (reference === undefined) return { status: 'none' };
  if (checker === undefined)
    fail('status_unavailable', 'The credential has a status list entry, and no status checker is configured (fail closed)');
  const result = await checker.check(reference, { issuer });
  assertStatusValid(result);
  return result;
}

/** RFC 7519 §4.1.3: a credential that names its audience is for that audience only. */
function checkCredentialAudience(payload: JsonObject, audience: string | undefined): void {
  const aud = payload.aud;
  if (aud === undefined) return;
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (audience === undefined || !audiences.includes(audience)) {
    fail('invalid_claim', 'The credential has an aud claim that does not name this verifier');
  }
}

/**
 * Checks that the credential's own properties agree with the signed JWT claims (VC Data Model
 * 1.1 §6.3.1: `iss`, `sub`, `nbf`, `exp` and `jti` MUST represent `issuer`,
 * `credentialSubject.id`, `issuanceDate`, `expirationDate` and `id`, "instead of or in addition
 * to" them) and decodes the credential as §6.3.1 says: the JWT claims set those properties.
 */
function decodeCredential(
  payload: JsonObject,
  issuer: string,
): { credential: JsonObject; subject: string | undefined; types: string[] } {
  rejectPropertiesOutside(payload, 'vc', VC_CREDENTIAL_PROPERTIES);
  const vc = objectClaim(payload, 'vc');
  checkContext(vc, 'vc');
  const types = typesOf(vc, 'VerifiableCredential');

  const claimedIssuer = idOf(vc.issuer, 'issuer');
  if (claimedIssuer !== undefined && claimedIssuer !== issuer) {
    fail('w3c_claims_mismatch', 'The issuer property differs from the signed iss claim');
  }

  const sub = payload.sub;
  if (sub !== undefined && (typeof sub !== 'string' || sub.length === 0))
    fail('invalid_claim', 'The sub claim must be a non-empty string');
  const subjects = credentialSubjects(vc.credentialSubject);
  if (sub !== undefined) {
    const [only] = subjects;
    if (only === undefined || subjects.length !== 1)
      fail('w3c_claims_mismatch', 'A sub claim can represent only a single credentialSubject');
    if (only.id !== undefined && only.id !== sub)
      fail('w3c_claims_mismatch', 'credentialSubject.id differs from the signed sub claim');
  } else if (subjects.some((subject) => subject.id !== undefined)) {
    fail('w3c_claims_mismatch', 'credentialSubject.id is not represented by a signed sub claim');
  }

  checkIdMapping(payload, vc);
  const { nbf, exp } = payload;
  // §4.6: issuanceDate is required, and §6.3.1: nbf represents it.
  if (nbf === undefined) fail('w3c_invalid', 'The JWT has no nbf claim (the issuanceDate)');
  checkDateMapping(vc, 'issuanceDate', 'nbf', nbf);
  checkDateMapping(vc, 'validFrom', 'nbf', nbf);
  checkDateMapping(vc, 'expirationDate', 'exp', exp);
  checkDateMapping(vc, 'validUntil', 'exp', exp);

  if (vc.credentialStatus !== undefined) {
    fail('status_unavailable', 'The credential has a credentialStatus, and W3C status methods are not supported (fail closed)');
  }

  const credential: JsonObject = { ...vc, issuer: vc.issuer ?? issuer };
  if (sub !== undefined) {
    const withId: JsonObject = { ...(subjects[0] as JsonObject), id: sub };
    credential.credentialSubject = Array.isArray(vc.credentialSubject) ? [withId] : withId;
  }
  if (credential.issuanceDate === undefined) credential.issuanceDate = toDateTime(nbf as number);
  if (exp !== undefined && credential.expirationDate === undefined) credential.expirationDate = toDateTime(exp as number);
  if (typeof payload.jti === 'string' && credential.id === undefined) credential.id = payload.jti;
  return { credential, subject: sub, types };
}

/** `credentialSubject`: one object or a non-empty array of objects (§4.4), each `id` a string. */
function credentialSubjects(value: JsonValue | undefined): JsonObject[] {
  const subjects = Array.isArray(value) ? value : [value];
  if (subjects.length === 0) fail('w3c_invalid', 'The credentialSubject property must not be empty');
  for (const subject of subjects) {
    if (typeof subject !== 'object' || subject === null || Array.isArray(subject)) {
      fail('w3c_invalid', 'The credentialSubject property must be an object or an array of objects');
    }
    if (subject.id !== undefined && (typeof subject.id !== 'string' || subject.id.length === 0)) {
      fail('w3c_invalid', 'A credentialSubject.id must be a non-empty string');
    }
  }
  return subjects as JsonObject[];
}

/**
 * The trust list entry, allowing every specific type the credential claims: a credential typed
 * both as an allowed and a disallowed type would otherwise pass for the disallowed one.
 */
function trustedFor(trust: TrustList, issuer: string, types: readonly string[]): TrustedIssuer {
  const specific = types.filter((type) => type !== 'VerifiableCredential');
  // An empty type is never on a trust list, so a credential with no specific type fails with
  // credential_type_not_allowed, after untrusted_issuer has had its turn.
  let entry = findTrustedIssuer(trust, issuer, specific[0] ?? '');
  for (const type of specific.slice(1)) entry = findTrustedIssuer(trust, issuer, type);
  return entry;
}
