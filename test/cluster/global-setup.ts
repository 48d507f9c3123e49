import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serverBinaries } from '../../src/stack/binaries';
import { startStore } from '../../src/stack/embedded-servers';
import { freePort } from '../../src/stack/free-port';
import type { ManagedProcess } from '../../src/stack/managed-process';
import { startTemporalCluster } from '../../src/stack/temporal-cluster';

/**
 * `make test-cluster`: the production Temporal server on PostgreSQL and mongod, once for the
 * whole run, on free loopback ports in a throw-away folder. Each test file then starts its own
 * two workers and two APIs on them (support/stack.ts). The addresses go where the ordinary
 * suite's global setup puts them, so the shared helpers find them; test/support/global-teardown.ts
 * stops the servers and removes the folder.
 */
export default async function globalSetup(): Promise<void> {
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lisplan-cluster-'));
  // PostgreSQL runs as its own user when this runs as root: it must be able to pass through.
  fs.chmodSync(workDir, 0o711);
  const started = Date.now();
  const [temporal, store] = await Promise.all([
    startTemporalCluster({ dir: path.join(workDir, 'temporal-cluster') }),
    freePort().then((port) => startStore({ binaries: serverBinaries(), port, dataDir: path.join(workDir, 'mongodb'), logFile: path.join(workDir, 'logs', 'mongod.log') })),
  ]);
  console.log(`\ncluster: Temporal server ${temporal.version} on PostgreSQL at ${temporal.address}, ready in ${((Date.now() - started) / 1000).toFixed(1)} s; folder ${workDir}`);

  process.env.LISPLAN_TEST_DIR = workDir;
  process.env.LISPLAN_TEST_TEMPORAL_ADDRESS = temporal.address;
  process.env.LISPLAN_TEST_MONGODB_URI = store.uri;
  process.env.TZ = 'UTC';
  // The teardown stops them all at once: the server first would be nicer, but PostgreSQL
  // going away under a stopping server only costs log lines.
  (globalThis as { __lisplanServers?: ManagedProcess[] }).__lisplanServers = [temporal.server, temporal.postgres, store.process];
}
