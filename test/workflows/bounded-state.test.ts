import request from 'supertest';
import type { Express } from 'express';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import type { Actor } from '../../src/domain/activity';
import { ACTIVITY_LIMITS } from '../../src/domain/activity-limits';
import type { Command } from '../../src/domain/changes';
import { startActivityWorkflow } from '../../src/services/plans/start-activity';
import { changeUpdate, stateQuery } from '../../src/workflows/messages/activity';
import { bearerFor, testApp, type TestUser } from '../support/api';
import { daysFromToday, quietDueDate, thisYear } from '../support/calendar';
import { eventually } from '../support/eventually';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * An activity's workflow state is bounded: each growing list is driven to its limit and one
 * past it, and the one past is refused with a 409 problem naming the limit, while the activity
 * stays workable (the case that once bricked one: long comments until the state outgrew
 * Temporal's limits). And one activity takes 2,000+ changes across its continue-as-new runs.
 */
describe('bounded activity state', () => {
  const ORG = 'granser';
  const COORD: TestUser = { id: 'gr-coord', name: 'Cecilia Samordnare', memberships: [{ orgId: ORG, roles: ['security-coordinator'] }] };
  const coordinator: Actor = { userId: COORD.id, name: COORD.name, roles: ['security-coordinator'], delegations: [] };
  const head: Actor = { userId: 'gr-head', name: 'Hans Chef', roles: ['head-of-administration'], delegations: [] };
  let stack: TestStack;
  let app: Express;
  let auth: string;

  beforeAll(async () => {
    stack = await startTestStack({ env: { RATE_LIMIT_PER_MINUTE: '1000000' } });
    app = testApp(stack);
    await stack.models.organisations.create({ _id: ORG, name: 'Förvaltningen', plan: { startYear: thisYear(), endYear: thisYear() + 2 }, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() });
    auth = await bearerFor(stack.models, COORD);
  });
  afterAll(() => stack?.close());

  let seq = 0;
  async function newActivity(): Promise<string> {
    const { id } = await startActivityWorkflow(stack.env.client, stack.config.temporal.taskQueue, {
      activity: { orgId: ORG, key: `grans-${++seq}`, year: thisYear(), dueDate: quietDueDate(), title: `Aktivitet ${seq}`, area: 'ai', owner: { role: 'it-coordinator' } },
    });
    return id;
  }
  let req = 0;
  const update = (id: string, actor: Actor, command: Command) =>
    stack.env.client.workflow.getHandle(id).executeUpdate(changeUpdate, { args: [{ workflowId: id, requestId: `grans-${++req}`, actor, command }] });
  const api = (id: string, path: string, body: object) => request(app).post(`/api/v1/activities/${id}${path}`).set('authorization', auth).send(body);

  /** `n` times `step(i)`, one after the other. */
  async function times(n: number, step: (i: number) => Promise<unknown>): Promise<void> {
    for (let i = 0; i < n; i++) await step(i);
  }

  const expectLimit = (res: request.Response, name: string, max: number) => {
    expect({ status: res.status, type: res.body.type, limit: res.body.limit }).toEqual({ status: 409, type: 'https://lisplan.se/problems/limit-reached', limit: { name, max } });
    expect(res.body.detail).toContain(`(gränsen ${name})`);
  };

  const LISTS: { name: keyof typeof ACTIVITY_LIMITS; fill: (id: string) => Promise<void>; past: (id: string) => Promise<request.Response> }[] = [
    {
      name: 'comments',
      fill: (id) => times(ACTIVITY_LIMITS.comments, (i) => update(id, coordinator, { type: 'add-comment', text: `Status ${i}` })),
      past: (id) => api(id, '/comments', { text: 'En till' }),
    },
    {
      name: 'evidence',
      fill: (id) => times(ACTIVITY_LIMITS.evidence, (i) => update(id, coordinator, { type: 'add-evidence', link: `https://intranat.example/underlag-${i}.pdf` })),
      past: (id) => api(id, '/evidence', { link: 'https://intranat.example/en-till.pdf' }),
    },
    {
      name: 'tasks',
      // The blank activity has one task already.
      fill: (id) => times(ACTIVITY_LIMITS.tasks - 1, (i) => update(id, coordinator, { type: 'add-task', title: `Uppgift ${i}` })),
      past: (id) => api(id, '/tasks', { title: 'En till' }),
    },
    {
      name: 'milestones',
      fill: (id) => times(ACTIVITY_LIMITS.milestones - 1, (i) => update(id, coordinator, { type: 'add-milestone', title: `Milstolpe ${i}` })),
      past: (id) => api(id, '/milestones', { title: 'En till' }),
    },
    {
      name: 'extensions',
      fill: (id) =>
        times(ACTIVITY_LIMITS.extensions, async (i) => {
          await update(id, coordinator, { type: 'request-extension', proposedDueDate: daysFromToday(200), reason: `Skäl ${i}` });
          await update(id, head, { type: 'decide-extension', extensionId: `forlangning-${i + 1}`, decision: 'refuse', comment: 'Nej' });
        }),
      past: (id) => api(id, '/extensions', { proposedDueDate: daysFromToday(200), reason: 'En gång till' }),
    },
    {
      name: 'submissionsPerMilestone',
      fill: async (id) => {
        await update(id, coordinator, { type: 'complete-task', taskId: 'genomfor' });
        await times(ACTIVITY_LIMITS.submissionsPerMilestone, async () => {
          await update(id, coordinator, { type: 'submit-milestone', milestoneId: 'slutford' });
          await update(id, head, { type: 'reject-milestone', milestoneId: 'slutford', comment: 'Komplettera' });
        });
      },
      past: (id) => api(id, '/milestones/slutford/submit', {}),
    },
  ];

  it.each(LISTS.map((l) => [l.name, l] as const))('refuses the %s one past the limit, naming it, and the activity stays workable', async (name, list) => {
    const id = await newActivity();
    await list.fill(id);
    expectLimit(await list.past(id), name, ACTIVITY_LIMITS[name]);
    // What does not grow the list still works, and a coordinator can always end the activity.
    await api(id, '/block', { reason: 'Full' }).expect(200);
    await api(id, '/cancel', { reason: 'Avslutas' }).expect(200);
  }, 600_000);

  it('keeps long comments’ texts out of the state, refuses the text one past entryText and keeps no text of it', async () => {
    const id = await newActivity();
    const long = 'å'.repeat(4000);
    const fits = ACTIVITY_LIMITS.entryText / long.length;
    await times(fits, (i) => api(id, '/comments', { text: `${i}`.padEnd(4000, 'å') }).expect(200));
    expectLimit(await api(id, '/comments', { text: long }), 'entryText', ACTIVITY_LIMITS.entryText);
    expect(await stack.models.entryTexts.countDocuments({ activityId: id })).toBe(fits);
    // The workflow holds references: its state is a fraction of the texts it refers to.
    const state = await stack.env.client.workflow.getHandle(id).query(stateQuery);
    expect(JSON.stringify(state).length).toBeLessThan(ACTIVITY_LIMITS.entryText / 8);
    const cancelled = await api(id, '/cancel', { reason: 'Avslutas' }).expect(200);
    expect(cancelled.body.state.entries).toHaveLength(fits);
    expect(cancelled.body.state.entries[fits - 1].text).toBe(`${fits - 1}`.padEnd(4000, 'å'));
  }, 600_000);

  it('refuses texts held in the state (as recorded histories carry them) once it reaches its size, and a coordinator can still cancel (once a bricked activity)', async () => {
    const id = await newActivity();
    const long = 'å'.repeat(4000);
    let refused: unknown;
    for (let i = 0; i < 170 && !refused; i++) {
      await update(id, coordinator, { type: 'add-comment', text: long }).catch((err: unknown) => (refused = err));
    }
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (refused as WorkflowUpdateFailedError).cause as ApplicationFailure;
    expect({ type: cause.type, limit: cause.details?.[0] }).toEqual({ type: 'LimitReached', limit: { name: 'stateSize', max: ACTIVITY_LIMITS.stateSize } });
    const before = (await stack.env.client.workflow.getHandle(id).describe()).status.name;
    expect(before).toBe('RUNNING');
    const cancelled = await api(id, '/cancel', { reason: 'Avslutas' }).expect(200);
    expect(cancelled.body.state.status).toBe('cancelled');
    // The read model and the audit trail have every change that was acknowledged.
    await eventually(async () => ((await stack.models.activities.findById(id).lean())?.version === cancelled.body.state.version ? true : undefined), 'the cancellation projected');
    expect(await stack.models.auditEvents.countDocuments({ activityId: id })).toBe(cancelled.body.state.version);
  }, 600_000);

  it('takes 2,000 changes on one activity across its continue-as-new runs, and projects and audits every one', async () => {
    const id = await newActivity();
    const firstRun = (await stack.env.client.workflow.getHandle(id).describe()).runId;
    await times(2000, (i) => update(id, coordinator, i % 2 === 0 ? { type: 'complete-task', taskId: 'genomfor' } : { type: 'reopen-task', taskId: 'genomfor' }));
    const last = await api(id, '/comments', { text: 'Den 2 001:a ändringen' }).expect(200);
    expect(last.body.state.version).toBe(2002);
    expect((await stack.env.client.workflow.getHandle(id).describe()).runId).not.toBe(firstRun);
    await eventually(async () => ((await stack.models.activities.findById(id).lean())?.version === 2002 ? true : undefined), 'every change projected');
    expect(await stack.models.auditEvents.countDocuments({ activityId: id })).toBe(2002);
  }, 2_400_000);
});
