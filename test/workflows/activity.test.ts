import { WorkflowUpdateFailedError } from '@temporalio/client';
import { verifyOrganisationChain } from '../../src/services/audit/store';
import type { Command } from '../../src/domain/changes';
import type { NewActivity } from '../../src/domain/new-activity';
import type { Actor } from '../../src/domain/activity';
import { startActivityWorkflow } from '../../src/services/plans/start-activity';
import { changeUpdate, stateQuery, type ActivityWorkflowInput, type ChangeMessage } from '../../src/workflows/messages/activity';
import { coordinator, head, owner, viewer } from '../support/actors';
import { eventually } from '../support/eventually';
import { projected } from '../support/projected';
import { startTestStack, type TestStack } from '../support/stack';
import { daysFromToday, deadlineOf, quietDueDate, thisYear } from '../support/calendar';
import { addYears } from '../../src/domain/deadlines';

const YEAR = thisYear();
const DUE = quietDueDate();

/** The activity workflow on the real Temporal dev server, projecting into the real store. */
describe('activity workflow', () => {
  let stack: TestStack;
  let n = 0;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack?.close());

  const plan = (key: string, extra: Partial<NewActivity> = {}): ActivityWorkflowInput => ({
    activity: { orgId: 'sodermalm', key, year: YEAR, dueDate: DUE, title: `Aktivitet ${key}`, area: 'ai', owner: { role: 'it-coordinator' }, ...extra },
  });
  const start = (input: ActivityWorkflowInput) => startActivityWorkflow(stack.env.client, stack.config.temporal.taskQueue, input);
  const handle = (id: string) => stack.env.client.workflow.getHandle(id);
  const change = (id: string, actor: Actor, command: Command, requestId = `req-${++n}`) =>
    handle(id).executeUpdate(changeUpdate, { args: [{ workflowId: id, requestId, actor, command } satisfies ChangeMessage] });

  it('starts idempotently under its business id and projects itself with a created event', async () => {
    // Next year's, with the default due date (31 December): more than 30 days away on any day.
    const nextYear = { year: YEAR + 1, dueDate: undefined };
    const first = await start(plan('start-once', nextYear));
    const again = await start(plan('start-once', { ...nextYear, title: 'Annan titel' }));
    expect(first).toEqual({ id: `sodermalm.${YEAR + 1}.start-once`, started: true });
    expect(again).toEqual({ id: `sodermalm.${YEAR + 1}.start-once`, started: false });

    const doc = await projected(stack, first.id, 1);
    expect(doc).toMatchObject({ title: 'Aktivitet start-once', status: 'planned', dueDate: `${YEAR + 1}-12-31`, openTaskCount: 1, orgId: 'sodermalm', planYear: YEAR + 1 });
    expect(doc.deadlineAt.toISOString()).toBe(deadlineOf(`${YEAR + 1}-12-31`));
    const events = await stack.models.auditEvents.find({ activityId: first.id }).lean();
    expect(events.map((e) => [e.version, e.action, e.actor.userId])).toEqual([[1, 'created', 'system']]);
  });

  it('applies a change through an Update, returns the new state and projects it', async () => {
    const { id } = await start(plan('complete-task'));
    await projected(stack, id, 1);
    const result = await change(id, owner, { type: 'complete-task', taskId: 'genomfor' });
    // Nothing else to do (no reminder due): the answer comes once the read model has the change.
    expect(result).toMatchObject({ version: 2, duplicate: false, projected: true, state: { status: 'in-progress', overdue: false } });
    expect((await stack.models.activities.findById(id).lean())?.version).toBe(2);
    expect(result.state!.tasks[0]).toMatchObject({ done: true, doneBy: { userId: 'anna' } });

    const doc = await projected(stack, id, 2);
    expect(doc.status).toBe('in-progress');
    expect(doc.openTaskCount).toBe(0);
    const event = await eventually(async () => (await stack.models.auditEvents.findOne({ activityId: id, version: 2 }).lean()) ?? undefined);
    expect(event).toMatchObject({ action: 'complete-task', actor: { userId: 'anna', name: 'Anna Ägare' }, requestId: `req-${n}` });
    expect(event.changes.map((c) => c.field)).toEqual(['status', 'tasks[genomfor]']);
    expect(JSON.parse(event.changes[0]!.before)).toBe('planned');
  });

  it('refuses an unauthorised or illegal change with a typed reason, leaving no trace in the history', async () => {
    const { id } = await start(plan('refusals'));
    const forbidden = change(id, viewer, { type: 'complete-task', taskId: 'genomfor' });
    await expect(forbidden).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(forbidden).rejects.toMatchObject({ cause: { type: 'Forbidden' } });
    await expect(change(id, owner, { type: 'verify', comment: 'x' })).rejects.toMatchObject({ cause: { type: 'Forbidden' } });
    await expect(change(id, coordinator, { type: 'verify', comment: 'x' })).rejects.toMatchObject({
      cause: { type: 'IllegalTransition', message: 'Det går inte att verifiera en aktivitet som är planerad.' },
    });
    const history = await handle(id).fetchHistory();
    expect(history.events!.some((e) => e.workflowExecutionUpdateAcceptedEventAttributes)).toBe(false);
    expect((await handle(id).query(stateQuery)).version).toBe(1);
  });

  it('returns the first result for a repeated request id, without a second effect', async () => {
    const { id } = await start(plan('duplicates'));
    const first = await change(id, owner, { type: 'add-comment', text: 'Första' }, 'same-request');
    const repeat = await change(id, owner, { type: 'add-comment', text: 'Första' }, 'same-request');
    expect(first).toMatchObject({ version: 2, duplicate: false });
    expect(repeat).toMatchObject({ version: 2, duplicate: true });
    expect(repeat.state!.entries).toHaveLength(1);
    await projected(stack, id, 2);
    expect(await stack.models.auditEvents.countDocuments({ activityId: id })).toBe(2);
  });

  it('moves the deadline when an extension is granted, in the projection too', async () => {
    const { id } = await start(plan('extension'));
    const later = quietDueDate(30);
    await change(id, owner, { type: 'request-extension', proposedDueDate: later, reason: 'Upphandlingen dröjer' });
    const granted = await change(id, head, { type: 'decide-extension', extensionId: 'forlangning-1', decision: 'grant' });
    expect(granted.state).toMatchObject({ dueDate: later, deadlineAt: deadlineOf(later) });
    expect((await projected(stack, id, 3)).deadlineAt.toISOString()).toBe(deadlineOf(later));
  });

  it('continues as new after its change budget, keeping state and remembered request ids', async () => {
    const { id } = await start({ ...plan('continue-as-new'), maxChangesPerRun: 3 });
    const runBefore = (await handle(id).describe()).runId;
    for (let i = 1; i <= 3; i++) await change(id, owner, { type: 'add-comment', text: `Kommentar ${i}` }, `can-${i}`);
    const runAfter = await eventually(async () => {
      const d = await handle(id).describe();
      return d.runId !== runBefore && d.status.name === 'RUNNING' ? d.runId : undefined;
    }, 'a new run');
    expect(runAfter).not.toBe(runBefore);

    const state = await handle(id).query(stateQuery);
    expect(state.version).toBe(4);
    expect(state.entries.map((e) => e.text)).toEqual(['Kommentar 1', 'Kommentar 2', 'Kommentar 3']);
    await expect(change(id, owner, { type: 'add-comment', text: 'Kommentar 3' }, 'can-3')).resolves.toMatchObject({ duplicate: true, version: 4 });
    await expect(change(id, owner, { type: 'add-comment', text: 'Kommentar 4' }, 'can-4')).resolves.toMatchObject({ version: 5 });
    expect(await stack.models.auditEvents.countDocuments({ activityId: id })).toBeGreaterThanOrEqual(4);
    await projected(stack, id, 5);
    expect(await stack.models.auditEvents.countDocuments({ activityId: id })).toBe(5);
  });

  it('answers a change once it is projected, also when the change budget runs out while a reminder is recorded', async () => {
    // Due in ten days: its reminder is recorded while the second change waits for its projection.
    const { id } = await start({ ...plan('budget-under-reminder', { dueDate: daysFromToday(10) }), maxChangesPerRun: 2 });
    const runBefore = (await handle(id).describe()).runId;
    const bounded = <T>(p: () => Promise<T>) => stack.env.client.withDeadline(Date.now() + 20_000, p);
    for (let i = 1; i <= 2; i++) {
      const result = await bounded(() => change(id, owner, { type: 'add-comment', text: `Under påminnelse ${i}` }));
      expect(result).toMatchObject({ version: i + 1 });
      // Answered after the projection, unless the workflow was busy with the reminder then.
      if (result.projected) expect((await stack.models.activities.findById(id).lean())?.version).toBe(i + 1);
      else await projected(stack, id, i + 1);
    }
    await eventually(async () => ((await handle(id).describe()).runId !== runBefore ? true : undefined), 'a new run');
  });

  it('closes when cancelled and creates next year’s instance when a yearly activity is done', async () => {
    const { id } = await start(plan('yearly', { recurrence: 'yearly', template: 'ai-routines' }));
    for (const taskId of ['rutin-anvandning', 'rutin-utveckling']) await change(id, owner, { type: 'complete-task', taskId });
    await change(id, owner, { type: 'submit-milestone', milestoneId: 'slutford' });
    await change(id, head, { type: 'approve-milestone', milestoneId: 'slutford' });

    const next = await projected(stack, `sodermalm.${YEAR + 1}.yearly`, 1);
    expect(next).toMatchObject({ planYear: YEAR + 1, dueDate: addYears(DUE, 1), status: 'planned', continues: id, recurrence: 'yearly' });
    expect(next.tasks.every((t) => !t.done)).toBe(true);

    const { id: cancelled } = await start(plan('cancel-me'));
    await change(cancelled, coordinator, { type: 'cancel', reason: 'Ersatt' });
    const final = await handle(cancelled).result();
    expect(final.status).toBe('cancelled');
    expect((await projected(stack, cancelled, 2)).status).toBe('cancelled');
  });

  it('keeps a hash chain per organisation that detects an edited or a missing event', async () => {
    const orgId = 'kedjetest';
    const ids = await Promise.all(['a', 'b', 'c'].map((k) => start({ activity: { ...plan(k).activity, orgId } })));
    await Promise.all(ids.map(({ id }) => change(id, owner, { type: 'add-comment', text: 'samtidigt' })));
    await Promise.all(ids.map(({ id }) => projected(stack, id, 2)));
    const intact = await verifyOrganisationChain(stack.models.auditEvents, orgId);
    expect(intact).toMatchObject({ ok: true, events: 6, problems: [] });

    await stack.models.auditEvents.updateOne({ orgId, seq: 3 }, { $set: { requestId: 'förfalskad' } });
    const tampered = await verifyOrganisationChain(stack.models.auditEvents, orgId);
    expect(tampered.ok).toBe(false);
    expect(tampered.problems).toEqual([{ seq: 3, kind: 'tampered', detail: 'the content does not match its hash' }]);

    await stack.models.auditEvents.deleteOne({ orgId, seq: 5 });
    const gaps = await verifyOrganisationChain(stack.models.auditEvents, orgId);
    expect(gaps.problems.map((p) => [p.seq, p.kind])).toEqual([
      [3, 'tampered'],
      [5, 'missing'],
      [6, 'broken-link'],
    ]);
  });
});
