import request from 'supertest';
import type { Express } from 'express';
import { bearerFor, testApp, type TestUser } from '../support/api';
import { daysFromToday, quietDueDate, thisYear } from '../support/calendar';
import { projected } from '../support/projected';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * The three cases through the API and the real workflow: whoever submitted a milestone
 * or owns the activity cannot approve it, neither by delegation nor by a second role.
 */
describe('segregation of duties on sign-off', () => {
  const ORG = 'attest';
  const COORD_HEAD: TestUser = { id: 'sd-coord', name: 'Cecilia Samordnare', memberships: [{ orgId: ORG, roles: ['security-coordinator', 'head-of-administration'] }] };
  const HEAD: TestUser = { id: 'sd-head', name: 'Hans Chef', memberships: [{ orgId: ORG, roles: ['head-of-administration', 'it-coordinator'] }] };
  const OWNER: TestUser = { id: 'sd-owner', name: 'Olle Ägare', memberships: [{ orgId: ORG, roles: ['it-coordinator'] }] };
  const ADMIN: TestUser = { id: 'sd-admin', name: 'Ada Admin', memberships: [{ orgId: ORG, roles: ['admin'] }] };
  let stack: TestStack;
  let app: Express;
  const auth: Record<string, string> = {};

  beforeAll(async () => {
    stack = await startTestStack();
    app = testApp(stack);
    await stack.models.organisations.create({ _id: ORG, name: 'Förvaltningen', plan: { startYear: thisYear(), endYear: thisYear() + 2 }, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() });
    for (const u of [COORD_HEAD, HEAD, OWNER, ADMIN]) auth[u.id] = await bearerFor(stack.models, u);
    await request(app).post(`/api/v1/organisations/${ORG}/delegations`).set('authorization', auth[ADMIN.id]!)
      .send({ fromUserId: HEAD.id, toUserId: OWNER.id, role: 'head-of-administration', validFrom: daysFromToday(-1), validTo: daysFromToday(30) }).expect(201);
  });
  afterAll(() => stack?.close());

  let seq = 0;
  const post = (who: TestUser, id: string, path: string, body: object = {}) => request(app).post(`/api/v1/activities/${id}${path}`).set('authorization', auth[who.id]!).send(body);

  /** An activity owned by `owner`, its final milestone submitted by `submitter`. */
  async function submittedBy(submitter: TestUser, owner: TestUser): Promise<string> {
    const created = await request(app).post(`/api/v1/organisations/${ORG}/activities`).set('authorization', auth[COORD_HEAD.id]!)
      .send({ key: `attest-${++seq}`, year: thisYear(), dueDate: quietDueDate(seq), title: `Aktivitet ${seq}`, area: 'ai', owner: { role: 'it-coordinator' } }).expect(201);
    const id = created.body.id as string;
    await post(COORD_HEAD, id, '/owner', { userId: owner.id, name: owner.name }).expect(200);
    await post(submitter, id, '/tasks/genomfor/complete').expect(200);
    await post(submitter, id, '/milestones/slutford/submit').expect(200);
    await projected(stack, id, 4);
    return id;
  }

  it.each([
    ['an owner approving her own milestone under a delegation from the head', () => submittedBy(OWNER, OWNER), OWNER, 'den som skickat in milstolpen kan inte godkänna den'],
    ['the head approving a milestone of an activity he owns', () => submittedBy(COORD_HEAD, HEAD), HEAD, 'aktivitetsansvarig kan inte godkänna milstolpar i sin egen aktivitet'],
    ['a coordinator who also holds the head role approving what she submitted', () => submittedBy(COORD_HEAD, OWNER), COORD_HEAD, 'den som skickat in milstolpen kan inte godkänna den'],
  ])('refuses %s with 403 naming the rule', async (_what, prepare, approver, words) => {
    const id = await prepare();
    const res = await post(approver, id, '/milestones/slutford/approve');
    expect(res.status).toBe(403);
    expect(res.body.detail).toBe(`Åtskilda arbetsuppgifter (A 5.3): ${words}.`);
  });

  it('lets a head who neither submitted nor owns it approve', async () => {
    const id = await submittedBy(OWNER, OWNER);
    const res = await post(HEAD, id, '/milestones/slutford/approve').expect(200);
    expect(res.body.state.status).toBe('done');
  });
});
