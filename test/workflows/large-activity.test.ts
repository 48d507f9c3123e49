import { randomUUID } from 'node:crypto';
import { startActivityWorkflow } from '../../src/services/plans/start-activity';
import { changeUpdate } from '../../src/workflows/messages/activity';
import { owner } from '../support/actors';
import { eventually } from '../support/eventually';
import { startTestStackAround, type TestStack } from '../support/stack';
import { quietDueDate, thisYear } from '../support/calendar';

/**
 * An activity with many long tasks, changed quickly while its projection lags (a slow or absent
 * store). Each audit event once carried the whole task list twice, so the projection's input
 * outgrew Temporal's 4 MB message limit and the workflow task failed for good: every later
 * change answered 500. The bench found it.
 */
describe('a large activity changed faster than it is projected', () => {
  let stack: TestStack;
  let release: () => void = () => undefined;
  const held = new Promise<void>((r) => (release = r));
  const batches: number[] = [];

  beforeAll(async () => {
    stack = await startTestStackAround((real) => ({
      ...real,
      async persistActivityChange(input) {
        batches.push(input.events.length);
        if (input.snapshot.version > 1) await held;
        await real.persistActivityChange(input);
      },
    }));
  });
  afterAll(async () => {
    release();
    await stack?.close();
  });

  it('keeps each event small, projects in bounded batches and loses nothing', async () => {
    const tasks = 300;
    const changes = 60;
    const { id } = await startActivityWorkflow(stack.env.client, stack.config.temporal.taskQueue, {
      activity: {
        orgId: 'storlek',
        key: `stor-${randomUUID().slice(0, 6)}`,
        year: thisYear(),
        dueDate: quietDueDate(),
        title: 'Klassning av många informationstillgångar',
        area: 'klassning',
        owner: { role: 'it-coordinator' },
        extraTasks: Array.from({ length: tasks }, (_, i) => `Klassa informationstillgång ${i + 1}: ${'beskrivning '.repeat(30)}`),
      },
    });
    await eventually(async () => ((await stack.models.activities.findById(id).lean()) ? true : undefined), 'first projection');
    const handle = stack.env.client.workflow.getHandle(id);
    for (let i = 1; i <= changes; i++) {
      const result = await handle.executeUpdate(changeUpdate, {
        args: [{ workflowId: id, requestId: `stor-${i}`, actor: owner, command: { type: 'complete-task', taskId: `uppgift-${i}` } }],
      });
      expect(result.version).toBe(i + 1);
    }
    release();

    const doc = await eventually(async () => {
      const d = await stack.models.activities.findById(id).lean();
      return d && d.version === changes + 1 ? d : undefined;
    }, 'all changes projected');
    expect(doc.tasks.filter((t) => t.done)).toHaveLength(changes);
    const events = await eventually(async () => {
      const e = await stack.models.auditEvents.find({ activityId: id }).sort({ version: 1 }).lean();
      return e.length === changes + 1 ? e : undefined;
    }, 'all audit events');
    expect(events.map((e) => e.version)).toEqual(Array.from({ length: changes + 1 }, (_, i) => i + 1));
    const completion = events[1]!;
    expect(completion.changes.map((c) => c.field)).toEqual(['status', 'tasks[uppgift-1]']);
    expect(JSON.stringify(completion.changes).length).toBeLessThan(2_000);
    expect(Math.max(...batches)).toBeLessThanOrEqual(50);
  });
});
