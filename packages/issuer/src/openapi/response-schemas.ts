import { z } from 'zod';
import { PRE_AUTHORIZED_GRANT } from '../oid4vci/credential-offer.ts';
import { STAFF_STATUSES } from '../staff/staff-schemas.ts';

/**
 * Shapes of what the issuer sends and what the wallet-facing endpoints read, for the OpenAPI
 * document only: the protocol router checks its inputs by hand, following the OpenID4VCI 1.0
 * error rules; these schemas describe the same wire formats. Objects are open (`looseObject`)
 * where the specifications allow extensions.
 */

const localised = z.record(z.string(), z.string()).describe('Text by BCP 47 language tag.');
const epochMs = z.int().describe('Milliseconds since the epoch.');

/** RFC 6749 §5.2 and the issuer's error answers. */
export const errorSchema = z
  .object({
    error: z.string().describe('A stable code, e.g. invalid_request, invalid_token, claims_invalid.'),
    error_description: z.string().optional().describe('ASCII text for developers; never holds claim values.'),
  })
  .meta({ title: 'Error' });

/** OpenID4VCI 1.0 §6.1: the token request of the pre-authorized code flow. */
export const tokenRequestSchema = z
  .object({
    grant_type: z.literal(PRE_AUTHORIZED_GRANT),
    'pre-authorized_code': z.string().describe('From the credential offer.'),
    tx_code: z.string().optional().describe('The PIN handed over in person, when the offer has one.'),
  })
  .meta({ title: 'TokenRequest' });

/** §6.2. */
export const tokenResponseSchema = z
  .object({ access_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.int() })
  .meta({ title: 'TokenResponse' });

/** §7.2. */
export const nonceResponseSchema = z.object({ c_nonce: z.string() }).meta({ title: 'NonceResponse' });

/** §8.2: one proof type, `jwt`, with 1 to batch_size proofs, one per holder key. */
export const credentialRequestSchema = z
  .object({
    credential_configuration_id: z.string(),
    proofs: z.object({ jwt: z.array(z.string()).min(1) }),
  })
  .meta({ title: 'CredentialRequest' });

/** §8.3: one credential per proof. */
export const credentialResponseSchema = z
  .object({ credentials: z.array(z.object({ credential: z.string() })).min(1) })
  .meta({ title: 'CredentialResponse' });

/** §4.1.1, as served by reference (§4.1.3). */
export const credentialOfferSchema = z
  .looseObject({
    credential_issuer: z.string(),
    credential_configuration_ids: z.array(z.string()).min(1),
    grants: z.record(z.string(), z.looseObject({})),
  })
  .meta({ title: 'CredentialOffer' });

/** §12.2.4. */
export const credentialIssuerMetadataSchema = z
  .looseObject({
    credential_issuer: z.string(),
    credential_endpoint: z.string(),
    nonce_endpoint: z.string(),
    batch_credential_issuance: z.object({ batch_size: z.int() }),
    display: z.array(z.object({ name: z.string(), locale: z.string() })),
    credential_configurations_supported: z.record(z.string(), z.looseObject({ format: z.string() })),
  })
  .meta({ title: 'CredentialIssuerMetadata' });

/** RFC 8414 §2, with OpenID4VCI 1.0 §12.3. */
export const authorizationServerMetadataSchema = z
  .looseObject({
    issuer: z.string(),
    token_endpoint: z.string(),
    grant_types_supported: z.array(z.string()),
    'pre-authorized_grant_anonymous_access_supported': z.boolean(),
  })
  .meta({ title: 'AuthorizationServerMetadata' });

/** SD-JWT VC §5: JWT VC Issuer Metadata. */
export const jwtVcIssuerMetadataSchema = z
  .object({ issuer: z.string(), jwks: z.object({ keys: z.array(z.looseObject({ kty: z.string() })) }) })
  .meta({ title: 'JwtVcIssuerMetadata' });

/** W3C DID Core §5. */
export const didDocumentSchema = z
  .looseObject({ id: z.string(), verificationMethod: z.array(z.looseObject({ id: z.string(), type: z.string() })) })
  .meta({ title: 'DidDocument' });

