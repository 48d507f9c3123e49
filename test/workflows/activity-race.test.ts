import { randomUUID } from 'node:crypto';
import { dateInZone } from '../../src/domain/deadlines';
import { startActivityWorkflow } from '../../src/services/plans/start-activity';
import { changeUpdate } from '../../src/workflows/messages/activity';
import { owner } from '../support/actors';
import { eventually } from '../support/eventually';
import { startTestStackAround, type TestStack } from '../support/stack';

/**
 * A change accepted while the workflow awaits an activity (here: recording a reminder that is
 * already due) must still be projected at once, not at the next timer weeks later.
 */
describe('a change that arrives while the workflow awaits an activity', () => {
  let stack: TestStack;
  let release: () => void = () => undefined;
  let recording = false;
  const held = new Promise<void>((r) => (release = r));

  beforeAll(async () => {
    stack = await startTestStackAround((real) => ({
      ...real,
      async recordNotification(input) {
        recording = true;
        await held;
        await real.recordNotification(input);
      },
    }));
  });
  afterAll(async () => {
    release();
    await stack?.close();
  });

  it('is projected as soon as the activity returns', async () => {
    // Due in ten days: the 30-day reminder is already past, so the workflow records it at once.
    const due = dateInZone(Date.now() + 10 * 86_400_000, 'Europe/Stockholm');
    const { id } = await startActivityWorkflow(stack.env.client, stack.config.temporal.taskQueue, {
      activity: { orgId: 'kapplopning', key: `k-${randomUUID().slice(0, 6)}`, year: Number(due.slice(0, 4)), dueDate: due, title: 'Kapplöpning', area: 'ai', owner: { role: 'it-coordinator' } },
    });
    await eventually(async () => recording || undefined, 'the reminder being recorded');
    const result = await stack.env.client.workflow.getHandle(id).executeUpdate(changeUpdate, {
      args: [{ workflowId: id, requestId: 'under-aktivitet', actor: owner, command: { type: 'start' } }],
    });
    expect(result.version).toBe(2);
    release();
    const doc = await eventually(async () => {
      const d = await stack.models.activities.findById(id).lean();
      return d && d.version === 2 ? d : undefined;
    }, 'version 2 projected', 20_000);
    expect(doc.status).toBe('in-progress');
  });
});
