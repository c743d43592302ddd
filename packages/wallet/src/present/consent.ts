import type { ClaimPath } from '@tessera/shared';
import type { VerifierIdentity } from './authenticate-request.ts';
import type { ParsedRequest } from './check-request.ts';
import type { FetchFunction } from './fetch-limits.ts';

/**
 * What the holder is asked to agree to: plain data for a consent screen (OpenID4VP 1.0 §6.4:
 * the wallet shows who asks, why, and what would be shared). The UI localises the codes; claim
 * names are the credential's own.
 */
export interface Consent {
  readonly verifier: VerifierIdentity;
  /** Why the verifier asks, in the language negotiated from the holder's; absent when it says nothing. */
  readonly purpose?: { readonly language: string; readonly text: string };
  /** Every required credential query can be answered; when false the holder can only decline (§6.4.2). */
  readonly satisfiable: boolean;
  /** One entry per credential query, in the verifier's order. */
  readonly queries: readonly ConsentQuery[];
  /**
   * The query's `credential_sets` (§6.2) in its order, or one implicit required set per credential
   * query when it has none. `respond`'s `choice` picks another satisfiable option of a required set.
   */
  readonly credentialSets: readonly ConsentCredentialSet[];
  /** Requests for more than the purpose plausibly needs, per credential query. */
  readonly warnings: readonly OverAskingWarning[];
}

/** A credential set (§6.2): the holder answers one of its options (§6.4.2). */
export interface ConsentCredentialSet {
  /** Must be answered for the wallet to answer at all (§6.2, default `true`). */
  readonly required: boolean;
  /** The query had no `credential_sets`: this set stands for one credential query. */
  readonly implicit: boolean;
  /** The options in the verifier's order of preference; each names the credential queries it answers. */
  readonly options: readonly { readonly queryIds: readonly string[]; readonly satisfiable: boolean }[];
  /** For a required set with a satisfiable option: the option `respond` answers unless told otherwise (the first satisfiable one). */
  readonly defaultOption?: number;
}

/**
 * - `required`: answered unless the holder declines as a whole (a required credential set's first
 *   satisfiable option, §6.4.2) or picks another option of that set with `respond`'s `choice`;
 * - `optional`: in an optional credential set; shared only when the holder picks its query id;
 * - `alternative`: another option of a required set, answered only when `choice` picks it.
 */
export type ConsentNeed = 'required' | 'optional' | 'alternative';

export interface ConsentQuery {
  readonly queryId: string;
  readonly need: ConsentNeed;
  /** The verifier accepts several credentials for this query (§6.1 `multiple`); `respond` sends one unless told. */
  readonly multiple: boolean;
  /** Stored credentials that answer it, never-presented instances first; the first is the default. */
  readonly candidates: readonly ConsentCandidate[];
}

/**
 * A stored credential that answers a credential query. `disclosesEverything` tells the two kinds
 * apart for the consent screen: an SD-JWT VC shows only the claims listed, a W3C VC
 * (`jwt_vc_json`) is not selectively disclosable, so the whole credential is shared.
 */
export type ConsentCandidate = SdJwtVcConsentCandidate | JwtVcConsentCandidate;

interface ConsentCandidateCommon {
  /** The wallet record id of the credential instance. */
  readonly credentialId: string;
  /** Whether this instance was shown to some verifier before (then two verifiers could link it). */
  readonly presentedBefore: boolean;
  /** Disclosed whenever this credential is shared for this query: what the verifier asked for. */
  readonly required: readonly ConsentClaim[];
  /** Asked for, but only in another `claim_sets` option: disclosed only if the holder picks it. */
  readonly optional: readonly ConsentClaim[];
}

/** An SD-JWT VC: only `required` and the picked `optional` claims are disclosed. */
export interface SdJwtVcConsentCandidate extends ConsentCandidateCommon {
  readonly format: 'dc+sd-jwt';
  readonly vct: string;
  readonly disclosesEverything: false;
}

/**
 * A W3C VC secured as a JWT. It cannot disclose claims one by one: the verifier receives the whole
 * credential, so the screen must say "the whole credential is shared" and list `sharedClaims`,
 * not only the `required` ones the verifier asked for. `optional` is always empty.
 */
export interface JwtVcConsentCandidate extends ConsentCandidateCommon {
  readonly format: 'jwt_vc_json';
  /** The credential's `type` values. */
  readonly types: readonly string[];
  readonly disclosesEverything: true;
  /**
   * The name of every claim the verifier receives (`credentialSubject.given_name`, `issuer`,
   * `issuanceDate`, …), including those it did not ask for.
   */
  readonly sharedClaims: readonly string[];
}

export interface ConsentClaim {
  /** What `respond` takes in `optional`: `<query id>:<JSON of the path>`. */
  readonly ref: string;
  readonly path: ClaimPath;
  /** The path as a dotted name (`address.locality`, `nationalities.*`), for the screen and the history. */
  readonly name: string;
}

/**
 * - `full_birth_date_asked`: a birth date is asked where the same credential proves age with
 *   `age_equal_or_over` / `age_over_NN`;
 * - `claim_outside_claim_sets`: a claim listed in the query but in none of its `claim_sets`,
 *   which the wallet therefore never shares;
 * - `unverified_verifier`: the verifier could not be authenticated.
 */
export interface OverAskingWarning {
  readonly code: 'full_birth_date_asked' | 'claim_outside_claim_sets' | 'unverified_verifier';
  readonly queryId?: string;
  readonly claim?: string;
}

/** What `respond` and `decline` need of a consent; kept off the object the UI sees. */
export interface ConsentInternals {
  readonly request: ParsedRequest;
  /** How `openRequest` was told to reach the verifier; the answer goes the same way. */
  readonly transport: { readonly fetch: FetchFunction; readonly allowInsecureLocalhost: boolean };
  /** Per query id and credential id: the selection the matcher chose. */
  readonly selections: ReadonlyMap<string, ReadonlyMap<string, { required: ClaimPath[]; optional: ConsentClaim[] }>>;
}

const INTERNALS = new WeakMap<Consent, ConsentInternals>();

export function attachInternals(consent: Consent, internals: ConsentInternals): Consent {
  INTERNALS.set(consent, internals);
  return consent;
}

/** The request behind a consent made by `openRequest`; a `TypeError` for any other object. */
export function internalsOf(consent: Consent): ConsentInternals {
  const internals = INTERNALS.get(consent);
  if (internals === undefined) throw new TypeError('Not a consent returned by openRequest');
  return internals;
}

/** `address.locality`; `*` for a `null` (any element) step. */
export function claimName(path: ClaimPath): string {
  return path.map((step) => (step === null ? '*' : String(step))).join('.');
}

export function claimRef(queryId: string, path: ClaimPath): string {
  return `${queryId}:${JSON.stringify(path)}`;
}
