import path from 'node:path';
import { loadConfig, redact } from '../platform/config';
import { runMain, startupError } from '../platform/main-guard';
import { serverBinaries } from './binaries';
import { startStore, startTemporal } from './embedded-servers';
import { startApiProcess, startWorkerProcess, waitForApi, waitForWorker } from './app-processes';
import type { ManagedProcess } from './managed-process';

/**
 * `make start`: the whole product on one machine. Starts the embedded Temporal and mongod
 * (unless TEMPORAL_ADDRESS / MONGODB_URI name external servers), then the worker and the
 * API as their own processes, waits until /readyz is 200 and stops everything on Ctrl-C.
 */
runMain('lisplan', async () => {
  const config = loadConfig();
  const started: ManagedProcess[] = [];
  let stopping = false;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write('\nlisplan: stopping…\n');
    for (const p of [...started].reverse()) await p.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  try {
    const logs = path.join(config.dataDir, 'logs');
    const childEnv: NodeJS.ProcessEnv = { ...process.env, TZ: 'UTC' };
    const binaries = config.temporal.embedded || config.mongo.embedded ? serverBinaries() : undefined;

    let temporalUi: string | undefined;
    if (config.temporal.embedded) {
      const t = await startTemporal({
        binaries: binaries!,
        port: Number(config.temporal.address.split(':').pop()),
        namespace: config.temporal.namespace,
        databaseFile: config.temporal.databaseFile,
        logFile: path.join(logs, 'temporal.log'),
        uiPort: config.temporal.uiPort,
      });
      started.push(t.process);
      temporalUi = t.uiUrl;
      childEnv.TEMPORAL_ADDRESS = t.address;
    }
    if (config.mongo.embedded) {
      const s = await startStore({
        binaries: binaries!,
        port: Number(new URL(config.mongo.uri).port),
        dataDir: config.mongo.dataDir,
        logFile: path.join(logs, 'mongod.log'),
      });
      started.push(s.process);
      childEnv.MONGODB_URI = s.uri;
    }

    const worker = startWorkerProcess(childEnv, { inheritOutput: true });
    started.push(worker);
    const api = startApiProcess(childEnv, { inheritOutput: true });
    started.push(api);

    const apiUrl = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
    await waitForApi(apiUrl, api);
    const temporalAddress = childEnv.TEMPORAL_ADDRESS ?? config.temporal.address;
    await waitForWorker({ ...config.temporal, address: temporalAddress }, worker);

    process.stdout.write(
      [
        '',
        'lisplan is running:',
        `  API:              ${apiUrl}/api/v1`,
        `  Readiness:        ${apiUrl}/readyz`,
        `  Temporal:         ${temporalAddress}`,
        ...(temporalUi ? [`  Temporal Web UI:  ${temporalUi}`] : []),
        `  Store:            ${redact(childEnv.MONGODB_URI ?? config.mongo.uri)}`,
        `  Data:             ${config.dataDir}`,
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );

    // If a child dies on its own, take the rest down too rather than limp on.
    const firstExit = await Promise.race(started.map((p) => p.waitForExit().then(() => p)));
    if (!stopping) {
      process.stderr.write(`lisplan: ${firstExit.name} exited unexpectedly; stopping the rest\n`);
      await stopAll(1);
    }
  } catch (err) {
    for (const p of [...started].reverse()) await p.stop();
    throw startupError((err as Error).message);
  }
});
