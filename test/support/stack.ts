import { randomBytes, randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Connection } from 'mongoose';
import { createActivities, type Activities, type MailDeps } from '../../src/activities';
import { loadConfig, type Config } from '../../src/platform/config';
import { connectStore } from '../../src/store/connection';
import { createModels, type Models } from '../../src/store/models';
import { clientDataConverter } from '../../src/temporal/connection';
import { createWorker } from '../../src/temporal/worker';

/**
 * The real servers that global-setup started, seen from one test file. Each file gets its
 * own database and task queue, so files can run in parallel without seeing each other.
 */
export function testConfig(env: NodeJS.ProcessEnv = {}): Config {
  const address = process.env.LISPLAN_TEST_TEMPORAL_ADDRESS;
  const uri = process.env.LISPLAN_TEST_MONGODB_URI;
  if (!address || !uri) throw new Error('the test servers are not running: jest global setup did not run');
  const id = randomUUID().slice(0, 8);
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    TEMPORAL_ADDRESS: address,
    MONGODB_URI: uri,
    MONGODB_DB: `test_${id}`,
    TEMPORAL_TASK_QUEUE: `test-${id}`,
    // Required outside development (the web UI signs its session cookie with it).
    SESSION_SECRET: `test-session-secret-${id}-0123456789abcdef`,
    // Required outside development too: every payload to Temporal is sealed with it.
    TEMPORAL_PAYLOAD_KEY: randomBytes(32).toString('base64'),
    ...env,
  });
}

export interface TestStack {
  config: Config;
  store: Connection;
  models: Models;
  env: TestWorkflowEnvironment;
  activities: Activities;
  worker: Worker;
  close(): Promise<void>;
}

/** Store, Temporal client and a running worker, all against the real servers. */
export async function startTestStack(opts: { env?: NodeJS.ProcessEnv; activities?: Activities; mail?: MailDeps } = {}): Promise<TestStack> {
  const config = testConfig(opts.env);
  const store = await connectStore(config.mongo);
  const models = createModels(store);
  await Promise.all(Object.values(models).map((m) => m.init()));
  const env = await TestWorkflowEnvironment.createFromExistingServer({
    address: config.temporal.address,
    namespace: config.temporal.namespace,
    client: { dataConverter: clientDataConverter(config.temporal) },
  });
  const activities = opts.activities ?? createActivities({ models, timeZone: config.planTimeZone, ...(opts.mail ? { mail: opts.mail } : {}) });
  const { worker } = await createWorker({
    temporal: config.temporal,
    activities,
    connection: env.nativeConnection,
    workflowBundlePath: process.env.LISPLAN_TEST_WORKFLOW_BUNDLE,
  });
  const running = worker.run();
  return {
    config,
    store,
    models,
    env,
    activities,
    worker,
    async close() {
      worker.shutdown();
      await running;
      await env.teardown();
      await store.dropDatabase().catch(() => undefined);
      await store.close();
    },
  };
}

/**
 * The stack with the real activities changed by `wrap`: a test that holds, counts or delays one
 * of them. The real ones write through a connection of their own to the test's database.
 */
export async function startTestStackAround(wrap: (real: Activities) => Activities): Promise<TestStack> {
  const config = testConfig();
  const store = await connectStore(config.mongo);
  const real = createActivities({ models: createModels(store), timeZone: config.planTimeZone });
  const stack = await startTestStack({ env: { MONGODB_DB: config.mongo.dbName }, activities: wrap(real) });
  return {
    ...stack,
    async close() {
      await stack.close();
      await store.close();
    },
  };
}
