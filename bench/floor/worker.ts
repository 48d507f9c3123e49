import { NativeConnection, Worker } from '@temporalio/worker';
import { loadConfig } from '../../src/platform/config';
import { runMain } from '../../src/platform/main-guard';
import { clientDataConverter, connectionOptions } from '../../src/temporal/connection';

/**
 * The bench's own worker (`node dist/bench/floor/worker.js`), a process of its own as the
 * product's worker is, so the floor's round trip crosses the same process boundaries. It serves
 * only the floor workflow, on the task queue it is given: the product's worker never bundles it.
 */
runMain('lisplan-bench-floor-worker', async () => {
  const { TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: namespace = 'default', BENCH_FLOOR_TASK_QUEUE: taskQueue } = process.env;
  if (!address || !taskQueue) throw new Error('TEMPORAL_ADDRESS and BENCH_FLOOR_TASK_QUEUE are required');
  // The product's connection and codec: the floor pays the same TLS and payload sealing as every change.
  const { temporal } = loadConfig();
  const connection = await NativeConnection.connect(connectionOptions(temporal));
  const worker = await Worker.create({ connection, namespace, taskQueue, workflowsPath: require.resolve('./workflow'), dataConverter: clientDataConverter(temporal) });
  // Worker.run() drains and resolves on SIGTERM, which is how the bench stops it.
  await worker.run();
  await connection.close();
});
