import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeWorkflowBundle } from './workflow-bundle';

/**
 * `npm run test:unit`'s global setup: no server, only the workflow bundle, which the replay
 * test and the workflow tests with mocked activities load. global-teardown.ts removes the folder.
 */
export default async function unitSetup(): Promise<void> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lisplan-unit-'));
  process.env.LISPLAN_TEST_DIR = workDir;
  process.env.LISPLAN_TEST_WORKFLOW_BUNDLE = await writeWorkflowBundle(workDir);
  process.env.TZ = 'UTC';
}
