import net from 'node:net';
import { TestWorkflowEnvironment, type ClientOptionsForTestEnv } from '@temporalio/testing';
import { testServerBinary } from '../../src/stack/binaries';
import { freePortBelow } from '../../src/stack/free-port';
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
const START_ATTEMPTS = 3;

type Create = (opts: { supportsTimeSkipping: boolean; server: { type: 'existing' }; address: string; client?: ClientOptionsForTestEnv }) => Promise<TestWorkflowEnvironment>;

/** `client`: e.g. the data converter of a worker with a payload key, for `env.client` to seal what it sends. */
export async function createTimeSkippingEnv(client?: ClientOptionsForTestEnv): Promise<TestWorkflowEnvironment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnFreshPort(client);
    } catch (err) {
      // A port found free can be taken by another test process before the JVM binds it; the
      // SDK then reaches a foreign server (an HTTP/2 GOAWAY) and the test server exits. Another
      // port is the fix; a real fault repeats and is thrown.
      if (attempt >= START_ATTEMPTS) throw err;
    }
  }
}

async function startOnFreshPort(client: ClientOptionsForTestEnv | undefined): Promise<TestWorkflowEnvironment> {
  // Below the kernel's ephemeral range, so no port-0 listener elsewhere is handed the same one.
  const port = await freePortBelow(32_768);
  const server = ManagedProcess.start('temporal-test-server', testServerBinary(), [String(port)]);
  try {
    await waitUntilReady('the Temporal test server', () => accepting(port), { timeoutMs: START_GUARD_MS, intervalMs: 100, process: server });
    const create = (TestWorkflowEnvironment as unknown as { create: Create }).create.bind(TestWorkflowEnvironment);
    const env = await create({ supportsTimeSkipping: true, server: { type: 'existing' }, address: `127.0.0.1:${port}`, ...(client ? { client } : {}) });
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
