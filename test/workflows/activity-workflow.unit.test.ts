import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Activities } from '../../src/activities';
import type { ActivityState } from '../../src/domain/activity';
import type { ChangeEvent } from '../../src/domain/change-event';
import type { Command } from '../../src/domain/changes';
import { dateInZone, type ScheduledNotification } from '../../src/domain/deadlines';
import { notificationId } from '../../src/domain/notification';
import { startActivityWorkflow } from '../../src/services/plans/start-activity';
import { changeUpdate, stateQuery } from '../../src/workflows/messages/activity';
import { owner, viewer } from '../support/actors';
import { eventually } from '../support/eventually';
import { createTimeSkippingEnv } from '../support/time-skipping';

const TZ = 'Europe/Stockholm';
const DAY_MS = 86_400_000;

/**
 * The activity workflow's core paths with its Temporal Activities mocked: no store, no dev
 * server, only the time-skipping test server. The mocks record what the workflow asked of the
 * store, which is all a projection or a notice is from the workflow's side.
 */
describe('the activity workflow with mocked activities', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = `activity-unit-${randomUUID().slice(0, 8)}`;
  const projections: { activityId: string; snapshot: ActivityState; events: ChangeEvent[] }[] = [];
  const reminders: { activityId: string; point: ScheduledNotification }[] = [];
  const deliveries: string[] = [];

  const mocks: Partial<Activities> = {
    async persistActivityChange({ snapshot, events }) {
      projections.push({ activityId: snapshot.id, snapshot, events });
    },
    async recordNotification({ activity, point }) {
      reminders.push({ activityId: activity.id, point });
    },
    async recordChangeNotification({ activity, notice }) {
      return notificationId(activity.id, notice.key);
    },
    async deliverNotification(id: string) {
      deliveries.push(id);
      return { status: 'disabled' as const };
    },
  };

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: { codePath: process.env.LISPLAN_TEST_WORKFLOW_BUNDLE! },
      activities: mocks,
    });
    running = worker.run();
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  /** Starts an activity due `daysAhead` days from the test server's now, in the plan's zone. */
  const start = async (key: string, daysAhead: number) => {
    const dueDate = dateInZone((await env.currentTimeMs()) + daysAhead * DAY_MS, TZ);
    const { id } = await startActivityWorkflow(env.client, taskQueue, {
      activity: { orgId: 'sodermalm', key, year: Number(dueDate.slice(0, 4)), dueDate, title: `Aktivitet ${key}`, area: 'ai', owner: { role: 'it-coordinator' } },
      timeZone: TZ,
    });
    return { id, dueDate, handle: env.client.workflow.getHandle(id) };
  };
  const change = (id: string, actor: typeof owner, command: Command) =>
    env.client.workflow.getHandle(id).executeUpdate(changeUpdate, { args: [{ workflowId: id, requestId: randomUUID(), actor, command }] });
  const projectedOf = (id: string) => projections.filter((p) => p.activityId === id);

  it('accepts a change, projects it, and only then answers', async () => {
    const { id } = await start('godkand', 90);
    const result = await change(id, owner, { type: 'complete-task', taskId: 'genomfor' });

    expect(result).toMatchObject({ version: 2, duplicate: false, projected: true, state: { status: 'in-progress' } });
    const written = projectedOf(id);
    expect(written.at(-1)!.snapshot).toMatchObject({ version: 2, status: 'in-progress' });
    expect(written.flatMap((p) => p.events).map((e) => [e.version, e.action, e.actor.userId])).toEqual([
      [1, 'created', 'system'],
      [2, 'complete-task', owner.userId],
    ]);
  });

  it('refuses a change the actor may not make, before it enters the history, and projects nothing of it', async () => {
    const { id, handle } = await start('nekad', 90);
    const refused = change(id, viewer, { type: 'complete-task', taskId: 'genomfor' });

    await expect(refused).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(refused).rejects.toMatchObject({ cause: { type: 'Forbidden' } });
    expect((await handle.query(stateQuery)).version).toBe(1);
    const history = await handle.fetchHistory();
    expect(history.events!.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toBe(false);
    expect(projectedOf(id).flatMap((p) => p.events).map((e) => e.action)).toEqual(['created']);
  });

  it('records the first reminder when simulated time reaches its point, and hands it to delivery', async () => {
    const { id, dueDate, handle } = await start('paminnelse', 45);
    await handle.query(stateQuery); // the first workflow task has run: the reminder's timer is set
    const key = `reminder:${dueDate}:-30:activity-owner`;
    expect(reminders.filter((r) => r.activityId === id)).toEqual([]);

    // To thirty days before the due date, and half a day on: past the reminder's hour of that day.
    await env.sleep(15 * DAY_MS + 12 * 3_600_000);
    const recorded = await eventually(async () => reminders.find((r) => r.activityId === id), 'the 30-day reminder');
    expect(recorded.point).toMatchObject({ key, kind: 'reminder', offsetDays: -30, recipientRole: 'activity-owner', dueDate });
    expect(Date.parse(recorded.point.at)).toBeLessThanOrEqual(await env.currentTimeMs());
    await eventually(async () => (deliveries.includes(notificationId(id, key)) ? true : undefined), 'its delivery');
    // Only the reminder that is due: the 7- and 1-day ones wait for their own points.
    expect(reminders.filter((r) => r.activityId === id).map((r) => r.point.offsetDays)).toEqual([-30]);
  });
});
