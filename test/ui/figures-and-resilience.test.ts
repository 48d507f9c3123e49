import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { createApp } from '../../src/app';
import { sv } from '../../src/ui/i18n/sv';
import { activityId } from '../../src/domain/activity';
import { PlanFile } from '../../src/domain/plan-file';
import { loadPlan } from '../../src/services/plans/load-plan';
import { recordSetup } from '../../src/services/plans/setup-state';
import { createLogger } from '../../src/platform/logger';
import { connectStore } from '../../src/store/connection';
import { createModels } from '../../src/store/models';
import type { TestUser } from '../support/api';
import { quietDueDate, thisYear } from '../support/calendar';
import { projected } from '../support/projected';
import { startStoreProxy } from '../support/store-proxy';
import { startUiSession, type UiSession } from '../support/ui-session';

/**
 * Issue 20 in Debian's Chromium against the real stack: key figures checked by their kind and
 * confirmed when far from last year, with a chart whose text is readable; the UI's own 503
 * page when the store is away; the pages saying that a loaded plan is still being set up; the
 * audit chain verified incrementally on Aktivitet, and as a whole on demand.
 */
jest.setTimeout(900_000);

const YEAR = thisYear();
const run = randomUUID().slice(0, 6);
const ORG = `siffror-${run}`;
const COORD: TestUser = { id: `samordnare-${run}`, name: 'Siri Samordnare', memberships: [{ orgId: ORG, roles: ['security-coordinator'] }] };
const OWNER: TestUser = { id: `agare-${run}`, name: 'Otto Ägare', memberships: [{ orgId: ORG, roles: ['it-coordinator'] }] };
const svNumber = (n: number) => new Intl.NumberFormat('sv-SE').format(n);

