import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../src/activities';
import { connectStore } from '../../src/store/connection';
import { createModels } from '../../src/store/models';
import { serverBinaries } from '../../src/stack/binaries';
import { createWorker } from '../../src/temporal/worker';
import { smokeWorkflow } from '../../src/workflows/smoke';
import { testConfig } from '../support/stack';

/**
 * @temporalio/testing starting its own dev server from the binary we built (existing-path):
 * the SDK's default download of a server cannot work on a machine without internet.
 */
describe('smokeWorkflow on a dev server started by @temporalio/testing', () => {
  let env: TestWorkflowEnvironment;
  const config = testConfig();

  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createLocal({
      server: { executable: { type: 'existing-path', path: serverBinaries().temporal } },
    });
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('records its note through the activity into the store, once, under the workflow id', async () => {
    const store = await connectStore(config.mongo);
    const models = createModels(store);
    const { worker } = await createWorker({
      temporal: config.temporal,
      activities: createActivities({ models, timeZone: config.planTimeZone }),
      connection: env.nativeConnection,
      workflowBundlePath: process.env.LISPLAN_TEST_WORKFLOW_BUNDLE,
    });
    try {
      const result = await worker.runUntil(
        env.client.workflow.execute(smokeWorkflow, {
          workflowId: 'smoke-wf-1',
          taskQueue: config.temporal.taskQueue,
          args: [{ message: 'Hej från arbetsflödet' }],
        }),
      );
      expect(result.id).toBe('smoke-wf-1');
      const notes = await models.smokeNotes.find({}).lean();
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatchObject({ _id: 'smoke-wf-1', message: 'Hej från arbetsflödet' });
      expect(notes[0]!.recordedAt.toISOString()).toBe(result.recordedAt);
    } finally {
      await store.dropDatabase();
      await store.close();
    }
  });

});
