import { type ClaimPath, isClaimPath } from '../claim-path/claim-path.ts';
import { hasOwn, isJsonObject, type JsonObject, jsonDepthExceeds } from '../encoding/json.ts';
import { fail } from '../errors/tessera-error.ts';

/**
 * A DCQL query (OpenID4VP 1.0 §6), in its wire form: the member names are the specification's, so a
 * parsed query serialises back to a valid `dcql_query`. Defaults are not filled in; unknown members
 * are dropped (§6: implementations MUST ignore unknown properties).
 */
export interface DcqlQuery {
  /** §6: REQUIRED, non-empty. */
  readonly credentials: readonly DcqlCredentialQuery[];
  /** §6: OPTIONAL, non-empty when present. */
  readonly credential_sets?: readonly DcqlCredentialSetQuery[];
}

/** A Credential Query (§6.1); narrow with `isSdJwtVcCredentialQuery` / `isJwtVcJsonCredentialQuery`. */
export type DcqlCredentialQuery = DcqlSdJwtVcCredentialQuery | DcqlJwtVcJsonCredentialQuery | DcqlOtherCredentialQuery;

interface DcqlCredentialQueryCommon {
  /** Non-empty, `[A-Za-z0-9_-]` only, unique within the query (§6.1). */
  readonly id: string;
  /** Default `false` (§6.1). */
  readonly multiple?: boolean;
  /** Non-empty when present (§6.1.1); the wallet SHOULD, the verifier MUST check issuer trust itself. */
  readonly trusted_authorities?: readonly DcqlTrustedAuthoritiesQuery[];
  /** Default `true` (§6.1). */
  readonly require_cryptographic_holder_binding?: boolean;
  /** Non-empty when present; no two claims point to the same path (§6.1). */
  readonly claims?: readonly DcqlClaimQuery[];
  /** Non-empty lists of claim ids, in the verifier's order of preference (§6.1, §6.4.1). */
  readonly claim_sets?: readonly (readonly string[])[];
}

/** A Credential Query for an IETF SD-JWT VC (Appendix B.3). */
export interface DcqlSdJwtVcCredentialQuery extends DcqlCredentialQueryCommon {
  readonly format: 'dc+sd-jwt';
  readonly meta: DcqlSdJwtVcMeta;
}

/** `meta` for `dc+sd-jwt` (Appendix B.3.5). */
export interface DcqlSdJwtVcMeta {
  /** REQUIRED, non-empty: the accepted `vct` values. */
  readonly vct_values: readonly string[];
}

/** A Credential Query for a W3C VC signed as a JWT, without JSON-LD (Appendix B.1.3.1). */
export interface DcqlJwtVcJsonCredentialQuery extends DcqlCredentialQueryCommon {
  readonly format: 'jwt_vc_json';
  readonly meta: DcqlW3cVcMeta;
}

/** `meta` for W3C VCs (Appendix B.1.1). */
export interface DcqlW3cVcMeta {
  /** REQUIRED, non-empty: alternatives, each a non-empty set of types the credential must all have. */
  readonly type_values: readonly (readonly string[])[];
}

/**
 * A Credential Query for any other format (`mso_mdoc`, `ldp_vc`, or one defined elsewhere,
 * Appendix B): `meta` is passed through as it came.
 */
export interface DcqlOtherCredentialQuery extends DcqlCredentialQueryCommon {
  readonly format: string;
  readonly meta: JsonObject;
}

/** A Trusted Authorities Query (§6.1.1); `type` is `aki`, `etsi_tl`, `openid_federation` or another. */
export interface DcqlTrustedAuthoritiesQuery {
  readonly type: string;
  /** Non-empty. */
  readonly values: readonly string[];
}

/** A Credential Set Query (§6.2). */
export interface DcqlCredentialSetQuery {
  /** Non-empty; each option is a non-empty list of credential query ids. */
  readonly options: readonly (readonly string[])[];
  /** Default `true`. */
  readonly required?: boolean;
}

