import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection, type TLSConfig } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { projectRoot } from '../platform/project-root';
import { toolsOf } from './binaries';
import { freePort, freePortBelow } from './free-port';
import { ManagedProcess } from './managed-process';
import { probeTemporal } from './probes';
import { waitUntilReady } from './readiness';

const run = promisify(execFile);
const READY_TIMEOUT_MS = 120_000;
/** Temporal's database user. The cluster listens on loopback only and trusts it there. */
const DB_USER = 'temporal';

/**
 * The production Temporal server (go.temporal.io/server, not the CLI's dev server) on
 * PostgreSQL, as `make test-cluster` runs it: Debian's PostgreSQL in a folder of the run, the
 * server's schemas applied by scripts/temporal-server/setup-schema.sh (the same script the
 * Compose file runs), the server configured from the project's template
 * (scripts/temporal-server/config.yaml) on free loopback ports, and the namespace registered.
 */
export interface TemporalCluster {
  address: string;
  namespace: string;
  /** With mutual TLS: how the operator's client reaches it (the CA, the operator's certificate). */
  tls?: TLSConfig;
  version: string;
  postgres: ManagedProcess;
  server: ManagedProcess;
  /** The server first, then PostgreSQL. */
  stop(): Promise<void>;
}

export interface TemporalServerBinaries {
  version: string;
  server: string;
  sqlTool: string;
  /** schema/postgresql/v12 of the server's module: temporal/ and visibility/ */
  schemaDir: string;
  /** Debian's PostgreSQL programs (initdb, postgres, pg_isready) */
  postgresBin: string;
}

/** What scripts/provision-temporal-server.sh built, at the versions of scripts/server-versions.env. */
export function temporalServerBinaries(root: string = projectRoot()): TemporalServerBinaries {
  const { versions, tools } = toolsOf(root);
  const version = versions.TEMPORAL_SERVER_VERSION;
  const dir = path.join(tools, `temporal-server-${version}`);
  const found: TemporalServerBinaries = {
    version: version!,
    server: path.join(dir, 'temporal-server'),
    sqlTool: path.join(dir, 'temporal-sql-tool'),
    schemaDir: path.join(dir, 'schema', 'postgresql', 'v12'),
    postgresBin: `/usr/lib/postgresql/${versions.POSTGRES_MAJOR_VERSION}/bin`,
  };
  for (const file of [found.server, found.sqlTool, found.schemaDir, path.join(found.postgresBin, 'postgres')]) {
    if (!fs.existsSync(file)) throw new Error(`the Temporal server on PostgreSQL is not provisioned (${file}); run scripts/provision-temporal-server.sh`);
  }
  return found;
}

export async function startTemporalCluster(opts: {
  dir: string;
  namespace?: string;
  binaries?: TemporalServerBinaries;
  root?: string;
  /**
   * A folder of scripts/make-temporal-certs.sh: the server then asks every client for a
   * certificate of its CA (the config template's tls section), as docker-compose.yml runs it.
   */
  certsDir?: string;
}): Promise<TemporalCluster> {
  const root = opts.root ?? projectRoot();
  const tls = opts.certsDir ? operatorTls(opts.certsDir) : undefined;
  const binaries = opts.binaries ?? temporalServerBinaries(root);
  const namespace = opts.namespace ?? 'default';
  const logs = path.join(opts.dir, 'logs');
  const postgres = await startPostgres({ binaries, dataDir: path.join(opts.dir, 'postgresql'), logFile: path.join(logs, 'postgresql.log') });
  let server: ManagedProcess | undefined;
  try {
    const db = { POSTGRES_SEEDS: '127.0.0.1', DB_PORT: String(postgres.port), POSTGRES_USER: DB_USER, POSTGRES_PWD: '' };
    await applySchemas(root, binaries, db, path.join(logs, 'setup-schema.log'));
    const started = await startServer({ root, binaries, dir: path.join(opts.dir, 'temporal'), db, logFile: path.join(logs, 'temporal-server.log'), certsDir: opts.certsDir, tls });
    server = started.process;
    await registerNamespace(started.address, namespace, tls);
    return {
      address: started.address,
      namespace,
      ...(tls ? { tls } : {}),
      version: binaries.version,
      postgres: postgres.process,
      server,
      async stop() {
        await server?.stop();
        await postgres.process.stop();
      },
    };
  } catch (err) {
    await server?.stop();
    await postgres.process.stop();
    throw err;
  }
}

