import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { PAYLOAD_CONVERTER_PATH } from '../../src/temporal/connection';

/**
 * Bundles the worker's workflows (src/workflows) once per run into `dir`, for every test
 * worker and the replay test to load instead of bundling again; returns the bundle's path.
 */
export async function writeWorkflowBundle(dir: string): Promise<string> {
  // With the workers' payload converter, as a worker bundling at start has it (src/temporal/connection.ts).
  const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../../src/workflows'), payloadConverterPath: PAYLOAD_CONVERTER_PATH, logger: quietLogger });
  const bundlePath = path.join(dir, 'workflow-bundle.js');
  fs.writeFileSync(bundlePath, bundle.code);
  return bundlePath;
}

const quietLogger = {
  log: () => undefined,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (m: string) => console.warn(m),
  error: (m: string) => console.error(m),
};
