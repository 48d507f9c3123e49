import path from 'node:path';
import { projectRoot } from '../platform/project-root';
import { ManagedProcess } from './managed-process';
import { probeWorkerPolling } from './probes';
import { waitUntilReady } from './readiness';

// The compiled entry points, also when this module runs from TypeScript sources (the tests).
const DIST_SRC = path.join(projectRoot(), 'dist', 'src');
const READY_TIMEOUT_MS = 90_000;

/** The worker (dist/src/worker.js) as its own process. */
export function startWorkerProcess(env: NodeJS.ProcessEnv, opts: { logFile?: string; inheritOutput?: boolean } = {}): ManagedProcess {
  return ManagedProcess.start('worker', process.execPath, [path.join(DIST_SRC, 'worker.js')], { env, ...opts });
}

/** The API server (dist/src/server.js) as its own process. */
export function startApiProcess(env: NodeJS.ProcessEnv, opts: { logFile?: string; inheritOutput?: boolean } = {}): ManagedProcess {
  return ManagedProcess.start('api', process.execPath, [path.join(DIST_SRC, 'server.js')], { env, ...opts });
}

/** Resolves when the API's /readyz answers 200, i.e. it reaches Temporal and the store. */
export function waitForApi(apiUrl: string, api: ManagedProcess): Promise<void> {
  return waitUntilReady(
    'the API',
    async () => {
      const res = await fetch(`${apiUrl}/readyz`);
      if (res.status !== 200) throw new Error(`/readyz answered ${res.status}`);
    },
    { timeoutMs: READY_TIMEOUT_MS, process: api },
  );
}

/** Resolves when a worker polls the task queue. */
export function waitForWorker(temporal: { address: string; namespace: string; taskQueue: string }, worker: ManagedProcess): Promise<void> {
  return waitUntilReady('the worker', () => probeWorkerPolling(temporal.address, temporal.namespace, temporal.taskQueue), {
    timeoutMs: READY_TIMEOUT_MS,
    process: worker,
  });
}
