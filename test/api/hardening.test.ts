import request from 'supertest';
import { bearerFor, testApp } from '../support/api';
import { startTestStack, type TestStack } from '../support/stack';

/** Security headers, CORS, rate limits, metrics, documentation and the development login. */
describe('API hardening', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
    await stack.models.users.create({ _id: 'demo-fatima-ali', name: 'Fatima Ali', email: 'fatima.ali@demo.lisplan.se', memberships: [{ orgId: 'sodermalm', roles: ['security-coordinator'] }], cityViewer: false, demo: true });
    await stack.models.users.create({ _id: 'riktig-person', name: 'Riktig Person', email: 'riktig@example.se', memberships: [{ orgId: 'sodermalm', roles: ['viewer'] }], cityViewer: false, demo: false });
  });
  afterAll(() => stack?.close());

  it('sends helmet security headers and a request id, and no CORS headers unless origins are configured', async () => {
    const res = await request(testApp(stack)).get('/healthz').set('origin', 'https://evil.example');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(res.headers['strict-transport-security']).toBeDefined();
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();

    const open = testApp(stack, { env: { corsOrigins: ['https://intranat.stockholm.se'] } });
    const allowed = await request(open).options('/api/v1/me').set('origin', 'https://intranat.stockholm.se').set('access-control-request-method', 'GET');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://intranat.stockholm.se');
    const other = await request(open).get('/healthz').set('origin', 'https://evil.example');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('limits requests per token and answers 429 as a problem with Retry-After', async () => {
    const app = testApp(stack, { env: { rateLimitPerMinute: 3 } });
    const auth = await bearerFor(stack.models, { id: 'rate', name: 'Rate', memberships: [{ orgId: 'sodermalm', roles: ['viewer'] }] });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await request(app).get('/api/v1/me').set('authorization', auth)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = await request(app).get('/api/v1/me').set('authorization', auth);
    expect(limited.headers['retry-after']).toBe('60');
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.body.type).toBe('https://lisplan.se/problems/rate-limited');
    // Another token has its own budget.
    const other = await bearerFor(stack.models, { id: 'rate2', name: 'Rate 2', memberships: [{ orgId: 'sodermalm', roles: ['viewer'] }] });
    expect((await request(app).get('/api/v1/me').set('authorization', other)).status).toBe(200);
  });

  it('exposes Prometheus metrics on loopback with request and Update latency', async () => {
    const app = testApp(stack);
    await request(app).get('/healthz');
    const metrics = await request(app).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/lisplan_http_request_duration_seconds_bucket\{[^}]*route="\/healthz"[^}]*status="200"/);
    expect(metrics.text).toContain('# TYPE lisplan_temporal_update_duration_seconds histogram');
  });

  it('serves the OpenAPI document and a documentation page with its assets, without any CDN', async () => {
    const app = testApp(stack);
    const doc = await request(app).get('/api/openapi.json').expect(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(doc.body.paths['/api/v1/activities/{activityId}/tasks/{taskId}/complete'].post.summary).toBe('Markera en uppgift som klar');
    expect(doc.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const page = await request(app).get('/api/docs').expect(200);
    expect(page.text).toContain('<html lang="sv">');
    for (const src of [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!)) {
      expect(src.startsWith('/api/docs/')).toBe(true);
      await request(app).get(src).expect(200);
    }
  });

  it('lets demo users log in only when DEV_LOGIN is on, and never a real person', async () => {
    const off = testApp(stack);
    expect((await request(off).post('/api/v1/auth/dev-token').send({ userId: 'demo-fatima-ali' })).status).toBe(401);

    const on = testApp(stack, { env: { devLogin: true } });
    const login = await request(on).post('/api/v1/auth/dev-token').send({ userId: 'demo-fatima-ali' }).expect(201);
    expect(login.body).toMatchObject({ token: expect.stringMatching(/^lp_/), orgId: 'sodermalm' });
    const me = await request(on).get('/api/v1/me').set('authorization', `Bearer ${login.body.token}`).expect(200);
    expect(me.body).toMatchObject({ userId: 'demo-fatima-ali', memberships: [{ orgId: 'sodermalm', roles: ['security-coordinator'] }] });
    expect((await request(on).post('/api/v1/auth/dev-token').send({ userId: 'riktig-person' })).status).toBe(401);
    expect((await request(on).post('/api/v1/auth/dev-token').send({ userId: 'demo-fatima-ali', orgId: 'fastighetskontoret' })).status).toBe(400);
  });

  it('never shows a stack trace or an internal message', async () => {
    const app = testApp(stack);
    const auth = await bearerFor(stack.models, { id: 'st', name: 'St', memberships: [{ orgId: 'sodermalm', roles: ['viewer'] }] });
    for (const res of [
      await request(app).post('/api/v1/organisations').set('authorization', auth).set('content-type', 'application/json').send('{"id":'),
      await request(app).get('/api/v1/organisations/SODERMALM').set('authorization', auth),
      await request(app).get('/api/v1/nothing-here').set('authorization', auth),
    ]) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(JSON.stringify(res.body)).not.toMatch(/\bat [\w.<>]+ \(|node_modules|Error:/);
    }
  });
});
