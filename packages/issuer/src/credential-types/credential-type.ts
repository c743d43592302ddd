import { z } from 'zod';

/**
 * How a credential type is declared in the issuer's configuration: its `vct`, the formats it is
 * issued in, how long a credential lives, its claims (type, constraints, selective disclosure)
 * and what wallets show for it in each language. Everything published about a type — the
 * OpenID4VCI 1.0 `credential_configurations_supported` entries and the SD-JWT VC Type Metadata
 * at the `vct` URL — is derived from this one declaration, so the two never disagree.
 */

/** The credential formats the issuer speaks (OpenID4VCI 1.0 Appendix A.1.1 and A.3). */
export const CREDENTIAL_FORMATS = ['dc+sd-jwt', 'jwt_vc_json'] as const;
export type CredentialFormat = (typeof CREDENTIAL_FORMATS)[number];

/** The JSON shape of a claim's value. `date` is a calendar date as `YYYY-MM-DD` (RFC 3339 full-date). */
export const CLAIM_VALUE_TYPES = ['string', 'date', 'boolean', 'integer', 'object'] as const;
export type ClaimValueType = (typeof CLAIM_VALUE_TYPES)[number];

/**
 * Selective disclosure, as the `sd` claim metadata of draft-ietf-oauth-sd-jwt-vc ("Claim Selective
 * Disclosure Metadata"). Tessera makes both `always` and `allowed` claims selectively disclosable;
 * `never` claims travel in the clear.
 */
export const CLAIM_DISCLOSURES = ['always', 'allowed', 'never'] as const;
export type ClaimDisclosure = (typeof CLAIM_DISCLOSURES)[number];

/** Extra shapes a string claim can be held to. */
export const STRING_FORMATS = ['country-code', 'language-code'] as const;
export type StringFormat = (typeof STRING_FORMATS)[number];

/** Hard ceilings for any one string claim and for all claims of one credential together. */
export const MAX_CLAIM_STRING_LENGTH = 1000;
export const MAX_CLAIMS_BYTES = 64 * 1024;

/**
 * Claim names a credential type may never declare: the registered JWT and SD-JWT VC claims the
 * issuer sets itself (draft-ietf-oauth-sd-jwt-vc §3.2.2: `iss`, `nbf`, `exp`, `cnf`, `vct`,
 * `status` are not claims of the type), `iat`/`sub`/`aud`/`jti`, `id` (the W3C credential
 * subject's identifier), and names that SD-JWT (RFC 9901 §4.2.4) or JavaScript give a meaning.
 */
export const RESERVED_CLAIM_NAMES: readonly string[] = [
  'iss',
  'nbf',
  'exp',
  'cnf',
  'vct',
  'status',
  'iat',
  'sub',
  'aud',
  'jti',
  'id',
];
/** Names that are reserved at every depth, not only at the top. */
const RESERVED_AT_ANY_DEPTH: readonly string[] = ['_sd', '_sd_alg', '__proto__', 'constructor', 'prototype'];

/** The languages every shipped type is translated into. `en` is required of every type. */
export const SHIPPED_LOCALES = ['en', 'de', 'fr', 'it', 'es', 'ar', 'fa', 'uk', 'ti', 'so'] as const;

/** BCP 47 language tag (RFC 5646 §2.1), simplified: a 2–3 letter language and optional subtags. */
const LOCALE_TAG = /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;
/** Claim names: letters, digits and `_`; a top-level name starts with a letter. */
const CLAIM_NAME = /^[A-Za-z0-9_]{1,64}$/;
const TOP_LEVEL_CLAIM_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** Hex colours only: CSS Color Level 3 allows more, but wallets render these everywhere. */
const HEX_COLOUR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;

const localeTag = z.string().regex(LOCALE_TAG, 'must be a BCP 47 language tag such as "en" or "fr-CH"');
const displayText = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

function isHttpsUrl(value: string, { allowQuery }: { allowQuery: boolean }): boolean {
  if (!URL.canParse(value)) return false;
  const url = new URL(value);
  return (
    url.protocol === 'https:' &&
    url.username === '' &&
    url.password === '' &&
    url.hash === '' &&
    !value.includes('#') &&
    (allowQuery || url.search === '')
  );
}

