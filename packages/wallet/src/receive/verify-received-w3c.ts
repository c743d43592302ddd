import {
  type Clock,
  checkContext,
  checkDateMapping,
  checkJwsSignature,
  checkTimeClaims,
  checkVcJwtHeader,
  decodeBase64Url,
  decodeVcJwt,
  fail,
  idOf,
  isTesseraError,
  type JsonObject,
  type JsonValue,
  type Jwk,
  objectClaim,
  rejectPropertiesOutside,
  toDateTime,
  typesOf,
  VC_CREDENTIAL_PROPERTIES,
  webCrypto,
} from '@tessera/shared';
import { type IssuerKeyContext, resolveIssuerKey } from './issuer-key.ts';
import type { ReceiveTrust } from './verify-received.ts';
import type { WalletHttp } from './wallet-http.ts';

/** A received `jwt_vc_json` credential that passed every check. */
export interface VerifiedW3cReceipt {
  /** The signed `iss`: the issuer's DID. */
  issuer: string;
  /** The credential's `type` values, `VerifiableCredential` included. */
  types: string[];
  /** The signed `sub` (= `credentialSubject.id`): the holder's did:jwk, which signs presentations. */
  holderDid: string;
  /** Whether `issuer` is on the trust list. */
  issuerTrusted: boolean;
  /** `exp` in milliseconds since the epoch, when the credential has one. */
  expiresAt?: number;
}

/**
 * Checks one `jwt_vc_json` credential (OpenID4VCI 1.0 Appendix A.1.1, a W3C VC Data Model 1.1
 * credential secured as a JWT, §6.3.1) straight from the credential endpoint, before the wallet
 * stores it:
 * - the JOSE header: ES256 only, no `crit`, `typ` `JWT` when present, no key carried by the token;
 * - the issuer's signature, with the key of its `iss` DID (did:jwk decoded, did:web fetched);
 * - `exp`/`nbf` at the clock (`nbf` required: it is the `issuanceDate`);
 * - the credential: `@context`, a `type` holding every type of the configuration's
 *   `credential_definition.type`, and credential properties that agree with the signed claims
 *   (`issuer` = `iss`, `credentialSubject.id` = `sub`, the dates = `nbf`/`exp`), none outside `vc`;
 * - holder binding: `sub` is the did:jwk of the key sent in that instance's proof;
 * - the issuer on the trust list, allowed for every specific type the credential claims.
 * A `credentialStatus` is refused: no W3C status method is supported, so verifiers would refuse
 * the credential anyway (status fails closed); Tessera's issuer puts the Token Status List
 * reference in the JWT `status` claim instead. Fails with `untrusted_issuer` or
 * `credential_type_not_allowed` for trust, otherwise `credential_rejected` with the cause.
 * @example
 * const receipt = await verifyReceivedJwtVc(jwt, { types, holderKey: key.publicJwk }, { trust, http, clock });
 */
export async function verifyReceivedJwtVc(
  credential: string,
  expected: { types: readonly string[]; holderKey: Jwk },
  { trust, http, clock }: { trust: ReceiveTrust; http: WalletHttp; clock: Clock },
): Promise<VerifiedW3cReceipt> {
  let checked: { issuer: string; types: string[]; holderDid: string; exp?: number };
  try {
    checked = await checkJwtVc(credential, expected, { trust, http, clock });
  } catch (cause) {
    if (!isTesseraError(cause)) throw cause;
    // Not a defect of the credential but the holder's trust decision (`resolveIssuerKey` refuses
    // an unlisted issuer before fetching anything): the app says so as such.
    if (cause.code === 'untrusted_issuer') throw cause;
    fail('credential_rejected', `The issuer sent a credential that does not verify (${cause.code}: ${cause.message})`, cause);
  }
  const listed = trust.issuers.find((issuer) => issuer.id === checked.issuer);
  if (listed === undefined && trust.acceptUnknownIssuers !== true) {
    fail('untrusted_issuer', 'The issuer is not on the wallet’s trust list');
  }
  // Every specific type: a credential typed both as an allowed and a disallowed type would
  // otherwise pass for the disallowed one.
  const specific = checked.types.filter((type) => type !== 'VerifiableCredential');
  const allowed = listed?.credentialTypes;
  if (allowed !== undefined && !specific.every((type) => allowed.includes(type))) {
    fail('credential_type_not_allowed', 'The trust list does not allow this issuer to issue this credential type');
  }
  const receipt: VerifiedW3cReceipt = {
    issuer: checked.issuer,
    types: checked.types,
    holderDid: checked.holderDid,
    issuerTrusted: listed !== undefined,
  };
  if (checked.exp !== undefined) receipt.expiresAt = checked.exp * 1000;
  return receipt;
}

