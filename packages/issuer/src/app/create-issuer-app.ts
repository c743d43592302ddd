import type { Clock } from '@tessera/shared';
import type { DevelopmentCa } from '@tessera/shared/node';
import express, { type Express } from 'express';
import { parseIssuerConfig } from '../config/issuer-config.ts';
import { type CredentialType, SHIPPED_CREDENTIAL_TYPES } from '../credential-types/index.ts';
import { errorHandler, securityHeaders } from '../http/middleware.ts';
import { sendError } from '../http/responses.ts';
import { createProtocolRouter } from '../oid4vci/protocol-router.ts';
import { createOpenDataRouter } from '../open-data/open-data-router.ts';
import { createOpenApiRouter } from '../openapi/openapi-router.ts';
import { createStaffRouter, STAFF_MOUNT_PATH, type StaffRouterOptions } from '../staff/staff-router.ts';
import type { IssuerStore } from '../store/index.ts';
import type { TenantKeyring } from '../tenants/index.ts';
import { DID_STATUS_LIST_ID, type IssuerContext, issuerUrls, STATUS_LIST_ID } from './issuer-context.ts';

export interface CreateIssuerAppOptions {
  /** The configuration (`issuerConfigSchema`), parsed and checked here. */
  readonly config: unknown;
  readonly store: IssuerStore;
  readonly keyring: TenantKeyring;
  /** Credential types the tenants may issue. Default: the four Tessera ships. */
  readonly credentialTypes?: readonly CredentialType[];
  /** Certifies the keys of `keySource: 'x5c'` tenants (`createDevelopmentCa` from `@tessera/shared/node`). */
  readonly developmentCa?: DevelopmentCa;
  readonly clock?: Clock;
  /** Told about unexpected failures (answered 500). Default: logs the error's name and message only. */
  readonly onError?: (error: unknown) => void;
  /** The staff page and API: rate limit per client address. */
  readonly staff?: StaffRouterOptions;
}

export interface IssuerApp {
  /** The express app: `app.listen(port)`, or mount it in a larger one. */
  readonly app: Express;
  readonly context: IssuerContext;
}

/**
 * Builds the issuer service: checks the configuration, makes sure every tenant has its DID, key
 * and status list, and wires the routes. Reads no environment and listens on nothing: the CLI
 * (or a test) does that.
 * @example
 * const { app } = await createIssuerApp({ config, store: await createSqlIssuerStore(database),
 *   keyring: await createTenantKeyring({ database, secretKey, baseUrl: config.baseUrl }) });
 * app.listen(8080);
 */
export async function createIssuerApp(options: CreateIssuerAppOptions): Promise<IssuerApp> {
  const types = options.credentialTypes ?? SHIPPED_CREDENTIAL_TYPES;
  const config = parseIssuerConfig(options.config, new Set(types.map((type) => type.id)));
  const context: IssuerContext = {
    config,
    tenants: new Map(config.tenants.map((tenant) => [tenant.id, tenant])),
    types: new Map(types.map((type) => [type.id, type])),
    store: options.store,
    keyring: options.keyring,
    clock: options.clock ?? Date.now,
    urls: issuerUrls(config.baseUrl),
    ...(options.developmentCa !== undefined ? { developmentCa: options.developmentCa } : {}),
  };
  for (const tenant of config.tenants) {
    if (tenant.keySource === 'x5c' && options.developmentCa === undefined) {
      throw new TypeError(`Tenant ${tenant.id} signs with x5c: pass a developmentCa`);
    }
    await context.keyring.ensureTenant({ id: tenant.id, didMethod: tenant.didMethod });
    const list = { size: tenant.statusList.size, bits: tenant.statusList.bits };
    await context.store.ensureStatusList(tenant.id, { id: STATUS_LIST_ID, ...list });
    if (tenant.keySource === 'x5c') await context.store.ensureStatusList(tenant.id, { id: DID_STATUS_LIST_ID, ...list });
  }

  const onError = options.onError ?? ((error: unknown) => console.error('issuer: unexpected error:', describe(error)));
  const app = express();
  app.disable('x-powered-by');
  // Behind a proxy the operator sets this; the rate limits then count the real client address.
  app.use(securityHeaders({ https: config.baseUrl.startsWith('https:') }));
  // Staff routes first: they answer every path under them, so none reaches the wallet routes' open CORS.
  app.use(STAFF_MOUNT_PATH, createStaffRouter(context, options.staff));
  app.use(createOpenDataRouter(context));
  app.use(createOpenApiRouter(context));
  app.use(createProtocolRouter(context));
  app.use((_request, response) => sendError(response, 404, 'not_found', 'No such endpoint'));
  app.use(errorHandler(onError));
  return { app, context };
}

/** Names and messages only: stacks stay out of logs, and our messages never hold claim values. */
function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : typeof error;
}