/** SD-JWT VC §6: Type Metadata. */
export const typeMetadataSchema = z
  .looseObject({ vct: z.string(), display: z.array(z.looseObject({})).optional(), claims: z.array(z.looseObject({})).optional() })
  .meta({ title: 'TypeMetadata' });

export const tenantListSchema = z
  .object({
    tenants: z.array(
      z.object({
        id: z.string(),
        name: localised,
        did: z.string(),
        didDocument: z.string().optional(),
        keySource: z.enum(['did', 'x5c']),
        credentialIssuer: z.string(),
        credentialIssuerMetadata: z.string(),
        statusLists: z.array(z.string()),
        credentialTypes: z.array(
          z.object({ id: z.string(), vct: z.string(), metadata: z.string(), configurationIds: z.array(z.string()) }),
        ),
      }),
    ),
  })
  .meta({ title: 'TenantList' });

export const typeListSchema = z
  .object({
    types: z.array(
      z.object({
        id: z.string(),
        vct: z.string(),
        issuerKind: z.enum(['authority', 'ngo']),
        formats: z.array(z.string()),
        validityDays: z.int(),
        configurationIds: z.array(z.string()),
        metadataUrl: z.string(),
        metadata: typeMetadataSchema,
      }),
    ),
  })
  .meta({ title: 'TypeList' });

// ── Staff API ───────────────────────────────────────────────────────────────────────────────────

export const staffSessionSchema = z
  .object({ tenant: z.string(), keyId: z.string(), label: z.string() })
  .meta({ title: 'StaffSession' });

export const createOfferResponseSchema = z
  .object({
    offerId: z.string(),
    type: z.string(),
    link: z.string().describe('openid-credential-offer://?credential_offer_uri=…, for the QR code.'),
    linkByValue: z.string().describe('openid-credential-offer://?credential_offer=…, the offer itself.'),
    qrSvg: z.string().describe('The link as a QR code: an SVG document.'),
    pin: z.string().optional().describe('The 6-digit PIN to hand over in person; absent when pin was false.'),
    expiresAt: epochMs,
  })
  .meta({ title: 'CreateOfferResponse' });

const recordStatusSchema = z.enum([...STAFF_STATUSES, 'other']);

export const recordListSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.string().describe("A record of the credential's, to name in POST …/credentials/{recordId}/status."),
        offerId: z.string(),
        configurationId: z.string(),
        type: z.string().optional(),
        format: z.string(),
        issuedAt: epochMs,
        issuedBy: z.string().describe('The API key id that created the offer.'),
        status: recordStatusSchema.describe(
          'The status of its most usable instance: revoked only when every instance is revoked.',
        ),
        instances: z.int().min(1).describe('How many instances the holder collected (batch issuance, one holder key each).'),
        statusEntries: z
          .array(z.object({ statusListId: z.string(), statusIndex: z.int(), status: recordStatusSchema }))
          .describe("Each instance's Token Status List entry."),
        claims: z.record(z.string(), z.unknown()).optional().describe("Only when the tenant's keepClaims is on."),
      }),
    ),
    nextCursor: z.string().optional(),
  })
  .meta({ title: 'IssuedCredentialPage' });

export const setStatusResponseSchema = z
  .object({
    id: z.string(),
    status: z.enum(STAFF_STATUSES).describe("The credential's status now."),
    changed: z.boolean().describe("Whether any instance's entry changed."),
    instances: z.int().min(1).describe('How many instances the credential has; the change applied to all of them.'),
  })
  .meta({ title: 'SetStatusResponse' });

export const auditListSchema = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        at: epochMs,
        actor: z.string().describe('API key id.'),
        action: z.string().describe('offer.create, credential.revoke, credential.suspend, credential.reinstate.'),
        target: z.string().optional(),
        details: z.record(z.string(), z.unknown()).optional(),
      }),
    ),
    nextCursor: z.string().optional(),
  })
  .meta({ title: 'AuditPage' });
