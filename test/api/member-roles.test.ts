import request from 'supertest';
import type { Express } from 'express';
import { bearerFor, testApp, type TestUser } from '../support/api';
import { daysFromToday, thisYear } from '../support/calendar';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * An administrator's PUT of a person's roles (issue 18): no roles removes the person as DELETE
 * does (audited, their delegations there ended), and an email another person has is a 409 that
 * names the field, by the API and by the web UI's form. Against the real store.
 */
describe('an administrator setting a person’s roles', () => {
  const ORG = 'rollsattning';
  const ADMIN: TestUser = { id: 'rs-admin', name: 'Agnes Administratör', memberships: [{ orgId: ORG, roles: ['admin'] }] };
  const LEAVING: TestUser = { id: 'rs-slutar', name: 'Lisa Slutar', memberships: [{ orgId: ORG, roles: ['it-coordinator', 'information-owner'] }] };
  const STAYING: TestUser = { id: 'rs-stannar', name: 'Stina Stannar', memberships: [{ orgId: ORG, roles: ['it-coordinator', 'information-owner'] }] };
  let stack: TestStack;
  let app: Express;
  const auth: Record<string, string> = {};
  const put = (userId: string, body: object, as = ADMIN) => request(app).put(`/api/v1/organisations/${ORG}/users/${userId}`).set('authorization', auth[as.id]!).send(body);
  const memberEvents = (userId: string) => stack.models.auditEvents.find({ orgId: ORG, activityId: `member:${userId}` }).sort({ seq: 1 }).lean();

  beforeAll(async () => {
    stack = await startTestStack();
    app = testApp(stack, { env: { devLogin: true } });
    await stack.models.organisations.create({ _id: ORG, name: 'Förvaltningen för roller', plan: { startYear: thisYear(), endYear: thisYear() + 2 }, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() });
    for (const u of [ADMIN, LEAVING, STAYING]) auth[u.id] = await bearerFor(stack.models, u);
  });
  afterAll(() => stack?.close());

  it('removes a person whose roles it empties as DELETE does: their delegations end and the chain records it, once', async () => {
    const delegate = (from: TestUser, to: TestUser, role: string) =>
      request(app).post(`/api/v1/organisations/${ORG}/delegations`).set('authorization', auth[from.id]!).send({ fromUserId: from.id, toUserId: to.id, role, validFrom: daysFromToday(0), validTo: daysFromToday(30) }).expect(201);
    await delegate(LEAVING, STAYING, 'it-coordinator');
    await delegate(STAYING, LEAVING, 'information-owner');

    const emptied = await put(LEAVING.id, { roles: [] }).expect(200);
    expect(emptied.body).toEqual({ userId: LEAVING.id, name: LEAVING.name, email: `${LEAVING.id}@test.lisplan.se`, roles: [] });
    expect((await stack.models.users.findById(LEAVING.id).lean())!.memberships).toEqual([]);
    // The delegation she gave and the one she held end with her membership.
    const delegations = await stack.models.delegations.find({ orgId: ORG }).sort({ 'from.userId': 1 }).lean();
    expect(delegations.map((d) => ({ from: d.from.userId, ended: d.endedAt !== undefined }))).toEqual([
      { from: LEAVING.id, ended: true },
      { from: STAYING.id, ended: true },
    ]);
    const events = await memberEvents(LEAVING.id);
    expect(events.map((e) => ({ action: e.action, actor: e.actor.userId, version: e.version, changes: e.changes }))).toEqual([
      { action: 'remove-member', actor: ADMIN.id, version: 1, changes: [{ field: 'roles', before: '["it-coordinator","information-owner"]', after: '[]' }] },
    ]);
    expect((await request(app).get(`/api/v1/organisations/${ORG}/audit`).set('authorization', auth[ADMIN.id]!).expect(200)).body.verification.ok).toBe(true);

    // The same PUT again finds no roles to remove: answered alike, recorded once.
    await put(LEAVING.id, { roles: [] }).expect(200);
    expect(await memberEvents(LEAVING.id)).toHaveLength(1);
    // Nobody empties their own roles, as nobody removes themselves.
    const self = await put(ADMIN.id, { roles: [] }).expect(400);
    expect(self.body.errors).toEqual([{ field: 'params.userId', message: 'you cannot remove yourself; another coordinator or administrator can' }]);
    expect((await stack.models.users.findById(ADMIN.id).lean())!.memberships).toEqual(ADMIN.memberships);
    // Fewer roles, but some, stay a change of roles: no removal.
    await put(STAYING.id, { roles: ['information-owner'] }).expect(200);
    expect(await memberEvents(STAYING.id)).toEqual([]);
  });

  it('answers an email another person has with 409 naming the field, by the API and by the form, and changes nothing', async () => {
    const taken = `${STAYING.id}@test.lisplan.se`;
    const expectTaken = (res: request.Response) => {
      expect(res.status).toBe(409);
      expect(res.type).toBe('application/problem+json');
      expect(res.body).toMatchObject({ status: 409, errors: [{ field: 'body.email', message: 'is already used by another user' }] });
      // Neither the driver's message nor a stack, nor the other person, leaves the server.
      expect(res.text).not.toMatch(/E11000|duplicate key|MongoServerError|\bat \S+ \(|rs-stannar/);
    };
    // An existing person given it, and a new person made with it.
    expectTaken(await put(LEAVING.id, { email: taken, roles: ['viewer'] }));
    expect(await stack.models.users.findById(LEAVING.id).lean()).toMatchObject({ email: `${LEAVING.id}@test.lisplan.se`, memberships: [] });
    expectTaken(await put('rs-ny', { name: 'Nils Ny', email: taken, roles: ['viewer'] }));
    expect(await stack.models.users.exists({ _id: 'rs-ny' })).toBeNull();

    // The administration page's form says which field, in Swedish, and saves nothing.
    const after = await postMemberForm({ userId: 'rs-ny', name: 'Nils Ny', email: taken, roles: 'viewer' });
    expect(after.text).toContain('Används redan av någon annan: E-post');
    expect(await stack.models.users.exists({ _id: 'rs-ny' })).toBeNull();
  });

  it('sends an administrator who unticks every role of a member to the removal’s confirmation, and removes nobody yet', async () => {
    const before = (await stack.models.users.findById(STAYING.id).lean())!.memberships;
    expect(before).toEqual([{ orgId: ORG, roles: ['information-owner'] }]);
    const page = await postMemberForm({ userId: STAYING.id });
    expect(page.path).toBe(`/administration/ta-bort?org=${ORG}&person=${STAYING.id}`);
    expect(page.text).toContain('Inga roller sparades. Utan roller tas personen bort ur organisationen');
    expect(page.text).toContain('Ta bort Stina Stannar ur organisationen');
    expect((await stack.models.users.findById(STAYING.id).lean())!.memberships).toEqual(before);
    expect(await memberEvents(STAYING.id)).toEqual([]);
  });

  /** Posts the administration page's user form as the administrator, and follows the redirect to the page it leads to. */
  async function postMemberForm(fields: Record<string, string>): Promise<{ path: string; text: string }> {
    await stack.models.users.updateOne({ _id: ADMIN.id }, { $set: { demo: true } });
    const browser = request.agent(app);
    const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    const login = await browser.get('/logga-in').expect(200);
    await browser.post('/logga-in/demo').type('form').send({ _csrf: csrfOf(login.text), userId: ADMIN.id }).expect(303);
    const admin = await browser.get(`/administration?org=${ORG}`).expect(200);
    const posted = await browser.post('/administration/anvandare').type('form').send({ _csrf: csrfOf(admin.text), orgId: ORG, ...fields }).expect(303);
    const path = posted.headers.location!;
    return { path, text: (await browser.get(path).expect(200)).text };
  }
});