const logoSchema = z.strictObject({
  /** Where wallets fetch the logo: an https URL. */
  uri: z.string().refine((value) => isHttpsUrl(value, { allowQuery: true }), 'must be an https URL without a fragment'),
  altText: displayText(200).optional(),
});

const typeDisplaySchema = z.strictObject({
  /** The credential's name as people see it in a wallet. */
  name: displayText(100),
  /** One plain sentence on what the credential shows. */
  description: displayText(500),
  backgroundColor: z.string().regex(HEX_COLOUR, 'must be a hex colour such as "#1f4e79"'),
  textColor: z.string().regex(HEX_COLOUR, 'must be a hex colour such as "#ffffff"'),
  logo: logoSchema.optional(),
});

const claimDisplaySchema = z.strictObject({
  label: displayText(100),
  description: displayText(300).optional(),
});

const claimSchema = z.strictObject({
  /**
   * Claims path pointer (OpenID4VCI 1.0 Appendix C) of the claim, object keys only: nested claims
   * such as `["address", "locality"]` are declared beside their parent, which must be an `object`.
   */
  path: z.array(z.string().regex(CLAIM_NAME, 'must be a claim name of letters, digits and "_"')).min(1).max(4),
  valueType: z.enum(CLAIM_VALUE_TYPES),
  /** The issuer always includes it (OpenID4VCI `mandatory`, SD-JWT VC `mandatory`). */
  required: z.boolean().default(false),
  /** Data minimisation by default: a claim is selectively disclosable unless it says otherwise. */
  disclosure: z.enum(CLAIM_DISCLOSURES).default('always'),
  /** For strings: the only values allowed. */
  enum: z.array(z.string().min(1).max(MAX_CLAIM_STRING_LENGTH)).min(1).max(200).optional(),
  minLength: z.int().min(1).max(MAX_CLAIM_STRING_LENGTH).optional(),
  maxLength: z.int().min(1).max(MAX_CLAIM_STRING_LENGTH).optional(),
  /** For strings: `country-code` (ISO 3166-1 alpha-2, `DE`), `language-code` (ISO 639-1/-3, `de`, `tir`). */
  format: z.enum(STRING_FORMATS).optional(),
  /** For integers: inclusive bounds. */
  minimum: z.int().optional(),
  maximum: z.int().optional(),
  /** Label (and optional description) per locale; every locale of the type's `display`. */
  display: z.record(localeTag, claimDisplaySchema),
});

const credentialTypeObjectSchema = z.strictObject({
  /** The credential configuration id (OpenID4VCI 1.0 §12.2.4), e.g. `residence_permit`. */
  id: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be lowercase letters, digits and "_", starting with a letter'),
  /** The SD-JWT VC type: an https URL where the type metadata is published. */
  vct: z.string().refine((value) => isHttpsUrl(value, { allowQuery: false }), 'must be an https URL without query or fragment'),
  /** Who issues it: public authorities or NGOs; tenants are matched against this. */
  issuerKind: z.enum(['authority', 'ngo']),
  formats: z.array(z.enum(CREDENTIAL_FORMATS)).min(1),
  /** How long an issued credential is valid (its `exp`): see `credentialExpiresAt`. */
  validity: z.strictObject({
    /** Counted from issuance. */
    days: z.int().min(1).max(3660),
    /**
     * A top-level claim of valueType `date` that ends the credential sooner: a residence permit's
     * own `valid_until`. The credential then never outlives the document it shows.
     */
    untilClaim: z.string().regex(TOP_LEVEL_CLAIM_NAME, 'must be a top-level claim name').optional(),
  }),
  /** The W3C `type` next to `VerifiableCredential` for `jwt_vc_json`; default: the id in PascalCase + `Credential`. */
  w3cType: z
    .string()
    .regex(/^[A-Z][A-Za-z0-9]{0,99}$/, 'must be a PascalCase name such as "ResidencePermitCredential"')
    .optional(),
  display: z.record(localeTag, typeDisplaySchema),
  claims: z.array(claimSchema).min(1).max(100),
});

