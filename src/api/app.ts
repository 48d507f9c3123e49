import express, { type Express } from 'express';
import type { Client } from '@temporalio/client';
import type { Connection as StoreConnection } from 'mongoose';
import type { Config } from '../config';
import type { Models } from '../db/models';
import type { Logger } from '../logger';
import { errorHandler, notFoundHandler } from './error-handler';
import { requestId } from './request-id';
import { healthRoutes } from './routes/health';
import { smokeRoutes } from './routes/smoke';

export interface AppDeps {
  config: Pick<Config, 'temporal'>;
  logger: Logger;
  client: Client;
  store: StoreConnection;
  models: Models;
}

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(requestId);
  app.use(express.json({ limit: '100kb', strict: true }));

  app.use(healthRoutes({ client: deps.client, store: deps.store, namespace: deps.config.temporal.namespace }));
  app.use(
    '/api/v1/smoke',
    smokeRoutes({ client: deps.client, models: deps.models, taskQueue: deps.config.temporal.taskQueue }),
  );

  app.use(notFoundHandler);
  app.use(errorHandler(deps.logger));
  return app;
}
