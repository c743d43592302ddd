import { isTesseraError, type JsonObject, randomToken } from '@tessera/shared';
import { nodeCrypto } from '@tessera/shared/node';
import express, { type Request, type Response, type Router } from 'express';
import type { IssuerContext } from '../app/issuer-context.ts';
import { createTenantSigners } from '../app/tenant-signer.ts';
import {
  availableLocales,
  type CredentialFormat,
  type CredentialType,
  credentialConfigurationId,
  credentialConfigurationsSupported,
  defaultBindingMethods,
  displayForLocales,
  serializeTypeMetadata,
  typeMetadata,
} from '../credential-types/index.ts';
import { formBody, jsonBody, rateLimit, singleValues, walletCors } from '../http/middleware.ts';
import { sendError, sendJson } from '../http/responses.ts';
import { offerByCode, PRE_AUTHORIZED_GRANT } from './credential-offer.ts';
import { CredentialRequestError } from './credential-request-error.ts';
import { issueCredentials } from './issue-credentials.ts';
import { verifyProofJwt } from './proof-jwt.ts';
import { createStatusListPublisher } from './status-list-publisher.ts';

/** Tenant ids in URLs: what `tenantConfigSchema` allows. */
const TENANT_ID = /^[a-z0-9-]{1,64}$/;
const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/;

/**
 * The wallet-facing OpenID4VCI 1.0 endpoints of every tenant, plus what verifiers fetch (DID
 * documents, status lists, type metadata). All are public and CORS-enabled; all errors are
 * OAuth-style JSON with `Cache-Control: no-store`.
 */
