import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Connection } from 'mongoose';
import { createActivities } from '../../src/activities';
import { connectStore } from '../../src/store/connection';
import { createModels, type Models } from '../../src/store/models';
import { dateInZone, localTimeOn, deadlineInstant } from '../../src/domain/deadlines';
import { startActivityWorkflow } from '../../src/services/plans/start-activity';
import { clientDataConverter } from '../../src/temporal/connection';
import { createWorker } from '../../src/temporal/worker';
import { changeUpdate, stateQuery } from '../../src/workflows/messages/activity';
import { head, owner } from '../support/actors';
import { eventually } from '../support/eventually';
import { testConfig } from '../support/stack';
import { createTimeSkippingEnv } from '../support/time-skipping';

const TZ = 'Europe/Stockholm';
const DAY = 24 * 3600 * 1000;

/**
 * Reminders and escalations on durable timers, in simulated time: the Java test server skips
 * the weeks between them. Notifications are recorded in the real store, each exactly once.
 */
describe('reminders and escalations of an activity', () => {
  let env: TestWorkflowEnvironment;
  let store: Connection;
  let models: Models;
  const config = testConfig();
  let worker: { worker: Worker; running: Promise<void> };

  const startWorker = async () => {
    const { worker: w } = await createWorker({
      temporal: config.temporal,
      activities: createActivities({ models, timeZone: TZ }),
      connection: env.nativeConnection,
      workflowBundlePath: process.env.LISPLAN_TEST_WORKFLOW_BUNDLE,
      identity: `worker-${randomUUID().slice(0, 4)}`,
      // No sticky cache: a sticky queue of a stopped worker would time out in server time,
      // which the test server holds still. It also makes every task replay the full history.
      maxCachedWorkflows: 0,
    });
    return { worker: w, running: w.run() };
  };

  beforeAll(async () => {
    env = await createTimeSkippingEnv({ dataConverter: clientDataConverter(config.temporal) });
    store = await connectStore(config.mongo);
    models = createModels(store);
    worker = await startWorker();
  });
  afterAll(async () => {
    worker?.worker.shutdown();
    await worker?.running;
    await env?.teardown();
    await store?.dropDatabase();
    await store?.close();
  });

  /** Skips simulated time to just after `iso`. */
  const sleepUntil = async (iso: string) => {
    const ms = Date.parse(iso) - (await env.currentTimeMs()) + 3_600_000;
    if (ms > 0) await env.sleep(ms);
  };
  // The deadline's notices; sign-offs and decisions are test/notifications/decisions-and-inbox's.
  const notifications = async (activityId: string) =>
    (await models.notifications.find({ activityId, kind: { $in: ['reminder', 'overdue', 'escalation'] } }).sort({ dueAt: 1 }).lean()).map(
      (n) => `${n.kind}${(n.offsetDays ?? 0) >= 0 ? '+' : ''}${n.offsetDays} ${n.dueDate} → ${n.recipientRole}`,
    );
  const expectNotifications = (id: string, expected: string[]) =>
    eventually(async () => {
      const got = await notifications(id);
      return got.length >= expected.length ? got : undefined;
    }, `${expected.length} notifications`).then((got) => expect(got).toEqual(expected));

  it('reminds 30, 7 and 1 days before, marks overdue, escalates at +7 and +14, re-arms after a moved deadline, and sends each once across a worker restart', async () => {
    const now = await env.currentTimeMs();
    const due = dateInZone(now + 45 * DAY, TZ);
    const { id } = await startActivityWorkflow(env.client, config.temporal.taskQueue, {
      activity: { orgId: 'sodermalm', key: `paminnelser-${randomUUID().slice(0, 6)}`, year: Number(due.slice(0, 4)), dueDate: due, title: 'Påminnelsetest', area: 'utbildning', owner: { role: 'it-coordinator' } },
    });
    const handle = env.client.workflow.getHandle(id);
    await handle.query(stateQuery);
    expect(await notifications(id)).toEqual([]);

    await sleepUntil(localTimeOn(due, -30, TZ));
    await expectNotifications(id, [`reminder-30 ${due} → it-coordinator`]);

    // The worker goes away between two reminders. Its successor rebuilds the workflow by
    // replaying its history, without repeating a notification. (The test server does not
    // skip time while a workflow task waits for a worker, so the successor starts first.)
    worker.worker.shutdown();
    await worker.running;
    worker = await startWorker();
    await sleepUntil(localTimeOn(due, -7, TZ));
    await expectNotifications(id, [`reminder-30 ${due} → it-coordinator`, `reminder-7 ${due} → it-coordinator`]);

    // The förvaltningschef grants 60 more days: the old -1, overdue and escalations never come.
    const moved = dateInZone(Date.parse(deadlineInstant(due, TZ)) + 60 * DAY, TZ);
    await handle.executeUpdate(changeUpdate, { args: [{ workflowId: id, requestId: 'ext-1', actor: owner, command: { type: 'request-extension', proposedDueDate: moved, reason: 'Fler tillgångar att klassa' } }] });
    await handle.executeUpdate(changeUpdate, { args: [{ workflowId: id, requestId: 'ext-2', actor: head, command: { type: 'decide-extension', extensionId: 'forlangning-1', decision: 'grant' } }] });
    await sleepUntil(localTimeOn(due, 14, TZ));
    expect(await notifications(id)).toEqual([`reminder-30 ${due} → it-coordinator`, `reminder-7 ${due} → it-coordinator`]);

    await sleepUntil(localTimeOn(moved, 14, TZ));
    await expectNotifications(id, [
      `reminder-30 ${due} → it-coordinator`,
      `reminder-7 ${due} → it-coordinator`,
      `reminder-30 ${moved} → it-coordinator`,
      `reminder-7 ${moved} → it-coordinator`,
      `reminder-1 ${moved} → it-coordinator`,
      `overdue+0 ${moved} → it-coordinator`,
      `escalation+7 ${moved} → security-coordinator`,
      `escalation+14 ${moved} → head-of-administration`,
    ]);
    const overdue = await models.notifications.findOne({ activityId: id, kind: 'overdue' }).lean();
    expect(overdue!.dueAt.toISOString()).toBe(deadlineInstant(moved, TZ));
    expect((await handle.query(stateQuery)).overdue).toBe(true);

    // Long after: nothing more, and nothing twice.
    await env.sleep(60 * DAY);
    expect(await notifications(id)).toHaveLength(8);
  });

  it('sends no reminders once the work is done', async () => {
    const now = await env.currentTimeMs();
    // Due in 40 days: no reminder is due yet when the work is done (a past one is sent at once).
    const due = dateInZone(now + 40 * DAY, TZ);
    const { id } = await startActivityWorkflow(env.client, config.temporal.taskQueue, {
      activity: { orgId: 'sodermalm', key: `klar-${randomUUID().slice(0, 6)}`, year: Number(due.slice(0, 4)), dueDate: due, title: 'Klar i tid', area: 'ai', owner: { role: 'it-coordinator' } },
    });
    const handle = env.client.workflow.getHandle(id);
    for (const [requestId, actor, command] of [
      ['d-1', owner, { type: 'complete-task', taskId: 'genomfor' }],
      ['d-2', owner, { type: 'submit-milestone', milestoneId: 'slutford' }],
      ['d-3', head, { type: 'approve-milestone', milestoneId: 'slutford' }],
    ] as const) {
      await handle.executeUpdate(changeUpdate, { args: [{ workflowId: id, requestId, actor, command }] });
    }
    await env.sleep(60 * DAY);
    expect(await notifications(id)).toEqual([]);
    expect((await handle.query(stateQuery)).status).toBe('done');
  });
});
