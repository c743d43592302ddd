import {
  type ClaimPath,
  type DcqlCandidate,
  type DcqlCredentialQuery,
  type DcqlMatchResult,
  type JsonObject,
  type JsonValue,
  matchDcqlQuery,
  negotiateLocale,
} from '@tessera/shared';
import type { Wallet } from '../wallet/wallet.ts';
import { authenticateRequest } from './authenticate-request.ts';
import type { ParsedRequest } from './check-request.ts';
import {
  attachInternals,
  type Consent,
  type ConsentCandidate,
  type ConsentClaim,
  type ConsentInternals,
  type ConsentNeed,
  type ConsentQuery,
  claimName,
  claimRef,
  type OverAskingWarning,
} from './consent.ts';
import { checkVerifierUrl, type FetchFunction } from './fetch-limits.ts';
import { type HeldCredential, heldCredentials, presentedInstances } from './held-credentials.ts';
import { parseRequestLink } from './request-link.ts';

export interface OpenRequestOptions {
  /** Default: the global `fetch`. */
  readonly fetch?: FetchFunction;
  /** Root certificates (PEM) that authenticate `x509_hash:` verifiers. Default none: no such verifier is verified. */
  readonly trustAnchors?: readonly string[];
  /** Accept `http://` request and response URIs on 127.0.0.1 / localhost (development only). */
  readonly allowInsecureLocalhost?: boolean;
  /** The holder's languages, most preferred first (BCP 47). Default `['en']`. */
  readonly languages?: readonly string[];
  /** Milliseconds since the epoch. Default `Date.now`. */
  readonly clock?: () => number;
}

/**
 * Opens an OpenID4VP 1.0 request link and prepares the holder's decision: fetches and verifies
 * the request object (§5.9.3 client id binding, §5.10 `wallet_nonce`), matches its DCQL query
 * against the stored credentials (§6.4) and lists, per credential query, the claims that would be
 * disclosed (required) and those the holder may add (optional), with over-asking warnings.
 * Refuses a request that does not hold (`invalid_typ`, `invalid_signature`, `client_id_mismatch`,
 * `wallet_nonce_mismatch`, `client_id_unsupported`, `request_invalid`, `dcql_invalid`, `fetch_*`).
 * @example
 * const consent = await openRequest(wallet, scannedLink, { trustAnchors: [caPem], languages: ['ar', 'en'] });
 * if (consent.satisfiable) await respond(wallet, consent, { optional: [] });
 */
