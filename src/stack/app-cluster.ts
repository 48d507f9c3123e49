import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { startApiProcess, startWorkerProcess, waitForApi } from './app-processes';
import { freePort } from './free-port';
import type { ManagedProcess } from './managed-process';
import { waitUntilReady } from './readiness';

const READY_TIMEOUT_MS = 120_000;

/**
 * lisplan scaled out as in production: several worker processes on one task queue and several
 * API processes on their own ports, all against one Temporal and one store that run elsewhere
 * (src/stack/temporal-cluster.ts and the store of embedded-servers.ts in `make test-cluster`).
 * The API processes share one SESSION_SECRET, so a session cookie made by one is good at the
 * others. Each process can be killed and started again on its port, as a crash looks to the rest.
 */
export class AppCluster {
  readonly workers: ManagedProcess[] = [];
  readonly apis: ManagedProcess[] = [];
  readonly apiUrls: string[];
  private readonly killed = new Set<ManagedProcess>();
  private turn = 0;

  private constructor(
    readonly dir: string,
    readonly temporalAddress: string,
    readonly env: NodeJS.ProcessEnv,
    private readonly apiPorts: number[],
    private readonly workerCount: number,
  ) {
    this.apiUrls = apiPorts.map((port) => `http://127.0.0.1:${port}`);
  }

  /**
   * `env` is what every process gets on top of the defaults below: the store's database and the
   * task queue among them, which set one cluster apart from another on the same servers.
   */
  static async start(opts: {
    dir: string;
    temporalAddress: string;
    storeUri: string;
    env?: NodeJS.ProcessEnv;
    workers?: number;
    apis?: number;
  }): Promise<AppCluster> {
    const apiPorts = await Promise.all(Array.from({ length: opts.apis ?? 2 }, () => freePort()));
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      TZ: 'UTC',
      NODE_ENV: 'production',
      LOG_LEVEL: 'warn',
      DATA_DIR: path.join(opts.dir, 'data'),
      TEMPORAL_ADDRESS: opts.temporalAddress,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: 'lisplan',
      MONGODB_URI: opts.storeUri,
      MONGODB_DB: 'lisplan',
      HOST: '127.0.0.1',
      SESSION_SECRET: randomBytes(32).toString('hex'),
      // Every worker and API process seals and opens Temporal's payloads with the same key.
      TEMPORAL_PAYLOAD_KEY: randomBytes(32).toString('base64'),
      ...opts.env,
    };
    const cluster = new AppCluster(opts.dir, opts.temporalAddress, env, apiPorts, opts.workers ?? 2);
    try {
      // One at a time: each worker bundles the workflows at start, which takes a core for a while.
      for (let i = 0; i < cluster.workerCount; i++) await cluster.startWorker(i);
      await Promise.all(apiPorts.map((_, i) => cluster.startApi(i)));
    } catch (err) {
      await cluster.stop();
      throw err;
    }
    return cluster;
  }

  get temporalConfig() {
    return { address: this.temporalAddress, namespace: this.env.TEMPORAL_NAMESPACE!, taskQueue: this.env.TEMPORAL_TASK_QUEUE! };
  }

  /** Starts worker `i` (again, after a kill). */
  async startWorker(i: number): Promise<void> {
    const worker = startWorkerProcess(this.env, { logFile: path.join(this.dir, 'logs', `worker-${i + 1}.log`) });
    this.forget(this.workers[i]);
    this.workers[i] = worker;
    await waitForPoller(this.temporalConfig, worker);
  }

  /** Starts API `i` (again, after a kill) on its own port. */
  async startApi(i: number): Promise<void> {
    const api = startApiProcess({ ...this.env, PORT: String(this.apiPorts[i]) }, { logFile: path.join(this.dir, 'logs', `api-${i + 1}.log`) });
    this.forget(this.apis[i]);
    this.apis[i] = api;
    await waitForApi(this.apiUrls[i]!, api);
  }

  /** kill -9, on purpose: the process no longer counts among those that must be running. */
  async kill(process: ManagedProcess): Promise<void> {
    this.killed.add(process);
    await process.kill();
  }

  /** The processes that must be running: all but those killed on purpose and not started again. */
  running(): ManagedProcess[] {
    return [...this.workers, ...this.apis].filter((p) => !this.killed.has(p));
  }

  /**
   * The address of the next API process that runs, in turn, as a load balancer with a health
   * check hands out requests.
   */
  nextApiUrl(): string {
    for (let tries = 0; tries < this.apis.length; tries++) {
      const i = this.turn++ % this.apis.length;
      if (!this.apis[i]?.hasExited) return this.apiUrls[i]!;
    }
    return this.apiUrls[this.turn++ % this.apiUrls.length]!;
  }

  /** Stops the APIs, then the workers. */
  async stop(): Promise<void> {
    await Promise.all(this.apis.map((p) => p?.stop()));
    await Promise.all(this.workers.map((p) => p?.stop()));
  }

  private forget(previous: ManagedProcess | undefined): void {
    if (previous) this.killed.delete(previous);
  }
}

/**
 * Resolves when `worker` itself polls the task queue for workflow tasks. Any poller would not do:
 * the other workers already poll, and the SDK names each poller `<pid>@<host>`.
 */
async function waitForPoller(config: { address: string; namespace: string; taskQueue: string }, worker: ManagedProcess): Promise<void> {
  const connection = await Connection.connect({ address: config.address });
  try {
    await waitUntilReady(
      `worker ${worker.pid}`,
      async () => {
        const { pollers } = await connection.workflowService.describeTaskQueue({
          namespace: config.namespace,
          taskQueue: { name: config.taskQueue },
          taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        });
        if (!pollers?.some((p) => p.identity?.startsWith(`${worker.pid}@`))) throw new Error(`worker ${worker.pid} does not poll ${config.taskQueue} yet`);
      },
      { timeoutMs: READY_TIMEOUT_MS, process: worker },
    );
  } finally {
    await connection.close();
  }
}
