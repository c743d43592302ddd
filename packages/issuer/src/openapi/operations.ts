import type { z } from 'zod';
import { createOfferRequestSchema, pageQuerySchema, setStatusRequestSchema } from '../staff/staff-schemas.ts';
import {
  auditListSchema,
  authorizationServerMetadataSchema,
  createOfferResponseSchema,
  credentialIssuerMetadataSchema,
  credentialOfferSchema,
  credentialRequestSchema,
  credentialResponseSchema,
  didDocumentSchema,
  errorSchema,
  jwtVcIssuerMetadataSchema,
  nonceResponseSchema,
  recordListSchema,
  setStatusResponseSchema,
  staffSessionSchema,
  tenantListSchema,
  tokenRequestSchema,
  tokenResponseSchema,
  typeListSchema,
  typeMetadataSchema,
} from './response-schemas.ts';

/** One answer of an operation: a schema for JSON, a media type for anything else. */
export interface OperationResponse {
  readonly description: string;
  readonly json?: z.ZodType;
  /** A non-JSON body (HTML, JavaScript, a status list JWT). */
  readonly mediaType?: string;
}

/**
 * One route of the service as the OpenAPI document describes it. `path` is written as express
 * writes it (`/tenants/:tenant/token`), so the test can match it against the routes the app
 * registers; the document turns `:tenant` into `{tenant}`.
 */
export interface Operation {
  readonly method: 'get' | 'post';
  readonly path: string;
  readonly tag: 'OpenID4VCI' | 'Metadata' | 'Status' | 'Open data' | 'Staff API' | 'Pages';
  readonly summary: string;
  readonly description?: string;
  /** `staffApiKey`: a tenant's staff key; `accessToken`: the token endpoint's access token. */
  readonly security?: 'staffApiKey' | 'accessToken';
  readonly query?: z.ZodObject;
  readonly body?: { readonly mediaType: 'application/json' | 'application/x-www-form-urlencoded'; readonly schema: z.ZodType };
  readonly responses: Readonly<Record<string, OperationResponse>>;
}

const error = (description: string): OperationResponse => ({ description, json: errorSchema });
const staffErrors: Readonly<Record<string, OperationResponse>> = {
  '401': error('No API key, or not one of this tenant (WWW-Authenticate: Bearer).'),
  '404': error('No such tenant.'),
  '429': error('Too many requests from this address (Retry-After).'),
};

/**
 * Every route `createIssuerApp` registers. The OpenAPI test walks the app's router and fails when
 * a route is missing here or listed here without being registered.
 */
