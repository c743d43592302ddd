import type { ClaimPath } from '../claim-path/claim-path.ts';
import { isJsonObject, type JsonObject } from '../encoding/json.ts';
import {
  allowsMultiple,
  type ClaimSetPlan,
  checkMeta,
  claimSetPlans,
  credentialSetPlans,
  findClaim,
  requiresHolderBinding,
  typesOf,
  vctOf,
} from './evaluate.ts';
import type { DcqlCredentialQuery, DcqlQuery } from './query.ts';

/** A credential the wallet holds, as the matcher sees it. */
export interface DcqlCandidate {
  /** The wallet's own identifier for the credential; results refer to it. Unique among candidates. */
  readonly id: string;
  readonly format: 'dc+sd-jwt' | 'jwt_vc_json';
  /** SD-JWT VC type; defaults to the `vct` claim. */
  readonly vct?: string;
  /** W3C VC types; default to the credential's `type` property. */
  readonly types?: readonly string[];
  /**
   * The holder's full view: for `dc+sd-jwt` the payload with every disclosure applied (including
   * `cnf`), for `jwt_vc_json` the credential itself (the `vc` object), which claims paths start from
   * (Appendix B.1.2).
   */
  readonly claims: JsonObject;
}

/** One way a candidate answers a credential query: the claims to disclose. */
export interface DcqlClaimSelection {
  /** The entry of `claim_sets` this follows; absent when the query has no `claim_sets`. */
  readonly claimSetIndex?: number;
  /**
   * Claims path pointers to disclose (OpenID4VP 1.0 §7), ready for `presentSdJwt`. A claim with
   * `values` and a `null` step is narrowed to the positions whose value matched; empty when the
   * query asks for no claims.
   */
  readonly disclose: readonly ClaimPath[];
}

/** A candidate that satisfies a credential query. */
export interface DcqlCandidateMatch {
  readonly candidateId: string;
  /** The default: the first claim set it satisfies, which is the verifier's preference (§6.4.1). */
  readonly selection: DcqlClaimSelection;
  /** The other claim sets it satisfies, in the verifier's order of preference. */
  readonly alternatives: readonly DcqlClaimSelection[];
}

/** What the wallet holds for one credential query. */
export interface DcqlCredentialQueryMatch {
  readonly queryId: string;
  readonly format: string;
  /** More than one credential may be presented for this query (§6.1); otherwise exactly one. */
  readonly multiple: boolean;
  /** The verifier wants a key-bound presentation (§6.1, default `true`). */
  readonly requireCryptographicHolderBinding: boolean;
  /** The candidates that satisfy it, in the order they were given. */
  readonly candidates: readonly DcqlCandidateMatch[];
}

/** One option of a credential set. */
export interface DcqlCredentialSetOption {
  readonly queryIds: readonly string[];
  /** Every credential query of the option has at least one candidate. */
  readonly satisfiable: boolean;
}

/** A credential set and what can be answered of it. */
export interface DcqlCredentialSetMatch {
  /** Must be answered for the wallet to answer at all (§6.2, default `true`). */
  readonly required: boolean;
  /** True when the query had no `credential_sets`: this set stands for one required credential query (§6.4.2). */
  readonly implicit: boolean;
  /** The options in the verifier's order; the holder picks among the satisfiable ones (§6.4.3). */
  readonly options: readonly DcqlCredentialSetOption[];
  /** Some option is satisfiable. */
  readonly satisfiable: boolean;
}

/** The matcher's answer, plain data for a consent screen. */
export interface DcqlMatchResult {
  /**
   * Every required credential set has a satisfiable option. When false, the wallet MUST NOT return
   * any credential (§6.4.2).
   */
  readonly satisfiable: boolean;
  /** One entry per credential query, in query order. */
  readonly credentials: readonly DcqlCredentialQueryMatch[];
  /**
   * One entry per credential set, in query order; without `credential_sets`, one implicit required
   * set per credential query. A credential query named by no set is optional.
   */
  readonly credentialSets: readonly DcqlCredentialSetMatch[];
}