export function createProtocolRouter(context: IssuerContext): Router {
  const router = express.Router();
  const signerFor = createTenantSigners(context);
  const statusListToken = createStatusListPublisher(context, signerFor);
  const { urls } = context;
  const tokenLimit = rateLimit({ windowMs: 60_000, max: 30 });
  const nonceLimit = rateLimit({ windowMs: 60_000, max: 120 });
  const credentialLimit = rateLimit({ windowMs: 60_000, max: 60 });

  router.use(walletCors);

  /** The tenant named in the path, or a 404 answered. */
  const tenantOf = (request: Request, response: Response): string | undefined => {
    const id = request.params.tenant;
    if (typeof id === 'string' && TENANT_ID.test(id) && context.tenants.has(id)) return id;
    sendError(response, 404, 'not_found', 'No such issuer');
    return undefined;
  };
  const typesOf = (tenantId: string): CredentialType[] =>
    (context.tenants.get(tenantId)?.credentialTypes ?? []).flatMap((id) => context.types.get(id) ?? []);

  // ── Metadata (OpenID4VCI 1.0 §12.2, RFC 8414, SD-JWT VC §5) ─────────────────────────────────
  router.get('/.well-known/openid-credential-issuer/tenants/:tenant', (request, response) => {
    const tenantId = tenantOf(request, response);
    if (tenantId === undefined) return;
    const types = typesOf(tenantId);
    const tenant = context.tenants.get(tenantId);
    // §12.2.2: honour Accept-Language by sending the matching languages and saying which.
    const selection = displayForLocales(availableLocales(types), request.get('accept-language'));
    if (selection.contentLanguage !== undefined) response.set('Content-Language', selection.contentLanguage);
    response.set('Vary', 'Accept-Language');
    const wanted = new Set(selection.locales);
    sendJson(response, 200, {
      credential_issuer: urls.issuer(tenantId),
      credential_endpoint: urls.credential(tenantId),
      nonce_endpoint: urls.nonce(tenantId),
      batch_credential_issuance: { batch_size: context.config.batchSize },
      display: issuerDisplay(tenant?.name ?? {}, wanted),
      credential_configurations_supported: credentialConfigurationsSupported(types, {
        locales: selection.locales,
      }) as unknown as JsonObject,
    });
  });

  router.get('/.well-known/oauth-authorization-server/tenants/:tenant', (request, response) => {
    const tenantId = tenantOf(request, response);
    if (tenantId === undefined) return;
    sendJson(response, 200, {
      issuer: urls.issuer(tenantId),
      token_endpoint: urls.token(tenantId),
      grant_types_supported: [PRE_AUTHORIZED_GRANT],
      // §12.3: wallets need no client id for the pre-authorized code flow.
      'pre-authorized_grant_anonymous_access_supported': true,
      response_types_supported: [],
    });
  });

  router.get('/.well-known/jwt-vc-issuer/tenants/:tenant', async (request, response) => {
    const tenantId = tenantOf(request, response);
    if (tenantId === undefined) return;
    // SD-JWT VC §5: for `iss` = the https issuer identifier (x5c tenants), the keys by JWK set.
    const keys = await tenantPublicKeys(context, tenantId);
    sendJson(response, 200, { issuer: urls.issuer(tenantId), jwks: { keys } });
  });

  router.get('/tenants/:tenant/did.json', async (request, response) => {
    const tenantId = tenantOf(request, response);
    if (tenantId === undefined) return;
    if (context.tenants.get(tenantId)?.didMethod !== 'web')
      return sendError(response, 404, 'not_found', 'This issuer has no did:web');
    sendJson(response, 200, (await context.keyring.didDocument(tenantId)) as unknown as JsonObject);
  });

  const sendTypeMetadata = (response: Response, type: CredentialType | undefined) => {
    if (type === undefined) return sendError(response, 404, 'not_found', 'No such credential type');
    // Served byte for byte as hashed for `vct#integrity`.
    response.status(200).set({ 'Content-Type': 'application/json', 'Cache-Control': 'public, max-age=3600' });
    response.end(serializeTypeMetadata(typeMetadata(type)));
  };
  router.get('/types/:type', (request, response) => sendTypeMetadata(response, context.types.get(String(request.params.type))));
  // SD-JWT VC, "Type Metadata Retrieval": type metadata is fetched from the `vct` URL itself. A type whose `vct` lies
  // under this service's origin is served there too (types named under another origin, like the
  // shipped `https://tessera.example/…` ones, are published by whoever owns that origin).
  const ownOrigin = new URL(urls.base).origin;
  for (const type of context.types.values()) {
    const vct = new URL(type.vct);
    if (vct.origin === ownOrigin && vct.pathname !== '/') {
      router.get(vct.pathname, (_request, response) => sendTypeMetadata(response, type));
    }
  }

  // ── Credential offer by reference (§4.1.3) ───────────────────────────────────────────────────
  router.get('/tenants/:tenant/offers/:code', async (request, response) => {
    const tenantId = tenantOf(request, response);
    if (tenantId === undefined) return;
    const offer = await offerByCode(context, tenantId, String(request.params.code));
    if (offer === undefined) return sendError(response, 404, 'not_found', 'No such offer, or it was already used');
    sendJson(response, 200, offer);
  });

  // ── Token endpoint (§6, pre-authorized code) ─────────────────────────────────────────────────
  router.post('/tenants/:tenant/token', tokenLimit, formBody('16kb'), async (request, response) => {
    const tenantId = tenantOf(request, response);
    if (tenantId === undefined) return;
    const form = singleValues(request.body);
    if (form === undefined) return sendError(response, 400, 'invalid_request', 'A parameter was repeated');
    if (form.grant_type !== PRE_AUTHORIZED_GRANT) {
      return sendError(response, 400, 'unsupported_grant_type', 'Only the pre-authorized code grant is supported');
    }
    const code = form['pre-authorized_code'];
    if (code === undefined || code === '') return sendError(response, 400, 'invalid_request', 'pre-authorized_code is missing');
    const accessToken = randomToken();
    const expiresIn = context.config.accessTokenTtlSeconds;
    const result = await context.store.redeemPreAuthorizedCode(tenantId, {
      code,
      ...(form.tx_code !== undefined ? { txCode: form.tx_code } : {}),
      accessToken,
      accessTokenExpiresAt: context.clock() + expiresIn * 1000,
    });
    switch (result.outcome) {
      case 'redeemed':
        return sendJson(response, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn });
      case 'invalid_tx_code':
        return sendError(response, 400, 'invalid_grant', `The transaction code is wrong; ${result.attemptsLeft} attempts left`);
      case 'tx_code_missing':
        return sendError(response, 400, 'invalid_request', 'This offer needs its transaction code (tx_code)');
      case 'tx_code_unexpected':
        return sendError(response, 400, 'invalid_request', 'This offer has no transaction code');
      default:
        return sendError(response, 400, 'invalid_grant', 'The pre-authorized code is unknown, expired or already used');
    }
  });

  // ── Nonce endpoint (§7) ───────────────────────────────────────────────────────────────────────
  router.post('/tenants/:tenant/nonce', nonceLimit, async (request, response) => {
    const tenantId = tenantOf(request, response);
    if (tenantId === undefined) return;
    sendJson(response, 200, { c_nonce: await freshNonce(context, tenantId) });
  });

  // ── Credential endpoint (§8) ──────────────────────────────────────────────────────────────────
  router.post('/tenants/:tenant/credential', credentialLimit, async (request, response, next) => {
    const tenantId = tenantOf(request, response);
    if (tenantId === undefined) return;
    // RFC 6750 §3: the access token first, before the body is even read.
    const token = BEARER.exec(request.get('authorization') ?? '')?.[1];
    const binding = token === undefined ? undefined : await context.store.findAccessToken(tenantId, token);
    if (binding === undefined) {
      response.set('WWW-Authenticate', token === undefined ? 'Bearer' : 'Bearer error="invalid_token"');
      return sendError(response, 401, 'invalid_token', 'A valid access token is required');
    }
    jsonBody('256kb')(request, response, async (parseError?: unknown) => {
      if (parseError !== undefined) return next(parseError);
      try {
        const credentials = await credentialRequest(tenantId, binding.offerId, request.body);
        sendJson(response, 200, { credentials: credentials.map((credential) => ({ credential })) });
      } catch (error) {
        if (!(error instanceof CredentialRequestError)) return next(error);
        const extra = error.error === 'invalid_nonce' ? { c_nonce: await freshNonce(context, tenantId) } : {};
        sendError(response, 400, error.error, error.message, extra);
      }
    });
  });

  /** §8.2: reads the request, checks the proofs and the nonce, then issues one credential per key. */
  async function credentialRequest(tenantId: string, offerId: string, body: unknown): Promise<string[]> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new CredentialRequestError('invalid_credential_request', 'The body must be a JSON object');
    }
    const {
      credential_configuration_id: configurationId,
      credential_identifier: identifier,
      proofs,
    } = body as Record<string, unknown>;
    if (identifier !== undefined) {
      throw new CredentialRequestError('invalid_credential_request', 'credential_identifier is not used by this issuer');
    }
    if (typeof configurationId !== 'string')
      throw new CredentialRequestError('invalid_credential_request', 'credential_configuration_id is missing');
    const configuration = findConfiguration(typesOf(tenantId), configurationId);
    if (configuration === undefined)
      throw new CredentialRequestError('unknown_credential_configuration', 'No such credential configuration');
    const offer = await context.store.getOffer(tenantId, offerId);
    if (offer === undefined || !offer.configurationIds.includes(configurationId)) {
      throw new CredentialRequestError(
        'credential_request_denied',
        'The access token does not cover this credential configuration',
      );
    }
    const jwts = proofsOf(proofs, context.config.batchSize);
    const audience = context.urls.issuer(tenantId);
    const bindingMethods = defaultBindingMethods(configuration.format);
    const verified = await Promise.all(
      jwts.map((jwt) => verifyProofJwt(jwt, { audience, clock: context.clock, crypto: nodeCrypto, bindingMethods })),
    );
    // One request, one c_nonce: every proof must answer the same one, consumed exactly once.
    const nonce = verified[0]?.nonce as string;
    if (verified.some((proof) => proof.nonce !== nonce) || !(await context.store.consumeNonce(tenantId, nonce))) {
      throw new CredentialRequestError('invalid_nonce', 'The c_nonce is unknown, expired or already used');
    }
    const thumbprints = new Set(verified.map(({ holderKey }) => `${holderKey.x}.${holderKey.y}`));
    if (thumbprints.size !== verified.length) {
      throw new CredentialRequestError('invalid_proof', 'Each credential instance needs its own holder key');
    }
    try {
      return await issueCredentials(context, await signerFor(tenantId), {
        tenantId,
        offerId,
        type: configuration.type,
        format: configuration.format,
        configurationId,
        holders: verified.map(({ holderKey, holderDid }) => ({
          key: holderKey,
          ...(holderDid === undefined ? {} : { did: holderDid }),
        })),
      });
    } catch (error) {
      if (isTesseraError(error, 'status_list_full')) {
        throw new CredentialRequestError('credential_request_denied', 'The issuer cannot issue more credentials now');
      }
      throw error;
    }
  }

  // ── Token Status List (draft-ietf-oauth-status-list §8) ───────────────────────────────────────
  router.get('/tenants/:tenant/status/:list', async (request, response) => {
    const tenantId = tenantOf(request, response);
    if (tenantId === undefined) return;
    const published = await statusListToken(tenantId, String(request.params.list));
    if (published === undefined) return sendError(response, 404, 'not_found', 'No such status list');
    const etag = `"${published.version}"`;
    response.set({
      'Content-Type': 'application/statuslist+jwt',
      // §13.2: caches may keep the token as long as its ttl allows, and revalidate by version.
      'Cache-Control': `public, max-age=${published.ttl}`,
      ETag: etag,
    });
    if (request.get('if-none-match') === etag) return response.status(304).end();
    response.status(200).end(published.token);
  });

  return router;
}

