/**
 * The OpenAPI document against the app that serves it: every route the app registers is
 * documented (and nothing else), the document is OpenAPI 3.1 JSON whose request schemas are the
 * ones the staff API validates with, and the page renders it without a script or a CDN.
 */
import { type Database, openDatabase } from '@tessera/shared/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createOfferRequestSchema, setStatusRequestSchema } from '../staff/staff-schemas.ts';
import { type RunningIssuer, startStaffTestIssuer } from '../staff/test-issuer.ts';
import { openApiPath } from './openapi-document.ts';
import { registeredRoutes } from './registered-routes.ts';

describe('the OpenAPI document', () => {
  let running: RunningIssuer;
  let database: Database;
  let document: Record<string, unknown>;
  let response: Response;
  beforeAll(async () => {
    database = await openDatabase({ kind: 'pglite' });
    running = await startStaffTestIssuer(database);
    response = await fetch(`${running.origin}/openapi.json`);
    document = JSON.parse(await response.text());
  }, 60_000);
  afterAll(async () => {
    await running?.close();
    await database?.close();
  });

  it('is JSON with openapi 3.1.0, served with a JSON media type', () => {
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toMatchObject({ title: 'Tessera issuer', version: expect.any(String) });
    expect(document.servers).toEqual([{ url: running.origin }]);
  });

  it('documents every route the app registers, and only those', () => {
    const registered = registeredRoutes(running.issuer.app).map(({ method, path }) => `${method} ${openApiPath(path)}`);
    // The walk must see all the routers: the protocol router's, the staff router's (mounted with a parameter) and ours.
    expect(registered).toEqual(
      expect.arrayContaining([
        'post /tenants/{tenant}/token',
        'post /tenants/{tenant}/staff/offers',
        'post /tenants/{tenant}/staff/credentials/{recordId}/status',
        'get /tenants/{tenant}/staff/',
        'get /tenants',
        'get /openapi.json',
      ]),
    );
    const documented = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method} ${path}`),
    );
    expect([...new Set(registered)].sort()).toEqual([...documented].sort());
  });

  it('describes the staff request bodies with the schemas the staff API validates with', () => {
    const schemas = (document.components as { schemas: Record<string, unknown> }).schemas;
    const { $schema: _a, ...offer } = z.toJSONSchema(createOfferRequestSchema, { target: 'draft-2020-12', io: 'input' });
    const { $schema: _b, ...status } = z.toJSONSchema(setStatusRequestSchema, { target: 'draft-2020-12', io: 'input' });
    expect(schemas.CreateOfferRequest).toEqual(offer);
    expect(schemas.SetStatusRequest).toEqual(status);
    expect(schemas.SetStatusRequest).toMatchObject({
      properties: { status: { enum: ['valid', 'revoked', 'suspended'] } },
      required: ['status'],
      additionalProperties: false,
    });
    const paths = document.paths as Record<string, Record<string, Record<string, unknown>>>;
    const createOffer = paths['/tenants/{tenant}/staff/offers']?.post;
    expect(createOffer?.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateOfferRequest' } } },
    });
    expect(createOffer?.security).toEqual([{ staffApiKey: [] }]);
    expect(paths['/tenants/{tenant}/credential']?.post?.security).toEqual([{ accessToken: [] }]);
    expect(paths['/tenants/{tenant}/token']?.post?.requestBody).toMatchObject({
      content: { 'application/x-www-form-urlencoded': { schema: { $ref: '#/components/schemas/TokenRequest' } } },
    });
  });

  it('declares the staff API key as a bearer scheme and resolves every $ref it uses', () => {
    const components = document.components as { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
    expect(components.securitySchemes.staffApiKey).toMatchObject({ type: 'http', scheme: 'bearer' });
    const refs = [...JSON.stringify(document).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(([, name]) => name);
    expect(refs.length).toBeGreaterThan(10);
    for (const name of refs) expect(components.schemas, String(name)).toHaveProperty(String(name));
  });

  it('documents each path parameter of a path', () => {
    const paths = document.paths as Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
    for (const [path, methods] of Object.entries(paths)) {
      const names = [...path.matchAll(/\{([^}]+)\}/g)].map(([, name]) => name);
      for (const operation of Object.values(methods)) {
        expect((operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name)).toEqual(names);
      }
    }
  });

  it('renders a page of its own, with no script and nothing from elsewhere', async () => {
    const page = await fetch(`${running.origin}/openapi`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    const text = await page.text();
    expect(text).toContain('POST /tenants/{tenant}/staff/offers');
    expect(text).toContain('href="openapi.json"');
    expect(text).not.toMatch(/<script|https?:\/\/(?!localhost)/);
  });
});
