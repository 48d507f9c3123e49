import path from 'node:path';
import { waitForWorker } from '../../src/stack/app-processes';
import type { LocalStack } from '../../src/stack/local-stack';
import { ManagedProcess } from '../../src/stack/managed-process';

/** Not the product's queue: only the floor worker polls it. */
export const FLOOR_TASK_QUEUE = 'bench-floor';

/** Starts the floor's worker (./worker.ts, compiled) against the stack's Temporal; resolves once it polls. */
export async function startFloorWorker(stack: LocalStack): Promise<ManagedProcess> {
  const worker = ManagedProcess.start('bench-floor-worker', process.execPath, [path.join(__dirname, 'worker.js')], {
    env: { ...stack.env, BENCH_FLOOR_TASK_QUEUE: FLOOR_TASK_QUEUE },
    logFile: path.join(stack.dir, 'logs', 'bench-floor-worker.log'),
  });
  try {
    await waitForWorker({ ...stack.temporalConfig, taskQueue: FLOOR_TASK_QUEUE }, worker);
  } catch (err) {
    await worker.stop();
    throw err;
  }
  return worker;
}