export const OPERATIONS: readonly Operation[] = [
  // ── Metadata ───────────────────────────────────────────────────────────────────────────────
  {
    method: 'get',
    path: '/.well-known/openid-credential-issuer/tenants/:tenant',
    tag: 'Metadata',
    summary: 'Credential Issuer Metadata (OpenID4VCI 1.0 §12.2)',
    description: 'Honours Accept-Language: display entries in the requested languages, named in Content-Language.',
    responses: { '200': { description: 'The metadata.', json: credentialIssuerMetadataSchema }, '404': error('No such tenant.') },
  },
  {
    method: 'get',
    path: '/.well-known/oauth-authorization-server/tenants/:tenant',
    tag: 'Metadata',
    summary: 'Authorization Server Metadata (RFC 8414)',
    responses: {
      '200': { description: 'The metadata.', json: authorizationServerMetadataSchema },
      '404': error('No such tenant.'),
    },
  },
  {
    method: 'get',
    path: '/.well-known/jwt-vc-issuer/tenants/:tenant',
    tag: 'Metadata',
    summary: 'JWT VC Issuer Metadata (SD-JWT VC §5): the tenant’s keys',
    responses: {
      '200': { description: 'Issuer and JWK set.', json: jwtVcIssuerMetadataSchema },
      '404': error('No such tenant.'),
    },
  },
  {
    method: 'get',
    path: '/tenants/:tenant/did.json',
    tag: 'Metadata',
    summary: 'The did:web DID document of a tenant',
    responses: {
      '200': { description: 'The DID document, with every key the tenant signed with.', json: didDocumentSchema },
      '404': error('No such tenant, or it uses did:jwk.'),
    },
  },
  {
    method: 'get',
    path: '/types/:type',
    tag: 'Metadata',
    summary: 'SD-JWT VC Type Metadata of a credential type (its vct#integrity covers these bytes)',
    responses: { '200': { description: 'The type metadata.', json: typeMetadataSchema }, '404': error('No such type.') },
  },
  // ── OpenID4VCI ─────────────────────────────────────────────────────────────────────────────
  {
    method: 'get',
    path: '/tenants/:tenant/offers/:code',
    tag: 'OpenID4VCI',
    summary: 'A credential offer by reference (§4.1.3)',
    responses: {
      '200': { description: 'The offer.', json: credentialOfferSchema },
      '404': error('Unknown code, or the offer was used or expired.'),
    },
  },
  {
    method: 'post',
    path: '/tenants/:tenant/token',
    tag: 'OpenID4VCI',
    summary: 'Token endpoint, pre-authorized code grant (§6)',
    body: { mediaType: 'application/x-www-form-urlencoded', schema: tokenRequestSchema },
    responses: {
      '200': { description: 'An access token.', json: tokenResponseSchema },
      '400': error('invalid_request, invalid_grant (wrong PIN: attempts left in the description), unsupported_grant_type.'),
      '429': error('Too many requests.'),
    },
  },
  {
    method: 'post',
    path: '/tenants/:tenant/nonce',
    tag: 'OpenID4VCI',
    summary: 'Nonce endpoint (§7)',
    responses: { '200': { description: 'A fresh c_nonce.', json: nonceResponseSchema }, '429': error('Too many requests.') },
  },
  {
    method: 'post',
    path: '/tenants/:tenant/credential',
    tag: 'OpenID4VCI',
    summary: 'Credential endpoint (§8): one credential per proof, up to batch_size',
    security: 'accessToken',
    body: { mediaType: 'application/json', schema: credentialRequestSchema },
    responses: {
      '200': { description: 'The credentials.', json: credentialResponseSchema },
      '400': error('invalid_credential_request, invalid_proof, invalid_nonce (with a fresh c_nonce), …'),
      '401': error('invalid_token.'),
    },
  },
  // ── Status ─────────────────────────────────────────────────────────────────────────────────
  {
    method: 'get',
    path: '/tenants/:tenant/status/:list',
    tag: 'Status',
    summary: 'A Token Status List (draft-ietf-oauth-status-list §8), with ETag and max-age = ttl',
    responses: {
      '200': { description: 'The signed status list token.', mediaType: 'application/statuslist+jwt' },
      '304': { description: 'Not modified (If-None-Match).' },
      '404': error('No such list.'),
    },
  },
  // ── Open data ──────────────────────────────────────────────────────────────────────────────
  {
    method: 'get',
    path: '/tenants',
    tag: 'Open data',
    summary: 'Every tenant’s public identity (CORS open, cacheable)',
    responses: { '200': { description: 'The tenants.', json: tenantListSchema } },
  },
  {
    method: 'get',
    path: '/types',
    tag: 'Open data',
    summary: 'Every credential type with its metadata (CORS open, cacheable)',
    responses: { '200': { description: 'The types.', json: typeListSchema } },
  },
  // ── Staff API ──────────────────────────────────────────────────────────────────────────────
  {
    method: 'get',
    path: '/tenants/:tenant/staff/session',
    tag: 'Staff API',
    summary: 'The API key in use: its id and label',
    security: 'staffApiKey',
    responses: { '200': { description: 'The key.', json: staffSessionSchema }, ...staffErrors },
  },
  {
    method: 'post',
    path: '/tenants/:tenant/staff/offers',
    tag: 'Staff API',
    summary: 'Create a credential offer: QR code and PIN for the holder',
    description: 'The claims are validated against the credential type. Audited as offer.create (the type, never the claims).',
    security: 'staffApiKey',
    body: { mediaType: 'application/json', schema: createOfferRequestSchema },
    responses: {
      '201': { description: 'The offer.', json: createOfferResponseSchema },
      '400': error('invalid_request; unsupported_credential_type; claims_invalid (names the claim, never its value).'),
      '413': error('The body is larger than 80 kB.'),
      '415': error('The body is not application/json.'),
      ...staffErrors,
    },
  },
  {
    method: 'get',
    path: '/tenants/:tenant/staff/credentials',
    tag: 'Staff API',
    summary: 'Issued credentials, newest first: one item per credential with all its instances, and their status',
    security: 'staffApiKey',
    query: pageQuerySchema,
    responses: {
      '200': { description: 'One page.', json: recordListSchema },
      '400': error('invalid_request, page_cursor_invalid.'),
      ...staffErrors,
    },
  },
  {
    method: 'post',
    path: '/tenants/:tenant/staff/credentials/:recordId/status',
    tag: 'Staff API',
    summary: 'Revoke, suspend or reinstate the credential of a record',
    description:
      'Applies to every instance issued for the same offer (a batch is one credential). Revocation is final (draft-ietf-oauth-status-list §7.1): revoking revokes every instance not yet revoked, suspending and reinstating leave revoked instances revoked. Suspension needs a 2-bit status list. Audited once as credential.revoke, credential.suspend or credential.reinstate.',
    security: 'staffApiKey',
    body: { mediaType: 'application/json', schema: setStatusRequestSchema },
    responses: {
      '200': { description: 'The status now.', json: setStatusResponseSchema },
      '400': error('invalid_request.'),
      '409': error(
        'status_final (every instance is revoked), suspension_unsupported (1-bit list), status_conflict (changed meanwhile; try again).',
      ),
      ...staffErrors,
      '404': error('No such tenant or record.'),
    },
  },
  {
    method: 'get',
    path: '/tenants/:tenant/staff/audit',
    tag: 'Staff API',
    summary: 'The audit log, newest first',
    security: 'staffApiKey',
    query: pageQuerySchema,
    responses: {
      '200': { description: 'One page.', json: auditListSchema },
      '400': error('invalid_request, page_cursor_invalid.'),
      ...staffErrors,
    },
  },
  // ── Pages ──────────────────────────────────────────────────────────────────────────────────
  {
    method: 'get',
    path: '/tenants/:tenant/staff/',
    tag: 'Pages',
    summary: 'The staff page (HTML; ?lang= or Accept-Language)',
    responses: { '200': { description: 'The page.', mediaType: 'text/html' }, '404': error('No such tenant.') },
  },
  ...(['staff.js', 'staff.css', 'favicon.svg'] as const).map(
    (file): Operation => ({
      method: 'get',
      path: `/tenants/:tenant/staff/${file}`,
      tag: 'Pages',
      summary: `The staff page’s ${file}`,
      responses: {
        '200': {
          description: 'The file.',
          mediaType: file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'image/svg+xml',
        },
      },
    }),
  ),
  {
    method: 'get',
    path: '/openapi.json',
    tag: 'Pages',
    summary: 'This document (OpenAPI 3.1)',
    responses: { '200': { description: 'The document.', mediaType: 'application/json' } },
  },
  {
    method: 'get',
    path: '/openapi',
    tag: 'Pages',
    summary: 'This document as a page',
    responses: { '200': { description: 'The page.', mediaType: 'text/html' } },
  },
];
