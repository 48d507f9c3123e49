import net from 'node:net';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { testServerBinary } from '../../src/stack/binaries';
import { freePort } from '../../src/stack/free-port';
import { ManagedProcess } from '../../src/stack/managed-process';
import { waitUntilReady } from '../../src/stack/readiness';

/**
 * Temporal's time-skipping test server (the Java one from Maven Central, provisioned by
 * scripts/provision-servers.sh). The SDK's own default downloads it from temporal.download,
 * which a machine without internet cannot reach. Timers skip ahead whenever the client awaits
 * a workflow result, or on `env.sleep(…)`.
 *
 * It is started here rather than by the SDK, whose fixed 5-s start-up limit a JVM on a loaded
 * machine (or under libfaketime, scripts/test-on-date.sh) overruns: a slow machine must make
 * the tests slower, not red. `create` is the SDK's own constructor behind createTimeSkipping,
 * given the running server as an existing one.
 */
const START_GUARD_MS = 120_000;

type Create = (opts: { supportsTimeSkipping: boolean; server: { type: 'existing' }; address: string }) => Promise<TestWorkflowEnvironment>;

export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  const port = await freePort();
  const server = ManagedProcess.start('temporal-test-server', testServerBinary(), [String(port)]);
  try {
    await waitUntilReady('the Temporal test server', () => accepting(port), { timeoutMs: START_GUARD_MS, intervalMs: 100, process: server });
    const create = (TestWorkflowEnvironment as unknown as { create: Create }).create.bind(TestWorkflowEnvironment);
    const env = await create({ supportsTimeSkipping: true, server: { type: 'existing' }, address: `127.0.0.1:${port}` });
    const teardown = env.teardown.bind(env);
    env.teardown = async () => {
      try {
        await teardown();
      } finally {
        await server.stop();
      }
    };
    return env;
  } catch (err) {
    await server.stop();
    throw err;
  }
}

/** Resolves once something accepts connections on the port. */
function accepting(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}
