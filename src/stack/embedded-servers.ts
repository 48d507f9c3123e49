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

/** FerretDB v1 on SQLite, a MongoDB wire-protocol server whose data survive restarts. */
export async function startStore(opts: {
  binaries: ServerBinaries;
  port: number;
  dataDir: string;
  logFile: string;
}): Promise<EmbeddedStore> {
  const uri = `mongodb://127.0.0.1:${opts.port}/`;
  const args = ['--listen-addr', `127.0.0.1:${opts.port}`, '--sqlite-dir', opts.dataDir, '--log-level', 'warn'];
  const proc = ManagedProcess.start('ferretdb', opts.binaries.ferretdb, args, { logFile: opts.logFile });
  await waitUntilReady('FerretDB', () => probeStore(uri), { timeoutMs: READY_TIMEOUT_MS, process: proc });
  return { uri, process: proc };
}