describe('key figures and pages that stay up, in Chromium', () => {
  let ui: UiSession;
  let app: Express;
  let base: string;
  let page: Page;
  let auth: Record<string, string>;
  const submit = (button: ReturnType<Page['locator']>) => ui.submit(button);

  beforeAll(async () => {
    ui = await startUiSession({ organisations: [{ id: ORG, name: 'Förvaltningen med siffror' }], users: [COORD, OWNER] });
    ({ app, base, page, auth } = ui);
  });
  afterAll(async () => ui?.close());

  it('Nyckeltal: a count refuses 812,5, a value far from last year warns and is saved once confirmed', async () => {
    await request(app).put(`/api/v1/organisations/${ORG}/kpis/incidenter/${YEAR - 1}`).set('authorization', auth[COORD.id]!).send({ value: 13, name: 'Antal incidenter', kind: 'count' }).expect(200);
    await ui.loginAs(COORD);
    await page.goto(`${base}/nyckeltal?org=${ORG}`);
    const value = page.getByLabel('Värde', { exact: true });
    const save = page.getByRole('button', { name: 'Spara' });
    await page.getByLabel('Nyckeltal', { exact: true }).selectOption('incidenter');
    await page.getByLabel('År', { exact: true }).fill(String(YEAR));
    await value.fill('812,5');
    await submit(save);
    await expect(page.getByRole('alert').innerText()).resolves.toBe('Antal incidenter är ett antal: 812,5 är inte ett heltal. Ange ett helt tal.');
    // What was typed stays, to be corrected.
    await expect(value.inputValue()).resolves.toBe('812,5');
    await ui.check('nyckeltal-inte-heltal');

    await value.fill('40');
    await submit(save);
    await expect(page.getByRole('alert').innerText()).resolves.toBe(
      `Antal incidenter ${YEAR}: 40 är +${svNumber(208)} % jämfört med 13 år ${YEAR - 1}, mer än ±50 %. Kontrollera värdet. Stämmer det, kryssa i rutan och spara igen.`,
    );
    await ui.check('nyckeltal-bekrafta');
    await page.getByLabel('Värdet är kontrollerat och stämmer: spara det trots den stora förändringen').check();
    await submit(save);
    await expect(ui.flash()).resolves.toBe(`Antal incidenter ${YEAR} sparat: 40`);
    await expect(page.locator('table tbody tr').first().innerText()).resolves.toMatch(/Antal incidenter\s+13\s+40/);

    // The chart's text, as the browser draws it, is at least 12 px.
    const img = page.getByRole('img', { name: /^Antal incidenter:/ });
    const drawn = await img.evaluate((el: HTMLImageElement) => {
      const svg = atob(el.src.split(',')[1]!);
      const sizes = [...svg.matchAll(/font-size="([\d.]+)px"/g)].map((m) => Number(m[1]));
      return { sizes: sizes.length, smallest: Math.min(...sizes) * (el.getBoundingClientRect().width / el.naturalWidth) };
    });
    expect(drawn.sizes).toBeGreaterThan(0);
    expect(drawn.smallest).toBeGreaterThanOrEqual(12);
    await ui.check('nyckeltal-sparat');
  });

  it('a page the store cannot give is the Swedish 503 page with Retry-After and a retry link, for a logged-in person and without a session', async () => {
    // A second app on the same store behind a proxy that cuts its connection; the login cookie serves both.
    const proxy = await startStoreProxy(ui.stack.config.mongo.uri);
    const proxied = await connectStore({ ...ui.stack.config.mongo, uri: proxy.uri });
    const cut = createApp({ config: ui.stack.config, logger: createLogger({ logLevel: 'silent' }, 'test'), client: ui.stack.env.client, store: proxied, models: createModels(proxied) });
    const server: Server = cut.listen(0, '127.0.0.1');
    try {
      await new Promise((r) => server.once('listening', r));
      const there = `http://127.0.0.1:${(server.address() as AddressInfo).port}/planoversikt?org=${ORG}`;
      await ui.loginAs(COORD);
      for (const [name, except] of [['inloggad', ['users', 'ui_sessions']], ['utan-session', []]] as const) {
        proxy.set('drop', { except: [...except] });
        const res = (await page.goto(there))!;
        expect({ name, status: res.status(), type: res.headers()['content-type'], retryAfter: res.headers()['retry-after'] }).toEqual({ name, status: 503, type: 'text/html; charset=utf-8', retryAfter: '5' });
        await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Något gick fel (503)');
        await expect(page.locator('main').innerText()).resolves.toContain('Tjänsten är tillfälligt otillgänglig. Försök igen om en stund.');
        await expect(page.getByRole('navigation').count()).resolves.toBe(name === 'inloggad' ? 1 : 0);
        await ui.check(`otillganglig-${name}`);
        proxy.set('pass');
        await submit(page.getByRole('link', { name: 'Försök igen' }));
        expect(page.url()).toBe(there);
        await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toMatch(/^Planöversikt/);
      }
    } finally {
      proxy.set('pass');
      await new Promise((r) => server.close(r));
      await proxied.close();
      await proxy.close();
    }
  });

  it('after a plan load, Planöversikt, Översikt and Mina uppgifter say how many activities are still being set up, until they are', async () => {
    const keys = ['uppsattning-ett', 'uppsattning-tva'];
    // The load has named its activities and not yet started them: the state between the two.
    await recordSetup(ui.stack.models, ORG, keys.map((k) => activityId(ORG, YEAR, k)));
    const notice = page.locator('#satts-upp');
    const said = '2 aktiviteter håller fortfarande på att sättas upp efter att planen lästes in. De visas här när de är klara: ladda om sidan om en stund.';
    await ui.loginAs(OWNER);
    await expect(page.locator('h1').innerText()).resolves.toBe('Mina uppgifter');
    await expect(notice.innerText()).resolves.toBe(said);
    await ui.check('mina-uppgifter-satts-upp');
    await ui.loginAs(COORD);
    for (const where of ['/oversikt', '/planoversikt']) {
      await page.goto(`${base}${where}?org=${ORG}`);
      await expect(notice.innerText()).resolves.toBe(said);
    }
    await ui.check('planoversikt-satts-upp');

    const plan = PlanFile.parse({
      organisation: { id: ORG, name: 'Förvaltningen med siffror' },
      plan: { startYear: YEAR, endYear: YEAR + 2 },
      areas: [{ id: 'ai', name: 'AI och nya tjänster' }],
      activities: keys.map((key, i) => ({ key, year: YEAR, title: `Uppsättning ${i + 1}`, area: 'ai', owner: { role: 'it-coordinator' }, dueDate: quietDueDate() })),
    });
    const { stack } = ui;
    await loadPlan({ client: stack.env.client, taskQueue: stack.config.temporal.taskQueue, models: stack.models, timeZone: stack.config.planTimeZone }, plan);
    for (const k of keys) await projected(stack, activityId(ORG, YEAR, k), 1);
    await page.reload();
    await expect(notice.count()).resolves.toBe(0);
    await expect(page.getByRole('link', { name: 'Uppsättning 1' }).count()).resolves.toBeGreaterThan(0);
    expect(await stack.models.planSetups.findById(ORG).lean()).toMatchObject({ pending: [] });
  });

  it('Aktivitet shows the stored chain state, verifies only new events, and the whole-chain check finds an old event edited in place', async () => {
    const created = await request(app).post(`/api/v1/organisations/${ORG}/activities`).set('authorization', auth[COORD.id]!)
      .send({ key: 'kedjan', year: YEAR, title: 'Aktivitet med kedja', area: 'ai', owner: { role: 'it-coordinator' }, dueDate: quietDueDate() }).expect(201);
    const id = created.body.id as string;
    await projected(ui.stack, id, 1);
    const events = await ui.stack.models.auditEvents.countDocuments({ orgId: ORG });
    await ui.loginAs(COORD);
    await page.goto(`${base}/aktiviteter/${id}`);
    await expect(page.locator('.chain-ok').innerText()).resolves.toBe(sv['activity.chainOk'].replace('{n}', String(events)));
    await expect(page.getByText('Hela kedjan har inte kontrollerats från början än.').count()).resolves.toBe(1);
    expect(await ui.stack.models.auditChainChecks.findById(ORG).lean()).toMatchObject({ seq: events, events, ok: true });

    // An old event edited in place: a view reads only what is newer than the stored point, so it cannot see it.
    const original = (await ui.stack.models.auditEvents.findOne({ orgId: ORG, seq: 1 }).lean())!.requestId;
    await ui.stack.models.auditEvents.updateOne({ orgId: ORG, seq: 1 }, { $set: { requestId: 'andrad-i-efterhand' } });
    await page.reload();
    await expect(page.locator('.chain-ok').count()).resolves.toBe(1);
    await submit(page.getByRole('button', { name: 'Kontrollera hela kedjan' }));
    await expect(page.getByRole('alert').innerText()).resolves.toBe('Hela kedjan är kontrollerad från början och har avvikelser: #1 the content does not match its hash');
    await expect(page.locator('.chain-bad').innerText()).resolves.toContain('#1 the content does not match its hash');
    await expect(page.getByText(/^Nya händelser kontrolleras mot kedjan när sidan visas\. Hela kedjan kontrollerades från början senast /).count()).resolves.toBe(1);
    await ui.check('aktivitet-kedjan-avvikelse');

    // Put back, the whole chain checks whole again.
    await ui.stack.models.auditEvents.updateOne({ orgId: ORG, seq: 1 }, { $set: { requestId: original } });
    await submit(page.getByRole('button', { name: 'Kontrollera hela kedjan' }));
    await expect(ui.flash()).resolves.toBe(`Hela kedjan är kontrollerad från början: ${events} händelser, inga avvikelser.`);
    await expect(page.locator('.chain-ok').count()).resolves.toBe(1);
  });
});
