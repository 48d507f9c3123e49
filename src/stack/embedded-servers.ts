import fs from 'node:fs';
import path from 'node:path';
import type { ServerBinaries } from './binaries';
import { ManagedProcess } from './managed-process';
import { probeStore, probeTemporal } from './probes';
import { waitUntilReady } from './readiness';

const READY_TIMEOUT_MS = 60_000;

export interface EmbeddedTemporal {
  address: string;
  uiUrl?: string;
  process: ManagedProcess;
}

export interface EmbeddedStore {
  uri: string;
  process: ManagedProcess;
}

/**
 * The Temporal CLI dev server: SQLite-backed, persistent when given a database file.
 * `uiPort` undefined runs it headless (tests); the UI is for people.
 */
export async function startTemporal(opts: {
  binaries: ServerBinaries;
  port: number;
  namespace: string;
  databaseFile: string;
  logFile: string;
  uiPort?: number;
}): Promise<EmbeddedTemporal> {
  fs.mkdirSync(path.dirname(opts.databaseFile), { recursive: true });
  const address = `127.0.0.1:${opts.port}`;
  const args = [
    'server', 'start-dev',
    '--ip', '127.0.0.1',
    '--port', String(opts.port),
    '--db-filename', opts.databaseFile,
    '--namespace', opts.namespace,
    '--log-level', 'warn',
    // A projection activity scheduled by an Update's workflow task comes back in the answer to
    // that task instead of through another poll: one round trip less on every change.
    '--dynamic-config-value', 'system.enableActivityEagerExecution=true',
    ...(opts.uiPort === undefined ? ['--headless'] : ['--ui-port', String(opts.uiPort), '--ui-ip', '127.0.0.1']),
  ];
  const proc = ManagedProcess.start('temporal', opts.binaries.temporal, args, { logFile: opts.logFile });
  await waitUntilReady('Temporal dev server', () => probeTemporal(address, opts.namespace), {
    timeoutMs: READY_TIMEOUT_MS,
    process: proc,
  });
  return {
    address,
    uiUrl: opts.uiPort === undefined ? undefined : `http://127.0.0.1:${opts.uiPort}`,
    process: proc,
  };
}

/**
 * The store's address. Writes wait for the journal (`journal=true`): a standalone mongod
 * otherwise acknowledges before its next journal flush (up to 100 ms later), and an
 * acknowledged write must survive a kill -9. A replica set in production gets the same from
 * its default majority write concern.
 */
export function embeddedStoreUri(port: number): string {
  return `mongodb://127.0.0.1:${port}/?journal=true`;
}

/**
 * MongoDB's own mongod, standalone, with its data in `dataDir` (see
 * docs/decisions/0001-embedded-store.md). The cache is kept small: the store shares the machine
 * with Temporal, the worker and the API, and its working set here is far below the default
 * (half the RAM).
 */
export async function startStore(opts: {
  binaries: ServerBinaries;
  port: number;
  dataDir: string;
  logFile: string;
}): Promise<EmbeddedStore> {
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const uri = embeddedStoreUri(opts.port);
  const args = [
    '--dbpath', opts.dataDir,
    '--bind_ip', '127.0.0.1',
    '--port', String(opts.port),
    '--nounixsocket',
    '--wiredTigerCacheSizeGB', '0.25',
    '--setParameter', 'diagnosticDataCollectionEnabled=false',
    '--quiet',
  ];
  const proc = ManagedProcess.start('mongod', opts.binaries.mongod, args, { logFile: opts.logFile });
  await waitUntilReady('mongod', () => probeStore(uri), { timeoutMs: READY_TIMEOUT_MS, process: proc });
  return { uri, process: proc };
}
