import { z } from 'zod';

/**
 * The issuer service's configuration: its public base URL, the tenants it hosts (each an
 * authority or NGO with its own DID and key), which credential types each may issue, and the
 * lifetimes of offers, tokens and nonces. Read from a file by the CLI; `createIssuerApp` takes it
 * already parsed, so tests and embedders never touch the environment.
 */

/** Tenant ids appear in URLs and DIDs (`did:web:host:tenants:<id>`): lowercase letters, digits and `-`. */
const TENANT_ID = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
const LOCALE_TAG = /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;

const localisedName = z
  .record(z.string().regex(LOCALE_TAG, 'must be a BCP 47 language tag'), z.string().trim().min(1).max(200))
  .refine((names) => typeof names.en === 'string', 'needs an English name ("en")');

export const tenantConfigSchema = z.strictObject({
  id: z.string().regex(TENANT_ID, 'must be lowercase letters, digits and "-" (it appears in URLs and DIDs)'),
  /** The issuer's name by language, e.g. `{ en: 'City of Bologna — Immigration Office', it: 'Comune di Bologna — Ufficio Immigrazione' }`. */
  name: localisedName,
  /** `did:web` for deployment (the service serves the DID document); `did:jwk` for local use. */
  didMethod: z.enum(['web', 'jwk']).default('web'),
  /**
   * How verifiers find the signing key: `did` signs with `iss` = the tenant's DID and `kid` = a
   * key of it; `x5c` signs with `iss` = the tenant's https issuer identifier and an X.509 chain in
   * the header (HAIP 1.0 §6.1.1), from the development CA unless one is configured.
   */
  keySource: z.enum(['did', 'x5c']).default('did'),
  /** Ids of the credential types (`credentialTypes[].id`) this tenant may issue. */
  credentialTypes: z.array(z.string().min(1)).min(1),
  statusList: z
    .strictObject({
      /** Entries; default 2^17 (draft-ietf-oauth-status-list §11.4: large lists hide who is revoked). */
      size: z.number().int().min(1024).max(16_777_216).default(131_072),
      /** 2 bits allow suspension (status 2) besides revocation (status 1). */
      bits: z.union([z.literal(1), z.literal(2)]).default(2),
      /** Seconds a verifier may cache the list (`ttl` claim, §6.2). */
      ttlSeconds: z.number().int().min(60).max(86_400).default(3600),
    })
    .prefault({}),
  /** Keep issued claim values in the issuance record. Default false: only type, status index, time and staff member are kept. */
  keepClaims: z.boolean().default(false),
});

export const issuerConfigSchema = z.strictObject({
  /** The service's public URL, e.g. `https://issuer.example.org` (no path, query or fragment). */
  baseUrl: z.string().url(),
  tenants: z.array(tenantConfigSchema).min(1),
  /** How long a credential offer (its QR code and PIN) can be redeemed. Default 30 minutes. */
  offerTtlSeconds: z
    .number()
    .int()
    .min(60)
    .max(7 * 86_400)
    .default(1800),
  accessTokenTtlSeconds: z.number().int().min(30).max(3600).default(300),
  nonceTtlSeconds: z.number().int().min(30).max(3600).default(300),
  /** Most credential instances per request (`batch_credential_issuance.batch_size`, OpenID4VCI 1.0 §12.2.4). */
  batchSize: z.number().int().min(1).max(20).default(10),
  /** Wrong PINs before an offer's code is burned. */
  txCodeMaxAttempts: z.number().int().min(1).max(20).default(5),
  /** Development only: allow an `http://localhost` base URL. */
  allowInsecureBaseUrl: z.boolean().default(false),
});

export type TenantConfig = z.output<typeof tenantConfigSchema>;
export type IssuerConfig = z.output<typeof issuerConfigSchema>;
export type IssuerConfigInput = z.input<typeof issuerConfigSchema>;

/**
 * Parses and cross-checks a configuration; throws a TypeError listing every problem with its
 * path (a configuration mistake is the operator's to fix before the service starts).
 */
export function parseIssuerConfig(input: unknown, knownTypeIds: ReadonlySet<string>): IssuerConfig {
  const result = issuerConfigSchema.safeParse(input);
  if (!result.success) {
    throw new TypeError(
      `Invalid issuer configuration:\n${result.error.issues.map((issue) => `- ${issue.path.join('.') || '(root)'}: ${issue.message}`).join('\n')}`,
    );
  }
  const config = result.data;
  const problems: string[] = [];
  const url = new URL(config.baseUrl);
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && config.allowInsecureBaseUrl && local)) {
    problems.push('baseUrl: must be https (http only for localhost with allowInsecureBaseUrl)');
  }
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    problems.push('baseUrl: must be an origin without path, query, fragment or credentials');
  }
  const seen = new Set<string>();
  for (const [index, tenant] of config.tenants.entries()) {
    if (seen.has(tenant.id)) problems.push(`tenants.${index}.id: "${tenant.id}" is used twice`);
    seen.add(tenant.id);
    for (const typeId of tenant.credentialTypes) {
      if (!knownTypeIds.has(typeId)) problems.push(`tenants.${index}.credentialTypes: no credential type "${typeId}"`);
    }
    if (tenant.keySource === 'x5c' && url.protocol !== 'https:' && !config.allowInsecureBaseUrl) {
      problems.push(`tenants.${index}.keySource: x5c needs an https issuer identifier`);
    }
  }
  if (problems.length > 0) throw new TypeError(`Invalid issuer configuration:\n${problems.map((p) => `- ${p}`).join('\n')}`);
  return { ...config, baseUrl: url.origin };
}
