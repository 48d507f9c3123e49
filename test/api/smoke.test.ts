import request from 'supertest';
import { bearerFor, testApp } from '../support/api';
import { startTestStack, type TestStack } from '../support/stack';

/** The foundation's smoke test: API → Temporal → worker → activity → store → API. */
describe('smoke slice through the real stack', () => {
  let stack: TestStack;
  let app: ReturnType<typeof testApp>;
  let auth: string;

  beforeAll(async () => {
    stack = await startTestStack();
    app = testApp(stack);
    auth = await bearerFor(stack.models, { id: 'smoke-user', name: 'Röktest', memberships: [{ orgId: 'sodermalm', roles: ['viewer'] }] });
  });
  afterAll(() => stack?.close());

  it('writes through a workflow and reads the note back', async () => {
    const created = await request(app).post('/api/v1/smoke').set('authorization', auth).send({ message: 'Ledningens genomgång 2026' }).expect(201);
    expect(created.body).toMatchObject({ id: expect.stringMatching(/^smoke-/), message: 'Ledningens genomgång 2026' });
    expect(created.headers.location).toBe(`/api/v1/smoke/${created.body.id}`);

    const read = await request(app).get(created.headers.location!).set('authorization', auth).expect(200);
    expect(read.body).toEqual(created.body);

    const history = await stack.env.client.workflow.getHandle(created.body.id).describe();
    expect(history.status.name).toBe('COMPLETED');
  });

  it('answers /readyz 200 when Temporal and the store answer', async () => {
    const res = await request(app).get('/readyz').expect(200);
    expect(res.body).toEqual({ status: 'ready', checks: { temporal: 'up', store: 'up' } });
    await request(app).get('/healthz').expect(200, { status: 'ok' });
  });

  it('rejects a bad body with a 400 problem naming the field, and writes nothing', async () => {
    const before = await stack.models.smokeNotes.countDocuments();
    const res = await request(app).post('/api/v1/smoke').set('authorization', auth).send({ message: '', extra: 1 }).expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, type: 'https://lisplan.se/problems/validation' });
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['body', 'body.message']);
    expect(await stack.models.smokeNotes.countDocuments()).toBe(before);
  });

  it('refuses the API without a valid token, with 401 and WWW-Authenticate', async () => {
    const none = await request(app).get('/api/v1/smoke/smoke-00000000-0000-0000-0000-000000000000').expect(401);
    expect(none.headers['www-authenticate']).toBe('Bearer');
    expect(none.body.type).toBe('https://lisplan.se/problems/unauthenticated');
    await request(app).get('/api/v1/smoke/x').set('authorization', 'Bearer lp_' + 'A'.repeat(43)).expect(401);
  });

  it('rejects malformed JSON with 400 and an unknown note with 404, never a stack', async () => {
    const bad = await request(app)
      .post('/api/v1/smoke')
      .set('authorization', auth)
      .set('content-type', 'application/json')
      .send('{"message": ')
      .expect(400);
    expect(JSON.stringify(bad.body)).not.toMatch(/at \w+ \(|SyntaxError/);
    const missing = await request(app).get('/api/v1/smoke/smoke-00000000-0000-0000-0000-000000000000').set('authorization', auth).expect(404);
    expect(missing.body.type).toBe('https://lisplan.se/problems/not-found');
    await request(app).get('/api/v1/smoke/not-an-id').set('authorization', auth).expect(400);
  });

  it('refuses an oversized body with 413', async () => {
    const res = await request(app).post('/api/v1/smoke').set('authorization', auth).send({ message: 'x'.repeat(200_000) }).expect(413);
    expect(res.body.type).toBe('https://lisplan.se/problems/payload-too-large');
  });

  it('puts a request id on every response and keeps a sane incoming one', async () => {
    const res = await request(app).get('/healthz').set('x-request-id', 'abc-123');
    expect(res.headers['x-request-id']).toBe('abc-123');
    const generated = await request(app).get('/healthz').set('x-request-id', 'bad id with spaces');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
