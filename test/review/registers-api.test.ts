import path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { MAX_REGISTER_ROWS } from '../../src/domain/registers';
import { readPlanFile } from '../../src/services/plans/read-plan-file';
import { seedRegisters } from '../../src/services/reviews/registers';
import { bearerFor, testApp, type TestUser } from '../support/api';
import { startTestStack, type TestStack } from '../support/stack';
import { daysFromToday, thisYear } from '../support/calendar';

/**
 * The review registers through the API against a real store: members read, only the coordinator
 * writes, other organisations see nothing, bad rows get field details, a full register refuses
 * more, and the seed rows of a plan file load once.
 */

jest.setTimeout(300_000);

const ORG = 'reg-org';
const USERS: Record<'coordinator' | 'head' | 'viewer' | 'other', TestUser> = {
  coordinator: { id: 'reg-coord', name: 'Cecilia Samordnare', memberships: [{ orgId: ORG, roles: ['security-coordinator'] }] },
  head: { id: 'reg-head', name: 'Hans Chef', memberships: [{ orgId: ORG, roles: ['head-of-administration'] }] },
  viewer: { id: 'reg-viewer', name: 'Vera Läsare', memberships: [{ orgId: ORG, roles: ['viewer'] }] },
  other: { id: 'reg-other', name: 'Frida Fastighet', memberships: [{ orgId: 'reg-other-org', roles: ['security-coordinator'] }] },
};
const PARTY = { name: 'Stadsledningskontoret', needs: 'Risk- och sårbarhetsanalys till stadens samlade RSA', feedback: 'Analysen saknar informationssäkerhetsperspektiv.' };

describe('review registers', () => {
  let stack: TestStack;
  let app: Express;
  const auth = {} as Record<keyof typeof USERS, string>;
  const R = `/api/v1/organisations/${ORG}/registers`;
  const as = (who: keyof typeof USERS) => ({
    get: (p: string) => request(app).get(`${R}${p}`).set('authorization', auth[who]),
    post: (p: string, body: object) => request(app).post(`${R}${p}`).set('authorization', auth[who]).send(body),
    put: (p: string, body: object) => request(app).put(`${R}${p}`).set('authorization', auth[who]).send(body),
    delete: (p: string) => request(app).delete(`${R}${p}`).set('authorization', auth[who]),
  });

  beforeAll(async () => {
    stack = await startTestStack();
    app = testApp(stack);
    const plan = { startYear: thisYear(), endYear: thisYear() + 2 };
    await stack.models.organisations.create([
      { _id: ORG, name: 'Registerförvaltningen', plan, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() },
      { _id: 'reg-other-org', name: 'Annan förvaltning', plan, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() },
    ]);
    for (const who of Object.keys(USERS) as (keyof typeof USERS)[]) auth[who] = await bearerFor(stack.models, USERS[who]);
  });
  afterAll(() => stack?.close());

  it('lets the coordinator add, replace and remove rows, and members read them', async () => {
    const added = await as('coordinator').post('/intressenter', PARTY).expect(201);
    expect(added.body).toMatchObject({ kind: 'intressenter', data: PARTY, id: expect.stringMatching(/^rad-[0-9a-f]{8}$/) });
    for (const who of ['head', 'viewer'] as const) expect((await as(who).get('/intressenter').expect(200)).body).toEqual([added.body]);
    await as('coordinator').put(`/intressenter/${added.body.id}`, { ...PARTY, needs: 'Ny formulering' }).expect(200);
    expect((await as('viewer').get('/intressenter').expect(200)).body[0].data.needs).toBe('Ny formulering');
    await as('coordinator').delete(`/intressenter/${added.body.id}`).expect(204);
    expect((await as('viewer').get('/intressenter').expect(200)).body).toEqual([]);
    await as('coordinator').delete(`/intressenter/${added.body.id}`).expect(404);
  });

  it('refuses writes by anyone but the coordinator, and reads from other organisations', async () => {
    const row = (await as('coordinator').post('/intressenter', PARTY).expect(201)).body;
    for (const who of ['head', 'viewer', 'other'] as const) {
      await as(who).post('/intressenter', PARTY).expect(403);
      await as(who).put(`/intressenter/${row.id}`, PARTY).expect(403);
      await as(who).delete(`/intressenter/${row.id}`).expect(403);
    }
    await as('other').get('/intressenter').expect(403);
    await request(app).get(`${R}/intressenter`).expect(401);
  });

  it('answers bad rows with 400 and the fields at fault', async () => {
    const res = await as('coordinator').post('/avvikelser', { foundOn: `${thisYear()}-02-30`, where: 'IA', description: ' ', correctiveAction: 'Rutin', owner: 'Samordnaren', status: 'klar', extra: 1 }).expect(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const fields = JSON.stringify(res.body);
    for (const f of ['foundOn', 'description', 'status']) expect(fields).toContain(f);
    await as('coordinator').post('/restrisker', { risk: 'x'.repeat(501), treatment: 'Behandling', level: 'medel', owner: 'Ägare', accepted: false }).expect(400);
    await as('coordinator').post('/okant-register', PARTY).expect(404);
  });

  it('refuses a row beyond the limit', async () => {
    const now = new Date();
    await stack.models.registerRows.insertMany(
      Array.from({ length: MAX_REGISTER_ROWS }, (_, i) => ({ _id: `${ORG}:revisioner:fyll-${i}`, orgId: ORG, kind: 'revisioner', rowId: `fyll-${i}`, data: { date: daysFromToday(-60), kind: 'intern', scope: 'Fyllnad', findings: 'Inga' }, createdAt: now, updatedAt: now })),
    );
    const res = await as('coordinator').post('/revisioner', { date: daysFromToday(-10), kind: 'extern', scope: 'Revision', findings: 'Två avvikelser' }).expect(409);
    expect(res.body.detail).toContain(String(MAX_REGISTER_ROWS));
  });

  it('loads a seed plan’s rows once, keeping what the coordinator changed', async () => {
    const seed = readPlanFile(path.join(__dirname, '../../plans/fastighetskontoret.yaml'));
    const seedCount = Object.values(seed.registers ?? {}).reduce((n, rows) => n + rows.length, 0);
    expect(await seedRegisters(stack.models, 'reg-other-org', seed.registers)).toBe(seedCount);
    const first = seed.registers!.restrisker[0]!;
    await stack.models.registerRows.updateOne({ _id: `reg-other-org:restrisker:${String(first.id)}` }, { $set: { 'data.accepted': true } });
    expect(await seedRegisters(stack.models, 'reg-other-org', seed.registers)).toBe(0);
    const rows = await stack.models.registerRows.find({ orgId: 'reg-other-org' }).lean();
    expect(rows).toHaveLength(seedCount);
    expect(rows.find((r) => r.rowId === first.id)!.data).toMatchObject({ accepted: true });
  });
});
