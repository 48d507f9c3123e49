import type { Express } from 'express';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { createApp } from '../../src/app';
import { connectStore } from '../../src/store/connection';
import { createModels } from '../../src/store/models';
import { createLogger } from '../../src/platform/logger';
import { bearerFor, type TestUser } from '../support/api';
import { quietDueDate, thisYear } from '../support/calendar';
import { projected } from '../support/projected';
import { startTestStack, type TestStack } from '../support/stack';
import { startStoreProxy, type StoreFault, type StoreProxy } from '../support/store-proxy';

/**
 * Every route, on a store that answers wrongly: an error reply, a reply without its cursor,
 * bytes that are no BSON, a dropped connection, user documents cut down to their ids. The
 * API answers 503 with Retry-After (or 401/403 where it cannot tell who calls), the web UI its
 * own Swedish 503 page, and never a 500. The faults sit in a proxy between the app and the real
 * store; the worker writes to the store directly.
 */
const YEAR = thisYear();
const ORG = 'storfel';
const COORD: TestUser = { id: 'sf-samordnare', name: 'Sara Samordnare', memberships: [{ orgId: ORG, roles: ['security-coordinator', 'head-of-administration', 'admin'] }] };
const IDENTITY = ['users', 'api_tokens', 'ui_sessions'];
const FAULTS: StoreFault[] = ['error-reply', 'no-cursor', 'garbage', 'drop'];

