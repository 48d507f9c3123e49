import request from 'supertest';
import { mintToken } from '../../src/services/people/api-tokens';
import { bearerFor, testApp } from '../support/api';
import { thisYear } from '../support/calendar';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * A person the store holds without a `memberships` field (written by hand or by an older
 * version) is a person with no role anywhere: every route answers 401 or 403, never a 500 from
 * reading the roles of nothing. Also on the logins that read the document themselves.
 */
describe('a user document without memberships', () => {
  let stack: TestStack;
  const ORG = 'utan-roller';
  const BARE = 'bara-namn';

  beforeAll(async () => {
    stack = await startTestStack({ env: { DEV_LOGIN: 'true' } });
    await stack.models.organisations.create({ _id: ORG, name: 'Förvaltningen', plan: { startYear: thisYear(), endYear: thisYear() + 2 }, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() });
    // Straight into the collection: mongoose would add the default empty list.
    await stack.models.users.collection.insertOne({ _id: BARE as never, name: 'Bara Namn', email: 'bara@test.lisplan.se', demo: true });
  });
  afterAll(() => stack?.close());

  it('authenticates a token as a person with no roles: 403 on the organisation, never 500 or 503', async () => {
    const { token, hash, tokenId } = mintToken();
    await stack.models.apiTokens.create({ _id: hash, tokenId, userId: BARE, orgId: ORG, name: 't', createdAt: new Date(), expiresAt: new Date(Date.now() + 3_600_000) });
    const app = testApp(stack);
    const me = await request(app).get('/api/v1/me').set('authorization', `Bearer ${token}`);
    expect({ status: me.status, memberships: me.body.memberships }).toEqual({ status: 200, memberships: [] });
    const list = await request(app).get(`/api/v1/organisations/${ORG}/activities`).set('authorization', `Bearer ${token}`);
    expect(list.status).toBe(403);
  });

  it('refuses the development token with 400 naming the field, not a TypeError', async () => {
    const res = await request(testApp(stack, { env: { devLogin: true } })).post('/api/v1/auth/dev-token').send({ userId: BARE });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: 'body.orgId', message: 'the user has no role there' }]);
  });

  it('lists the person on the demo login page and logs them in to pages that show nothing of anyone', async () => {
    const browser = request.agent(testApp(stack, { env: { devLogin: true } }));
    const login = await browser.get('/logga-in').expect(200);
    expect(login.text).toContain('Bara Namn');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(login.text)![1]!;
    await browser.post('/logga-in/demo').type('form').send({ _csrf: csrf, userId: BARE }).expect(303);
    const page = await browser.get('/mina-uppgifter');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Bara Namn');
  });

  it('lets an administrator give the person a role and refuses a delegation to them while they have none', async () => {
    const admin = await bearerFor(stack.models, { id: 'adm', name: 'Adam Admin', memberships: [{ orgId: ORG, roles: ['admin', 'head-of-administration'] }] });
    const app = testApp(stack);
    const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
    const delegation = await request(app).post(`/api/v1/organisations/${ORG}/delegations`).set('authorization', admin)
      .send({ fromUserId: 'adm', toUserId: BARE, role: 'head-of-administration', validFrom: future(1), validTo: future(10) });
    expect(delegation.status).toBe(400);
    const put = await request(app).put(`/api/v1/organisations/${ORG}/users/${BARE}`).set('authorization', admin).send({ name: 'Bara Nytt Namn', roles: ['viewer'] });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ userId: BARE, name: 'Bara Nytt Namn', roles: ['viewer'] });
  });
});
