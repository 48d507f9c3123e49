import path from 'node:path';
import { verifyOrganisationChain } from '../../src/services/audit/store';
import { serverBinaries } from '../../src/stack/binaries';
import { startStore, type EmbeddedStore } from '../../src/stack/embedded-servers';
import { startActivityWorkflow } from '../../src/services/plans/start-activity';
import { changeUpdate } from '../../src/workflows/messages/activity';
import { owner } from '../support/actors';
import { eventually } from '../support/eventually';
import { freePort } from '../../src/stack/free-port';
import { startTestStack, type TestStack } from '../support/stack';
import { quietDueDate, thisYear } from '../support/calendar';
import { acceptedAtLeast, completeAll, expectConsistent, failures, startActivities, startFaultRig, type FaultRig } from './rig';

/**
 * The store goes away while owners keep working. Their changes are accepted by the workflows
 * (the source of truth); the projection and the audit trail catch up when the store is back,
 * each change exactly once.
 */
describe('a store outage', () => {
  let store: EmbeddedStore;
  let stack: TestStack;
  let storeOpts: Parameters<typeof startStore>[0];

  beforeAll(async () => {
    const port = await freePort();
    const dir = path.join(process.env.LISPLAN_TEST_DIR!, `outage-${port}`);
    storeOpts = { binaries: serverBinaries(), port, dataDir: dir, logFile: `${dir}.log` };
    store = await startStore(storeOpts);
    stack = await startTestStack({ env: { MONGODB_URI: store.uri } });
  });
  afterAll(async () => {
    await stack?.close();
    await store?.process.stop();
  });

  it('delays the projection and loses nothing', async () => {
    const { id } = await startActivityWorkflow(stack.env.client, stack.config.temporal.taskQueue, {
      activity: { orgId: 'avbrott', key: 'under-avbrott', year: thisYear(), dueDate: quietDueDate(), title: 'Arbete under avbrott', area: 'ai', owner: { role: 'it-coordinator' }, template: 'ai-routines' },
    });
    await eventually(async () => ((await stack.models.activities.findById(id).lean()) ? true : undefined), 'first projection');

    await store.process.kill();
    const handle = stack.env.client.workflow.getHandle(id);
    const results = [];
    for (const [i, command] of [
      { type: 'complete-task', taskId: 'rutin-anvandning' },
      { type: 'add-comment', text: 'Skrivet medan databasen var nere' },
      { type: 'complete-task', taskId: 'rutin-utveckling' },
    ].entries()) {
      results.push(await handle.executeUpdate(changeUpdate, { args: [{ workflowId: handle.workflowId, requestId: `outage-${i}`, actor: owner, command: command as never }] }));
    }
    expect(results.map((r) => r.version)).toEqual([2, 3, 4]);

    // The projection activity is failing and retrying now (each attempt waits out the
    // driver's server selection first, so the second one comes some seconds later).
    await eventually(async () => ((await handle.describe()).raw.pendingActivities?.[0]?.attempt ?? 0) > 1 || undefined, 'the projection retrying', 120_000);

    store = await startStore(storeOpts);
    const doc = await eventually(async () => {
      const d = await stack.models.activities.findById(id).lean().catch(() => null);
      return d && d.version === 4 ? d : undefined;
    }, 'projection caught up', 90_000);
    expect(doc.tasks.every((t) => t.done)).toBe(true);
    expect(doc.entries).toHaveLength(1);

    const events = await stack.models.auditEvents.find({ activityId: id }).sort({ seq: 1 }).lean();
    expect(events.map((e) => e.version)).toEqual([1, 2, 3, 4]);
    expect(await verifyOrganisationChain(stack.models.auditEvents, 'avbrott')).toMatchObject({ ok: true, events: 4 });
  });
});

/**
 * The same outage seen by owners through the API, for 20 s under load: the API answers 503 with
 * Retry-After while it cannot authenticate anyone, clients retry with their Idempotency-Key,
 * and when the store is back every change is projected and audited exactly once.
 */
describe('a 20-second store outage under API load', () => {
  let rig: FaultRig;
  beforeAll(async () => {
    rig = await startFaultRig('store');
  });
  afterAll(() => rig?.close());

  it('answers 503 with Retry-After meanwhile and loses nothing', async () => {
    const ids = await startActivities(rig, 20, 5);
    const load = completeAll(rig, ids, 5, { oneAtATime: true });
    await acceptedAtLeast(load, 20);
    await rig.stack.store.process.kill();
    const down = await fetch(`${rig.stack.apiUrl}/readyz`);
    expect(down.status).toBe(503);
    await new Promise((r) => setTimeout(r, 20_000));
    await rig.stack.startStore();

    const [attempts, results] = [load.attempts, await load.done];
    expect(attempts.statuses).toContain(503);
    expect(attempts.withoutRetryAfter).toBe(0);
    expect(failures(attempts)).toEqual([]);
    expect(results).toHaveLength(100);
    await expectConsistent(rig, [ids, 5]);
  });
});
