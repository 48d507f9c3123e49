import { createActivities } from './activities';
import { createMailer } from './services/notifications/mailer';
import { loadConfig, redact } from './platform/config';
import { connectStore } from './store/connection';
import { createModels } from './store/models';
import { createLogger } from './platform/logger';
import { runMain, startupError } from './platform/main-guard';
import { createTemporalClient } from './temporal/client';
import { ensureReviewSchedule } from './temporal/review-schedule';
import { ensureDigestSchedule } from './temporal/digest-schedule';
import { ensureWorkflowHealthSchedule } from './temporal/workflow-health-schedule';
import { createWorker, installRuntimeLogger } from './temporal/worker';

runMain('lisplan-worker', async () => {
  const config = loadConfig();
  const logger = createLogger(config, 'worker');
  installRuntimeLogger(logger);
  const conn = await connectStore(config.mongo);
  const mail = config.smtp
    ? { mailer: createMailer(config.smtp), publicUrl: config.publicUrl, maxAttempts: config.smtp.maxAttempts, leaseMs: config.smtp.leaseSeconds * 1000 }
    : undefined;
  const activities = createActivities({ models: createModels(conn), timeZone: config.planTimeZone, mail });
  const { worker, connection } = await createWorker({ temporal: config.temporal, activities, maxCachedWorkflows: config.temporal.maxCachedWorkflows }).catch((err: Error) => {
    throw startupError(`cannot reach Temporal at ${config.temporal.address} (TEMPORAL_ADDRESS): ${err.message}`);
  });
  const temporal = createTemporalClient(config.temporal);
  await ensureReviewSchedule(temporal.client, { taskQueue: config.temporal.taskQueue, reviewStart: config.reviewStart, planTimeZone: config.planTimeZone });
  await ensureDigestSchedule(temporal.client, { taskQueue: config.temporal.taskQueue, digest: config.digest });
  await ensureWorkflowHealthSchedule(temporal.client, { taskQueue: config.temporal.taskQueue, check: config.workflowHealthCheck });
  await temporal.connection.close();
  logger.info({ temporal: config.temporal.address, store: redact(config.mongo.uri), reviewStart: config.reviewStart ?? 'off', digest: config.digest ?? 'off', workflowHealthCheck: config.workflowHealthCheck ?? 'off' }, 'worker running');
  // Worker.run() handles SIGINT/SIGTERM itself: it drains in-flight tasks, then resolves.
  await worker.run();
  await connection.close();
  await conn.close();
  logger.info('worker stopped');
});
