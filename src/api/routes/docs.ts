import express, { Router } from 'express';
import { getAbsoluteFSPath } from 'swagger-ui-dist';
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { openApiDocument } from '../openapi/registry';

/**
 * The OpenAPI document, generated from the zod schemas that validate the requests, and a
 * browsable page. Everything is served by lisplan itself: the city's networks may block CDNs.
 */
export function docsRoutes(registry: OpenAPIRegistry, publicUrl: string): Router {
  const router = Router();
  let document: unknown;
  router.get('/api/openapi.json', (_req, res) => {
    document ??= openApiDocument(registry, publicUrl);
    res.json(document);
  });
  router.use('/api/docs/assets', express.static(getAbsoluteFSPath(), { index: false, maxAge: '1d' }));
  router.get('/api/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(
      "window.onload = () => { window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: true }); };\n",
    );
  });
  router.get('/api/docs', (_req, res) => {
    res.type('html').send(`<!doctype html>
<html lang="sv">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>lisplan API – dokumentation</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
</head>
<body>
<main>
<h1 style="font-family:sans-serif;margin:1rem">lisplan API</h1>
<p style="font-family:sans-serif;margin:1rem">Välj <strong>Authorize</strong> och ange en personlig API-token (<code>lp_…</code>) eller en åtkomsttoken från er OpenID-leverantör.</p>
<div id="swagger-ui"></div>
</main>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body>
</html>`);
  });
  return router;
}