export async function openRequest(wallet: Wallet, link: string, options: OpenRequestOptions = {}): Promise<Consent> {
  const { fetch: fetchFunction = globalThis.fetch, trustAnchors = [], allowInsecureLocalhost = false } = options;
  const { languages = ['en'], clock = Date.now } = options;
  const { verifier, request } = await authenticateRequest(parseRequestLink(link), {
    fetch: fetchFunction,
    trustAnchors,
    allowInsecureLocalhost,
    now: clock(),
  });
  // Refuse now rather than after the holder said yes: the answer must go somewhere we may post to.
  checkVerifierUrl(request.responseUri, allowInsecureLocalhost, 'response_uri');

  const held = await heldCredentials(wallet);
  const presented = await presentedInstances(wallet);
  const match = matchDcqlQuery(request.query, held.map(dcqlCandidate));
  const needs = queryNeeds(match);
  const byId = new Map(held.map((credential) => [credential.id, credential]));
  const selections: Map<string, Map<string, { required: ClaimPath[]; optional: ConsentClaim[] }>> = new Map();
  const queries: ConsentQuery[] = [];
  const warnings: OverAskingWarning[] = [];
  if (!verifier.verified) warnings.push({ code: 'unverified_verifier' });

  for (const [index, queryMatch] of match.credentials.entries()) {
    const credentialQuery = request.query.credentials[index] as DcqlCredentialQuery;
    const { queryId } = queryMatch;
    const perCandidate = new Map<string, { required: ClaimPath[]; optional: ConsentClaim[] }>();
    const candidates: ConsentCandidate[] = [];
    for (const candidate of queryMatch.candidates) {
      const credential = byId.get(candidate.candidateId) as HeldCredential;
      const required = [...candidate.selection.disclose];
      const requiredKeys = new Set(required.map((path) => JSON.stringify(path)));
      // §6.4.1: the other claim sets this credential satisfies name claims the verifier also
      // accepts; the holder may add them, but the wallet never adds them on its own.
      const optional = new Map<string, ConsentClaim>();
      for (const alternative of candidate.alternatives) {
        for (const path of alternative.disclose) {
          const key = JSON.stringify(path);
          if (!requiredKeys.has(key)) optional.set(key, { ref: claimRef(queryId, path), path, name: claimName(path) });
        }
      }
      const asked = required.map((path) => ({ ref: claimRef(queryId, path), path, name: claimName(path) }));
      const common = { credentialId: credential.id, presentedBefore: presented.has(credential.id), required: asked };
      if (credential.format === 'jwt_vc_json') {
        // Appendix B.1: a W3C VC secured as a JWT is shown whole; there is nothing to pick and
        // nothing to warn about asking too much of, only the whole credential to name.
        perCandidate.set(credential.id, { required, optional: [] });
        candidates.push({
          ...common,
          format: 'jwt_vc_json',
          types: credential.types,
          optional: [],
          disclosesEverything: true,
          sharedClaims: sharedClaimNames(credential.claims),
        });
        continue;
      }
      perCandidate.set(credential.id, { required, optional: [...optional.values()] });
      candidates.push({
        ...common,
        format: 'dc+sd-jwt',
        vct: credential.vct,
        optional: [...optional.values()],
        disclosesEverything: false,
      });
      warnings.push(
        ...birthDateWarnings(queryId, [...required, ...[...optional.values()].map((c) => c.path)], credential.claims),
      );
    }
    // Unlinkability: an instance no verifier has seen goes first, so it is the default.
    candidates.sort((a, b) => Number(a.presentedBefore) - Number(b.presentedBefore));
    selections.set(queryId, perCandidate);
    queries.push({ queryId, need: needs.get(queryId) ?? 'optional', multiple: queryMatch.multiple, candidates });
    // A W3C VC is shared whole, so a claim outside every claim set is not kept back from it.
    if (credentialQuery.format !== 'jwt_vc_json') warnings.push(...claimSetWarnings(credentialQuery));
  }

  const purpose = purposeOf(request, languages);
  const consent: Consent = {
    verifier,
    ...(purpose === undefined ? {} : { purpose }),
    satisfiable: match.satisfiable,
    queries,
    credentialSets: match.credentialSets.map(({ required, implicit, options }) => {
      const first = options.findIndex((option) => option.satisfiable);
      return {
        required,
        implicit,
        options: options.map(({ queryIds, satisfiable }) => ({ queryIds: [...queryIds], satisfiable })),
        ...(required && first >= 0 ? { defaultOption: first } : {}),
      };
    }),
    warnings: dedupe(warnings),
  };
  const internals: ConsentInternals = { request, transport: { fetch: fetchFunction, allowInsecureLocalhost }, selections };
  return attachInternals(consent, internals);
}

/** What the DCQL matcher sees of a held credential (OpenID4VP 1.0 §6.4, Appendix B.1 and B.3). */
function dcqlCandidate(credential: HeldCredential): DcqlCandidate {
  return credential.format === 'dc+sd-jwt'
    ? { id: credential.id, format: 'dc+sd-jwt', vct: credential.vct, claims: credential.claims }
    : { id: credential.id, format: 'jwt_vc_json', types: credential.types, claims: credential.claims };
}