type CredentialTypeObject = z.output<typeof credentialTypeObjectSchema>;

/**
 * The zod 4 schema of one credential type in config, with the cross-checks that a plain shape
 * cannot express. Every message names the offending path.
 * @example
 * const type = credentialTypeSchema.parse(JSON.parse(await readFile('residence-permit.json', 'utf8')));
 */
export const credentialTypeSchema = credentialTypeObjectSchema.superRefine(crossCheck);

/** A credential type as written in config (defaults not yet applied). */
export type CredentialTypeInput = z.input<typeof credentialTypeSchema>;
/** A validated credential type. */
export type CredentialType = z.output<typeof credentialTypeSchema>;
/** One declared claim of a validated credential type. */
export type ClaimDefinition = CredentialType['claims'][number];
/** What wallets show for a type in one locale. */
export type CredentialTypeDisplay = CredentialType['display'][string];

/** The checks across fields; each issue carries the path of the field at fault. */
function crossCheck(type: CredentialTypeObject, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
  const locales = Object.keys(type.display);
  if (!Object.hasOwn(type.display, 'en')) issue(['display'], 'must have an "en" entry: English is the fallback for every type');

  type.formats.forEach((format, index) => {
    if (type.formats.indexOf(format) !== index) issue(['formats', index], `lists "${format}" twice`);
  });

  const { untilClaim } = type.validity;
  if (untilClaim !== undefined) {
    const target = type.claims.find((claim) => claim.path.length === 1 && claim.path[0] === untilClaim);
    if (target === undefined) {
      issue(['validity', 'untilClaim'], `names "${untilClaim}", which is not a top-level claim of the type`);
    } else if (target.valueType !== 'date') {
      issue(['validity', 'untilClaim'], `names "${untilClaim}", whose valueType is "${target.valueType}", not "date"`);
    }
  }

  const byPath = new Map<string, number>();
  const svgIds = new Map<string, number>();
  type.claims.forEach((claim, index) => {
    const at = (...rest: (string | number)[]) => ['claims', index, ...rest];
    const key = JSON.stringify(claim.path);
    const first = byPath.get(key);
    if (first !== undefined) issue(at('path'), `repeats the path of claims[${first}] (OpenID4VCI 1.0 Appendix B.3)`);
    else byPath.set(key, index);

    const [top = ''] = claim.path;
    if (!TOP_LEVEL_CLAIM_NAME.test(top)) issue(at('path', 0), 'a top-level claim name must start with a letter');
    if (RESERVED_CLAIM_NAMES.includes(top)) issue(at('path', 0), `"${top}" is a registered claim that the issuer sets itself`);
    claim.path.forEach((name, depth) => {
      if (RESERVED_AT_ANY_DEPTH.includes(name)) issue(at('path', depth), `"${name}" is a reserved name`);
    });

    // svg_id (draft-ietf-oauth-sd-jwt-vc "Claim Metadata") must be unique within the type.
    const svgId = claim.path.join('_');
    const clash = svgIds.get(svgId);
    if (clash !== undefined) issue(at('path'), `joins to the same svg_id "${svgId}" as claims[${clash}]`);
    else svgIds.set(svgId, index);

    checkConstraints(claim, (field, message) => issue(at(field), message));

    for (const locale of locales) {
      if (!Object.hasOwn(claim.display, locale))
        issue(at('display', locale), `needs a label in "${locale}", like the type's display`);
    }
    for (const locale of Object.keys(claim.display)) {
      if (!Object.hasOwn(type.display, locale)) issue(at('display', locale), `"${locale}" is not a locale of the type's display`);
    }
  });

  // Nesting: a nested claim hangs under a declared object claim, and an object claim has members.
  type.claims.forEach((claim, index) => {
    if (claim.path.length > 1) {
      const parentIndex = byPath.get(JSON.stringify(claim.path.slice(0, -1)));
      const parent = parentIndex === undefined ? undefined : type.claims[parentIndex];
      if (parent === undefined) issue(['claims', index, 'path'], 'is nested under a claim that is not declared');
      else if (parent.valueType !== 'object') {
        issue(['claims', index, 'path'], `is nested under claims[${parentIndex}], which is not of valueType "object"`);
      }
    }
    if (claim.valueType === 'object') {
      const hasMember = type.claims.some(
        (other) => other.path.length === claim.path.length + 1 && startsWith(other.path, claim.path),
      );
      if (!hasMember) issue(['claims', index, 'valueType'], 'an "object" claim needs at least one nested claim declared');
    }
  });
}

