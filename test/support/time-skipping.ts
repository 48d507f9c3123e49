import { TestWorkflowEnvironment } from '@temporalio/testing';
import { testServerBinary } from '../../src/stack/binaries';

/**
 * Temporal's time-skipping test server (the Java one from Maven Central, provisioned by
 * scripts/provision-servers.sh), started by @temporalio/testing on a free port. The SDK's own
 * default downloads it from temporal.download, which a machine without internet cannot reach.
 * Timers skip ahead whenever the client awaits a workflow result, or on `env.sleep(…)`.
 */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: testServerBinary() } },
  });
}
