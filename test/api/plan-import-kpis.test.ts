import type { Express } from 'express';
import request from 'supertest';
import { bearerFor, testApp, type TestUser } from '../support/api';
import { thisYear } from '../support/calendar';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * Key figures found by the plan import follow the rules the Nyckeltal form and the API follow:
 * the preview gives each its kind and what the rules say (an outlier against the year before,
 * from the store or from the same review), and the confirmation refuses a value its kind rules
 * out (400) or an outlier not confirmed (422), naming the figure, before any activity starts.
 */
jest.setTimeout(300_000);

const Y = thisYear();
const ORG = 'import-nyckeltal';
const COORD: TestUser = { id: 'in-samordnare', name: 'Ivar Samordnare', memberships: [{ orgId: ORG, roles: ['security-coordinator'] }] };

const REVIEW = [
  `2.1 År ${Y - 1}`,
  `Under ${Y - 1} rapporterades 21 incidenter (år ${Y - 2}: 17), varav 3 avsåg förlorade mobiltelefoner.`,
  `Förvaltningen genomförde 40 informationsklassningar under året (8 år ${Y - 2}).`,
  `3.1 Aktiviteter ${Y}`,
  '• Inför en rutin för loggning av behörigheter.',
].join('\n');

describe('plan import: key figures by the key-figure rules', () => {
  let stack: TestStack;
  let app: Express;
  let auth: string;
  let items: unknown[];
  const confirm = (kpis: object[]) => request(app).post(`/api/v1/organisations/${ORG}/plan-import`).set('authorization', auth).send({ source: 'LG.txt', items, kpis });
  const stored = () => stack.models.kpiValues.find({ orgId: ORG }).sort({ seriesId: 1, year: 1 }).select({ _id: 0, seriesId: 1, year: 1, value: 1, kind: 1 }).lean();

  beforeAll(async () => {
    stack = await startTestStack();
    app = testApp(stack);
    await stack.models.organisations.create({ _id: ORG, name: 'Förvaltningen som importerar', plan: { startYear: Y, endYear: Y + 2 }, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() });
    auth = await bearerFor(stack.models, COORD);
    // The series is stored as a count: its kind, not the import's guess, decides.
    await request(app).put(`/api/v1/organisations/${ORG}/kpis/incidenter/${Y - 2}`).set('authorization', auth).send({ value: 17, name: 'incidenter', kind: 'count' }).expect(200);
  });
  afterAll(async () => stack?.close());

  it('the preview gives each figure its kind and flags the one far from the year before', async () => {
    const res = await request(app)
      .post(`/api/v1/organisations/${ORG}/plan-import/preview`)
      .set('authorization', auth)
      .set('x-filename', 'LG.txt')
      .set('content-type', 'text/plain')
      .send(REVIEW)
      .expect(200);
    items = res.body.items;
    expect(items).toHaveLength(1);
    expect(res.body.kpis).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'incidenter', year: Y - 1, value: 21, kind: 'count' }),
        expect.objectContaining({ name: 'informationsklassningar', year: Y - 1, value: 40, kind: 'amount', issue: { rule: 'outlier', previousYear: Y - 2, previous: 8, change: 4 } }),
        expect.objectContaining({ name: 'informationsklassningar', year: Y - 2, value: 8 }),
      ]),
    );
    const unflagged = (res.body.kpis as { name: string; year: number; issue?: object }[]).filter((k) => !(k.name === 'informationsklassningar' && k.year === Y - 1));
    expect(unflagged.map((k) => k.issue)).toEqual(unflagged.map(() => undefined));
  });

  it('refuses a count that is not whole and a percentage above 100 (400 naming the figure), starting nothing', async () => {
    const half = await confirm([{ name: 'incidenter', year: Y - 1, value: 21.5 }]).expect(400);
    expect(half.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(half.body.errors).toEqual([{ field: 'body.kpis.0.value', message: '"incidenter" is a count: 21.5 is not a whole number.' }]);
    const share = await confirm([{ name: 'incidenter', year: Y - 1, value: 21 }, { name: 'Andel utbildade', year: Y - 1, value: 120 }]).expect(400);
    expect(share.body.errors).toEqual([{ field: 'body.kpis.1.value', message: '"Andel utbildade" is a percentage: 120 is above 100.' }]);
    expect(await stack.models.activities.countDocuments({ orgId: ORG })).toBe(0);
    expect(await stored()).toEqual([{ seriesId: 'incidenter', year: Y - 2, value: 17, kind: 'count' }]);
  });

  it('holds an outlier back until it is confirmed (422 naming the figure), then saves every figure with its kind', async () => {
    const kpis = [
      { name: 'informationsklassningar', year: Y - 2, value: 8 },
      { name: 'informationsklassningar', year: Y - 1, value: 40 },
      { name: 'incidenter', year: Y - 1, value: 21 },
    ];
    const held = await confirm(kpis).expect(422);
    expect(held.body).toMatchObject({ type: 'https://lisplan.se/problems/kpi-outlier', errors: [{ field: 'body.kpis.1.confirmOutlier' }] });
    expect(await stack.models.activities.countDocuments({ orgId: ORG })).toBe(0);

    kpis[1] = { ...kpis[1]!, confirmOutlier: true } as (typeof kpis)[number];
    const done = await confirm(kpis).expect(200);
    expect(done.body).toMatchObject({ started: 1, kpisSaved: 3 });
    expect(await stored()).toEqual([
      { seriesId: 'incidenter', year: Y - 2, value: 17, kind: 'count' },
      { seriesId: 'incidenter', year: Y - 1, value: 21, kind: 'count' },
      { seriesId: 'informationsklassningar', year: Y - 2, value: 8, kind: 'amount' },
      { seriesId: 'informationsklassningar', year: Y - 1, value: 40, kind: 'amount' },
    ]);
    // The same review again: the values stored are not asked about again, and nothing starts twice.
    await confirm(kpis.map(({ name, year, value }) => ({ name, year, value }))).expect(200);
  });
});
