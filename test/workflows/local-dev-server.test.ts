import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../src/activities';
import { startActivityWorkflow } from '../../src/services/plans/start-activity';
import { connectStore } from '../../src/store/connection';
import { createModels } from '../../src/store/models';
import { serverBinaries } from '../../src/stack/binaries';
import { clientDataConverter } from '../../src/temporal/connection';
import { createWorker } from '../../src/temporal/worker';
import { quietDueDate, thisYear } from '../support/calendar';
import { projected } from '../support/projected';
import { testConfig } from '../support/stack';

/**
 * @temporalio/testing starting its own dev server from the binary we built (existing-path):
 * the SDK's default download of a server cannot work on a machine without internet.
 */
describe('the activity workflow on a dev server started by @temporalio/testing', () => {
  let env: TestWorkflowEnvironment;
  const config = testConfig();

  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createLocal({
      server: { executable: { type: 'existing-path', path: serverBinaries().temporal } },
      // The app's own client seals what it sends; the worker refuses a start that is not sealed.
      client: { dataConverter: clientDataConverter(config.temporal) },
    });
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('projects the new activity through its activity into the store, once, under its business id', async () => {
    const store = await connectStore(config.mongo);
    const models = createModels(store);
    const { worker } = await createWorker({
      temporal: config.temporal,
      activities: createActivities({ models, timeZone: config.planTimeZone }),
      connection: env.nativeConnection,
      workflowBundlePath: process.env.LISPLAN_TEST_WORKFLOW_BUNDLE,
    });
    const year = thisYear();
    try {
      const doc = await worker.runUntil(async () => {
        const { id, started } = await startActivityWorkflow(env.client, config.temporal.taskQueue, {
          activity: { orgId: 'sodermalm', key: 'dev-server', year, dueDate: quietDueDate(), title: 'Hej från arbetsflödet', area: 'ai', owner: { role: 'it-coordinator' } },
        });
        expect({ id, started }).toEqual({ id: `sodermalm.${year}.dev-server`, started: true });
        const projection = await projected({ models, env }, id, 1);
        // The activity's workflow lives until the activity closes; this one ends with the test.
        await env.client.workflow.getHandle(id).terminate('test over');
        return projection;
      });
      expect(doc).toMatchObject({ _id: `sodermalm.${year}.dev-server`, title: 'Hej från arbetsflödet', version: 1, status: 'planned' });
      expect(await models.activities.countDocuments()).toBe(1);
      const audit = await models.auditEvents.find({}).lean();
      expect(audit.map((e) => [e.activityId, e.version, e.action])).toEqual([[`sodermalm.${year}.dev-server`, 1, 'created']]);
    } finally {
      await store.dropDatabase();
      await store.close();
    }
  });
});
