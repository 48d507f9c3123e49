import cors from 'cors';
import express, { type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { authenticate } from './http/auth/authenticate';
import type { ApiDeps } from './http/deps';
import { errorHandler, notFoundHandler } from './http/error-handler';
import { createMetrics, type Metrics } from './http/metrics';
import { createRegistry } from './api/openapi/registry';
import { ApiRoutes } from './api/openapi/route';
import { Problem } from './services/problem';
import { requestId } from './http/request-id';
import { activityRoutes } from './api/routes/activities';
import { changeRoutes } from './api/routes/changes';
import { devLoginRoutes } from './api/routes/dev-login';
import { docsRoutes } from './api/routes/docs';
import { fileRoutes } from './api/routes/files';
import { planImportRoutes } from './api/routes/plan-import';
import { healthRoutes } from './api/routes/health';
import { meRoutes } from './api/routes/me';
import { calendarFeedRoutes, notificationRoutes } from './api/routes/notifications';
import { orgDataRoutes } from './api/routes/org-data';
import { organisationRoutes } from './api/routes/organisations';
import { reviewRoutes } from './api/routes/reviews';
import { registerRoutes } from './api/routes/registers';
import { workflowProblemRoutes } from './api/routes/workflow-problems';
import { isFeedPath, redactFeedSecret } from './services/notifications/feeds';
import { countWorkflowProblems } from './services/workflow-health/problems';
import { anonymousLimit, failedAuthenticationLimit, personLimit } from './http/rate-limit';
import { uiRoutes } from './ui/router';

export type { ApiDeps };

export function createApp(deps: ApiDeps, opts: { metrics?: Metrics } = {}): Express {
  const metrics = opts.metrics ?? createMetrics({ workflowProblems: () => countWorkflowProblems(deps.models) });
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(requestId);
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (_req, res) => res.locals.requestId as string,
      // Only what an operator needs: no headers, no bodies, no personal data beyond the user id,
      // and no credential: a calendar feed's path is its secret.
      serializers: { req: (req: { method: string; url: string }) => ({ method: req.method, url: redactFeedSecret(req.url.split('?')[0]!) }), res: (res: { statusCode: number }) => ({ status: res.statusCode }) },
      customProps: (_req, res) => ({ requestId: res.locals.requestId, userId: res.locals.principal?.userId }),
    }),
  );
  app.use(helmet());
  if (deps.config.corsOrigins.length > 0) app.use(cors({ origin: deps.config.corsOrigins, exposedHeaders: ['ETag', 'Location', 'X-Request-Id', 'Retry-After'] }));
  app.use(observeLatency(metrics));
  app.use(
    express.json({
      limit: '100kb',
      strict: true,
      type: (req) => !/\/files$/.test(req.url ?? '') && /json/.test(String(req.headers['content-type'] ?? '')),
      reviver: refuseHostileKeys,
    }),
  );

  app.use(healthRoutes({ client: deps.client, store: deps.store, namespace: deps.config.temporal.namespace }));
  app.get('/metrics', onlyLoopback, async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  const registry = createRegistry();
  const routes = new ApiRoutes(registry, '/api/v1');
  organisationRoutes(routes, deps);
  activityRoutes(routes, deps);
  changeRoutes(routes, deps, metrics);
  meRoutes(routes, deps);
  notificationRoutes(routes, deps);
  const feeds = new ApiRoutes(registry, '/api/v1');
  calendarFeedRoutes(feeds, deps);
  orgDataRoutes(routes, deps);
  reviewRoutes(routes, deps);
  registerRoutes(routes, deps);
  workflowProblemRoutes(routes, deps);
  const uploads = fileRoutes(routes, deps);
  const reviewUploads = planImportRoutes(routes, deps);
  app.use(docsRoutes(registry, deps.config.publicUrl));
  // The web UI limits its posts per person itself, once its session has named them.
  app.use(uiRoutes(deps));

  // Before anything under /api/v1 authenticates: refused credentials and credential-less
  // requests (the development login, the feeds) count against the address.
  app.use('/api/v1', failedAuthenticationLimit(deps.config), anonymousLimit(deps.config, isFeedPath));
  if (deps.config.devLogin) app.use(devLoginRoutes(deps));
  // Calendar clients send no bearer token; the feed's secret URL is its credential.
  app.use('/api/v1', feeds.router);
  app.use('/api/v1', authenticate({ models: deps.models, oidc: deps.oidc }), personLimit(deps.config));
  app.use(uploads);
  app.use(reviewUploads);
  app.use('/api/v1', routes.router);

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}

const onlyLoopback: RequestHandler = (req, _res, next) => {
  const ip = req.socket.remoteAddress ?? '';
  if (ip === '127.0.0.1' || ip === '::1' || ip === '::ffff:127.0.0.1') return next();
  next(new Problem(403, 'forbidden', 'Åtkomst nekad', 'Metrics are served on loopback only.'));
};

function observeLatency(metrics: Metrics): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.once('finish', () => {
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      metrics.httpSeconds.observe({ method: req.method, route, status: String(res.statusCode) }, Number(process.hrtime.bigint() - start) / 1e9);
    });
    next();
  };
}

/**
 * No request body has a key that names a prototype or that the store would read as an operator
 * or a path. The schemas refuse unknown keys, but `__proto__` never reaches them: JSON.parse
 * keeps it, object spreading and zod drop it silently. A throw here is a 400 like any bad JSON.
 */
function refuseHostileKeys(key: string, value: unknown): unknown {
  if (key === '__proto__' || key === 'constructor' || key === 'prototype' || key.startsWith('$') || key.includes('.') || key.includes('\u0000')) {
    throw new SyntaxError(`key not allowed: ${JSON.stringify(key.slice(0, 40))}`);
  }
  return value;
}
