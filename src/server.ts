import type { Server } from 'node:http';
import { createApp } from './app';
import { createOidcBearerVerifier } from './http/auth/oidc';
import { loadConfig, redact, uiSessionSecret } from './platform/config';
import { API_STORE_WAIT_MS, connectStore } from './store/connection';
import { createModels } from './store/models';
import { createLogger } from './platform/logger';
import { runMain, startupError } from './platform/main-guard';
import { createTemporalClient } from './temporal/client';

runMain('lisplan-api', async () => {
  const config = loadConfig();
  // Before any connection: a missing secret is a one-line stop, not a login that breaks later.
  uiSessionSecret(config);
  const logger = createLogger(config, 'api');
  const store = await connectStore(config.mongo, { timeoutMs: API_STORE_WAIT_MS });
  const { client, connection } = createTemporalClient(config.temporal);
  const oidc = config.oidc ? createOidcBearerVerifier(config.oidc) : undefined;
  const app = createApp({ config, logger, client, store, models: createModels(store), oidc });

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', (err: NodeJS.ErrnoException) =>
      reject(startupError(`cannot listen on ${config.host}:${config.port} (HOST/PORT): ${err.code ?? err.message}`)),
    );
  });
  logger.info({ url: `http://${config.host}:${config.port}`, store: redact(config.mongo.uri), temporal: config.temporal.address }, 'api listening');

  const shutdown = async () => {
    logger.info('api stopping');
    await new Promise<void>((r) => server.close(() => r()));
    await connection.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
});
