import request from 'supertest';
import type { Express } from 'express';
import { MAX_UNATTACHED_PER_PERSON, UNATTACHED_HOURS, storeUpload } from '../../src/services/activities/uploads';
import type { Problem } from '../../src/services/problem';
import { bearerFor, testApp, type TestUser } from '../support/api';
import { quietDueDate, thisYear } from '../support/calendar';
import { eventually } from '../support/eventually';
import { projected } from '../support/projected';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * Uploads that no evidence refers to are not kept: each person may have a bounded number
 * waiting, and the store removes one a day after its upload unless evidence attached it.
 */
describe('orphan uploads', () => {
  const ORG = 'uppladdning';
  const COORD: TestUser = { id: 'up-coord', name: 'Cecilia Samordnare', memberships: [{ orgId: ORG, roles: ['security-coordinator'] }] };
  let stack: TestStack;
  let app: Express;
  let auth: string;
  let activityId: string;

  beforeAll(async () => {
    // Many uploads in a row: the rate limit is not what this is about.
    stack = await startTestStack({ env: { RATE_LIMIT_PER_MINUTE: '100000' } });
    app = testApp(stack);
    await stack.models.organisations.create({ _id: ORG, name: 'Förvaltningen', plan: { startYear: thisYear(), endYear: thisYear() + 2 }, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() });
    auth = await bearerFor(stack.models, COORD);
    const created = await request(app).post(`/api/v1/organisations/${ORG}/activities`).set('authorization', auth)
      .send({ key: 'underlag', year: thisYear(), dueDate: quietDueDate(), title: 'Aktivitet med underlag', area: 'ai', owner: { role: 'security-coordinator' } }).expect(201);
    activityId = created.body.id;
    await projected(stack, activityId, 1);
  });
  afterAll(() => stack?.close());

  const upload = (i: number) =>
    request(app).post(`/api/v1/activities/${activityId}/files`).set('authorization', auth).set('content-type', 'text/plain').set('x-filename', `fil-${i}.txt`).send(`innehåll ${i}`);

  it('has the store remove what is still unattached when its day is up (a TTL index)', async () => {
    const indexes = await stack.models.evidenceFiles.collection.indexes();
    expect(indexes.filter((i) => i.expireAfterSeconds !== undefined).map((i) => ({ key: i.key, expireAfterSeconds: i.expireAfterSeconds }))).toEqual([
      { key: { unattachedUntil: 1 }, expireAfterSeconds: 0 },
    ]);
  });

  it('caps the files a person has waiting, names the cap, and counts an attached one no more', async () => {
    const ids: string[] = [];
    for (let i = 0; i < MAX_UNATTACHED_PER_PERSON; i++) ids.push((await upload(i).expect(201)).body.id);
    const first = await stack.models.evidenceFiles.findById(ids[0]).lean();
    expect(first!.unattachedUntil!.getTime() - first!.uploadedAt.getTime()).toBe(UNATTACHED_HOURS * 3_600_000);

    const refused = await upload(99);
    expect(refused.status).toBe(409);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ type: 'https://lisplan.se/problems/limit-reached', limit: { name: 'unattached-uploads-per-person', max: MAX_UNATTACHED_PER_PERSON } });

    const file = (await stack.models.evidenceFiles.findById(ids[0], { data: 0, orgId: 0, activityId: 0, uploadedBy: 0, uploadedAt: 0, unattachedUntil: 0 }).lean())!;
    const ref = { id: file._id, name: file.name, size: file.size, contentType: file.contentType, sha256: file.sha256 };
    await request(app).post(`/api/v1/activities/${activityId}/evidence`).set('authorization', auth).send({ text: 'Underlag', file: ref }).expect(200);
    // Kept once the change that attached it is recorded; the slot it held is free again.
    await eventually(async () => ((await stack.models.evidenceFiles.findById(ids[0]).lean())?.unattachedUntil === undefined ? true : undefined), 'the file kept');
    await upload(100).expect(201);
    expect(await stack.models.evidenceFiles.countDocuments({ unattachedUntil: { $exists: true } })).toBe(MAX_UNATTACHED_PER_PERSON);
  });

  it('holds the cap when a person uploads many files at once', async () => {
    // Straight to the service, all in one tick: over HTTP each upload first asks the workflow,
    // which spaces them out enough to hide a count-then-insert race.
    const uploadedBy = 'up-samtidig';
    const fired = MAX_UNATTACHED_PER_PERSON + 15;
    const outcomes = await Promise.allSettled(
      Array.from({ length: fired }, (_, i) =>
        storeUpload(stack.models, { _id: `fil-samtidig-${i}`, orgId: ORG, activityId, name: `samtidig-${i}.txt`, contentType: 'text/plain', size: 1, sha256: 'x', data: Buffer.from('x'), uploadedBy }),
      ),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(MAX_UNATTACHED_PER_PERSON);
    const refusals = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as Problem] : []));
    expect(refusals.map((p) => ({ status: p.status, limit: p.extra.limit }))).toEqual(
      Array(fired - MAX_UNATTACHED_PER_PERSON).fill({ status: 409, limit: { name: 'unattached-uploads-per-person', max: MAX_UNATTACHED_PER_PERSON } }),
    );
    expect(await stack.models.evidenceFiles.countDocuments({ uploadedBy, unattachedUntil: { $exists: true } })).toBe(MAX_UNATTACHED_PER_PERSON);
  });

  it('lets the store remove an upload whose day is up', async () => {
    await stack.models.evidenceFiles.deleteMany({ unattachedUntil: { $exists: true } });
    const { body } = await upload(200).expect(201);
    await stack.models.evidenceFiles.updateOne({ _id: body.id }, { $set: { unattachedUntil: new Date(Date.now() - 1000) } });
    // mongod's TTL monitor runs about once a minute.
    await eventually(async () => ((await stack.models.evidenceFiles.exists({ _id: body.id })) ? undefined : true), 'the expired upload removed', 110_000);
  }, 150_000);
});
