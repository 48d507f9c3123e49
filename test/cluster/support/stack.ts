import path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { AppCluster } from '../../../src/stack/app-cluster';
import { clientDataConverter } from '../../../src/temporal/connection';
import { connectStore } from '../../../src/store/connection';
import { createModels } from '../../../src/store/models';
// Not '../support/stack': jest.cluster.config.js maps that path to this file.
import { testConfig } from '../../support/stack';

export { testConfig };

/**
 * `startTestStack` of test/support/stack.ts for the cluster run, which jest.cluster.config.js
 * puts in its place for the suites it runs: the same servers, database and task queue of the
 * file's own, but the workflows run in two worker processes and the API in two API processes
 * (see support/api.ts) instead of in the test's process. `stack.env.client` is the test's
 * Temporal client, as before.
 */
export async function startTestStack(opts: Record<string, unknown> = {}) {
  const unsupported = Object.keys(opts).filter((k) => k !== 'env');
  if (unsupported.length) throw new Error(`the cluster run has no in-process worker to give ${unsupported.join(', ')} to`);
  const config = testConfig(opts.env as NodeJS.ProcessEnv | undefined);
  const cluster = await AppCluster.start({
    dir: path.join(process.env.LISPLAN_TEST_DIR!, `apps-${config.temporal.taskQueue}`),
    temporalAddress: config.temporal.address,
    storeUri: config.mongo.uri,
    env: {
      NODE_ENV: 'test',
      // The ordinary suite's test apps have no schedules; neither have these.
      REVIEW_START_DATE: 'off',
      DIGEST_SCHEDULE: 'off',
      // The README walkthrough logs in as the demo users.
      DEV_LOGIN: 'true',
      MONGODB_DB: config.mongo.dbName,
      TEMPORAL_TASK_QUEUE: config.temporal.taskQueue,
      // The test's own client seals with the processes' key.
      TEMPORAL_PAYLOAD_KEY: config.temporal.payloadKey!.export().toString('base64'),
      ...(opts.env as NodeJS.ProcessEnv | undefined),
    },
  });
  const store = await connectStore(config.mongo);
  const models = createModels(store);
  await Promise.all(Object.values(models).map((m) => m.init()));
  const env = await TestWorkflowEnvironment.createFromExistingServer({
    address: config.temporal.address,
    namespace: config.temporal.namespace,
    client: { dataConverter: clientDataConverter(config.temporal) },
  });
  return {
    config,
    store,
    models,
    env,
    cluster,
    async close() {
      await cluster.stop();
      await env.teardown();
      await store.dropDatabase().catch(() => undefined);
      await store.close();
    },
  };
}

export type ClusterTestStack = Awaited<ReturnType<typeof startTestStack>>;