describe('a store that fails or answers malformed replies', () => {
  let stack: TestStack;
  let proxy: StoreProxy;
  let proxied: Connection;
  let app: Express;
  let auth: string;
  let activityId: string;
  let routes: { method: string; path: string }[];

  beforeAll(async () => {
    // Every route several times a minute: the rate limit is not what this suite is about.
    stack = await startTestStack({ env: { DEV_LOGIN: 'true', RATE_LIMIT_PER_MINUTE: '1000000' } });
    proxy = await startStoreProxy(stack.config.mongo.uri);
    proxied = await connectStore({ ...stack.config.mongo, uri: proxy.uri });
    app = createApp({ config: stack.config, logger: createLogger({ logLevel: 'silent' }, 'test'), client: stack.env.client, store: proxied, models: createModels(proxied) });
    await stack.models.organisations.create({ _id: ORG, name: 'Förvaltningen med trasig databas', plan: { startYear: YEAR, endYear: YEAR + 2 }, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() });
    auth = await bearerFor(stack.models, COORD);
    await stack.models.users.updateOne({ _id: COORD.id }, { $set: { demo: true } });
    const created = await request(app).post(`/api/v1/organisations/${ORG}/activities`).set('authorization', auth)
      .send({ key: 'trasig', year: YEAR, dueDate: quietDueDate(), title: 'Aktivitet på en trasig databas', area: 'ai', owner: { role: 'security-coordinator' } }).expect(201);
    activityId = created.body.id;
    await projected(stack, activityId, 1);
    await request(app).post(`/api/v1/organisations/${ORG}/reviews/${YEAR}`).set('authorization', auth).send({}).expect(201);
    const doc = (await request(app).get('/api/openapi.json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    routes = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((method) => ({ method, path: fill(p) })));
  });
  afterAll(async () => {
    proxy?.set('pass');
    await proxied?.close();
    await proxy?.close();
    await stack?.close();
  });

  const fill = (p: string) =>
    p.replace('{orgId}', ORG).replace('{activityId}', activityId).replace('{year}', String(YEAR)).replace('{taskId}', 'genomfor')
      .replace('{milestoneId}', 'slutford').replace('{extensionId}', 'forlangning-1').replace('{sectionId}', 'sammanfattning').replace('{format}', 'json')
      .replace('{fileId}', 'fil-00000000-0000-0000-0000-000000000000').replace('{seriesId}', 'incidenter').replace('{userId}', COORD.id)
      .replace('{delegationId}', 'delegering-00000000').replace('{tokenId}', '000000000000').replace('{notificationId}', 'x').replace('{file}', `${'a'.repeat(43)}.ics`);

  /** Every documented route once, with a body that is valid where a body is needed. */
  async function callEveryRoute(): Promise<{ route: string; status: number; retryAfter?: string; type: string }[]> {
    const answers = [];
    for (const { method, path } of routes) {
      const res = await (request(app) as unknown as Record<string, (p: string) => request.Test>)[method]!(path).set('authorization', auth).send(method === 'get' ? undefined : {});
      answers.push({ route: `${method} ${path}`, status: res.status, retryAfter: res.headers['retry-after'], type: String(res.headers['content-type'] ?? '') });
    }
    return answers;
  }

  /** What may never be seen: a 500, or a 503 that does not say when to come back. */
  const broken = (answers: Awaited<ReturnType<typeof callEveryRoute>>) =>
    answers.filter((a) => (a.status >= 500 && a.status !== 503) || (a.status === 503 && !a.retryAfter));

  it.each(FAULTS)('%s on every collection: every route that reads the store answers 503 with Retry-After', async (fault) => {
    proxy.set(fault);
    const answers = await callEveryRoute();
    proxy.set('pass');
    expect(broken(answers)).toEqual([]);
    // Authentication reads the store first, so nothing under /api/v1 gets further.
    const api = answers.filter((a) => a.route.includes('/api/v1/'));
    expect(api.filter((a) => a.status !== 503)).toEqual([]);
    expect(api.every((a) => a.type.startsWith('application/problem+json'))).toBe(true);
  });

  it.each(FAULTS)('%s past authentication: the routes’ own reads and writes answer 503, never 500', async (fault) => {
    proxy.set(fault, { except: IDENTITY });
    const answers = await callEveryRoute();
    const injected = proxy.injected;
    proxy.set('pass');
    expect(broken(answers)).toEqual([]);
    expect(injected).toBeGreaterThan(0);
    // The reads of a page or a list meet the fault: a real share of the routes said 503.
    expect(answers.filter((a) => a.status === 503).length).toBeGreaterThan(routes.length / 3);
  });

  // The cut-down reply breaks the cursor itself (the driver finds no cursor id): a failing store.
  // A user document really stored without memberships is a person with no roles: see
  // users-without-memberships.test.ts.
  it('a reply of user documents cut down to their ids is the store failing, not a 500', async () => {
    proxy.set('strip-documents', { collections: ['users'] });
    const res = await request(app).get(`/api/v1/organisations/${ORG}/activities`).set('authorization', auth);
    proxy.set('pass');
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.body).toMatchObject({ type: 'https://lisplan.se/problems/unavailable', detail: 'The store is unreachable or did not answer in time.' });
    await request(app).get(`/api/v1/organisations/${ORG}/activities`).set('authorization', auth).expect(200);
  });

  it('the web UI answers its own Swedish 503 page for every page', async () => {
    const browser = request.agent(app);
    const login = await browser.get('/logga-in').expect(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(login.text)![1]!;
    await browser.post('/logga-in/demo').type('form').send({ _csrf: csrf, userId: COORD.id }).expect(303).expect('location', '/');
    const pages = ['/mina-uppgifter', '/att-godkanna', '/planoversikt', `/aktiviteter/${activityId}`, '/nyckeltal', `/arsrapport/${ORG}/${YEAR}`, '/administration', '/aviseringar'];
    for (const page of pages) await browser.get(page).expect(200);
    for (const fault of FAULTS) {
      for (const except of [[], IDENTITY]) {
        proxy.set(fault, { except });
        for (const page of pages) {
          const res = await browser.get(page);
          expect({ fault, except, page, status: res.status, retryAfter: Boolean(res.headers['retry-after']) }).toEqual({ fault, except, page, status: 503, retryAfter: true });
          expect(res.headers['content-type']).toMatch(/^text\/html/);
          expect(res.text).toContain('Tjänsten är tillfälligt otillgänglig. Försök igen om en stund.');
        }
        proxy.set('pass');
      }
    }
    await browser.get('/mina-uppgifter').expect(200);
  });
});