/** A value a claim may be asked to equal (§6.3): exact type and value. */
export type DcqlClaimValue = string | number | boolean;

/** A Claims Query (§6.3). */
export interface DcqlClaimQuery {
  /** REQUIRED when the credential query has `claim_sets`; unique within its `claims`. */
  readonly id?: string;
  /** A claims path pointer (§7). */
  readonly path: ClaimPath;
  /** Non-empty when present: strings, integers and booleans only. */
  readonly values?: readonly DcqlClaimValue[];
  /** `mso_mdoc` only (Appendix B.2.4): ISO/IEC 18013-5 IntentToRetain. */
  readonly intent_to_retain?: boolean;
}

/**
 * Ceilings on a query from an untrusted verifier: every array and string it controls is bounded, so
 * parsing and matching stay cheap whatever it sends.
 */
export interface DcqlLimits {
  /** Credential queries in `credentials`. Default 50. */
  maxCredentialQueries: number;
  /** Claims queries in one credential query. Default 100. */
  maxClaimsPerQuery: number;
  /** Steps in one claims path pointer. Default 16. */
  maxPathLength: number;
  /** Entries of `claim_sets` in one credential query. Default 32. */
  maxClaimSets: number;
  /** Entries of `credential_sets`. Default 32. */
  maxCredentialSets: number;
  /** Options in one credential set. Default 32. */
  maxOptions: number;
  /** Entries of `values`, `vct_values`, `type_values` (and each inner list), `trusted_authorities` and their `values`. Default 64. */
  maxValues: number;
  /** Characters in any id, format, type, path step or string value. Default 1024. */
  maxStringLength: number;
  /** Nesting of a passed-through `meta` object of another format. Default 8. */
  maxMetaDepth: number;
}

export const DEFAULT_DCQL_LIMITS: Readonly<DcqlLimits> = Object.freeze({
  maxCredentialQueries: 50,
  maxClaimsPerQuery: 100,
  maxPathLength: 16,
  maxClaimSets: 32,
  maxCredentialSets: 32,
  maxOptions: 32,
  maxValues: 64,
  maxStringLength: 1024,
  maxMetaDepth: 8,
});

/** §6.1, §6.3: "a non-empty string consisting of alphanumeric, underscore (`_`), or hyphen (`-`) characters". */
const ID_PATTERN = /^[A-Za-z0-9_-]+$/;

/** True when the query asks for an SD-JWT VC; narrows `meta` to `vct_values`. */
export function isSdJwtVcCredentialQuery(query: DcqlCredentialQuery): query is DcqlSdJwtVcCredentialQuery {
  return query.format === 'dc+sd-jwt';
}

/** True when the query asks for a `jwt_vc_json` W3C VC; narrows `meta` to `type_values`. */
export function isJwtVcJsonCredentialQuery(query: DcqlCredentialQuery): query is DcqlJwtVcJsonCredentialQuery {
  return query.format === 'jwt_vc_json';
}

/**
 * Validates an untrusted DCQL query (OpenID4VP 1.0 §6) and returns a copy holding only the members
 * the specification defines. Fails with `dcql_invalid` on anything the specification forbids
 * (missing members, wrong types, empty arrays, bad or duplicate ids, `claim_sets` without ids or
 * with unknown ids, `credential_sets` naming unknown credential queries, two claims with the same
 * path, `values` other than strings, integers and booleans) and on anything past `limits`.
 * @example
 * const query = parseDcqlQuery(JSON.parse(request.dcql_query));
 */
export function parseDcqlQuery(value: unknown, limits: Partial<DcqlLimits> = {}): DcqlQuery {
  const bounds = resolveDcqlLimits(limits);
  const root = object(value, 'the DCQL query');
  const credentials = nonEmptyArray(member(root, 'credentials'), 'credentials', bounds.maxCredentialQueries);
  const ids = new Set<string>();
  const parsed = credentials.map((entry, index) => {
    const query = parseCredentialQuery(entry, `credentials[${index}]`, bounds);
    // §6.1: within the Authorization Request, the same `id` MUST NOT be present more than once.
    if (ids.has(query.id)) fail('dcql_invalid', `credentials[${index}].id repeats the id "${query.id}"`);
    ids.add(query.id);
    return query;
  });
  const sets = member(root, 'credential_sets');
  if (sets === undefined) return { credentials: parsed };
  return { credentials: parsed, credential_sets: parseCredentialSets(sets, ids, bounds) };
}

