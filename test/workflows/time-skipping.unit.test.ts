import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { DAY_MS, bumpUpdate, stateQuery, timerProbe } from '../fixtures/workflows/timer-probe';
import { createTimeSkippingEnv } from '../support/time-skipping';

/**
 * Proof that the Java time-skipping test server serves this SDK: long timers pass in seconds
 * of wall time, and Updates with validators and queries work as on the real server.
 */
describe('time-skipping test server', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = `time-skipping-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../fixtures/workflows/timer-probe'),
    });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  it('runs a 30-day timer in seconds, with a validated Update and a query on the way', async () => {
    expect(env.supportsTimeSkipping).toBe(true);
    const handle = await env.client.workflow.start(timerProbe, {
      workflowId: `timer-probe-${randomUUID()}`,
      taskQueue,
      args: [30],
    });
    const serverTimeAtStart = await env.currentTimeMs();

    // Time is locked until the client awaits a result: the workflow still sleeps meanwhile.
    await expect(handle.executeUpdate(bumpUpdate, { args: [5] })).resolves.toBe(5);
    const rejected = handle.executeUpdate(bumpUpdate, { args: [-1] });
    await expect(rejected).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(rejected).rejects.toMatchObject({ cause: { message: expect.stringMatching(/non-negative/) } });
    await expect(handle.executeUpdate(bumpUpdate, { args: [2] })).resolves.toBe(7);
    // The rejected Update never reached the handler (validators leave no trace in history).
    await expect(handle.query(stateQuery)).resolves.toMatchObject({ wokeAt: null, total: 7, bumps: [5, 2] });

    const wallStart = Date.now();
    const result = await handle.result();
    const wallMs = Date.now() - wallStart;

    expect(result.wokeAt! - result.startedAt).toBeGreaterThanOrEqual(30 * DAY_MS);
    expect(result.wokeAt! - result.startedAt).toBeLessThan(31 * DAY_MS);
    expect((await env.currentTimeMs()) - serverTimeAtStart).toBeGreaterThanOrEqual(30 * DAY_MS);
    expect(wallMs).toBeLessThan(10_000);
    expect(result).toMatchObject({ total: 7, bumps: [5, 2] });
  });

  it('skips time on env.sleep, and the workflow timers see it', async () => {
    const handle = await env.client.workflow.start(timerProbe, {
      workflowId: `timer-probe-${randomUUID()}`,
      taskQueue,
      args: [30],
    });
    await handle.query(stateQuery); // the first workflow task has run: the timer is set

    const before = await env.currentTimeMs();
    const wallStart = Date.now();
    await env.sleep('7 days');
    const afterWeek = await env.currentTimeMs();
    expect(afterWeek - before).toBeGreaterThanOrEqual(7 * DAY_MS);
    expect(afterWeek - before).toBeLessThan(8 * DAY_MS);
    expect(Date.now() - wallStart).toBeLessThan(5_000);
    await expect(handle.query(stateQuery)).resolves.toMatchObject({ wokeAt: null });

    await env.sleep('24 days');
    const woken = await eventually(async () => {
      const state = await handle.query(stateQuery);
      return state.wokeAt === null ? undefined : state;
    });
    expect(woken.wokeAt! - woken.startedAt).toBeGreaterThanOrEqual(30 * DAY_MS);
    await expect(handle.result()).resolves.toMatchObject({ wokeAt: woken.wokeAt });
  });
});

/** Polls until `probe` answers something, for work the worker does after the server moved on. */
async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`nothing after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