/** The name of every leaf claim of a W3C credential, `@context` and `type` aside; `*` for array elements. */
function sharedClaimNames(credential: JsonObject): string[] {
  const names = new Set<string>();
  const visit = (value: JsonValue, path: ClaimPath): void => {
    if (Array.isArray(value)) {
      if (value.length === 0) names.add(claimName(path));
      for (const element of value) visit(element, [...path, null]);
    } else if (typeof value === 'object' && value !== null && Object.keys(value).length > 0) {
      for (const [name, member] of Object.entries(value)) visit(member, [...path, name]);
    } else {
      names.add(claimName(path));
    }
  };
  for (const [name, value] of Object.entries(credential)) {
    if (name !== '@context' && name !== 'type') visit(value, [name]);
  }
  return [...names];
}

/**
 * §6.2 / §6.4.2: in each required credential set the wallet answers the first satisfiable option
 * (the verifier's preference); other options are alternatives. Queries only in optional sets, or
 * in no set at all, are optional.
 */
function queryNeeds(match: DcqlMatchResult): Map<string, ConsentNeed> {
  const needs = new Map<string, ConsentNeed>();
  const rank: Record<ConsentNeed, number> = { required: 3, alternative: 2, optional: 1 };
  const raise = (id: string, need: ConsentNeed): void => {
    const current = needs.get(id);
    if (current === undefined || rank[need] > rank[current]) needs.set(id, need);
  };
  for (const set of match.credentialSets) {
    const chosen = set.required ? (set.options.find((option) => option.satisfiable) ?? set.options[0]) : undefined;
    for (const option of set.options) {
      for (const id of option.queryIds) raise(id, !set.required ? 'optional' : option === chosen ? 'required' : 'alternative');
    }
  }
  return needs;
}

const BIRTH_DATE_NAMES: ReadonlySet<string> = new Set(['birth_date', 'birthdate', 'date_of_birth']);

/** A full birth date asked where the same credential can prove the age alone (SD-JWT VC / PID `age_equal_or_over`). */
function birthDateWarnings(queryId: string, paths: readonly ClaimPath[], claims: JsonObject): OverAskingWarning[] {
  const provesAge =
    (typeof claims.age_equal_or_over === 'object' && claims.age_equal_or_over !== null) ||
    Object.keys(claims).some((name) => /^age_over_\d{1,3}$/.test(name));
  if (!provesAge) return [];
  return paths
    .filter((path) => typeof path[0] === 'string' && BIRTH_DATE_NAMES.has(path[0]))
    .map((path) => ({ code: 'full_birth_date_asked', queryId, claim: claimName(path) }) as const);
}

/** Claims listed in a query with `claim_sets` but named by none of them (§6.4.1: never returned). */
function claimSetWarnings(query: DcqlCredentialQuery): OverAskingWarning[] {
  if (query.claim_sets === undefined) return [];
  const named = new Set(query.claim_sets.flat());
  return (query.claims ?? [])
    .filter((claim) => claim.id === undefined || !named.has(claim.id))
    .map((claim) => ({ code: 'claim_outside_claim_sets', queryId: query.id, claim: claimName(claim.path) }) as const);
}

/** The `tessera_purpose` entry of `verifier_info`, in the holder's language (fallback English). */
function purposeOf(request: ParsedRequest, languages: readonly string[]): { language: string; text: string } | undefined {
  for (const entry of request.verifierInfo) {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry) || entry.format !== 'tessera_purpose') continue;
    const data = entry.data;
    if (typeof data !== 'object' || data === null || Array.isArray(data)) continue;
    const texts = Object.entries(data).filter((pair): pair is [string, string] => typeof pair[1] === 'string');
    if (texts.length === 0) continue;
    const language = negotiateLocale(
      languages,
      texts.map(([tag]) => tag),
      'en',
    );
    return { language, text: (texts.find(([tag]) => tag === language) as [string, string])[1] };
  }
  return undefined;
}

function dedupe(warnings: readonly OverAskingWarning[]): OverAskingWarning[] {
  const seen = new Set<string>();
  return warnings.filter((warning) => {
    const key = JSON.stringify([warning.code, warning.queryId, warning.claim]);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
