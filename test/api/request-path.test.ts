import request from 'supertest';
import { bearerFor, testApp } from '../support/api';
import { quietDueDate, thisYear } from '../support/calendar';
import { projected } from '../support/projected';
import { startTestStack, type TestStack } from '../support/stack';

const YEAR = thisYear();
const UNKNOWN = `/api/v1/activities/sodermalm.${YEAR}.finns-inte`;

/**
 * The request path through the real stack, on the product's own routes: a write goes API →
 * Temporal → worker → activity → store and is read back through the API; what goes wrong on
 * the way answers as a problem document, never a stack.
 */
describe('a request through the real stack', () => {
  let stack: TestStack;
  let app: ReturnType<typeof testApp>;
  let auth: string;
  const create = (body: object) => request(app).post('/api/v1/organisations/sodermalm/activities').set('authorization', auth).send(body);

  beforeAll(async () => {
    stack = await startTestStack();
    app = testApp(stack);
    await stack.models.organisations.create({ _id: 'sodermalm', name: 'Södermalms stadsdelsförvaltning', plan: { startYear: YEAR, endYear: YEAR + 2 }, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() });
    auth = await bearerFor(stack.models, { id: 'path-coord', name: 'Cecilia Samordnare', memberships: [{ orgId: 'sodermalm', roles: ['security-coordinator'] }] });
  });
  afterAll(() => stack?.close());

  it('writes through the workflow into the store and reads the activity back', async () => {
    const created = await create({ key: 'genomgang', year: YEAR, dueDate: quietDueDate(), title: 'Ledningens genomgång', area: 'ai', owner: { role: 'it-coordinator' } }).expect(201);
    const id = `sodermalm.${YEAR}.genomgang`;
    expect(created.body).toMatchObject({ id, title: 'Ledningens genomgång', version: 1 });
    expect(created.headers.location).toBe(`/api/v1/activities/${id}`);

    await projected(stack, id, 1);
    const read = await request(app).get(created.headers.location!).set('authorization', auth).expect(200);
    expect(read.body).toMatchObject(created.body);
    const audit = await stack.models.auditEvents.find({ activityId: id }).lean();
    expect(audit.map((e) => [e.version, e.action])).toEqual([[1, 'created']]);

    const described = await stack.env.client.workflow.getHandle(id).describe();
    expect(described.status.name).toBe('RUNNING');
  });

  it('answers /readyz 200 when Temporal and the store answer', async () => {
    const res = await request(app).get('/readyz').expect(200);
    expect(res.body).toEqual({ status: 'ready', checks: { temporal: 'up', store: 'up' } });
    await request(app).get('/healthz').expect(200, { status: 'ok' });
  });

  it('rejects a bad body with a 400 problem naming the field, and starts and writes nothing', async () => {
    const before = await stack.models.activities.countDocuments();
    const res = await create({ key: 'tom-titel', year: YEAR, title: '', area: 'ai', owner: { role: 'it-coordinator' }, extra: 1 }).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, type: 'https://lisplan.se/problems/validation' });
    // The unknown key is the body's fault; the empty title breaks more than one of its rules.
    expect([...new Set(res.body.errors.map((e: { field: string }) => e.field))].sort()).toEqual(['body', 'body.title']);
    await expect(stack.env.client.workflow.getHandle(`sodermalm.${YEAR}.tom-titel`).describe()).rejects.toThrow(/not found/i);
    expect(await stack.models.activities.countDocuments()).toBe(before);
  });

  it('refuses the API without a valid token, with 401 and WWW-Authenticate', async () => {
    const none = await request(app).get(UNKNOWN).expect(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect(none.body.type).toBe('https://lisplan.se/problems/unauthenticated');
    await request(app).get('/api/v1/activities/x').set('authorization', 'Bearer lp_' + 'A'.repeat(43)).expect(401);
  });

  it('rejects malformed JSON with 400 and an unknown activity with 404, never a stack', async () => {
    const bad = await request(app)
      .post('/api/v1/organisations/sodermalm/activities')
      .set('authorization', auth)
      .set('content-type', 'application/json')
      .send('{"key": ')
      .expect(400);
    expect(JSON.stringify(bad.body)).not.toMatch(/at \w+ \(|SyntaxError/);
    const missing = await request(app).get(UNKNOWN).set('authorization', auth).expect(404);
    expect(missing.body.type).toBe('https://lisplan.se/problems/not-found');
    await request(app).get('/api/v1/activities/not-an-id').set('authorization', auth).expect(400);
  });

  it('refuses an oversized body with 413', async () => {
    const res = await create({ key: 'stor', year: YEAR, title: 'x'.repeat(200_000), area: 'ai', owner: { role: 'it-coordinator' } }).expect(413);
    expect(res.body.type).toBe('https://lisplan.se/problems/payload-too-large');
  });

  it('puts a request id on every response and keeps a sane incoming one', async () => {
    const res = await request(app).get('/healthz').set('x-request-id', 'abc-123');
    expect(res.headers['x-request-id']).toBe('abc-123');
    const generated = await request(app).get('/healthz').set('x-request-id', 'bad id with spaces');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
