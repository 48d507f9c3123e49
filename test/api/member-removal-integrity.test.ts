import type { Express } from 'express';
import type { Connection } from 'mongoose';
import request from 'supertest';
import { createApp } from '../../src/app';
import { createLogger } from '../../src/platform/logger';
import { removeMember } from '../../src/services/people/removal';
import { connectStore } from '../../src/store/connection';
import { createModels } from '../../src/store/models';
import { bearerFor, type TestUser } from '../support/api';
import { daysFromToday, quietDueDate, thisYear } from '../support/calendar';
import { projected } from '../support/projected';
import { startTestStack, type TestStack } from '../support/stack';
import { startStoreProxy, type StoreProxy } from '../support/store-proxy';

/**
 * Removing a member so that it lasts and is whole. A person whose roles the identity provider
 * gives is refused (409): their next login would write the membership back. A removal the store
 * breaks off midway leaves the person a member, so trying again ends their delegations and
 * records the removal once. The faults sit in a proxy between the app and the real store.
 */
describe('removing a member, for good and whole', () => {
  const ORG = 'bortagning';
  const ADMIN: TestUser = { id: 'bt-admin', name: 'Agnes Administratör', memberships: [{ orgId: ORG, roles: ['admin'] }] };
  const COORD: TestUser = { id: 'bt-samordnare', name: 'Sara Samordnare', memberships: [{ orgId: ORG, roles: ['security-coordinator'] }] };
  const FROM_IDP: TestUser = { id: 'oidc-bt-grupp', name: 'Ivar Idp', memberships: [{ orgId: ORG, roles: ['it-coordinator'] }] };
  const LOCAL: TestUser = { id: 'bt-lokal', name: 'Lova Lokal', memberships: [{ orgId: ORG, roles: ['it-coordinator'] }] };
  const STAYING: TestUser = { id: 'bt-stannar', name: 'Stina Stannar', memberships: [{ orgId: ORG, roles: ['it-coordinator', 'information-owner'] }] };
  const LEAVERS: TestUser[] = ['audit_events', 'delegations', 'samma-begaran'].map((c, i) => ({ id: `bt-slutar-${i}`, name: `Slutar ${c}`, memberships: [{ orgId: ORG, roles: ['it-coordinator'] }] }));
  let stack: TestStack;
  let proxy: StoreProxy;
  let proxied: Connection;
  let app: Express;
  const auth: Record<string, string> = {};
  const memberEvents = (userId: string) => stack.models.auditEvents.find({ orgId: ORG, activityId: `member:${userId}`, action: 'remove-member' }).lean();
  const isMember = async (userId: string) => (await stack.models.users.exists({ _id: userId, 'memberships.orgId': ORG })) !== null;
  const delegationsInForce = (userId: string) => stack.models.delegations.countDocuments({ orgId: ORG, endedAt: { $exists: false }, $or: [{ 'from.userId': userId }, { 'to.userId': userId }] });
  const remove = (userId: string, requestId?: string) => {
    const req = request(app).delete(`/api/v1/organisations/${ORG}/users/${userId}`).set('authorization', auth[ADMIN.id]!);
    return requestId ? req.set('x-request-id', requestId) : req;
  };
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
  async function browserOf(u: TestUser) {
    const browser = request.agent(app);
    const login = await browser.get('/logga-in').expect(200);
    await browser.post('/logga-in/demo').type('form').send({ _csrf: csrfOf(login.text), userId: u.id }).expect(303);
    return browser;
  }
  const delegate = (from: TestUser, to: TestUser) =>
    request(app).post(`/api/v1/organisations/${ORG}/delegations`).set('authorization', auth[from.id]!)
      .send({ fromUserId: from.id, toUserId: to.id, role: 'it-coordinator', validFrom: daysFromToday(0), validTo: daysFromToday(30) }).expect(201);

  beforeAll(async () => {
    stack = await startTestStack();
    proxy = await startStoreProxy(stack.config.mongo.uri);
    proxied = await connectStore({ ...stack.config.mongo, uri: proxy.uri });
    app = createApp({ config: { ...stack.config, devLogin: true }, logger: createLogger({ logLevel: 'silent' }, 'test'), client: stack.env.client, store: proxied, models: createModels(proxied) });
    await stack.models.organisations.create({ _id: ORG, name: 'Förvaltningen som tar bort', plan: { startYear: thisYear(), endYear: thisYear() + 2 }, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() });
    for (const u of [ADMIN, COORD, FROM_IDP, LOCAL, STAYING, ...LEAVERS]) auth[u.id] = await bearerFor(stack.models, u);
    await stack.models.users.updateMany({ _id: { $in: [ADMIN.id, COORD.id] } }, { $set: { demo: true } });
  });
  afterAll(async () => {
    proxy?.set('pass');
    await proxied?.close();
    await proxy?.close();
    await stack?.close();
  });

  it('refuses to remove a person whose roles come from the identity provider, by the API and on the removal page, and writes nothing; removes a local person, their one activity said in the singular', async () => {
    await delegate(FROM_IDP, STAYING);
    // As rememberOidcUser leaves them after a login through the provider.
    await stack.models.users.updateOne({ _id: FROM_IDP.id }, { $set: { oidcSubject: 'bt-grupp' } });

    const refused = await remove(FROM_IDP.id).expect(409);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ status: 409, detail: 'Personens roller kommer från identitetsleverantören och skrivs tillbaka vid nästa inloggning. Ta bort personen ur gruppen där.' });
    // No roles by PUT is the same removal, refused alike.
    await request(app).put(`/api/v1/organisations/${ORG}/users/${FROM_IDP.id}`).set('authorization', auth[ADMIN.id]!).send({ roles: [] }).expect(409);
    expect(await isMember(FROM_IDP.id)).toBe(true);
    expect(await delegationsInForce(FROM_IDP.id)).toBe(1);
    expect(await memberEvents(FROM_IDP.id)).toEqual([]);

    // The web UI's removal page says why instead of asking to confirm; a posted confirmation removes nobody.
    const browser = await browserOf(ADMIN);
    const page = (await browser.get(`/administration/ta-bort?org=${ORG}&person=${FROM_IDP.id}`).expect(200)).text;
    expect(page).toContain('Ivar Idp kan inte tas bort här: rollerna kommer från identitetsleverantören och skrivs tillbaka nästa gång Ivar Idp loggar in. Ta bort Ivar Idp ur gruppen i identitetsleverantören.');
    expect(page).not.toContain('action="/administration/ta-bort"');
    expect(page).not.toContain('förlorar alla sina roller');
    const posted = await browser.post('/administration/ta-bort').type('form').send({ _csrf: csrfOf(page), orgId: ORG, userId: FROM_IDP.id, confirm: 'ja' }).expect(303);
    expect(posted.headers.location).toBe(`/administration/ta-bort?org=${ORG}&person=${FROM_IDP.id}`);
    expect(await isMember(FROM_IDP.id)).toBe(true);
    expect(await memberEvents(FROM_IDP.id)).toEqual([]);

    // A person of lisplan's own is removed as before, after the confirmation the page offers; their one activity is said in the singular.
    const created = await request(app).post(`/api/v1/organisations/${ORG}/activities`).set('authorization', auth[COORD.id]!)
      .send({ key: 'lovas', year: thisYear(), dueDate: quietDueDate(), title: 'Lovas aktivitet', area: 'ai', owner: { role: 'it-coordinator' } }).expect(201);
    await projected(stack, created.body.id, 1);
    const assigned = await request(app).post(`/api/v1/activities/${created.body.id}/owner`).set('authorization', auth[COORD.id]!).send({ userId: LOCAL.id, name: LOCAL.name }).expect(200);
    await projected(stack, created.body.id, assigned.body.version);
    const confirmation = (await browser.get(`/administration/ta-bort?org=${ORG}&person=${LOCAL.id}`).expect(200)).text;
    expect(confirmation).toContain('action="/administration/ta-bort"');
    await browser.post('/administration/ta-bort').type('form').send({ _csrf: csrfOf(confirmation), orgId: ORG, userId: LOCAL.id, confirm: 'ja' }).expect(303);
    expect((await browser.get(`/administration?org=${ORG}`).expect(200)).text).toContain('Lova Lokal är borttagen ur organisationen. 1 ej avslutad aktivitet behöver en ny ansvarig: lämna över den här.');
    expect(await isMember(LOCAL.id)).toBe(false);
    expect(await memberEvents(LOCAL.id)).toHaveLength(1);
    const overview = (await (await browserOf(COORD)).get(`/oversikt?org=${ORG}`).expect(200)).text;
    expect(overview).toContain('1 aktivitet behöver en ny ansvarig');
    expect(overview).toContain('Lova Lokal: 1 aktivitet att lämna över');
  });

  // The proxy's error reply replaces the store's answer to a write that was made: the step may have happened or not.
  it.each([
    ['audit_events', 0],
    ['delegations', 1],
  ])('a removal the store breaks off at %s is finished by trying again: delegations ended, the removal recorded once', async (collection, i) => {
    const leaving = LEAVERS[i]!;
    await delegate(leaving, STAYING);
    proxy.set('error-reply', { collections: [collection] });
    try {
      await remove(leaving.id).expect(503);
    } finally {
      proxy.set('pass');
    }
    // Broken off before the membership: still a member, so the removal can be tried again.
    expect(await isMember(leaving.id)).toBe(true);

    const done = await remove(leaving.id).expect(200);
    expect(done.body).toMatchObject({ userId: leaving.id, roles: ['it-coordinator'] });
    expect(await isMember(leaving.id)).toBe(false);
    expect(await delegationsInForce(leaving.id)).toBe(0);
    const events = await memberEvents(leaving.id);
    expect(events.map((e) => e.changes)).toEqual([[{ field: 'roles', before: '["it-coordinator"]', after: '[]' }]]);
    expect((await request(app).get(`/api/v1/organisations/${ORG}/audit`).set('authorization', auth[ADMIN.id]!).expect(200)).body.verification.ok).toBe(true);
  });

  it('a removal tried again with the same request id after its membership write failed is recorded once', async () => {
    const leaving = LEAVERS[2]!;
    const admin = { userId: ADMIN.id, name: ADMIN.name, memberships: ADMIN.memberships, cityViewer: false, via: 'token' as const };
    await removeMember(stack.models, admin, ORG, leaving.id, 'begaran-1');
    // As if the last write, the membership's, had not reached the store.
    await stack.models.users.updateOne({ _id: leaving.id }, { $push: { memberships: { orgId: ORG, roles: ['it-coordinator'] } } });
    await removeMember(stack.models, admin, ORG, leaving.id, 'begaran-1');
    expect(await isMember(leaving.id)).toBe(false);
    expect((await memberEvents(leaving.id)).map((e) => e.requestId)).toEqual(['begaran-1']);
    // Removed, the person is not found again: a third try is 404 and records nothing.
    await remove(leaving.id, 'begaran-1').expect(404);
    expect(await memberEvents(leaving.id)).toHaveLength(1);
  });
});
