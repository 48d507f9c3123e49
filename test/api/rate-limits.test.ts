import request from 'supertest';
import { bearerFor, testApp } from '../support/api';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * The rate limits count people, not credential strings: every token and spelling of one
 * person's shares one budget, refused credentials are limited per address, and the development
 * login and the web UI's posts are limited too.
 */
describe('rate limits', () => {
  let stack: TestStack;
  const ORG = 'sodermalm';
  const viewer = (id: string) => ({ id, name: `Person ${id}`, memberships: [{ orgId: ORG, roles: ['viewer' as const] }] });

  beforeAll(async () => {
    stack = await startTestStack();
    await stack.models.users.create({ _id: 'demo-rl', name: 'Demo Begränsad', email: 'demo-rl@demo.lisplan.se', memberships: [{ orgId: ORG, roles: ['viewer'] }], cityViewer: false, demo: true });
  });
  afterAll(() => stack?.close());

  it('gives one person one budget across their tokens and the spelling of the scheme', async () => {
    const app = testApp(stack, { env: { rateLimitPerMinute: 3 } });
    const first = await bearerFor(stack.models, viewer('rl-one'));
    const second = await bearerFor(stack.models, viewer('rl-one'));
    const lower = second.replace(/^Bearer /, 'bearer ');
    const statuses = [];
    for (const auth of [first, second, lower, first, lower]) statuses.push((await request(app).get('/api/v1/me').set('authorization', auth)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    // Someone else has their own.
    expect((await request(app).get('/api/v1/me').set('authorization', await bearerFor(stack.models, viewer('rl-two')))).status).toBe(200);
  });

  it('limits refused credentials per address: invalid tokens cannot be tried without end', async () => {
    const app = testApp(stack, { env: { authFailuresPerMinute: 3 } });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await request(app).get('/api/v1/me').set('authorization', `Bearer lp_${'x'.repeat(40)}${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    const limited = await request(app).get('/api/v1/me').set('authorization', 'Bearer not-even-a-token');
    expect(limited.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(limited.body.type).toBe('https://lisplan.se/problems/rate-limited');
  });

  it('does not count a caller that authenticates against the address', async () => {
    const app = testApp(stack, { env: { authFailuresPerMinute: 2 } });
    const auth = await bearerFor(stack.models, viewer('rl-three'));
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await request(app).get('/api/v1/me').set('authorization', auth)).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
  });

  it('limits the development login per address', async () => {
    const app = testApp(stack, { env: { devLogin: true, rateLimitPerMinute: 2 } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await request(app).post('/api/v1/auth/dev-token').send({ userId: 'demo-rl' })).status);
    expect(statuses).toEqual([201, 201, 429]);
  });

  it("limits the web UI's posts per person, with a page", async () => {
    const browser = request.agent(testApp(stack, { env: { devLogin: true, rateLimitPerMinute: 3 } }));
    const login = await browser.get('/logga-in').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(login.text)![1]!;
    await browser.post('/logga-in/demo').type('form').send({ _csrf: csrf, userId: 'demo-rl' }).expect(303);
    const page = await browser.get('/aviseringar').expect(200);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)![1]!;
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await browser.post('/sprak').type('form').send({ _csrf: token, lang: 'sv', returnTo: '/aviseringar' })).status);
    expect(statuses).toEqual([303, 303, 303, 429]);
    const limited = await browser.post('/sprak').type('form').send({ _csrf: token, lang: 'sv' });
    expect(limited.headers['content-type']).toMatch(/^text\/html/);
    expect(limited.headers['retry-after']).toBe('60');
  });
});
