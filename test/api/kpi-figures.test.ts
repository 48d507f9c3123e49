import type { Express } from 'express';
import request from 'supertest';
import { bearerFor, testApp, type TestUser } from '../support/api';
import { thisYear } from '../support/calendar';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * Key figures have a kind (count, percent, amount) and are checked by it; a value more than
 * ±50 % from the previous year's is saved only when the caller confirms it.
 */
const YEAR = thisYear();
const ORG = 'nyckeltal-regler';
const COORD: TestUser = { id: 'nr-samordnare', name: 'Nina Samordnare', memberships: [{ orgId: ORG, roles: ['security-coordinator'] }] };

describe('key figures by kind, and values far from last year', () => {
  let stack: TestStack;
  let app: Express;
  let auth: string;
  const put = (series: string, year: number, body: Record<string, unknown>) =>
    request(app).put(`/api/v1/organisations/${ORG}/kpis/${series}/${year}`).set('authorization', auth).send(body);

  beforeAll(async () => {
    stack = await startTestStack();
    app = testApp(stack);
    await stack.models.organisations.create({ _id: ORG, name: 'Förvaltningen med nyckeltal', plan: { startYear: YEAR, endYear: YEAR + 2 }, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() });
    auth = await bearerFor(stack.models, COORD);
  });
  afterAll(async () => stack?.close());

  it('a count takes whole numbers only: 812.5 incidents is 400 naming the value, and nothing is saved', async () => {
    await put('incidenter', YEAR - 1, { value: 13, name: 'Antal incidenter', kind: 'count' }).expect(200, { seriesId: 'incidenter', year: YEAR - 1, value: 13, kind: 'count' });
    const refused = await put('incidenter', YEAR, { value: 812.5 }).expect(400);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.body).toMatchObject({ type: 'https://lisplan.se/problems/validation', errors: [{ field: 'body.value', message: '"Antal incidenter" is a count: 812.5 is not a whole number.' }] });
    // The detail is Swedish, with a Swedish decimal comma, as every API detail.
    expect(refused.body.detail).toBe('"Antal incidenter" är ett antal: 812,5 är inte ett heltal.');
    expect(await stack.models.kpiValues.exists({ orgId: ORG, seriesId: 'incidenter', year: YEAR })).toBeNull();
  });

  it('a value more than ±50 % from the previous year is 422 naming the rule until confirmed', async () => {
    const held = await put('incidenter', YEAR, { value: 812 }).expect(422);
    expect(held.body).toMatchObject({ type: 'https://lisplan.se/problems/kpi-outlier', errors: [{ field: 'body.confirmOutlier' }] });
    expect(held.body.detail).toBe(`812 för ${YEAR} avviker 6146 % från 13 år ${YEAR - 1}, mer än ±50 %: skicka confirmOutlier: true för att spara det.`);
    await put('incidenter', YEAR, { value: 5 }).expect(422);
    expect(await stack.models.kpiValues.exists({ orgId: ORG, seriesId: 'incidenter', year: YEAR })).toBeNull();

    await put('incidenter', YEAR, { value: 16 }).expect(200);
    await put('incidenter', YEAR, { value: 30, confirmOutlier: true }).expect(200);
    // The value already saved is not asked about again.
    await put('incidenter', YEAR, { value: 30 }).expect(200);
    const kpis = await request(app).get(`/api/v1/organisations/${ORG}/kpis`).set('authorization', auth).expect(200);
    expect(kpis.body).toEqual([{ id: 'incidenter', name: 'Antal incidenter', kind: 'count', values: [{ year: YEAR - 1, value: 13 }, { year: YEAR, value: 30 }] }]);
  });

  it('a percentage stays within 0–100 and an amount may have decimals; the kind follows the name and unit when not given', async () => {
    await put('utbildade', YEAR, { value: 87.5, name: 'Andel utbildade medarbetare' }).expect(200, { seriesId: 'utbildade', year: YEAR, value: 87.5, kind: 'percent' });
    expect((await put('utbildade', YEAR, { value: 101 }).expect(400)).body.errors).toEqual([{ field: 'body.value', message: '"Andel utbildade medarbetare" is a percentage: 101 is above 100.' }]);
    await put('kostnad', YEAR, { value: 1250.75, name: 'Kostnad för utbildning', unit: 'tkr' }).expect(200, { seriesId: 'kostnad', year: YEAR, value: 1250.75, kind: 'amount' });
    expect((await put('kostnad', YEAR - 1, { value: -1 }).expect(400)).body.errors[0].field).toBe('body.value');
    expect((await put('kostnad', YEAR, { value: 10, kind: 'bredd' }).expect(400)).body.errors[0].field).toBe('body.kind');
  });
});