/**
 * A PostgreSQL cluster of its own: initdb into `dataDir`, then `postgres` in the foreground on a
 * free loopback port, without a Unix socket. PostgreSQL refuses to run as root; as root, both run
 * as the `postgres` user that Debian's package creates (through setpriv, which execs, so the
 * process we stop is the server itself), and `dataDir`'s parents must let that user through.
 */
async function startPostgres(opts: { binaries: TemporalServerBinaries; dataDir: string; logFile: string }): Promise<{ port: number; process: ManagedProcess }> {
  fs.mkdirSync(path.dirname(opts.dataDir), { recursive: true });
  const asUser = await unprivilegedUser(opts.dataDir);
  const command = (bin: string, args: string[]): [string, string[]] =>
    asUser ? ['setpriv', ['--reuid', asUser.name, '--regid', asUser.name, '--init-groups', '--', path.join(opts.binaries.postgresBin, bin), ...args]] : [path.join(opts.binaries.postgresBin, bin), args];

  fs.mkdirSync(opts.dataDir, { recursive: true, mode: 0o700 });
  if (asUser) fs.chownSync(opts.dataDir, asUser.uid, asUser.gid);
  if (!fs.existsSync(path.join(opts.dataDir, 'PG_VERSION'))) {
    const [cmd, args] = command('initdb', ['-D', opts.dataDir, '-U', DB_USER, '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-instructions']);
    await run(cmd, args).catch((err: Error & { stderr?: string }) => {
      throw new Error(`initdb failed: ${err.stderr?.trim() || err.message}`);
    });
  }
  const port = await freePort();
  // The four services of one Temporal server each keep pools of up to 25 connections.
  const [cmd, args] = command('postgres', ['-D', opts.dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200']);
  const proc = ManagedProcess.start('postgresql', cmd, args, { logFile: opts.logFile });
  const isReady = path.join(opts.binaries.postgresBin, 'pg_isready');
  await waitUntilReady('PostgreSQL', () => run(isReady, ['-q', '-h', '127.0.0.1', '-p', String(port), '-U', DB_USER]), { timeoutMs: READY_TIMEOUT_MS, process: proc });
  return { port, process: proc };
}

/** As root: the `postgres` user, after checking that it can reach `dataDir`. Otherwise none. */
async function unprivilegedUser(dataDir: string): Promise<{ name: string; uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const name = 'postgres';
  const ids = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]).catch(() => {
    throw new Error(`PostgreSQL refuses to run as root and there is no ${name} user; install Debian's postgresql package or run as another user`);
  });
  const [uid, gid] = ids.map((r) => Number(r.stdout.trim())) as [number, number];
  for (let dir = path.dirname(path.resolve(dataDir)); ; dir = path.dirname(dir)) {
    if (fs.existsSync(dir) && (fs.statSync(dir).mode & 0o001) === 0) {
      throw new Error(`PostgreSQL runs as ${name} here, which cannot enter ${dir} (mode ${(fs.statSync(dir).mode & 0o777).toString(8)}); put its folder where others may pass`);
    }
    if (dir === path.dirname(dir)) break;
  }
  return { name, uid, gid };
}

async function applySchemas(root: string, binaries: TemporalServerBinaries, db: Record<string, string>, logFile: string): Promise<void> {
  const script = path.join(root, 'scripts', 'temporal-server', 'setup-schema.sh');
  const env = { PATH: process.env.PATH, ...db, TEMPORAL_SQL_TOOL: binaries.sqlTool, SCHEMA_DIR: binaries.schemaDir };
  const result = await run('sh', [script], { env, maxBuffer: 16 * 1024 * 1024 }).catch((err: Error & { stdout?: string; stderr?: string }) => {
    fs.writeFileSync(logFile, `${err.stdout ?? ''}${err.stderr ?? ''}`);
    throw new Error(`the Temporal schemas could not be applied (see ${logFile}): ${err.message.split('\n')[0]}`);
  });
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  fs.writeFileSync(logFile, result.stdout + result.stderr);
}

