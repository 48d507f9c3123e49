import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { startApiProcess, startWorkerProcess, waitForApi, waitForWorker } from './app-processes';
import { serverBinaries, type ServerBinaries } from './binaries';
import { embeddedStoreUri, startStore, startTemporal, type EmbeddedStore, type EmbeddedTemporal } from './embedded-servers';
import { freePort } from './free-port';
import type { ManagedProcess } from './managed-process';

const NAMESPACE = 'default';
const TASK_QUEUE = 'lisplan';

/**
 * The whole product (Temporal, store, worker, API) as separate processes on free ports under
 * one folder, for the benchmarks and the fault-injection tests. Unlike `make start`, each
 * piece can be killed and started again on the same port and the same data, which is what a
 * crash and a restart look like to the rest.
 */
export class LocalStack {
  temporal!: EmbeddedTemporal;
  store!: EmbeddedStore;
  worker!: ManagedProcess;
  api!: ManagedProcess;
  readonly apiUrl: string;
  /** One for the stack's life: an API started again keeps the sessions of the one before. */
  private readonly sessionSecret = randomBytes(32).toString('hex');
  /** One for the stack's life too: a restarted worker must read what the one before sealed. */
  private readonly payloadKey = randomBytes(32).toString('base64');

  private constructor(
    readonly dir: string,
    private readonly binaries: ServerBinaries,
    private readonly ports: { temporal: number; store: number; api: number },
    private readonly extraEnv: NodeJS.ProcessEnv,
    readonly storeDataDir: string,
  ) {
    this.apiUrl = `http://127.0.0.1:${ports.api}`;
  }

  /** `storeDataDir` defaults to a folder under `dir`; a fault test may put it on a small disk. */
  static async start(opts: { dir: string; env?: NodeJS.ProcessEnv; storeDataDir?: string }): Promise<LocalStack> {
    const ports = { temporal: await freePort(), store: await freePort(), api: await freePort() };
    const stack = new LocalStack(opts.dir, serverBinaries(), ports, opts.env ?? {}, opts.storeDataDir ?? path.join(opts.dir, 'mongodb'));
    try {
      await Promise.all([stack.startTemporal(), stack.startStore()]);
      await Promise.all([stack.startWorker(), stack.startApi()]);
    } catch (err) {
      await stack.stop();
      throw err;
    }
    return stack;
  }

  get temporalAddress(): string {
    return `127.0.0.1:${this.ports.temporal}`;
  }

  get storeUri(): string {
    return embeddedStoreUri(this.ports.store);
  }

  get temporalConfig() {
    return { address: this.temporalAddress, namespace: NAMESPACE, taskQueue: TASK_QUEUE };
  }

  /** What the worker and API processes run with; also what an in-process client should use. */
  get env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      TZ: 'UTC',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATA_DIR: path.join(this.dir, 'data'),
      TEMPORAL_ADDRESS: this.temporalAddress,
      TEMPORAL_NAMESPACE: NAMESPACE,
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      MONGODB_URI: this.storeUri,
      MONGODB_DB: 'lisplan',
      HOST: '127.0.0.1',
      PORT: String(this.ports.api),
      SESSION_SECRET: this.sessionSecret,
      TEMPORAL_PAYLOAD_KEY: this.payloadKey,
      ...this.extraEnv,
    };
  }

  async startTemporal(): Promise<void> {
    this.temporal = await startTemporal({
      binaries: this.binaries,
      port: this.ports.temporal,
      namespace: NAMESPACE,
      databaseFile: path.join(this.dir, 'temporal.db'),
      logFile: path.join(this.dir, 'logs', 'temporal.log'),
    });
  }

  async startStore(): Promise<void> {
    this.store = await startStore({
      binaries: this.binaries,
      port: this.ports.store,
      dataDir: this.storeDataDir,
      logFile: path.join(this.dir, 'logs', 'mongod.log'),
    });
  }

  async startWorker(): Promise<void> {
    this.worker = startWorkerProcess(this.env, { logFile: path.join(this.dir, 'logs', 'worker.log') });
    await waitForWorker(this.temporalConfig, this.worker);
  }

  async startApi(): Promise<void> {
    this.api = startApiProcess(this.env, { logFile: path.join(this.dir, 'logs', 'api.log') });
    await waitForApi(this.apiUrl, this.api);
  }

  /** The API's address for the next request (one API here; see AppCluster for several). */
  nextApiUrl(): string {
    return this.apiUrl;
  }

  /** The app processes that must be running. */
  running(): ManagedProcess[] {
    return [this.worker, this.api];
  }

  /** Stops everything that runs, API first and servers last. */
  async stop(): Promise<void> {
    for (const p of [this.api, this.worker, this.store?.process, this.temporal?.process]) await p?.stop();
  }
}