/** The parser builds its results member by member; the readonly types are for callers. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function resolveDcqlLimits(overrides: Partial<DcqlLimits>): DcqlLimits {
  const limits = { ...DEFAULT_DCQL_LIMITS, ...overrides };
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isSafeInteger(value) || value <= 0) throw new TypeError(`limits.${name} must be a positive integer`);
  }
  return limits;
}

function parseCredentialQuery(value: unknown, at: string, bounds: DcqlLimits): DcqlCredentialQuery {
  const entry = object(value, at);
  const id = identifier(member(entry, 'id'), `${at}.id`, bounds);
  const format = string(member(entry, 'format'), `${at}.format`, bounds);
  const meta = parseMeta(format, member(entry, 'meta'), `${at}.meta`, bounds);
  const query: Mutable<DcqlCredentialQueryCommon> & { format: string; meta: DcqlCredentialQuery['meta'] } = { id, format, meta };

  const multiple = optionalBoolean(member(entry, 'multiple'), `${at}.multiple`);
  if (multiple !== undefined) query.multiple = multiple;
  const binding = optionalBoolean(
    member(entry, 'require_cryptographic_holder_binding'),
    `${at}.require_cryptographic_holder_binding`,
  );
  if (binding !== undefined) query.require_cryptographic_holder_binding = binding;
  const authorities = member(entry, 'trusted_authorities');
  if (authorities !== undefined) {
    query.trusted_authorities = nonEmptyArray(authorities, `${at}.trusted_authorities`, bounds.maxValues).map((item, i) =>
      parseTrustedAuthority(item, `${at}.trusted_authorities[${i}]`, bounds),
    );
  }

  const claimsValue = member(entry, 'claims');
  const claimSetsValue = member(entry, 'claim_sets');
  // §6.4.1: `claim_sets` MUST NOT be present if `claims` is absent.
  if (claimsValue === undefined) {
    if (claimSetsValue !== undefined) fail('dcql_invalid', `${at}.claim_sets is present without claims`);
    return query as DcqlCredentialQuery;
  }
  const claims = parseClaims(claimsValue, format, `${at}.claims`, bounds, claimSetsValue !== undefined);
  query.claims = claims;
  if (claimSetsValue !== undefined) query.claim_sets = parseClaimSets(claimSetsValue, claims, `${at}.claim_sets`, bounds);
  return query as DcqlCredentialQuery;
}

function parseMeta(format: string, value: unknown, at: string, bounds: DcqlLimits): DcqlCredentialQuery['meta'] {
  // §6.1: `meta` is REQUIRED; its members are defined per format (Appendix B).
  const meta = object(value, at);
  switch (format) {
    case 'dc+sd-jwt':
      // Appendix B.3.5: `vct_values` REQUIRED, a non-empty array of strings.
      return { vct_values: stringArray(member(meta, 'vct_values'), `${at}.vct_values`, bounds) };
    case 'jwt_vc_json':
      // Appendix B.1.1: `type_values` REQUIRED, a non-empty array of non-empty string arrays.
      return { type_values: typeValues(member(meta, 'type_values'), `${at}.type_values`, bounds) };
    case 'ldp_vc':
      // Appendix B.1.1 applies to every W3C VC format; the meta is still passed through below.
      typeValues(member(meta, 'type_values'), `${at}.type_values`, bounds);
      break;
    case 'mso_mdoc':
      // Appendix B.2.3: `doctype_value` REQUIRED, a string.
      string(member(meta, 'doctype_value'), `${at}.doctype_value`, bounds);
      break;
    // Appendix B: formats not defined there may be defined by other specifications or
    // deployments, so any other identifier is accepted and its meta passed through.
  }
  if (jsonDepthExceeds(meta, bounds.maxMetaDepth)) fail('dcql_invalid', `${at} is nested too deeply`);
  return structuredClone(meta);
}

function typeValues(value: unknown, at: string, bounds: DcqlLimits): string[][] {
  return nonEmptyArray(value, at, bounds.maxValues).map((inner, i) => stringArray(inner, `${at}[${i}]`, bounds));
}

function parseTrustedAuthority(value: unknown, at: string, bounds: DcqlLimits): DcqlTrustedAuthoritiesQuery {
  const entry = object(value, at);
  return {
    type: string(member(entry, 'type'), `${at}.type`, bounds),
    values: stringArray(member(entry, 'values'), `${at}.values`, bounds),
  };
}

function parseClaims(value: unknown, format: string, at: string, bounds: DcqlLimits, needIds: boolean): DcqlClaimQuery[] {
  const entries = nonEmptyArray(value, at, bounds.maxClaimsPerQuery);
  const ids = new Set<string>();
  const paths = new Set<string>();
  return entries.map((item, index) => {
    const claimAt = `${at}[${index}]`;
    const entry = object(item, claimAt);
    const claim: Mutable<DcqlClaimQuery> = {
      path: parsePath(member(entry, 'path'), format, `${claimAt}.path`, bounds),
    };
    const idValue = member(entry, 'id');
    if (idValue !== undefined) {
      const id = identifier(idValue, `${claimAt}.id`, bounds);
      // §6.3: within the particular `claims` array, the same `id` MUST NOT be present more than once.
      if (ids.has(id)) fail('dcql_invalid', `${claimAt}.id repeats the id "${id}"`);
      ids.add(id);
      claim.id = id;
    } else if (needIds) {
      // §6.3: `id` is REQUIRED if `claim_sets` is present in the Credential Query.
      fail('dcql_invalid', `${claimAt}.id is required because the credential query has claim_sets`);
    }
    // §6.1: Verifiers MUST NOT point to the same claim more than once in a single query.
    const key = JSON.stringify(claim.path);
    if (paths.has(key)) fail('dcql_invalid', `${claimAt}.path repeats the path of an earlier claim`);
    paths.add(key);
    const values = member(entry, 'values');
    if (values !== undefined) claim.values = parseValues(values, `${claimAt}.values`, bounds);
    if (format === 'mso_mdoc') {
      const retain = optionalBoolean(member(entry, 'intent_to_retain'), `${claimAt}.intent_to_retain`);
      if (retain !== undefined) claim.intent_to_retain = retain;
    }
    return claim;
  });
}

function parsePath(value: unknown, format: string, at: string, bounds: DcqlLimits): ClaimPath {
  // §6.3, §7: a non-empty array of strings, nulls and non-negative integers.
  if (!isClaimPath(value)) fail('dcql_invalid', `${at} is not a claims path pointer`);
  if (value.length > bounds.maxPathLength) fail('dcql_invalid', `${at} has more than ${bounds.maxPathLength} steps`);
  for (const step of value) {
    if (typeof step === 'string' && step.length > bounds.maxStringLength) fail('dcql_invalid', `${at} has an overlong step`);
  }
  // §7.2: a pointer into an mdoc is exactly a namespace and a data element identifier.
  if (format === 'mso_mdoc' && (value.length !== 2 || !value.every((step) => typeof step === 'string'))) {
    fail('dcql_invalid', `${at} must be a namespace and an element identifier for mso_mdoc`);
  }
  return [...value];
}

function parseValues(value: unknown, at: string, bounds: DcqlLimits): DcqlClaimValue[] {
  // §6.3: a non-empty array of strings, integers or boolean values.
  return nonEmptyArray(value, at, bounds.maxValues).map((item, i) => {
    if (typeof item === 'string') {
      if (item.length > bounds.maxStringLength) fail('dcql_invalid', `${at}[${i}] is too long`);
      return item;
    }
    // Integers beyond 2^53 cannot be compared exactly once parsed into a JavaScript number.
    if (typeof item === 'boolean' || (typeof item === 'number' && Number.isSafeInteger(item))) return item;
    return fail('dcql_invalid', `${at}[${i}] is not a string, integer or boolean`);
  });
}

function parseClaimSets(value: unknown, claims: readonly DcqlClaimQuery[], at: string, bounds: DcqlLimits): string[][] {
  const known = new Set(claims.map((claim) => claim.id));
  return nonEmptyArray(value, at, bounds.maxClaimSets).map((set, index) => {
    const setAt = `${at}[${index}]`;
    const ids = nonEmptyArray(set, setAt, bounds.maxClaimsPerQuery).map((id, i) => identifier(id, `${setAt}[${i}]`, bounds));
    for (const id of ids) {
      // §6.1: `claim_sets` holds identifiers for elements in `claims`.
      if (!known.has(id)) fail('dcql_invalid', `${setAt} names the unknown claim id "${id}"`);
    }
    if (new Set(ids).size !== ids.length) fail('dcql_invalid', `${setAt} names a claim twice`);
    return ids;
  });
}

function parseCredentialSets(value: unknown, known: ReadonlySet<string>, bounds: DcqlLimits): DcqlCredentialSetQuery[] {
  return nonEmptyArray(value, 'credential_sets', bounds.maxCredentialSets).map((item, index) => {
    const at = `credential_sets[${index}]`;
    const entry = object(item, at);
    const options = nonEmptyArray(member(entry, 'options'), `${at}.options`, bounds.maxOptions).map((option, o) => {
      const optionAt = `${at}.options[${o}]`;
      const ids = nonEmptyArray(option, optionAt, bounds.maxCredentialQueries).map((id, i) =>
        identifier(id, `${optionAt}[${i}]`, bounds),
      );
      for (const id of ids) {
        // §6.2: the identifiers reference elements in `credentials`.
        if (!known.has(id)) fail('dcql_invalid', `${optionAt} names the unknown credential query id "${id}"`);
      }
      if (new Set(ids).size !== ids.length) fail('dcql_invalid', `${optionAt} names a credential query twice`);
      return ids;
    });
    const required = optionalBoolean(member(entry, 'required'), `${at}.required`);
    return required === undefined ? { options } : { options, required };
  });
}

// --- Primitive checks. Messages name positions in the query, which is the verifier's text, not
// the holder's data.

function member(entry: JsonObject, name: string): unknown {
  return hasOwn(entry, name) ? entry[name] : undefined;
}

function object(value: unknown, at: string): JsonObject {
  if (!isJsonObject(value)) fail('dcql_invalid', `${at} must be an object`);
  return value;
}

function nonEmptyArray(value: unknown, at: string, max: number): unknown[] {
  if (!Array.isArray(value)) fail('dcql_invalid', `${at} must be an array`);
  if (value.length === 0) fail('dcql_invalid', `${at} must not be empty`);
  if (value.length > max) fail('dcql_invalid', `${at} has more than ${max} entries`);
  return value;
}

function string(value: unknown, at: string, bounds: DcqlLimits): string {
  if (typeof value !== 'string' || value.length === 0) fail('dcql_invalid', `${at} must be a non-empty string`);
  if (value.length > bounds.maxStringLength) fail('dcql_invalid', `${at} is too long`);
  return value;
}

function stringArray(value: unknown, at: string, bounds: DcqlLimits): string[] {
  return nonEmptyArray(value, at, bounds.maxValues).map((item, i) => string(item, `${at}[${i}]`, bounds));
}

function identifier(value: unknown, at: string, bounds: DcqlLimits): string {
  const id = string(value, at, bounds);
  if (!ID_PATTERN.test(id)) fail('dcql_invalid', `${at} may hold only letters, digits, "_" and "-"`);
  return id;
}

function optionalBoolean(value: unknown, at: string): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') fail('dcql_invalid', `${at} must be a boolean`);
  return value;
}