async function checkJwtVc(
  credential: string,
  expected: { types: readonly string[]; holderKey: Jwk },
  context: IssuerKeyContext,
): Promise<{ issuer: string; types: string[]; holderDid: string; exp?: number }> {
  const jws = decodeVcJwt(credential);
  const { header, payload } = jws;
  const { alg } = checkVcJwtHeader(header, ['ES256']);
  const issuerKey = await resolveIssuerKey(header, payload, context);
  await checkJwsSignature(jws, alg, issuerKey, webCrypto);
  checkTimeClaims(payload, context.clock(), 0);
  const issuer = payload.iss as string;

  rejectPropertiesOutside(payload, 'vc', VC_CREDENTIAL_PROPERTIES);
  const vc = objectClaim(payload, 'vc');
  checkContext(vc, 'vc');
  const types = typesOf(vc, 'VerifiableCredential');
  // OpenID4VCI 1.0 Appendix A.1.1: the credential is of the type the configuration names.
  if (!expected.types.every((type) => types.includes(type))) {
    fail('w3c_invalid', 'The credential type is not the one of the requested configuration');
  }
  const claimedIssuer = idOf(vc.issuer, 'issuer');
  if (claimedIssuer !== undefined && claimedIssuer !== issuer) {
    fail('w3c_claims_mismatch', 'The issuer property differs from the signed iss claim');
  }
  if (vc.credentialStatus !== undefined) {
    fail('status_unavailable', 'The credential has a credentialStatus, which no Tessera verifier can check (fail closed)');
  }

  // Holder binding (VC Data Model 1.1 §6.3.1: `sub` represents `credentialSubject.id`): the
  // subject is the holder, named by the did:jwk of the key this instance's proof carried.
  const sub = payload.sub;
  if (typeof sub !== 'string') fail('missing_claim', 'The credential has no sub claim (the holder)');
  const subject = vc.credentialSubject;
  if (!isObject(subject)) fail('w3c_invalid', 'The credentialSubject must be one object');
  if (subject.id !== undefined && subject.id !== sub) {
    fail('w3c_claims_mismatch', 'credentialSubject.id differs from the signed sub claim');
  }
  if (!sameKey(didJwkKey(sub), expected.holderKey)) {
    fail('w3c_holder_mismatch', 'The credential subject is not the did:jwk of the holder key the wallet sent');
  }

  // §6.3.1: `nbf` represents `issuanceDate` (required, §4.6), `exp` represents `expirationDate`.
  if (payload.nbf === undefined) fail('w3c_invalid', 'The JWT has no nbf claim (the issuanceDate)');
  checkDateMapping(vc, 'issuanceDate', 'nbf', payload.nbf);
  checkDateMapping(vc, 'validFrom', 'nbf', payload.nbf);
  checkDateMapping(vc, 'expirationDate', 'exp', payload.exp);
  checkDateMapping(vc, 'validUntil', 'exp', payload.exp);
  return { issuer, types, holderDid: sub, ...(typeof payload.exp === 'number' ? { exp: payload.exp } : {}) };
}

/**
 * The credential as the holder and verifiers see it (VC Data Model 1.1 §6.3.1, decoding): the
 * `vc` claim with `issuer`, `credentialSubject.id`, `issuanceDate` and `expirationDate` set from
 * the signed JWT claims. DCQL claims paths start at its root (OpenID4VP 1.0 Appendix B.1, "Claims
 * Matching"), the same view the verifier matches its query against.
 */
export function w3cCredentialView(payload: JsonObject): JsonObject {
  const vc = payload.vc;
  if (!isObject(vc)) fail('w3c_invalid', 'The JWT has no vc claim object');
  const view: JsonObject = { ...vc, issuer: vc.issuer ?? (payload.iss as JsonValue) };
  if (typeof payload.sub === 'string' && isObject(vc.credentialSubject)) {
    view.credentialSubject = { ...vc.credentialSubject, id: payload.sub };
  }
  if (view.issuanceDate === undefined && typeof payload.nbf === 'number') view.issuanceDate = toDateTime(payload.nbf);
  if (view.expirationDate === undefined && typeof payload.exp === 'number') view.expirationDate = toDateTime(payload.exp);
  return view;
}

/** The key a did:jwk names (did:jwk §2.2: base64url of the JWK's UTF-8 JSON); nothing for other DIDs. */
function didJwkKey(did: string): JsonObject | undefined {
  const match = /^did:jwk:([A-Za-z0-9_-]+)$/.exec(did);
  const bytes = match === null ? undefined : decodeBase64Url(match[1] as string);
  if (bytes === undefined) return undefined;
  try {
    const jwk: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return isObject(jwk as JsonValue) ? (jwk as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

/** Same EC public key: the members that define it (RFC 7638 §3.2); a private member never matches. */
function sameKey(named: JsonObject | undefined, sent: Jwk): boolean {
  if (named === undefined || named.d !== undefined) return false;
  const ours = sent as JsonObject;
  return ['kty', 'crv', 'x', 'y'].every((member) => typeof named[member] === 'string' && named[member] === ours[member]);
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
