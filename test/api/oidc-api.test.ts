import request from 'supertest';
import { createOidcBearerVerifier } from '../../src/http/auth/oidc';
import { testApp } from '../support/api';
import { freePort } from '../../src/stack/free-port';
import { settles } from '../support/eventually';
import { startOidcProvider, UI_CLIENT_ID, type TestOidcProvider } from '../support/oidc';
import { startTestStack, type TestStack } from '../support/stack';
import { daysFromToday, quietDueDate, thisYear } from '../support/calendar';

const YEAR = thisYear();

const ROLE_MAP = JSON.stringify({
  'lisplan-sodermalm-samordnare': [{ orgId: 'sodermalm', role: 'security-coordinator' }],
  'lisplan-fk-chef': [{ orgId: 'fastighetskontoret', role: 'head-of-administration' }],
  'lisplan-stad-lasare': { cityViewer: true },
});

/** The API with bearer tokens from a real OpenID provider on loopback. */
describe('API login with OpenID Connect', () => {
  let stack: TestStack;
  let provider: TestOidcProvider;
  beforeAll(async () => {
    stack = await startTestStack();
    provider = await startOidcProvider([
      { sub: 'anna-1', name: 'Anna Samordnare', email: 'anna@example.se', groups: ['lisplan-sodermalm-samordnare', 'lisplan-fk-chef', 'annat'] },
      { sub: 'stina-2', name: 'Stina Stad', email: 'stina@example.se', groups: ['lisplan-stad-lasare'] },
    ]);
    await stack.models.organisations.create([
      { _id: 'sodermalm', name: 'Södermalm', plan: { startYear: YEAR, endYear: YEAR + 2 }, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() },
      { _id: 'fastighetskontoret', name: 'Fastighetskontoret', plan: { startYear: YEAR, endYear: YEAR + 2 }, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() },
    ]);
  });
  afterAll(async () => {
    await provider?.stop();
    await stack?.close();
  });

  const appWith = (issuer: string) =>
    testApp(stack, { oidc: createOidcBearerVerifier({ issuer, clientId: UI_CLIENT_ID, audience: 'lisplan-api', rolesClaim: 'groups', roleMap: ROLE_MAP }) });

  it('maps the groups claim to roles per organisation and records only name and email', async () => {
    const { accessToken } = await provider.tokenFor('anna-1');
    const me = await request(appWith(provider.issuer)).get('/api/v1/me').set('authorization', `Bearer ${accessToken}`).expect(200);
    expect(me.body).toEqual({
      userId: 'oidc-anna-1',
      name: 'Anna Samordnare',
      cityViewer: false,
      memberships: [
        { orgId: 'sodermalm', roles: ['security-coordinator'] },
        { orgId: 'fastighetskontoret', roles: ['head-of-administration'] },
      ],
    });
    const user = await stack.models.users.findById('oidc-anna-1').lean();
    expect(user).toMatchObject({ name: 'Anna Samordnare', email: 'anna@example.se', oidcSubject: 'anna-1' });
  });

  it('lets a city-level viewer read every organisation but change nothing', async () => {
    const { accessToken } = await provider.tokenFor('stina-2');
    const app = appWith(provider.issuer);
    const orgs = await request(app).get('/api/v1/organisations').set('authorization', `Bearer ${accessToken}`).expect(200);
    expect(orgs.body.map((o: { id: string }) => o.id).sort()).toEqual(['fastighetskontoret', 'sodermalm']);
    await request(app).get('/api/v1/organisations/sodermalm/activities').set('authorization', `Bearer ${accessToken}`).expect(200);
    await request(app).patch('/api/v1/organisations/sodermalm').set('authorization', `Bearer ${accessToken}`).send({ board: 'x' }).expect(403);
    await request(app).post(`/api/v1/activities/sodermalm.${YEAR}.x/comments`).set('authorization', `Bearer ${accessToken}`).send({ text: 'x' }).expect(403);
  });

  it('gives a city-level viewer the roll-up of every organisation, with the late activities', async () => {
    const app = appWith(provider.issuer);
    const anna = `Bearer ${(await provider.tokenFor('anna-1')).accessToken}`;
    const stina = `Bearer ${(await provider.tokenFor('stina-2')).accessToken}`;
    const create = (key: string, title: string, dueDate: string) =>
      request(app).post('/api/v1/organisations/sodermalm/activities').set('authorization', anna).send({ key, year: YEAR, title, area: 'ai', owner: { role: 'security-coordinator' }, dueDate }).expect(201);
    const lateDue = daysFromToday(-30);
    await create('stad-sen', 'Inventera AI-tjänster', lateDue);
    await create('stad-i-tid', 'Ta fram AI-riktlinjer', quietDueDate());
    await settles(async () => expect(await stack.models.activities.countDocuments({ orgId: 'sodermalm', planYear: YEAR })).toBe(2));

    const city = await request(app).get(`/api/v1/city/summary?year=${YEAR}`).set('authorization', stina).expect(200);
    expect(city.body.organisations).toEqual([
      expect.objectContaining({ id: 'fastighetskontoret', name: 'Fastighetskontoret', total: 0, late: [] }),
      expect.objectContaining({
        id: 'sodermalm',
        total: 2,
        byStatus: expect.objectContaining({ planned: 2, done: 0 }),
        late: [{ id: `sodermalm.${YEAR}.stad-sen`, title: 'Inventera AI-tjänster', dueDate: lateDue, owner: 'security-coordinator' }],
      }),
    ]);
    // A token is bound to one organisation, so it sees that one only, whoever made it.
    const token = await request(app).post('/api/v1/me/tokens').set('authorization', anna).send({ name: 'Rollup', orgId: 'sodermalm', expiresInDays: 1 }).expect(201);
    const scoped = await request(app).get(`/api/v1/city/summary?year=${YEAR}`).set('authorization', `Bearer ${token.body.token}`).expect(200);
    expect(scoped.body.organisations.map((o: { id: string }) => o.id)).toEqual(['sodermalm']);
    await request(app).get(`/api/v1/city/summary?year=${YEAR}`).expect(401);
  });

  it('lets a logged-in person make a personal token, shown once, scoped to one organisation, and revoke it', async () => {
    const { accessToken } = await provider.tokenFor('anna-1');
    const app = appWith(provider.issuer);
    const made = await request(app).post('/api/v1/me/tokens').set('authorization', `Bearer ${accessToken}`).send({ name: 'Planskript', orgId: 'sodermalm', expiresInDays: 30 }).expect(201);
    expect(made.body).toMatchObject({ name: 'Planskript', orgId: 'sodermalm', revoked: false, token: expect.stringMatching(/^lp_[A-Za-z0-9_-]{43}$/) });
    const stored = await stack.models.apiTokens.findOne({ tokenId: made.body.id }).lean();
    expect(JSON.stringify(stored)).not.toContain(made.body.token);

    const viaToken = `Bearer ${made.body.token}`;
    const me = await request(app).get('/api/v1/me').set('authorization', viaToken).expect(200);
    expect(me.body.memberships).toEqual([{ orgId: 'sodermalm', roles: ['security-coordinator'] }]);
    await request(app).get('/api/v1/organisations/fastighetskontoret').set('authorization', viaToken).expect(403);
    await request(app).post('/api/v1/me/tokens').set('authorization', `Bearer ${accessToken}`).send({ name: 'x', orgId: 'kultur' }).expect(403);

    const listed = await request(app).get('/api/v1/me/tokens').set('authorization', `Bearer ${accessToken}`).expect(200);
    expect(listed.body.map((t: { id: string }) => t.id)).toContain(made.body.id);
    await request(app).delete(`/api/v1/me/tokens/${made.body.id}`).set('authorization', `Bearer ${accessToken}`).expect(204);
    await request(app).get('/api/v1/me').set('authorization', viaToken).expect(401);
  });

  it('refuses a token for another audience with 401, and answers 503 while the provider is away', async () => {
    const { accessToken } = await provider.tokenFor('anna-1', { audience: 'annat-api' });
    await request(appWith(provider.issuer)).get('/api/v1/me').set('authorization', `Bearer ${accessToken}`).expect(401);
    const { accessToken: good } = await provider.tokenFor('anna-1');
    const down = await request(appWith(`http://127.0.0.1:${await freePort()}`)).get('/api/v1/me').set('authorization', `Bearer ${good}`).expect(503);
    expect(down.headers['retry-after']).toBeDefined();
    expect(down.body.detail).toBe('The identity provider is unreachable or did not answer in time.');
  });
});
