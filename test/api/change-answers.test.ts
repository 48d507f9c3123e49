import request from 'supertest';
import type { Express } from 'express';
import { bearerFor, testApp, type TestUser } from '../support/api';
import { quietDueDate, thisYear } from '../support/calendar';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * Every Update's answer stays in the workflow's history. The API's changes ask for an answer
 * without the activity's state (which can be large) and read it with a query, so the history
 * grows by a version number per change, not by the whole activity; the API answers as before.
 */
describe('the answers of changes', () => {
  const ORG = 'svar';
  const COORD: TestUser = { id: 'sv-coord', name: 'Cecilia Samordnare', memberships: [{ orgId: ORG, roles: ['security-coordinator'] }] };
  let stack: TestStack;
  let app: Express;
  let auth: string;

  beforeAll(async () => {
    stack = await startTestStack();
    app = testApp(stack);
    await stack.models.organisations.create({ _id: ORG, name: 'Förvaltningen', plan: { startYear: thisYear(), endYear: thisYear() + 2 }, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() });
    auth = await bearerFor(stack.models, COORD);
  });
  afterAll(() => stack?.close());

  it('keeps the state out of the history and still answers it', async () => {
    const created = await request(app).post(`/api/v1/organisations/${ORG}/activities`).set('authorization', auth)
      .send({ key: 'svar', year: thisYear(), dueDate: quietDueDate(), title: 'Aktivitet', area: 'ai', owner: { role: 'it-coordinator' } }).expect(201);
    const id = created.body.id as string;
    const text = 'En statusnotering som inte ska upprepas i historiken';
    const res = await request(app).post(`/api/v1/activities/${id}/comments`).set('authorization', auth).send({ text }).expect(200);
    expect(res.body).toMatchObject({ version: 2, duplicate: false, state: { id, version: 2, entries: [{ kind: 'comment', text }] } });

    const history = await stack.env.client.workflow.getHandle(id).fetchHistory();
    const answers = (history.events ?? [])
      .map((e) => e.workflowExecutionUpdateCompletedEventAttributes?.outcome?.success?.payloads?.[0]?.data)
      .filter((d): d is Uint8Array => d instanceof Uint8Array)
      .map((d) => JSON.parse(Buffer.from(d).toString('utf8')) as Record<string, unknown>);
    expect(answers).toEqual([{ version: 2, duplicate: false, projected: expect.any(Boolean) }]);
  });
});