function findConfiguration(
  types: readonly CredentialType[],
  configurationId: string,
): { type: CredentialType; format: CredentialFormat } | undefined {
  for (const type of types) {
    for (const format of type.formats) {
      if (credentialConfigurationId(type, format) === configurationId) return { type, format };
    }
  }
  return undefined;
}

/**
 * The issuer's name in the languages asked for; when it has none of them, in all it has, so a
 * wallet never shows a nameless issuer (the credential displays may match where names do not).
 */
function issuerDisplay(names: Readonly<Record<string, string>>, wanted: ReadonlySet<string>): JsonObject[] {
  const all = Object.entries(names).map(([locale, name]) => ({ name, locale }));
  const matching = all.filter(({ locale }) => wanted.has(locale));
  return matching.length > 0 ? matching : all;
}

/** §8.2: `proofs` holds exactly one proof type, `jwt`, with 1 to `batchSize` proofs. */
function proofsOf(proofs: unknown, batchSize: number): unknown[] {
  if (typeof proofs !== 'object' || proofs === null || Array.isArray(proofs)) {
    throw new CredentialRequestError('invalid_proof', 'proofs is missing');
  }
  const entries = Object.entries(proofs);
  const jwts = (proofs as Record<string, unknown>).jwt;
  if (entries.length !== 1 || !Array.isArray(jwts))
    throw new CredentialRequestError('invalid_proof', 'proofs must hold one proof type, jwt');
  if (jwts.length === 0 || jwts.length > batchSize) {
    throw new CredentialRequestError('invalid_proof', `Send 1 to ${batchSize} proofs (batch_size)`);
  }
  return jwts;
}

async function freshNonce(context: IssuerContext, tenantId: string): Promise<string> {
  const nonce = randomToken();
  await context.store.createNonce(tenantId, nonce, context.clock() + context.config.nonceTtlSeconds * 1000);
  return nonce;
}

/** Every key the tenant has signed with (current first), as JWKs with their `kid`. */
async function tenantPublicKeys(context: IssuerContext, tenantId: string): Promise<JsonObject[]> {
  const tenant = context.tenants.get(tenantId);
  if (tenant?.didMethod === 'web') {
    const document = await context.keyring.didDocument(tenantId);
    return document.verificationMethod.map((method) => ({ ...method.publicKeyJwk, kid: method.id }) as JsonObject);
  }
  const identity = await context.keyring.identity(tenantId);
  return [{ ...identity.publicJwk, kid: identity.kid } as JsonObject];
}
