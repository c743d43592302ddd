import express, { type Router } from 'express';
import type { IssuerContext } from '../app/issuer-context.ts';
import { createOpenApiDocument } from './openapi-document.ts';
import { renderOpenApiPage } from './openapi-page.ts';

/**
 * `GET /openapi.json` (the OpenAPI 3.1 document) and `GET /openapi` (the same as a page). The
 * document is built once: it depends only on the configuration.
 */
export function createOpenApiRouter(context: IssuerContext): Router {
  const router = express.Router();
  const document = createOpenApiDocument(context);
  const body = JSON.stringify(document);
  const page = renderOpenApiPage(document);

  router.get('/openapi.json', (_request, response) => {
    response
      .status(200)
      .set({
        'Content-Type': 'application/json; charset=utf-8',
        'Cache-Control': 'public, max-age=300',
        'Access-Control-Allow-Origin': '*',
      })
      .send(body);
  });
  router.get('/openapi', (_request, response) => {
    response.status(200).set({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'public, max-age=300' }).send(page);
  });
  return router;
}
