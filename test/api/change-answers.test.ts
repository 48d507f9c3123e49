import request from 'supertest';
import type { Express } from 'express';
import { defaultPayloadConverter } from '@temporalio/common';
import { SealingPayloadCodec } from '../../src/temporal/payload-codec';
import { bearerFor, type TestUser } from '../support/api';
import { thisYear } from '../support/calendar';
import type { TestStack } from '../support/stack';
import { startUnprojectableStack } from '../support/unprojectable-stack';

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
  let unprojectable: Set<string>;
  let create: (key: string) => Promise<string>;

  beforeAll(async () => {
    ({ stack, app, auth, unprojectable, create } = await startUnprojectableStack(ORG, COORD));
  });
  afterAll(() => stack?.close());

  /** The answers of the workflow's Updates as its history keeps them. */
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

  /** The year's review of an organisation of its own, started through the API; its read model id. */
  async function review(orgId: string): Promise<{ id: string; path: string; auth: string }> {
    await stack.models.organisations.create({ _id: orgId, name: 'Förvaltningen', plan: { startYear: thisYear(), endYear: thisYear() + 2 }, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() });
    const coordinator = await bearerFor(stack.models, { id: `${orgId}-coord`, name: 'Cecilia Samordnare', memberships: [{ orgId, roles: ['security-coordinator'] }] });
    const path = `/api/v1/organisations/${orgId}/reviews/${thisYear()}`;
    await request(app).post(path).set('authorization', coordinator).expect(201);
    return { id: `${orgId}.${thisYear()}.v1`, path, auth: coordinator };
  }

  it('keeps a review’s state out of the history and answers it from the read model, a duplicate too', async () => {
    const { id, path, auth: coordinator } = await review('svar-lg');
    const text = 'Ett utkast som inte ska upprepas i historiken';
    const edit = () => request(app).put(`${path}/sections/sammanfattning`).set('authorization', coordinator).set('idempotency-key', 'lg-1').send({ text }).expect(200);
    const res = await edit();
    expect(res.headers.etag).toBe(`"${res.body.revision}"`);
    expect(res.body).toMatchObject({ duplicate: false, state: { id, revision: res.body.revision, narrative: { sammanfattning: text } } });
    await stack.models.idempotencyKeys.deleteMany({});
    expect((await edit()).body).toMatchObject({ revision: res.body.revision, duplicate: true, state: { id, revision: res.body.revision, narrative: { sammanfattning: text } } });

    expect(await recordedAnswers(`review.${id}`)).toEqual([
      { revision: res.body.revision, duplicate: false },
      { revision: res.body.revision, duplicate: true },
    ]);
  });

  it('answers a review’s change from the workflow while it cannot be projected', async () => {
    const { id, path, auth: coordinator } = await review('svar-lg-utan-lasmodell');
    const before = (await stack.models.reviews.findById(id).lean())!.revision;
    unprojectable.add(id);
    const text = 'Skrivet medan lagret är borta för arbetaren';
    const res = await request(app).put(`${path}/sections/sammanfattning`).set('authorization', coordinator).send({ text }).expect(200);
    expect(res.body).toMatchObject({ revision: before + 1, duplicate: false, state: { id, revision: before + 1, narrative: { sammanfattning: text } } });
    expect((await stack.models.reviews.findById(id).lean())?.revision).toBe(before);
    expect(await recordedAnswers(`review.${id}`)).toEqual([{ revision: before + 1, duplicate: false }]);
  }, 60_000);
});
