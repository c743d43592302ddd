import { type ClaimPath, formatClaimPath, pathsOverlap, selectClaims } from '../claim-path/claim-path.ts';
import type { JsonObject } from '../encoding/json.ts';
import { fail } from '../errors/tessera-error.ts';
import {
  allowsMultiple,
  type ClaimSetPlan,
  checkMeta,
  claimSetPlans,
  credentialSetPlans,
  isAllowedValue,
  requiresHolderBinding,
  typesOf,
  vctOf,
} from './evaluate.ts';
import type { DcqlClaimQuery, DcqlCredentialQuery, DcqlQuery } from './query.ts';

/** One verified presentation from a `vp_token`, as the response check sees it. */
export interface DcqlPresentation {
  readonly format: string;
  /** SD-JWT VC type; defaults to the `vct` claim. */
  readonly vct?: string;
  /** W3C VC types; default to the credential's `type` property. */
  readonly types?: readonly string[];
  /** The verified claims: disclosed and never-disclosable ones (for `jwt_vc_json`, the `vc` object). */
  readonly claims: JsonObject;
  /** Paths of the claims that disclosures revealed (`VerifiedSdJwt.disclosed`). */
  readonly disclosed: readonly ClaimPath[];
  /**
   * Whether the presentation proved cryptographic holder binding (a verified KB-JWT). `false` fails a
   * query that requires binding; when omitted the caller's presentation verifier must enforce it
   * (see `requireCryptographicHolderBinding` in the result).
   */
  readonly holderBound?: boolean;
}

/** How one presentation answered its credential query. */
export interface DcqlPresentationCheck {
  /** The first entry of `claim_sets` the presentation satisfies; absent when the query has none. */
  readonly claimSetIndex?: number;
  /**
   * Disclosed paths that no claim of the credential query asked for: the wallet MUST NOT send them
   * (§6.4) unless another credential query asked or they are not selectively disclosable.
   */
  readonly unrequested: readonly ClaimPath[];
}

/** A credential query that the response answered. */
export interface DcqlAnsweredQuery {
  readonly queryId: string;
  readonly requireCryptographicHolderBinding: boolean;
  /** One entry per presentation, in response order. */
  readonly presentations: readonly DcqlPresentationCheck[];
}

/** A credential set and the options the response satisfied. */
export interface DcqlCredentialSetCheck {
  readonly required: boolean;
  /** True when the query had no `credential_sets`: this set stands for one credential query. */
  readonly implicit: boolean;
  /** Indexes into `options` whose credential queries were all answered. */
  readonly satisfiedOptions: readonly number[];
}

/** The response satisfies the query; what it answered. */
export interface DcqlResponseCheck {
  readonly satisfied: true;
  /** The ids of the answered credential queries, in query order. */
  readonly queryIds: readonly string[];
  /** The answered credential queries, in query order. */
  readonly queries: readonly DcqlAnsweredQuery[];
  /** One entry per credential set, in query order (one implicit set per query without `credential_sets`). */
  readonly credentialSets: readonly DcqlCredentialSetCheck[];
}

/**
 * The verifier side of DCQL (OpenID4VP 1.0 §6.4, §8.1): checks verified presentations, keyed by
 * credential query id as in a `vp_token`, against the query it sent, since the verifier MUST NOT
 * rely on the wallet to enforce the query (Security Considerations, "Security Checks on the
 * Returned Credentials and Presentations"). Fails with
 * `dcql_unsatisfied` on a presentation for an id the query does not have, an empty list, more than
 * one presentation for a query without `multiple`, a format or `vct`/`type` the query does not
 * accept, missing holder binding where required, a missing claim or one whose value is not among
 * `values` (in every claim set when there are `claim_sets`), or an unanswered required credential
 * query or credential set.
 * @example
 * const answered = checkDcqlResponse(transaction.query, { pid: [{ format: 'dc+sd-jwt', claims, disclosed }] });
 */
export function checkDcqlResponse(
  query: DcqlQuery,
  presented: Readonly<Record<string, readonly DcqlPresentation[]>>,
): DcqlResponseCheck {
  const byId = new Map(query.credentials.map((credentialQuery) => [credentialQuery.id, credentialQuery]));
  const answers = new Map<string, readonly DcqlPresentation[]>();
  // Own keys only, each of which must name a credential query: a response for another query is
  // never accepted silently. The key is the sender's text, so it stays out of the message.
  for (const key of Object.keys(presented)) {
    if (!byId.has(key)) fail('dcql_unsatisfied', 'The response answers a credential query id that the query does not contain');
    answers.set(key, presented[key] as readonly DcqlPresentation[]);
  }

  const queries: DcqlAnsweredQuery[] = [];
  for (const credentialQuery of query.credentials) {
    const list = answers.get(credentialQuery.id);
    if (list === undefined) continue;
    const at = `credential query "${credentialQuery.id}"`;
    // §8.1: the value is an array of one or more presentations; only one unless `multiple` is true.
    if (!Array.isArray(list) || list.length === 0) fail('dcql_unsatisfied', `The response for ${at} holds no presentation`);
    if (list.length > 1 && !allowsMultiple(credentialQuery)) {
      fail('dcql_unsatisfied', `The response holds ${list.length} presentations for ${at}, which allows one`);
    }
    queries.push({
      queryId: credentialQuery.id,
      requireCryptographicHolderBinding: requiresHolderBinding(credentialQuery),
      presentations: list.map((presentation) => checkPresentation(credentialQuery, presentation, at)),
    });
  }

  // §6.4.2: every required credential set needs one option whose queries were all answered.
  const answered = new Set(queries.map(({ queryId }) => queryId));
  const credentialSets = credentialSetPlans(query).map((set, index) => {
    const satisfiedOptions = set.options.flatMap((ids, option) => (ids.every((id) => answered.has(id)) ? [option] : []));
    if (set.required && satisfiedOptions.length === 0) {
      fail(
        'dcql_unsatisfied',
        set.implicit
          ? `The response does not answer the required credential query "${set.options[0]?.[0]}"`
          : `The response satisfies no option of the required credential set ${index}`,
      );
    }
    return { required: set.required, implicit: set.implicit, satisfiedOptions };
  });

  return { satisfied: true, queryIds: queries.map(({ queryId }) => queryId), queries, credentialSets };
}

