import type { JsonObject } from '@tessera/shared';
import express, { type RequestHandler, type Response, type Router } from 'express';
import type { IssuerContext } from '../app/issuer-context.ts';
import { STATUS_LIST_ID } from '../app/issuer-context.ts';
import { type CredentialType, credentialConfigurationId, typeMetadata } from '../credential-types/index.ts';

/** Open data changes only when the operator changes the configuration: let caches keep it a while. */
const CACHE_CONTROL = 'public, max-age=300';

/**
 * Open data about the service (issue 4 §4), for anyone to read and mirror: `GET /tenants`, each
 * tenant's public identity (names, DID, Credential Issuer Identifier, status lists, the types it
 * issues), and `GET /types`, every credential type with its SD-JWT VC Type Metadata. Both allow
 * any origin (no credentials involved) and may be cached for five minutes.
 */
export function createOpenDataRouter(context: IssuerContext): Router {
  const router = express.Router();
  // Middleware rather than per-route handlers, so it also answers the CORS preflight (OPTIONS).
  router.use(openDataCors);

  router.get('/tenants', async (_request, response) => {
    const tenants: JsonObject[] = [];
    for (const tenant of context.config.tenants) tenants.push(await tenantIdentity(context, tenant.id));
    send(response, { tenants });
  });

  router.get('/types', (_request, response) => {
    send(response, { types: [...context.types.values()].map((type) => typeEntry(context, type)) });
  });

  return router;
}

/** One tenant as the public sees it: nothing that is not already published in its metadata. */
export async function tenantIdentity(context: IssuerContext, tenantId: string): Promise<JsonObject> {
  const tenant = context.tenants.get(tenantId);
  if (tenant === undefined) throw new TypeError(`Unknown tenant ${tenantId}`);
  const { urls } = context;
  const identity = await context.keyring.identity(tenantId);
  const lists = await context.store.listStatusLists(tenantId);
  const listIds = lists.length > 0 ? lists.map((list) => list.id) : [STATUS_LIST_ID];
  return {
    id: tenant.id,
    name: { ...tenant.name },
    did: identity.did,
    ...(tenant.didMethod === 'web' ? { didDocument: urls.didDocument(tenant.id) } : {}),
    keySource: tenant.keySource,
    credentialIssuer: urls.issuer(tenant.id),
    credentialIssuerMetadata: urls.credentialIssuerMetadata(tenant.id),
    statusLists: listIds.map((id) => urls.statusList(tenant.id, id)),
    credentialTypes: tenant.credentialTypes.flatMap((id) => {
      const type = context.types.get(id);
      return type === undefined
        ? []
        : [{ id: type.id, vct: type.vct, metadata: urls.typeMetadata(type.id), configurationIds: configurationIds(type) }];
    }),
  };
}

function typeEntry(context: IssuerContext, type: CredentialType): JsonObject {
  return {
    id: type.id,
    vct: type.vct,
    issuerKind: type.issuerKind,
    formats: [...type.formats],
    validityDays: type.validity.days,
    configurationIds: configurationIds(type),
    metadataUrl: context.urls.typeMetadata(type.id),
    metadata: typeMetadata(type) as unknown as JsonObject,
  };
}

function configurationIds(type: CredentialType): string[] {
  return type.formats.map((format) => credentialConfigurationId(type, format));
}

/** The open data paths, with or without a trailing slash (express matches both). */
const OPEN_DATA_PATH = /^\/(?:tenants|types)\/?$/;

const openDataCors: RequestHandler = (request, response, next) => {
  if (!OPEN_DATA_PATH.test(request.path)) return next();
  response.set({
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'GET',
    'Access-Control-Max-Age': '600',
    Vary: 'Origin',
  });
  if (request.method === 'OPTIONS') return void response.status(204).end();
  next();
};

function send(response: Response, body: JsonObject): void {
  response.status(200).set('Cache-Control', CACHE_CONTROL).json(body);
}
