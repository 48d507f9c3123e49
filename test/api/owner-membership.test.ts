import request from 'supertest';
import type { Express } from 'express';
import { resolveRecipients } from '../../src/services/notifications/recipients';
import { bearerFor, testApp, type TestUser } from '../support/api';
import { quietDueDate, thisYear } from '../support/calendar';
import { eventually } from '../support/eventually';
import { projected } from '../support/projected';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * An activity's owner is one of the organisation's people: naming anyone else is refused, and a
 * person whose membership is removed stops getting its notices and is shown to the coordinator
 * with the activities that need a new owner.
 */
describe('owners are members of the organisation', () => {
  const ORG = 'agarskap';
  const COORD: TestUser = { id: 'ag-coord', name: 'Cecilia Samordnare', memberships: [{ orgId: ORG, roles: ['security-coordinator'] }] };
  const ADMIN: TestUser = { id: 'ag-admin', name: 'Ada Admin', memberships: [{ orgId: ORG, roles: ['admin'] }] };
  const OWNER: TestUser = { id: 'ag-owner', name: 'Olle Ägare', memberships: [{ orgId: ORG, roles: ['it-coordinator'] }] };
  const SECOND: TestUser = { id: 'ag-second', name: 'Sara Ersättare', memberships: [{ orgId: ORG, roles: ['it-coordinator'] }] };
  const OUTSIDER: TestUser = { id: 'ag-outsider', name: 'Ulf Utanför', memberships: [{ orgId: 'annan-forvaltning', roles: ['it-coordinator'] }] };
  let stack: TestStack;
  let app: Express;
  const auth: Record<string, string> = {};

  beforeAll(async () => {
    stack = await startTestStack();
    app = testApp(stack);
    await stack.models.organisations.create({ _id: ORG, name: 'Förvaltningen', plan: { startYear: thisYear(), endYear: thisYear() + 2 }, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() });
    for (const u of [COORD, ADMIN, OWNER, SECOND, OUTSIDER]) auth[u.id] = await bearerFor(stack.models, u);
  });
  afterAll(() => stack?.close());

  let seq = 0;
  async function newActivity(extra: object = {}): Promise<string> {
    const res = await request(app).post(`/api/v1/organisations/${ORG}/activities`).set('authorization', auth[COORD.id]!)
      .send({ key: `agare-${++seq}`, year: thisYear(), dueDate: quietDueDate(seq), title: `Aktivitet ${seq}`, area: 'ai', owner: { role: 'it-coordinator' }, ...extra }).expect(201);
    await projected(stack, res.body.id, 1);
    return res.body.id as string;
  }
  const assign = (id: string, userId: string, name: string) => request(app).post(`/api/v1/activities/${id}/owner`).set('authorization', auth[COORD.id]!).send({ userId, name });

  it('refuses to name someone without a role in the organisation, by field, and names a member as the store knows them', async () => {
    const id = await newActivity();
    for (const userId of [OUTSIDER.id, 'finns-inte']) {
      const res = await assign(id, userId, 'Vem Som Helst');
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: 'body.userId', message: `${userId} is not a member of ${ORG}` }]);
    }
    const ok = await assign(id, OWNER.id, 'Ett Påhittat Namn').expect(200);
    expect(ok.body.state.owner).toEqual({ role: 'it-coordinator', userId: OWNER.id, name: OWNER.name });
  });

  it('names a person at creation only when they are a member, by the store’s name, and refuses anyone else by field', async () => {
    const refused = await request(app).post(`/api/v1/organisations/${ORG}/activities`).set('authorization', auth[COORD.id]!)
      .send({ key: `agare-${++seq}`, year: thisYear(), dueDate: quietDueDate(seq), title: `Aktivitet ${seq}`, area: 'ai', owner: { role: 'it-coordinator', userId: OUTSIDER.id, name: OUTSIDER.name } });
    expect({ status: refused.status, errors: refused.body.errors }).toEqual({ status: 400, errors: [{ field: 'body.owner.userId', message: `${OUTSIDER.id} is not a member of ${ORG}` }] });
    expect(await stack.models.activities.countDocuments({ title: `Aktivitet ${seq}` })).toBe(0);
    const id = await newActivity({ owner: { role: 'it-coordinator', userId: OWNER.id, name: 'Ett Påhittat Namn' } });
    expect((await stack.models.activities.findById(id).lean())!.owner).toEqual({ role: 'it-coordinator', userId: OWNER.id, name: OWNER.name });
  });

  it('shows the coordinator what a removed member owned, and sends the organisation’s notices to the role instead', async () => {
    const [kept, moved, done] = [await newActivity(), await newActivity(), await newActivity()];
    await assign(kept, SECOND.id, SECOND.name).expect(200);
    await assign(moved, OWNER.id, OWNER.name).expect(200);
    await assign(done, OWNER.id, OWNER.name).expect(200);
    await request(app).post(`/api/v1/activities/${done}/cancel`).set('authorization', auth[COORD.id]!).send({ reason: 'Utgår' }).expect(200);
    const needing = () => request(app).get(`/api/v1/organisations/${ORG}/activities-needing-new-owner`).set('authorization', auth[COORD.id]!).expect(200);
    await eventually(async () => ((await stack.models.activities.findById(done).lean())?.status === 'cancelled' ? true : undefined), 'the cancellation projected');
    expect((await needing()).body).toEqual([]);

    await request(app).put(`/api/v1/organisations/${ORG}/users/${OWNER.id}`).set('authorization', auth[ADMIN.id]!).send({ roles: [] }).expect(200);
    const listed = (await needing()).body as { id: string; owner: { userId: string } }[];
    expect(listed.map((a) => a.id)).toEqual(expect.arrayContaining([moved]));
    expect(listed.map((a) => a.id)).not.toContain(kept);
    expect(listed.map((a) => a.id)).not.toContain(done);
    expect(new Set(listed.map((a) => a.owner.userId))).toEqual(new Set([OWNER.id]));
    // Only the coordinator sees the list.
    expect((await request(app).get(`/api/v1/organisations/${ORG}/activities-needing-new-owner`).set('authorization', auth[SECOND.id]!)).status).toBe(403);

    // A reminder addressed to the removed owner reaches the owner role's holders instead.
    const recipients = await resolveRecipients(stack.models, { orgId: ORG, kind: 'reminder', recipientRole: 'it-coordinator', recipientUserId: OWNER.id });
    expect(recipients.map((r) => r.email)).toEqual([`${SECOND.id}@test.lisplan.se`]);

    // Handing over clears the list.
    await assign(moved, SECOND.id, SECOND.name).expect(200);
    await eventually(async () => ((await needing()).body.some((a: { id: string }) => a.id === moved) ? undefined : true), 'the handover projected');
  });
});
