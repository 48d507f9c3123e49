import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { ScheduleNotFoundError } from '@temporalio/client';
import { loadConfig } from '../../src/platform/config';
import { ensureWorkflowHealthSchedule, workflowHealthScheduleId } from '../../src/temporal/workflow-health-schedule';
import { ACTIVITY_WORKFLOW } from '../../src/workflows/messages/activity';
import { checkWorkflowHealth, type WorkflowHealthReport } from '../../src/services/workflow-health/check';
import { bearerFor, testApp, type TestUser } from '../support/api';
import { quietDueDate, thisYear } from '../support/calendar';
import { eventually, settles } from '../support/eventually';
import { projected } from '../support/projected';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * A workflow that cannot continue is found, recorded, audited once, shown to the organisation's
 * coordinators (API, activity page, metrics) and cleared when it is healthy again; a running or
 * normally finished one is not a problem. Against the real Temporal dev server and store.
 */
describe('the workflow health check', () => {
  const ORG = 'halsokoll';
  const OTHER = 'annan-halsokoll';
  const COORD: TestUser = { id: 'hk-coord', name: 'Cecilia Samordnare', memberships: [{ orgId: ORG, roles: ['security-coordinator'] }] };
  const OWNER: TestUser = { id: 'hk-owner', name: 'Olle Ägare', memberships: [{ orgId: ORG, roles: ['it-coordinator'] }] };
  const OTHER_COORD: TestUser = { id: 'hk-other', name: 'Otto Samordnare', memberships: [{ orgId: OTHER, roles: ['security-coordinator'] }] };
  const REASON = 'Workflow history size exceeds limit.';
  let stack: TestStack;
  let app: Express;
  const auth: Record<string, string> = {};

  beforeAll(async () => {
    stack = await startTestStack();
    app = testApp(stack, { env: { devLogin: true } });
    for (const orgId of [ORG, OTHER]) {
      await stack.models.organisations.create({ _id: orgId, name: `Förvaltningen ${orgId}`, plan: { startYear: thisYear(), endYear: thisYear() + 2 }, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() });
    }
    for (const u of [COORD, OWNER, OTHER_COORD]) auth[u.id] = await bearerFor(stack.models, u);
  });
  afterAll(() => stack?.close());

  let seq = 0;
  async function newActivity(): Promise<string> {
    const res = await request(app).post(`/api/v1/organisations/${ORG}/activities`).set('authorization', auth[COORD.id]!)
      .send({ key: `halsa-${++seq}`, year: thisYear(), dueDate: quietDueDate(seq), title: `Aktivitet ${seq}`, area: 'ai', owner: { role: 'it-coordinator' } }).expect(201);
    await projected(stack, res.body.id, 1);
    return res.body.id as string;
  }

  const check = () => checkWorkflowHealth(stack.env.client, stack.models, { taskQueue: stack.config.temporal.taskQueue, orgId: ORG });
  /** Visibility follows a start or an end a moment later: the check is run again until it has seen `until`. */
  const checkUntil = (until: (r: WorkflowHealthReport) => boolean, what: string) => eventually(async () => {
    const report = await check();
    return until(report) ? report : undefined;
  }, what, 60_000);
  const problems = (as: TestUser) => request(app).get(`/api/v1/organisations/${ORG}/workflow-problems`).set('authorization', auth[as.id]!);
  /** The problem's events in the activity's own audit trail, as its audit route answers it to the coordinator. */
  const problemEvents = async (activityId: string) => {
    const trail = await request(app).get(`/api/v1/activities/${activityId}/audit`).set('authorization', auth[COORD.id]!).expect(200);
    return (trail.body.events as { activityId: string; action: string; changes: { after: string }[] }[]).filter((e) => e.action === 'workflow-problem');
  };

  it('records a terminated activity workflow once, shows it to the coordinators only, and clears it when the workflow runs again', async () => {
    const healthy = await newActivity();
    const broken = await newActivity();
    await stack.env.client.workflow.getHandle(broken).terminate(REASON);

    const report = await checkUntil((r) => r.found.includes(broken) && r.checked.includes(healthy), 'the terminated workflow found');
    expect(report.problems).toEqual([broken]);
    expect(report.problems).not.toContain(healthy);

    const recorded = await stack.models.workflowProblems.findById(broken).lean();
    expect(recorded).toMatchObject({ subject: 'activity', subjectId: broken, orgId: ORG, kind: 'ended-abnormally', status: 'TERMINATED', reason: `terminated: ${REASON}` });

    const listed = await problems(COORD).expect(200);
    expect(listed.body).toEqual([expect.objectContaining({ workflowId: broken, subjectId: broken, kind: 'ended-abnormally', status: 'TERMINATED', reason: `terminated: ${REASON}` })]);
    expect((await problems(OWNER)).status).toBe(403);
    expect((await problems(OTHER_COORD)).status).toBe(403);
    expect((await request(app).get(`/api/v1/organisations/${ORG}/workflow-problems`)).status).toBe(401);

    // The activity's trail has it once, after the activity's own first version, in the organisation's chain.
    const trail = (await request(app).get(`/api/v1/activities/${broken}/audit`).set('authorization', auth[COORD.id]!).expect(200)).body;
    expect(trail.events.map((e: { action: string }) => e.action)).toEqual(['created', 'workflow-problem']);
    const [event] = await problemEvents(broken);
    expect(event).toMatchObject({ activityId: broken, action: 'workflow-problem', actor: { userId: 'system', name: 'lisplan' } });
    expect(JSON.parse(event!.changes[0]!.after)).toEqual({ kind: 'ended-abnormally', status: 'TERMINATED', reason: `terminated: ${REASON}`, workflowId: broken });
    expect(trail.verification.ok).toBe(true);
    expect(await stack.models.auditEvents.countDocuments({ orgId: ORG, action: 'workflow-problem', activityId: { $ne: broken } })).toBe(0);

    // A second pass refreshes the problem and writes nothing new to the audit trail.
    const again = await check();
    expect({ problems: again.problems, found: again.found }).toEqual({ problems: [broken], found: [] });
    expect(await problemEvents(broken)).toHaveLength(1);
    expect((await stack.models.workflowProblems.findById(broken).lean())!.firstSeenAt).toEqual(recorded!.firstSeenAt);

    // The activity's page says so in Swedish, with what the coordinator is to do; the healthy one's does not.
    await stack.models.users.updateOne({ _id: COORD.id }, { $set: { demo: true } });
    const browser = request.agent(app);
    const login = await browser.get('/logga-in').expect(200);
    await browser.post('/logga-in/demo').type('form').send({ _csrf: /name="_csrf" value="([^"]+)"/.exec(login.text)![1]!, userId: COORD.id }).expect(303);
    const page = (await browser.get(`/aktiviteter/${broken}`).expect(200)).text;
    expect(page).toContain('Aktivitetens arbetsflöde har stannat');
    expect(page).toContain('Samordnaren behöver be den som driver lisplan att återställa arbetsflödet.');
    // The id to quote is the coordinator's; Temporal's own English reason is shown to nobody (test/api/oversight-pages.test.ts: readers).
    expect(page).toContain(`Uppge arbetsflödets id för den som driver lisplan: ${broken}.`);
    expect(page).not.toContain(REASON);
    // Its audit trail names the stop among the activity's changes.
    expect(/id="logg"[\s\S]*<td>Arbetsflödet har stannat<\/td><td>lisplan<\/td>/.test(page)).toBe(true);
    expect((await browser.get(`/aktiviteter/${healthy}`).expect(200)).text).not.toContain('Aktivitetens arbetsflöde har stannat');

    // Operators count them by kind.
    const metrics = await request(app).get('/metrics').expect(200);
    expect(metrics.text).toContain('lisplan_workflow_problems{kind="ended-abnormally"} 1');
    expect(metrics.text).toContain('lisplan_workflow_problems{kind="stuck"} 0');

    // An operator resets the workflow to its first completed workflow task: it runs again and the problem goes.
    const { client } = stack.env;
    const history = await client.workflow.getHandle(broken).fetchHistory();
    const firstCompleted = history.events!.find((e) => e.workflowTaskCompletedEventAttributes)!;
    await client.workflowService.resetWorkflowExecution({
      namespace: stack.config.temporal.namespace,
      workflowExecution: { workflowId: broken },
      reason: 'restored by the test',
      workflowTaskFinishEventId: firstCompleted.eventId!,
      requestId: randomUUID(),
    });
    const cleared = await checkUntil((r) => r.cleared.includes(broken), 'the reset workflow cleared');
    expect(cleared.problems).toEqual([]);
    expect(await stack.models.workflowProblems.countDocuments()).toBe(0);
    expect((await problems(COORD).expect(200)).body).toEqual([]);
  });

  it('finds a workflow whose workflow task keeps failing stuck, with the failure', async () => {
    const id = `${ORG}.${thisYear()}.trasig`;
    // No activity in its input: the workflow's code throws at its first task, and at every retry.
    const handle = await stack.env.client.workflow.start(ACTIVITY_WORKFLOW, { workflowId: id, taskQueue: stack.config.temporal.taskQueue, args: [{}] });
    try {
      await checkUntil((r) => r.found.includes(id), 'the stuck workflow found');
      const recorded = await stack.models.workflowProblems.findById(id).lean();
      expect(recorded).toMatchObject({ kind: 'stuck', status: 'RUNNING', subjectId: id });
      expect(recorded!.reason).toMatch(/^workflow task attempt \d+: \S/);
    } finally {
      await handle.terminate('the test is over');
    }
  });

  it('finds nothing wrong with a running activity, nor with a closed one whose workflow completed', async () => {
    const running = await newActivity();
    const closed = await newActivity();
    await request(app).post(`/api/v1/activities/${closed}/cancel`).set('authorization', auth[COORD.id]!).send({ reason: 'Utgår' }).expect(200);
    await eventually(async () => ((await stack.models.activities.findById(closed).lean())?.status === 'cancelled' ? true : undefined), 'the cancellation projected');
    await stack.env.client.workflow.getHandle(closed).result();
    // As if an earlier pass had seen the closed one's workflow in trouble: this pass looks at it again.
    const earlier = new Date(Date.now() - 3_600_000);
    await stack.models.workflowProblems.create({ _id: closed, subject: 'activity', orgId: ORG, subjectId: closed, runId: 'earlier', taskQueue: stack.config.temporal.taskQueue, kind: 'stuck', status: 'RUNNING', reason: 'workflow task attempt 3', firstSeenAt: earlier, lastSeenAt: earlier, auditedAt: earlier });

    const report = await checkUntil((r) => r.checked.includes(running), 'the running workflow seen');
    expect(report.checked).toContain(closed);
    expect(report.cleared).toEqual([closed]);
    expect(report.problems.filter((id) => id === running || id === closed)).toEqual([]);
    expect(await stack.models.workflowProblems.countDocuments({ _id: { $in: [running, closed] } })).toBe(0);
    expect([...(await problemEvents(running)), ...(await problemEvents(closed))]).toEqual([]);
  });

  it('runs from the worker on a Schedule every WORKFLOW_HEALTH_CHECK_MINUTES (10 by default; off: none), and records what it finds', async () => {
    const taskQueue = stack.config.temporal.taskQueue;
    const { client } = stack.env;
    const checkFor = (minutes?: string) => loadConfig(minutes ? { WORKFLOW_HEALTH_CHECK_MINUTES: minutes } : {}).workflowHealthCheck;
    expect(checkFor()).toEqual({ everyMinutes: 10 });
    expect(() => loadConfig({ WORKFLOW_HEALTH_CHECK_MINUTES: '0' })).toThrow(/^config: WORKFLOW_HEALTH_CHECK_MINUTES must be whole minutes/);

    const broken = await newActivity();
    await client.workflow.getHandle(broken).terminate(REASON);
    await ensureWorkflowHealthSchedule(client, { taskQueue, check: checkFor() });
    await ensureWorkflowHealthSchedule(client, { taskQueue, check: checkFor('15') });
    const handle = client.schedule.getHandle(workflowHealthScheduleId(taskQueue));
    expect((await handle.describe()).spec.intervals).toMatchObject([{ every: 15 * 60_000 }]);
    await handle.trigger();
    const run = await settles(async () => {
      for await (const r of client.workflow.list({ query: `WorkflowType = 'workflowHealthWorkflow' AND TaskQueue = '${taskQueue}'` })) return r;
      throw new Error('the schedule has not started its workflow yet');
    });
    expect(await client.workflow.getHandle(run.workflowId, run.runId).result()).toMatchObject({ checked: expect.any(Number) });
    await settles(async () => expect(await stack.models.workflowProblems.findById(broken).lean()).toMatchObject({ kind: 'ended-abnormally', status: 'TERMINATED' }));

    await ensureWorkflowHealthSchedule(client, { taskQueue, check: checkFor('off') });
    await expect(handle.describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
  });

  it('files a review workflow’s problem in that review version’s trail', async () => {
    await request(app).post(`/api/v1/organisations/${ORG}/reviews/${thisYear()}`).set('authorization', auth[COORD.id]!).send({}).expect(201);
    const workflowId = `review.${ORG}.${thisYear()}.v1`;
    await stack.env.client.workflow.getHandle(workflowId).terminate(REASON);
    await checkUntil((r) => r.found.includes(workflowId), 'the terminated review workflow found');
    const trail = await stack.models.auditEvents.find({ orgId: ORG, activityId: `review:${ORG}.${thisYear()}.v1` }).sort({ seq: 1 }).lean();
    const stops = trail.filter((e) => e.action === 'workflow-problem');
    expect(stops).toHaveLength(1);
    expect(JSON.parse(stops[0]!.changes[0]!.after)).toEqual({ kind: 'ended-abnormally', status: 'TERMINATED', reason: `terminated: ${REASON}`, workflowId });
  });
});