/**
 * The wallet side of DCQL (OpenID4VP 1.0 §6.4): which held credentials answer each credential query
 * (format, `meta`, holder binding, claims with `values`, `claim_sets`), what each would disclose,
 * and which credential sets can be satisfied. `trusted_authorities` is not evaluated (the candidate
 * carries no issuer chain); the caller may narrow candidates by it first.
 * @example
 * const result = matchDcqlQuery(parseDcqlQuery(request.dcql_query), heldCredentials);
 * if (!result.satisfiable) return declineWithoutSharing();
 */
export function matchDcqlQuery(query: DcqlQuery, credentials: readonly DcqlCandidate[]): DcqlMatchResult {
  const seen = new Set<string>();
  for (const candidate of credentials) {
    if (seen.has(candidate.id)) throw new TypeError(`Two candidates share the id ${JSON.stringify(candidate.id)}`);
    seen.add(candidate.id);
  }
  const matches = query.credentials.map((credentialQuery) => matchCredentialQuery(credentialQuery, credentials));
  const answerable = new Set(matches.filter((match) => match.candidates.length > 0).map((match) => match.queryId));
  const credentialSets = credentialSetPlans(query).map((set) => {
    const options = set.options.map((queryIds) => ({ queryIds, satisfiable: queryIds.every((id) => answerable.has(id)) }));
    return { required: set.required, implicit: set.implicit, options, satisfiable: options.some((o) => o.satisfiable) };
  });
  return {
    satisfiable: credentialSets.every((set) => !set.required || set.satisfiable),
    credentials: matches,
    credentialSets,
  };
}

function matchCredentialQuery(query: DcqlCredentialQuery, credentials: readonly DcqlCandidate[]): DcqlCredentialQueryMatch {
  const plans = claimSetPlans(query);
  const candidates: DcqlCandidateMatch[] = [];
  for (const candidate of credentials) {
    if (!fitsCredential(query, candidate)) continue;
    const selections = plans.flatMap((plan) => {
      const selection = selectionFor(plan, candidate.claims);
      return selection === undefined ? [] : [selection];
    });
    const [selection, ...alternatives] = selections;
    // §6.4.1: a credential that cannot deliver all claims of some option MUST NOT be returned.
    if (selection !== undefined) candidates.push({ candidateId: candidate.id, selection, alternatives });
  }
  return {
    queryId: query.id,
    format: query.format,
    multiple: allowsMultiple(query),
    requireCryptographicHolderBinding: requiresHolderBinding(query),
    candidates,
  };
}

/** Format, `meta` and holder binding: everything about the credential except its claims. */
function fitsCredential(query: DcqlCredentialQuery, candidate: DcqlCandidate): boolean {
  if (candidate.format !== query.format) return false;
  const vct = vctOf(candidate.vct, candidate.claims);
  if (checkMeta(query, vct, typesOf(candidate.types, candidate.claims)) !== 'match') return false;
  // Appendix B.3: with holder binding required, an SD-JWT without a `cnf` claim cannot be returned.
  if (candidate.format === 'dc+sd-jwt' && requiresHolderBinding(query) && !isJsonObject(candidate.claims.cnf)) return false;
  return true;
}

/** The paths a claim set discloses, or `undefined` when one of its claims is missing. */
function selectionFor(plan: ClaimSetPlan, claims: JsonObject): DcqlClaimSelection | undefined {
  const disclose = new Map<string, ClaimPath>();
  for (const claim of plan.claims) {
    const found = findClaim(claims, claim);
    if (found.length === 0) return undefined;
    // Without `values`, or without a `null` step, the pointer itself names what to disclose; with
    // both, only the matching elements (§6.4.1: the others count as absent).
    const paths = claim.values !== undefined && claim.path.includes(null) ? found.map(({ path }) => path) : [claim.path];
    for (const path of paths) disclose.set(JSON.stringify(path), path);
  }
  const selection = { disclose: [...disclose.values()] };
  return plan.index === undefined ? selection : { claimSetIndex: plan.index, ...selection };
}