function checkConstraints(claim: z.output<typeof claimSchema>, issue: (field: string, message: string) => void): void {
  const forStrings = ['enum', 'minLength', 'maxLength', 'format'] as const;
  const forIntegers = ['minimum', 'maximum'] as const;
  if (claim.valueType !== 'string') {
    for (const field of forStrings) if (claim[field] !== undefined) issue(field, `applies only to valueType "string"`);
  }
  if (claim.valueType !== 'integer') {
    for (const field of forIntegers) if (claim[field] !== undefined) issue(field, `applies only to valueType "integer"`);
  }
  if (claim.minLength !== undefined && claim.maxLength !== undefined && claim.minLength > claim.maxLength) {
    issue('minLength', 'is greater than maxLength');
  }
  if (claim.minimum !== undefined && claim.maximum !== undefined && claim.minimum > claim.maximum) {
    issue('minimum', 'is greater than maximum');
  }
  if (claim.enum !== undefined) {
    claim.enum.forEach((value, position) => {
      if (claim.enum?.indexOf(value) !== position) issue('enum', `lists the value at position ${position} twice`);
      if (claim.maxLength !== undefined && value.length > claim.maxLength)
        issue('enum', `value at position ${position} is longer than maxLength`);
    });
  }
}

/** True when `path` begins with every step of `prefix`. */
export function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((step, index) => path[index] === step);
}

/** `claims[3].display.fa` from zod's issue path. */
function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const step of path) {
    if (typeof step === 'number') out += `[${step}]`;
    else out += out === '' ? String(step) : `.${String(step)}`;
  }
  return out === '' ? '(root)' : out;
}

/** Every problem of a failed parse, one per line, each starting with the path at fault. */
export function describeCredentialTypeIssues(error: z.ZodError): string {
  return error.issues.map((entry) => `${formatIssuePath(entry.path)}: ${entry.message}`).join('\n');
}

/**
 * Validates one credential type from config. A configuration mistake is a programmer error, so
 * it throws a `TypeError` listing every problem with its path, e.g.
 * `claims[2].display.fa: needs a label in "fa", like the type's display`.
 * @example
 * const type = parseCredentialType(config.credentialTypes.residencePermit);
 */
export function parseCredentialType(input: unknown): CredentialType {
  const result = credentialTypeSchema.safeParse(input);
  if (!result.success) {
    const id = isRecord(input) && typeof input.id === 'string' ? ` "${input.id.slice(0, 64)}"` : '';
    throw new TypeError(`Credential type${id} is invalid:\n${describeCredentialTypeIssues(result.error)}`);
  }
  return result.data;
}

/**
 * Validates the credential types of one issuer (or tenant): each one, then that ids and `vct`
 * values are unique among them, since both identify the type on the wire.
 */
export function parseCredentialTypes(inputs: readonly unknown[]): CredentialType[] {
  const types = inputs.map((input, index) => {
    try {
      return parseCredentialType(input);
    } catch (error) {
      throw new TypeError(`credentialTypes[${index}]: ${(error as Error).message}`);
    }
  });
  const problems: string[] = [];
  types.forEach((type, index) => {
    const sameId = types.findIndex((other) => other.id === type.id);
    if (sameId !== index) problems.push(`credentialTypes[${index}].id: repeats the id of credentialTypes[${sameId}]`);
    const sameVct = types.findIndex((other) => other.vct === type.vct);
    if (sameVct !== index) problems.push(`credentialTypes[${index}].vct: repeats the vct of credentialTypes[${sameVct}]`);
  });
  const configurationIds = new Map<string, number>();
  types.forEach((type, index) => {
    for (const format of type.formats) {
      const id = credentialConfigurationId(type, format);
      const owner = configurationIds.get(id);
      if (owner !== undefined && owner !== index) {
        problems.push(
          `credentialTypes[${index}].id: its ${format} configuration id "${id}" is taken by credentialTypes[${owner}]`,
        );
      }
      configurationIds.set(id, index);
    }
  });
  if (problems.length > 0) throw new TypeError(`Credential types are invalid:\n${problems.join('\n')}`);
  return types;
}

