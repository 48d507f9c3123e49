import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serverBinaries } from '../../src/stack/binaries';
import { startStore, startTemporal } from '../../src/stack/embedded-servers';
import type { ManagedProcess } from '../../src/stack/managed-process';
import { freePort } from '../../src/stack/free-port';
import { writeWorkflowBundle } from './workflow-bundle';

/**
 * Starts the real Temporal dev server and mongod once for the whole run, on free ports with
 * throw-away data folders, and bundles the workflows once. Test files read the addresses from
 * the environment (see stack.ts); the teardown stops the servers and removes the folder.
 */
export default async function globalSetup(): Promise<void> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lisplan-test-'));
  const binaries = serverBinaries();
  const [temporalPort, storePort] = [await freePort(), await freePort()];

  const [temporal, store, bundlePath] = await Promise.all([
    startTemporal({
      binaries,
      port: temporalPort,
      namespace: 'default',
      databaseFile: path.join(workDir, 'temporal.db'),
      logFile: path.join(workDir, 'temporal.log'),
    }),
    startStore({
      binaries,
      port: storePort,
      dataDir: path.join(workDir, 'mongodb'),
      logFile: path.join(workDir, 'mongod.log'),
    }),
    writeWorkflowBundle(workDir),
  ]);

  process.env.LISPLAN_TEST_DIR = workDir;
  process.env.LISPLAN_TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.LISPLAN_TEST_MONGODB_URI = store.uri;
  process.env.LISPLAN_TEST_WORKFLOW_BUNDLE = bundlePath;
  process.env.TZ = 'UTC';
  (globalThis as { __lisplanServers?: ManagedProcess[] }).__lisplanServers = [temporal.process, store.process];
}