function checkPresentation(query: DcqlCredentialQuery, presentation: DcqlPresentation, at: string): DcqlPresentationCheck {
  if (presentation.format !== query.format) fail('dcql_unsatisfied', `A presentation for ${at} has another format`);
  const meta = checkMeta(query, vctOf(presentation.vct, presentation.claims), typesOf(presentation.types, presentation.claims));
  // Fail closed: a format whose `meta` this check cannot evaluate (mso_mdoc, ldp_vc…) is not accepted.
  if (meta === 'unsupported') fail('dcql_unsatisfied', `The format of ${at} cannot be checked here`);
  if (meta === 'mismatch') {
    fail('dcql_unsatisfied', `A presentation for ${at} has a credential type the query does not accept`);
  }
  if (presentation.holderBound === false && requiresHolderBinding(query)) {
    fail('dcql_unsatisfied', `A presentation for ${at} lacks the required holder binding`);
  }

  // §6.4.1: all claims, or all claims of at least one claim set. The first satisfied set is
  // reported; the wallet may have chosen any of them.
  const plans = claimSetPlans(query);
  const outcome = firstSatisfiedPlan(plans, presentation.claims);
  if (typeof outcome === 'string') {
    const which = query.claim_sets === undefined ? '' : ' in every claim set';
    fail('dcql_unsatisfied', `A presentation for ${at}${which} misses a requested claim: ${outcome}`);
  }
  const claimSetIndex = plans[outcome]?.index;

  const isAsked = askedPaths((query.claims ?? []).map((claim) => claim.path));
  const unrequested = presentation.disclosed.filter((path) => !isAsked(path));
  return claimSetIndex === undefined ? { unrequested } : { claimSetIndex, unrequested };
}

/**
 * Whether a disclosed path lies on the line of an asked path (`pathsOverlap`), with the asked
 * paths grouped by their first step: a presentation's disclosures are then checked in about
 * linear time rather than each against every claim of the query (quadratic at 1,000 claims).
 */
function askedPaths(paths: readonly ClaimPath[]): (disclosed: ClaimPath) => boolean {
  const byFirstStep = new Map<string | number | null, ClaimPath[]>();
  for (const path of paths) {
    const step = path[0] as string | number | null;
    const group = byFirstStep.get(step);
    if (group === undefined) byFirstStep.set(step, [path]);
    else group.push(path);
  }
  const anyIndex = byFirstStep.get(null) ?? [];
  return (disclosed) => {
    const first = disclosed[0] as string | number | null;
    if (byFirstStep.get(first)?.some((path) => pathsOverlap(path, disclosed))) return true;
    // A `null` step stands for any array index (only relevant when the root is an array).
    return typeof first === 'number' && anyIndex.some((path) => pathsOverlap(path, disclosed));
  };
}

/** The position of the first plan whose claims are all satisfied, or the first plan's first problem. */
function firstSatisfiedPlan(plans: readonly ClaimSetPlan[], claims: JsonObject): number | string {
  let firstProblem: string | undefined;
  for (const [position, plan] of plans.entries()) {
    let problem: string | undefined;
    for (const claim of plan.claims) {
      problem = claimProblem(claims, claim);
      if (problem !== undefined) break;
    }
    if (problem === undefined) return position;
    firstProblem ??= problem;
  }
  return firstProblem ?? 'no claim set';
}

/** Why a claim is not satisfied (names only, never values), or `undefined` when it is. */
function claimProblem(claims: JsonObject, claim: DcqlClaimQuery): string | undefined {
  const selected = selectClaims(claims, claim.path);
  if (selected.length === 0) return `${formatClaimPath(claim.path)} is missing`;
  const { values } = claim;
  // §6.4.1: a claim whose value is not among `values` counts as absent; with a `null` step, one
  // matching element suffices (the wallet discloses only the matching ones).
  if (values !== undefined && !selected.some((value) => isAllowedValue(value, values))) {
    return `${formatClaimPath(claim.path)} has no value among the requested values`;
  }
  return undefined;
}
