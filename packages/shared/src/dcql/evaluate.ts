/**
 * The evaluation rules the wallet's matcher and the verifier's response check share, so both sides
 * read a query the same way (OpenID4VP 1.0 §6.4). Internal: not exported from the package.
 */
import { type SelectedClaim, selectWithPaths } from '../claim-path/claim-path.ts';
import { hasOwn, type JsonObject, type JsonValue } from '../encoding/json.ts';
import {
  type DcqlClaimQuery,
  type DcqlClaimValue,
  type DcqlCredentialQuery,
  type DcqlQuery,
  isJwtVcJsonCredentialQuery,
  isSdJwtVcCredentialQuery,
} from './query.ts';

/** §6.1: `multiple` defaults to `false`. */
export function allowsMultiple(query: DcqlCredentialQuery): boolean {
  return query.multiple === true;
}

/** §6.1: `require_cryptographic_holder_binding` defaults to `true`. */
export function requiresHolderBinding(query: DcqlCredentialQuery): boolean {
  return query.require_cryptographic_holder_binding !== false;
}

/** The credential's type as the caller gave it, else its `vct` claim (SD-JWT VC §3.2.2.1.1). */
export function vctOf(explicit: string | undefined, claims: JsonObject): string | undefined {
  if (explicit !== undefined) return explicit;
  const vct = hasOwn(claims, 'vct') ? claims.vct : undefined;
  return typeof vct === 'string' ? vct : undefined;
}

/** The credential's types as the caller gave them, else its `type` property (VC Data Model 1.1 §4.3). */
export function typesOf(explicit: readonly string[] | undefined, claims: JsonObject): readonly string[] {
  if (explicit !== undefined) return explicit;
  const type = hasOwn(claims, 'type') ? claims.type : undefined;
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? type.filter((item): item is string => typeof item === 'string') : [];
}

/** How a credential's type check against `meta` came out; `unsupported` for formats not modelled here. */
export type MetaOutcome = 'match' | 'mismatch' | 'unsupported';

/**
 * Checks `meta` (Appendix B): for `dc+sd-jwt` the `vct` is one of `vct_values` (exact match: type
 * inheritance, which B.3.5 allows a wallet to honour, is not followed); for `jwt_vc_json` some entry
 * of `type_values` is wholly among the credential's types (B.1.1; types compare as given, which is
 * their expanded form for a VC without JSON-LD).
 */
export function checkMeta(query: DcqlCredentialQuery, vct: string | undefined, types: readonly string[]): MetaOutcome {
  if (isSdJwtVcCredentialQuery(query)) {
    return vct !== undefined && query.meta.vct_values.includes(vct) ? 'match' : 'mismatch';
  }
  if (isJwtVcJsonCredentialQuery(query)) {
    const held = new Set(types);
    return query.meta.type_values.some((wanted) => wanted.every((type) => held.has(type))) ? 'match' : 'mismatch';
  }
  return 'unsupported';
}

/** True when `value` equals one of `values` in type and value (§6.3); objects and arrays never do. */
export function isAllowedValue(value: JsonValue, values: readonly DcqlClaimValue[]): boolean {
  return (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') && values.includes(value);
}

/**
 * The claims a Claims Query finds in a credential. §6.4.1: a claim whose value is not among
 * `values` is treated as if it did not exist, so with a `null` step only the matching elements
 * remain; an empty result means the claim is missing.
 */
export function findClaim(claims: JsonObject, claim: DcqlClaimQuery): SelectedClaim[] {
  const selected = selectWithPaths(claims, claim.path);
  const { values } = claim;
  return values === undefined ? selected : selected.filter(({ value }) => isAllowedValue(value, values));
}

/** One way to satisfy a credential query's claims: an entry of `claim_sets`, or all claims. */
export interface ClaimSetPlan {
  /** Index into `claim_sets`; absent when the query has none. */
  readonly index?: number;
  readonly claims: readonly DcqlClaimQuery[];
}

/**
 * §6.4.1: without `claims`, nothing selectively disclosable is asked (one empty plan); with
 * `claims` but no `claim_sets`, all claims (one plan); otherwise one plan per claim set, in the
 * verifier's order of preference.
 */
export function claimSetPlans(query: DcqlCredentialQuery): ClaimSetPlan[] {
  const claims = query.claims ?? [];
  if (query.claim_sets === undefined) return [{ claims }];
  const byId = new Map(claims.map((claim) => [claim.id, claim]));
  return query.claim_sets.map((ids, index) => ({
    index,
    claims: ids.map((id) => byId.get(id)).filter((claim): claim is DcqlClaimQuery => claim !== undefined),
  }));
}

/** A credential set with its default applied. */
export interface CredentialSetPlan {
  readonly required: boolean;
  /** True when the query has no `credential_sets` and this set stands for one credential query. */
  readonly implicit: boolean;
  readonly options: readonly (readonly string[])[];
}

/**
 * §6.4.2: without `credential_sets`, every credential query is requested, which is the same as one
 * required set per query with that query as its only option; `required` defaults to `true` (§6.2).
 */
export function credentialSetPlans(query: DcqlQuery): CredentialSetPlan[] {
  if (query.credential_sets === undefined) {
    return query.credentials.map(({ id }) => ({ required: true, implicit: true, options: [[id]] }));
  }
  return query.credential_sets.map((set) => ({ required: set.required !== false, implicit: false, options: set.options }));
}