/** The server's config: the project's template, rendered by the server from the environment it is given. */
async function startServer(opts: {
  root: string;
  binaries: TemporalServerBinaries;
  dir: string;
  db: Record<string, string>;
  logFile: string;
  certsDir?: string;
  tls?: TLSConfig;
}): Promise<{ address: string; process: ManagedProcess }> {
  const templates = path.join(opts.root, 'scripts', 'temporal-server');
  fs.mkdirSync(path.join(opts.dir, 'config'), { recursive: true });
  fs.copyFileSync(path.join(templates, 'config.yaml'), path.join(opts.dir, 'config', 'lisplan.yaml'));
  fs.copyFileSync(path.join(templates, 'dynamicconfig.yaml'), path.join(opts.dir, 'dynamicconfig.yaml'));
  const ports: Record<string, string> = {};
  for (const name of ['FRONTEND_GRPC', 'FRONTEND_HTTP', 'HISTORY_GRPC', 'MATCHING_GRPC', 'WORKER_GRPC']) ports[`${name}_PORT`] = String(await freePort());
  // The server keeps its membership ports in a smallint column (cluster_membership.rpc_port):
  // one from the kernel's ephemeral range (32768 and up) stops it with "out of range".
  for (const name of ['FRONTEND', 'HISTORY', 'MATCHING', 'WORKER']) ports[`${name}_MEMBERSHIP_PORT`] = String(await freePortBelow(32_768));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...opts.db,
    ...ports,
    BIND_ON_IP: '127.0.0.1',
    TEMPORAL_BROADCAST_ADDRESS: '127.0.0.1',
    DYNAMIC_CONFIG_FILE_PATH: path.join(opts.dir, 'dynamicconfig.yaml'),
    TEMPORAL_LOG_LEVEL: 'warn',
    ...(opts.certsDir ? serverTlsEnv(opts.certsDir) : {}),
  };
  const address = `127.0.0.1:${ports.FRONTEND_GRPC_PORT}`;
  const args = ['--root', opts.dir, '--config', 'config', '--env', 'lisplan', '--allow-no-auth', 'start'];
  const proc = ManagedProcess.start('temporal-server', opts.binaries.server, args, { env, logFile: opts.logFile });
  await waitUntilReady('the Temporal server', () => probeTemporal(address, 'temporal-system', opts.tls), { timeoutMs: READY_TIMEOUT_MS, process: proc });
  return { address, process: proc };
}

/** The template's TLS variables, as docker-compose.yml sets them for the temporal service. */
function serverTlsEnv(certsDir: string): NodeJS.ProcessEnv {
  return {
    TEMPORAL_TLS_SERVER_CERT: path.join(certsDir, 'server.pem'),
    TEMPORAL_TLS_SERVER_KEY: path.join(certsDir, 'server-key.pem'),
    TEMPORAL_TLS_CA: path.join(certsDir, 'ca.pem'),
    TEMPORAL_TLS_CERT: path.join(certsDir, 'operator.pem'),
    TEMPORAL_TLS_KEY: path.join(certsDir, 'operator-key.pem'),
    TEMPORAL_TLS_SERVER_NAME: 'temporal',
  };
}

function operatorTls(certsDir: string): TLSConfig {
  const read = (file: string) => fs.readFileSync(path.join(certsDir, file));
  return { serverNameOverride: 'temporal', serverRootCACertificate: read('ca.pem'), clientCertPair: { crt: read('operator.pem'), key: read('operator-key.pem') } };
}

/**
 * Registers `namespace` (retention one day), as `temporal operator namespace create` does, and
 * waits until the frontend serves it: its namespace cache takes up to its refresh interval
 * (10 s) to see a new one.
 */
async function registerNamespace(address: string, namespace: string, tls: TLSConfig | undefined): Promise<void> {
  const connection = await Connection.connect({ address, ...(tls ? { tls } : {}) });
  try {
    await connection.workflowService
      .registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('1 day') })
      .catch((err: { code?: number }) => {
        if (err.code !== 6 /* ALREADY_EXISTS */) throw err;
      });
    await waitUntilReady(
      `the namespace ${namespace}`,
      () =>
        connection.workflowService.describeTaskQueue({
          namespace,
          taskQueue: { name: 'lisplan-namespace-probe' },
          taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
        }),
      { timeoutMs: READY_TIMEOUT_MS, intervalMs: 500 },
    );
  } finally {
    await connection.close();
  }
}
