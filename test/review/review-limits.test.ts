import { Client } from '@temporalio/client';
import request from 'supertest';
import type { Express } from 'express';
import type { Actor } from '../../src/domain/activity';
import { requiredSections, type ReviewCommand } from '../../src/domain/review';
import { REVIEW_CHANGES_PER_RUN, REVIEW_LIMITS } from '../../src/domain/review-limits';
import { sendUpdate } from '../../src/services/unavailable';
import { REVIEW_WORKFLOW, reviewChangeUpdate, reviewStateQuery, reviewWorkflowId } from '../../src/workflows/messages/review';
import { bearerFor, testApp, type TestUser } from '../support/api';
import { thisYear } from '../support/calendar';
import { startTestStack, type TestStack } from '../support/stack';

jest.setTimeout(600_000);

/**
 * A review's workflow state is bounded: section edits (each kept with up to 20,000 characters),
 * the total size and the rounds of requested changes are driven to their limits and one past,
 * which the API refuses with a 409 problem naming the limit; the review can still be submitted
 * and adopted. The run continues as new on the way, and a request id applied in an earlier run
 * is still applied once.
 */
describe('bounded review state', () => {
  const YEAR = thisYear();
  let stack: TestStack;
  let app: Express;
  const auth: Record<string, { coordinator: string; head: string }> = {};
  const actors = (orgId: string): { coordinator: Actor; head: Actor } => ({
    coordinator: { userId: `${orgId}-coord`, name: 'Cecilia Samordnare', roles: ['security-coordinator'], delegations: [] },
    head: { userId: `${orgId}-head`, name: 'Hans Chef', roles: ['head-of-administration'], delegations: [] },
  });

  beforeAll(async () => {
    stack = await startTestStack({ env: { RATE_LIMIT_PER_MINUTE: '1000000' } });
    app = testApp(stack);
  });
  afterAll(() => stack?.close());

  /** An organisation with no activities (nothing to carry over) and its started review. */
  async function reviewOf(orgId: string): Promise<string> {
    await stack.models.organisations.create({ _id: orgId, name: orgId, plan: { startYear: YEAR, endYear: YEAR + 2 }, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() });
    const user = (id: string, role: 'security-coordinator' | 'head-of-administration'): TestUser => ({ id, name: id, memberships: [{ orgId, roles: [role] }] });
    auth[orgId] = { coordinator: await bearerFor(stack.models, user(`${orgId}-coord`, 'security-coordinator')), head: await bearerFor(stack.models, user(`${orgId}-head`, 'head-of-administration')) };
    await api(orgId, 'coordinator').post(path(orgId)).expect(201);
    return reviewWorkflowId(orgId, YEAR, 1);
  }
  const path = (orgId: string, tail = '') => `/api/v1/organisations/${orgId}/reviews/${YEAR}${tail}`;
  const api = (orgId: string, who: 'coordinator' | 'head') => ({
    post: (p: string, body: object = {}) => request(app).post(p).set('authorization', auth[orgId]![who]).send(body),
    put: (p: string, body: object) => request(app).put(p).set('authorization', auth[orgId]![who]).send(body),
  });
  let req = 0;
  // As the app sends them: a workflow task that failed under the Update (the run continuing as new
  // while a notification's child finished) did not apply it, and it is sent again.
  const update = (workflowId: string, actor: Actor, command: ReviewCommand, requestId = `grans-${++req}`) =>
    sendUpdate(stack.env.client, Date.now() + 120_000, () => stack.env.client.workflow.getHandle(workflowId).executeUpdate(reviewChangeUpdate, { args: [{ workflowId, requestId, actor, command }] }));
  const state = (workflowId: string) => stack.env.client.workflow.getHandle(workflowId).query(reviewStateQuery);

  const expectLimit = (res: request.Response, name: keyof typeof REVIEW_LIMITS) => {
    expect({ status: res.status, type: res.body.type, limit: res.body.limit }).toEqual({ status: 409, type: 'https://lisplan.se/problems/limit-reached', limit: { name, max: REVIEW_LIMITS[name] } });
    expect(res.body.detail).toContain(`(gränsen ${name})`);
  };

  /** Submitted with the förvaltningschef's conclusion, and adopted. */
  async function submitAndAdopt(orgId: string): Promise<void> {
    await api(orgId, 'coordinator').post(path(orgId, '/submit')).expect(200);
    const conclusion = { suitable: true, adequate: true, effective: true, comment: 'Lämpligt.' };
    const adopted = await api(orgId, 'head').post(path(orgId, '/adopt'), { decisions: ['Planen fastställs.'], conclusion }).expect(200);
    expect(adopted.body.state.status).toBe('adopted');
  }

  it('refuses a change sent past lisplan (not sealed with the payload key), whatever actor it names', async () => {
    const orgId = 'grans-forfalskad';
    const id = await reviewOf(orgId);
    const keyless = new Client({ connection: stack.env.connection, namespace: stack.config.temporal.namespace });
    const forged: Actor = { userId: 'mallory', name: 'Påhittad Samordnare', roles: ['security-coordinator', 'head-of-administration'], delegations: [] };
    const direct = keyless.workflow.getHandle(id).executeUpdate(reviewChangeUpdate, { args: [{ workflowId: id, requestId: 'forfalskad-1', actor: forged, command: { type: 'edit-section', sectionId: 'sammanfattning', text: 'Allt är bra.' } }] });
    await expect(direct).rejects.toMatchObject({ cause: { type: 'Forbidden', message: expect.stringMatching(/did not come from lisplan/) } });
    expect((await state(id)).revisions).toHaveLength(0);
    expect(await stack.models.auditEvents.countDocuments({ 'actor.userId': 'mallory' })).toBe(0);
    // The app's own client, with the key, is heard.
    await update(id, actors(orgId).coordinator, { type: 'edit-section', sectionId: 'sammanfattning', text: 'Allt är bra.' });
    expect((await state(id)).revisions).toHaveLength(1);
  });

  it('ends a review started past lisplan with a made-up carried state before it persists, audits, freezes or carries out anything', async () => {
    const orgId = 'grans-forfalskad-start';
    const genuine = await reviewOf(orgId);
    const keyless = new Client({ connection: stack.env.connection, namespace: stack.config.temporal.namespace });
    const forged: Actor = { userId: 'mallory', name: 'Påhittad Förvaltningschef', roles: ['head-of-administration'], delegations: [] };
    const real = await state(genuine);
    // What a sender with access to Temporal but without the key could make: the genuine review,
    // adopted, with an audit event under any name, as the second version.
    const id = reviewWorkflowId(orgId, YEAR, 2);
    const at = new Date().toISOString();
    await keyless.workflow.start(REVIEW_WORKFLOW, {
      workflowId: id,
      taskQueue: stack.config.temporal.taskQueue,
      args: [{ orgId, year: YEAR, version: 2, carried: { state: { ...real, status: 'adopted', revision: 99 }, applied: [], pending: [{ version: 99, action: 'review-adopt', actor: forged, at, requestId: 'forfalskad-antagande', changes: [] }] } }],
    });
    await expect(keyless.workflow.getHandle(id).result()).rejects.toMatchObject({ cause: { type: 'Forbidden', message: expect.stringMatching(/not started by lisplan/) } });
    expect(await stack.models.auditEvents.countDocuments({ 'actor.userId': 'mallory' })).toBe(0);
    expect(await stack.models.reviewSnapshots.countDocuments({ orgId })).toBe(0);
    expect(await stack.models.reviews.findById(`${orgId}.${YEAR}.v2`).lean()).toBeNull();
    expect(await stack.models.reviews.countDocuments({ orgId, status: 'adopted' })).toBe(0);
  });

  it('refuses a sealed change made for one review when it is sent to another, leaving no trace there', async () => {
    const [orgA, orgB] = ['grans-adress-a', 'grans-adress-b'];
    const [a, b] = [await reviewOf(orgA), await reviewOf(orgB)];
    // What an insider can copy out of a's history: a change lisplan sealed for a, by a's coordinator.
    const madeForA = { workflowId: a, requestId: 'for-a-1', actor: actors(orgA).coordinator, command: { type: 'edit-section', sectionId: 'sammanfattning', text: 'Allt är bra.' } } as const;
    const misdirected = stack.env.client.workflow.getHandle(b).executeUpdate(reviewChangeUpdate, { args: [madeForA] });
    await expect(misdirected).rejects.toMatchObject({ cause: { type: 'Forbidden', message: expect.stringMatching(/not sent for this workflow/) } });
    expect((await state(b)).revisions).toHaveLength(0);
    expect((await stack.models.auditEvents.find({ activityId: `review:${orgB}.${YEAR}.v1` }).lean()).map((e) => e.action)).toEqual(['review-created']);
    expect(await stack.models.reviews.findById(`${orgB}.${YEAR}.v1`).lean()).toMatchObject({ revisions: [] });
    // The same request is heard by the review it was made for.
    await expect(stack.env.client.workflow.getHandle(a).executeUpdate(reviewChangeUpdate, { args: [madeForA] })).resolves.toMatchObject({ duplicate: false });
    expect((await state(a)).revisions).toHaveLength(1);
  });

  it('keeps at most REVIEW_LIMITS.edits section edits, across runs, and the review can still be adopted', async () => {
    const orgId = 'grans-andringar';
    const id = await reviewOf(orgId);
    const { coordinator } = actors(orgId);
    const sections = requiredSections(await state(id));
    const firstRunId = (await stack.env.client.workflow.getHandle(id).describe()).runId;
    for (let i = 0; i < REVIEW_LIMITS.edits; i++) await update(id, coordinator, { type: 'edit-section', sectionId: sections[i % sections.length]!, text: `Utkast ${i}` }, `andring-${i}`);
    expect((await state(id)).revisions).toHaveLength(REVIEW_LIMITS.edits);
    // Continued as new on the way; a request applied in the first run is still recognised.
    expect((await stack.env.client.workflow.getHandle(id).describe()).runId).not.toBe(firstRunId);
    expect(REVIEW_LIMITS.edits).toBeGreaterThan(REVIEW_CHANGES_PER_RUN);
    expect(await update(id, coordinator, { type: 'edit-section', sectionId: sections[0]!, text: 'Utkast 0' }, 'andring-0')).toMatchObject({ duplicate: true, revision: 2 });

    expectLimit(await api(orgId, 'coordinator').put(path(orgId, '/sections/sammanfattning'), { text: 'En ändring för mycket' }), 'edits');
    expect((await state(id)).revisions).toHaveLength(REVIEW_LIMITS.edits);
    await submitAndAdopt(orgId);
  });

  it('refuses the edit that takes the review past REVIEW_LIMITS.stateSize', async () => {
    const orgId = 'grans-storlek';
    const id = await reviewOf(orgId);
    const sections = requiredSections(await state(id));
    const long = (i: number) => `${i} ${'Lång text om informationssäkerhet. '.repeat(600)}`.slice(0, 20_000);
    const edit = (i: number) => api(orgId, 'coordinator').put(path(orgId, `/sections/${encodeURIComponent(sections[i % sections.length]!)}`), { text: long(i) });
    let res = await edit(0);
    for (let i = 1; res.status === 200 && i < 2 * sections.length; i++) res = await edit(i);
    expectLimit(res, 'stateSize');
    const full = await state(id);
    expect(JSON.stringify(full).length).toBeLessThanOrEqual(REVIEW_LIMITS.stateSize);
    // Still workable: a short edit fits, and the full draft can be submitted and adopted.
    const short = sections.find((s) => !full.narrative[s]) ?? sections[0]!;
    await api(orgId, 'coordinator').put(path(orgId, `/sections/${encodeURIComponent(short)}`), { text: 'Kort.' }).expect(200);
    for (const s of sections.filter((s) => !full.narrative[s] && s !== short)) await api(orgId, 'coordinator').post(path(orgId, `/sections/${encodeURIComponent(s)}/nothing-to-report`), { value: true }).expect(200);
    await submitAndAdopt(orgId);
  });

  it('takes at most REVIEW_LIMITS.changeRequests rounds of requested changes', async () => {
    const orgId = 'grans-omgangar';
    const id = await reviewOf(orgId);
    const { coordinator, head } = actors(orgId);
    for (const sectionId of requiredSections(await state(id))) await update(id, coordinator, { type: 'set-nothing-to-report', sectionId, value: true });
    for (let i = 0; i < REVIEW_LIMITS.changeRequests; i++) {
      await update(id, coordinator, { type: 'submit' });
      await update(id, head, { type: 'request-changes', comment: `Omgång ${i}` });
    }
    await api(orgId, 'coordinator').post(path(orgId, '/submit')).expect(200);
    expectLimit(await api(orgId, 'head').post(path(orgId, '/request-changes'), { comment: 'En omgång för mycket' }), 'changeRequests');
    const conclusion = { suitable: true, adequate: true, effective: true, comment: 'Lämpligt.' };
    await api(orgId, 'head').post(path(orgId, '/adopt'), { decisions: ['Planen fastställs.'], conclusion }).expect(200);
  });
});
