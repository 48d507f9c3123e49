import { NativeConnection, Runtime, DefaultLogger, Worker, type LogLevel } from '@temporalio/worker';
import type { Config } from '../platform/config';
import type { Activities } from '../activities';
import type { Logger } from '../platform/logger';
import { connectionOptions, workerDataConverter } from './connection';

let runtimeInstalled = false;

/** Routes the SDK's own logs through pino, once per process. */
export function installRuntimeLogger(logger: Logger): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  const level = (logger.level === 'silent' ? 'ERROR' : logger.level.toUpperCase()) as LogLevel;
  Runtime.install({
    logger: new DefaultLogger(level === ('FATAL' as LogLevel) ? 'ERROR' : level, (entry) => {
      const method = entry.level === 'TRACE' ? 'trace' : (entry.level.toLowerCase() as 'debug' | 'info' | 'warn' | 'error');
      logger[method]({ ...entry.meta }, entry.message);
    }),
  });
}

export async function createWorker(opts: {
  temporal: Config['temporal'];
  activities: Activities;
  connection?: NativeConnection;
  identity?: string;
  /** A prebuilt workflow bundle; without one the worker bundles src/workflows at start. */
  workflowBundlePath?: string;
  /** 0 disables the sticky cache: every workflow task replays the history from the start. */
  maxCachedWorkflows?: number;
}): Promise<{ worker: Worker; connection: NativeConnection }> {
  const connection = opts.connection ?? (await NativeConnection.connect(connectionOptions(opts.temporal)));
  const worker = await Worker.create({
    connection,
    namespace: opts.temporal.namespace,
    taskQueue: opts.temporal.taskQueue,
    dataConverter: workerDataConverter(opts.temporal),
    ...(opts.workflowBundlePath
      ? { workflowBundle: { codePath: opts.workflowBundlePath } }
      : { workflowsPath: require.resolve('../workflows') }),
    activities: opts.activities,
    ...(opts.identity ? { identity: opts.identity } : {}),
    ...(opts.maxCachedWorkflows !== undefined ? { maxCachedWorkflows: opts.maxCachedWorkflows } : {}),
  });
  return { worker, connection };
}