/**
 * The key of a type's entry in `credential_configurations_supported` (OpenID4VCI 1.0 §12.2.4) for
 * one format: the type's `id` for SD-JWT VC, the preferred format, and `<id>_jwt_vc_json` for the
 * W3C form, so one type yields one configuration per format.
 * @example credentialConfigurationId(residencePermit, 'jwt_vc_json') // 'residence_permit_jwt_vc_json'
 */
export function credentialConfigurationId(type: Pick<CredentialType, 'id'>, format: CredentialFormat): string {
  return format === 'dc+sd-jwt' ? type.id : `${type.id}_jwt_vc_json`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const SECONDS_PER_DAY = 86_400;
/** RFC 3339 full-date. */
const FULL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The `exp` (RFC 7519 §4.1.4 NumericDate, seconds since the epoch) of a credential of this type
 * issued at `issuedAt` with `claims`: `validity.days` after issuance, or, when the type names a
 * `validity.untilClaim` and the claims hold it, the end of that day if that comes sooner. The end
 * of the day is 00:00:00 UTC of the next day: `exp` is the first instant the credential is no
 * longer accepted, so it stays valid through the whole stated day in UTC (the claim is a bare
 * calendar date, with no time zone of its own to go by).
 * @example
 * credentialExpiresAt(residencePermit, iat) // iat + 365 days
 * credentialExpiresAt(residencePermit, iat, { ...claims, valid_until: '2027-06-30' }) // 2027-07-01T00:00:00Z, if sooner
 */
export function credentialExpiresAt(
  type: Pick<CredentialType, 'validity'>,
  issuedAt: number,
  claims?: Readonly<Record<string, unknown>>,
): number {
  const afterDays = issuedAt + type.validity.days * SECONDS_PER_DAY;
  const untilEnds = untilClaimEndsAt(type, claims);
  return untilEnds === undefined ? afterDays : Math.min(afterDays, untilEnds);
}

/**
 * When the day the type's `validity.untilClaim` names is over (00:00:00 UTC of the next day, in
 * seconds since the epoch), or `undefined` when the type names none or the claims do not hold it.
 * The claims must have passed `validateClaims`: a value that is not a calendar date is a
 * programmer error (`TypeError`, naming the claim but not its value).
 */
export function untilClaimEndsAt(
  type: Pick<CredentialType, 'validity'>,
  claims: Readonly<Record<string, unknown>> | undefined,
): number | undefined {
  const name = type.validity.untilClaim;
  if (name === undefined || claims === undefined || !Object.hasOwn(claims, name)) return undefined;
  const value = claims[name];
  const ends = typeof value === 'string' ? dayEndsAt(value) : undefined;
  if (ends === undefined) throw new TypeError(`Claim ${name} is not a calendar date YYYY-MM-DD: validate the claims first`);
  return ends;
}

/** 00:00:00 UTC after the day `YYYY-MM-DD`, in seconds; `undefined` for anything but a real Gregorian day. */
function dayEndsAt(date: string): number | undefined {
  const match = FULL_DATE.exec(date);
  if (match === null) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // setUTCFullYear, not Date.UTC: Date.UTC reads the years 0–99 as 1900–1999.
  const start = new Date(0);
  start.setUTCFullYear(year, month - 1, day);
  if (start.getUTCFullYear() !== year || start.getUTCMonth() !== month - 1 || start.getUTCDate() !== day) return undefined;
  // NumericDate counts every day as 86,400 seconds (RFC 7519 §2 ignores leap seconds).
  return start.getTime() / 1000 + SECONDS_PER_DAY;
}
