import request from 'supertest';
import type { Express } from 'express';
import { defaultPayloadConverter } from '@temporalio/common';
import { SealingPayloadCodec } from '../../src/temporal/payload-codec';
import { bearerFor, testApp, type TestUser } from '../support/api';
import { quietDueDate, thisYear } from '../support/calendar';
import { startTestStackAround, type TestStack } from '../support/stack';

/**
 * Every Update's answer stays in the workflow's history. The API's changes ask for an answer
 * without the activity's state (which can be large) and read it afterwards: from the read model
 * once the change is projected, else from the workflow's query. The history grows by a version
 * number per change, not by the whole activity; the API answers as before.
 */
describe('the answers of changes', () => {
  const ORG = 'svar';
  const COORD: TestUser = { id: 'sv-coord', name: 'Cecilia Samordnare', memberships: [{ orgId: ORG, roles: ['security-coordinator'] }] };
  let stack: TestStack;
  let app: Express;
  let auth: string;
  // Projections of the activities named here fail, as when the store is away for the worker only.
  const unprojectable = new Set<string>();

  beforeAll(async () => {
    stack = await startTestStackAround((real) => ({
      ...real,
      async persistActivityChange(input) {
        if (unprojectable.has(input.snapshot.id)) throw new Error('the store is away (test)');
        return real.persistActivityChange(input);
      },
    }));
    app = testApp(stack);
    await stack.models.organisations.create({ _id: ORG, name: 'Förvaltningen', plan: { startYear: thisYear(), endYear: thisYear() + 2 }, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() });
    auth = await bearerFor(stack.models, COORD);
  });
  afterAll(() => stack?.close());

  async function create(key: string): Promise<string> {
    const created = await request(app).post(`/api/v1/organisations/${ORG}/activities`).set('authorization', auth)
      .send({ key, year: thisYear(), dueDate: quietDueDate(), title: 'Aktivitet', area: 'ai', owner: { role: 'it-coordinator' } }).expect(201);
    return created.body.id as string;
  }

  /** The answers of the activity's Updates as its history keeps them. */
  async function recordedAnswers(id: string): Promise<Record<string, unknown>[]> {
    const history = await stack.env.client.workflow.getHandle(id).fetchHistory();
    const sealed = (history.events ?? []).flatMap((e) => e.workflowExecutionUpdateCompletedEventAttributes?.outcome?.success?.payloads?.slice(0, 1) ?? []);
    const payloads = await new SealingPayloadCodec(stack.config.temporal.payloadKey!).decode(sealed);
    return payloads.map((p) => defaultPayloadConverter.fromPayload<Record<string, unknown>>(p));
  }

  it('keeps the state out of the history and answers it from the read model', async () => {
    const id = await create('svar');
    const text = 'En statusnotering som inte ska upprepas i historiken';
    const res = await request(app).post(`/api/v1/activities/${id}/comments`).set('authorization', auth).set('idempotency-key', 'svar-1').send({ text }).expect(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.body).toMatchObject({ version: 2, duplicate: false, state: { id, version: 2, entries: [{ kind: 'comment', text }] } });
    // The same key again: the workflow answers the duplicate without state, the API reads it the same way.
    await stack.models.idempotencyKeys.deleteMany({});
    const again = await request(app).post(`/api/v1/activities/${id}/comments`).set('authorization', auth).set('idempotency-key', 'svar-1').send({ text }).expect(200);
    expect(again.body).toMatchObject({ version: 2, duplicate: true, state: { id, version: 2, entries: [{ kind: 'comment', text }] } });

    expect(await recordedAnswers(id)).toEqual([
      { version: 2, duplicate: false, projected: true },
      { version: 2, duplicate: true, projected: true },
    ]);
  });

  it('answers from the workflow while the change cannot be projected', async () => {
    const id = await create('svar-utan-lasmodell');
    unprojectable.add(id);
    const text = 'Skriven medan lagret är borta för arbetaren';
    const res = await request(app).post(`/api/v1/activities/${id}/comments`).set('authorization', auth).send({ text }).expect(200);
    expect(res.body).toMatchObject({ version: 2, duplicate: false, state: { id, version: 2, entries: [{ kind: 'comment', text }] } });
    expect((await stack.models.activities.findById(id).lean())?.version).toBe(1);
    expect(await recordedAnswers(id)).toEqual([{ version: 2, duplicate: false, projected: false }]);
  }, 60_000);
});
