import { createHash } from 'node:crypto';
import request from 'supertest';
import type { Express } from 'express';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { ALTERED_TEXT, MISSING_TEXT } from '../../src/services/activities/entry-texts';
import { SealingPayloadCodec } from '../../src/temporal/payload-codec';
import { stateQuery } from '../../src/workflows/messages/activity';
import type { TestUser } from '../support/api';
import type { TestStack } from '../support/stack';
import { startUnprojectableStack } from '../support/unprojectable-stack';

/**
 * The texts of comments and evidence live in the store, not in the activity's workflow (issue
 * 18: ~170 long comments once grew a workflow past Temporal's limits). The workflow's state and
 * history hold a reference and a hash; the read model, the API's answers and the pages show the
 * text, joined back by the projection or, before it, from the workflow's query.
 */
describe('comment and evidence texts kept in the store', () => {
  const ORG = 'texter';
  const COORD: TestUser = { id: 'tx-coord', name: 'Cecilia Samordnare', memberships: [{ orgId: ORG, roles: ['security-coordinator'] }] };
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
  const comment = (id: string, text: string, key?: string) => {
    const req = request(app).post(`/api/v1/activities/${id}/comments`).set('authorization', auth);
    return (key ? req.set('idempotency-key', key) : req).send({ text });
  };
  const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

  /** Every payload of the workflow's history (inputs, Updates, activities, answers), unsealed, as JSON. */
  async function historyText(id: string): Promise<string> {
    const history = await stack.env.client.workflow.getHandle(id).fetchHistory();
    const sealed: Payload[] = [];
    const walk = (x: unknown): void => {
      if (!x || typeof x !== 'object') return;
      if ((x as Payload).data instanceof Uint8Array && 'metadata' in x) sealed.push(x as Payload);
      else Object.values(x).forEach(walk);
    };
    walk(history.events);
    const payloads = await new SealingPayloadCodec(stack.config.temporal.payloadKey!).decode(sealed);
    return JSON.stringify(payloads.map((p) => defaultPayloadConverter.fromPayload(p)));
  }

  it('stores a comment’s text before the change: the read model and the answer show it, the workflow holds its hash', async () => {
    const id = await create('kommentar');
    const text = 'Loggexporten från leverantören är försenad till nästa vecka';
    const res = await comment(id, text).expect(200);
    expect(res.body.state.entries).toEqual([expect.objectContaining({ kind: 'comment', text, textRef: expect.objectContaining({ sha256: sha256(text), length: text.length }) })]);
    const ref = res.body.state.entries[0].textRef;
    expect((await stack.models.activities.findById(id).lean())!.entries[0]).toMatchObject({ text, textRef: ref });
    expect(await stack.models.entryTexts.findById(ref.id).lean()).toMatchObject({ orgId: ORG, activityId: id, sha256: sha256(text), text });
    expect((await request(app).get(`/api/v1/activities/${id}`).set('authorization', auth).expect(200)).body.entries[0].text).toBe(text);

    const queried = await stack.env.client.workflow.getHandle(id).query(stateQuery);
    expect(queried.entries).toEqual([{ id: 'kommentar-1', kind: 'comment', textRef: ref, by: { userId: COORD.id, name: COORD.name }, at: expect.any(String) }]);
    const history = await historyText(id);
    expect(history).toContain(ref.sha256);
    expect(history).not.toContain(text);
  });

  it('stores evidence’s description the same way, and a link stays in the workflow', async () => {
    const id = await create('underlag');
    const text = 'Protokoll från genomgången av behörigheter';
    const link = 'https://intranat.example/behorigheter.pdf';
    const res = await request(app).post(`/api/v1/activities/${id}/evidence`).set('authorization', auth).send({ text, link }).expect(200);
    expect(res.body.state.entries[0]).toMatchObject({ kind: 'evidence', text, link, textRef: { sha256: sha256(text) } });
    const history = await historyText(id);
    expect(history).toContain(link);
    expect(history).not.toContain(text);
  });

  it('stores a retried request’s text once', async () => {
    const id = await create('igen');
    const text = 'Skickad två gånger med samma nyckel';
    const first = await comment(id, text, 'igen-1').expect(200);
    // Without the API's record of the key the workflow's request id still holds: one entry, one text.
    await stack.models.idempotencyKeys.deleteMany({});
    const again = await comment(id, text, 'igen-1').expect(200);
    expect(again.body).toMatchObject({ version: first.body.version, duplicate: true });
    expect(again.body.state.entries).toHaveLength(1);
    expect(await stack.models.entryTexts.countDocuments({ activityId: id })).toBe(1);
    // The same key for another text is not a retry.
    await stack.models.idempotencyKeys.deleteMany({});
    const other = await comment(id, 'En annan text', 'igen-1').expect(422);
    expect(other.body.type).toBe('https://lisplan.se/problems/idempotency-key-reused');
    expect(await stack.models.entryTexts.countDocuments({ activityId: id })).toBe(1);
  });

  it('keeps no text of a refused change', async () => {
    const id = await create('nekad');
    await request(app).post(`/api/v1/activities/${id}/cancel`).set('authorization', auth).send({ reason: 'Behövs inte' }).expect(200);
    await comment(id, 'För sent').expect(409);
    expect(await stack.models.entryTexts.countDocuments({ activityId: id })).toBe(0);
  });

  it('shows a placeholder for a text altered or missing in the store, never another text', async () => {
    const id = await create('andrad');
    const first = (await comment(id, 'Den ursprungliga texten').expect(200)).body.state.entries[0].textRef;
    await stack.models.entryTexts.updateOne({ _id: first.id }, { $set: { text: 'En förfalskad text' } });
    const second = (await comment(id, 'Den andra texten').expect(200)).body.state.entries[1].textRef;
    await stack.models.entryTexts.deleteOne({ _id: second.id });
    const res = await comment(id, 'Den tredje texten').expect(200);
    expect(res.body.state.entries.map((e: { text: string }) => e.text)).toEqual([ALTERED_TEXT, MISSING_TEXT, 'Den tredje texten']);
    expect((await stack.models.activities.findById(id).lean())!.entries.map((e) => e.text)).toEqual([ALTERED_TEXT, MISSING_TEXT, 'Den tredje texten']);
    const page = await request(app).get(`/api/v1/activities/${id}`).set('authorization', auth).expect(200);
    expect(JSON.stringify(page.body)).not.toContain('En förfalskad text');
  });

  it('answers with the text from the workflow’s query while the change cannot be projected', async () => {
    const id = await create('utan-lasmodell');
    unprojectable.add(id);
    const text = 'Skriven medan lagret är borta för arbetaren';
    const res = await comment(id, text).expect(200);
    expect(res.body).toMatchObject({ version: 2, state: { version: 2, entries: [{ kind: 'comment', text }] } });
    expect((await stack.models.activities.findById(id).lean())?.version).toBe(1);
  }, 60_000);
});
