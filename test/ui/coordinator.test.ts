import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { TEMPLATES } from '../../src/domain/templates';
import { UNFINISHED_STATUSES } from '../../src/domain/activity';
import type { TestUser } from '../support/api';
import { readmeScreenshot } from '../support/browser';
import { daysFromToday, quietDueDate, thisYear } from '../support/calendar';
import { projected } from '../support/projected';
import type { TestStack } from '../support/stack';
import { startUiSession, type UiSession } from '../support/ui-session';

/**
 * Issue 20 in Debian's Chromium against the real stack: a coordinator creates activities from
 * every template and manages them, hands a leaving person's activities over, reads the start
 * page (its counts against the read model), searches, sorts and pages Planöversikt, and a
 * city-level reader reads the city page. axe-core scans every new page and state.
 */
jest.setTimeout(900_000);

const YEAR = thisYear();
const run = randomUUID().slice(0, 6);
const ORG = `samo-${run}`;
// Named so that byte order and Swedish order differ: Ö after Z in Swedish, Å before Ä.
const ORG_A = `samo-a-${run}`;
const ORG_O = `samo-o-${run}`;
const user = (id: string, name: string, orgId: string, roles: TestUser['memberships'][0]['roles']): TestUser => ({ id: `${id}-${run}`, name, memberships: [{ orgId, roles }] });
const COORD = user('samordnare', 'Sara Samordnare', ORG, ['security-coordinator']);
const OWNER = user('agare', 'Olle Ägare', ORG, ['it-coordinator']);
const LEAVING = user('slutar', 'Lena Slutar', ORG, ['it-coordinator']);
const TAKER = user('tar-over', 'Tore Tarover', ORG, ['information-owner']);
const CITY: TestUser = { id: `staden-${run}`, name: 'Stina Stad', memberships: [], cityViewer: true };

describe('the coordinator and the city in Chromium', () => {
  let ui: UiSession;
  let stack: TestStack;
  let app: Express;
  let base: string;
  let page: Page;
  let auth: Record<string, string>;
  const check = (name: string) => ui.check(name);
  const submit = (button: ReturnType<Page['locator']>) => ui.submit(button);
  const loginAs = (u: TestUser) => ui.loginAs(u);
  const flash = () => ui.flash();
  const create = async (body: object) => {
    const res = await request(app).post(`/api/v1/organisations/${ORG}/activities`).set('authorization', auth[COORD.id]!).send({ year: YEAR, area: 'styrning', owner: { role: 'it-coordinator' }, dueDate: quietDueDate(), ...body });
    expect(res.status).toBe(201);
    await projected(stack, res.body.id, 1);
    return res.body.id as string;
  };
  const assign = async (id: string, u: TestUser) => {
    const res = await request(app).post(`/api/v1/activities/${id}/owner`).set('authorization', auth[COORD.id]!).send({ userId: u.id, name: u.name });
    expect(res.status).toBe(200);
    await projected(stack, id, res.body.version);
  };

  beforeAll(async () => {
    ui = await startUiSession({
      organisations: [
        { id: ORG, name: `Zetaförvaltningen ${run}` },
        { id: ORG_A, name: `Ängens förvaltning ${run}` },
        { id: ORG_O, name: `Östra förvaltningen ${run}` },
      ],
      users: [COORD, OWNER, LEAVING, TAKER, CITY],
      // The paging test creates fifty activities through the API at once: above the per-token rate.
      env: { rateLimitPerMinute: 5_000 },
    });
    ({ stack, app, base, page, auth } = ui);
  });

  afterAll(async () => {
    await ui?.close();
  });

  it('a coordinator creates an activity from each template and a blank one, and assigns it', async () => {
    await loginAs(COORD);
    expect(page.url()).toBe(`${base}/oversikt`);
    for (const template of [...Object.values(TEMPLATES).map((t) => t.id), '']) {
      await page.goto(`${base}/aktiviteter/ny?org=${ORG}`);
      if (template === 'nis2') await check('ny-aktivitet');
      await page.getByLabel('Mall').selectOption(template);
      const title = `Mall ${template || 'tom'} ${run}`;
      await page.getByLabel('Titel').fill(title);
      await page.getByLabel('Område').selectOption('ai');
      await page.getByLabel('Slutdatum').fill(daysFromToday(20));
      await submit(page.getByRole('button', { name: 'Skapa aktiviteten' }));
      await expect(flash()).resolves.toBe(`Aktiviteten "${title}" är skapad.`);
      await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(title);
      const id = decodeURIComponent(page.url().split('/aktiviteter/')[1]!);
      const stored = (await stack.models.activities.findById(id).lean())!;
      expect({ template: stored.template ?? '', area: stored.area, due: stored.dueDate }).toEqual({ template, area: 'ai', due: daysFromToday(20) });
      const expected = template ? TEMPLATES[template as keyof typeof TEMPLATES].milestones.map((x) => x.title) : stored.milestones.map((x) => x.title);
      await expect(page.locator('#milstolpar ~ .card h3').allInnerTexts()).resolves.toEqual(expected.map((t) => expect.stringContaining(t)));

      await page.getByLabel('Ansvarig person').selectOption(OWNER.id);
      await submit(page.getByRole('button', { name: 'Utse ansvarig' }));
      await expect(flash()).resolves.toBe('Olle Ägare är nu aktivitetsansvarig.');
      expect((await stack.models.activities.findById(id).lean())!.owner).toMatchObject({ userId: OWNER.id, name: 'Olle Ägare' });
      if (template === 'nis2') await check('aktivitet-hantera');
    }
  });

  it('a coordinator edits, adds a task and a milestone, blocks, unblocks and cancels with reasons', async () => {
    const id = await create({ key: `hantera-${run}`, title: 'Hantera mig' });
    await page.goto(`${base}/aktiviteter/${id}`);
    await page.locator('summary', { hasText: 'Ändra titel, område, datum och annat' }).click();
    await page.getByLabel('Titel').fill('Hanterad aktivitet');
    await page.getByLabel('Uppskattad kostnad (kronor)').fill('150 000');
    await page.locator('#d-slut').fill(daysFromToday(40));
    await submit(page.getByRole('button', { name: 'Spara ändringarna' }));
    await expect(flash()).resolves.toBe('Ändringarna är sparade.');
    let doc = (await stack.models.activities.findById(id).lean())!;
    expect({ title: doc.title, cost: doc.estimatedCost, due: doc.dueDate, history: doc.deadlineHistory.map((d) => [d.from, d.to]) }).toEqual({ title: 'Hanterad aktivitet', cost: 150000, due: daysFromToday(40), history: [[quietDueDate(), daysFromToday(40)]] });

    await page.locator('summary', { hasText: 'Lägg till en milstolpe' }).click();
    await page.getByLabel('Milstolpe', { exact: true }).fill('Underlag klart');
    await submit(page.getByRole('button', { name: 'Lägg till milstolpen' }));
    await expect(flash()).resolves.toBe('Milstolpen "Underlag klart" är tillagd.');
    await page.locator('summary', { hasText: 'Lägg till en uppgift' }).click();
    await page.getByLabel('Uppgift', { exact: true }).fill('Samla in underlag');
    await page.getByLabel('Hör till milstolpen').selectOption({ label: 'Underlag klart' });
    await submit(page.getByRole('button', { name: 'Lägg till uppgiften' }));
    await expect(flash()).resolves.toBe('Uppgiften "Samla in underlag" är tillagd.');
    doc = (await stack.models.activities.findById(id).lean())!;
    expect(doc.milestones.map((x) => [x.title, x.final])).toEqual([['Underlag klart', false], [expect.any(String), true]]);
    expect(doc.tasks.find((t) => t.title === 'Samla in underlag')?.milestoneId).toBe(doc.milestones[0]!.id);

    await page.getByRole('group', { name: 'Blockera' }).getByLabel('Skäl').fill('Väntar på upphandlingen.');
    await submit(page.getByRole('group', { name: 'Blockera' }).getByRole('button', { name: 'Blockera' }));
    await expect(flash()).resolves.toBe('Aktiviteten är blockerad.');
    await expect(page.locator('.notice').first().innerText()).resolves.toBe('Blockerad: Väntar på upphandlingen.');
    await check('aktivitet-blockerad');
    await page.getByRole('group', { name: 'Häv blockeringen' }).getByLabel('Skäl (frivilligt)').fill('Avtalet är klart.');
    await submit(page.getByRole('group', { name: 'Häv blockeringen' }).getByRole('button', { name: 'Häv blockeringen' }));
    await expect(flash()).resolves.toBe('Blockeringen är hävd.');
    doc = (await stack.models.activities.findById(id).lean())!;
    expect({ status: doc.status, last: doc.entries.at(-1)?.text }).toEqual({ status: 'planned', last: 'Avtalet är klart.' });

    await page.getByRole('group', { name: 'Avbryt aktiviteten' }).getByLabel('Skäl').fill('Ersätts av en annan aktivitet.');
    await submit(page.getByRole('group', { name: 'Avbryt aktiviteten' }).getByRole('button', { name: 'Avbryt aktiviteten' }));
    await expect(flash()).resolves.toBe('Aktiviteten är avbruten.');
    expect((await stack.models.activities.findById(id).lean())!.cancellation?.comment).toBe('Ersätts av en annan aktivitet.');
    // Finished: nothing left to manage.
    await expect(page.locator('#hantera').count()).resolves.toBe(0);
  });

  it('hands a leaving person\'s activities over, showing them first', async () => {
    const ids = [await create({ key: `lena-1-${run}`, title: 'Lenas första' }), await create({ key: `lena-2-${run}`, title: 'Lenas andra' })];
    for (const id of ids) await assign(id, LEAVING);
    await page.goto(`${base}/overlamna?org=${ORG}`);
    await page.getByLabel('Nuvarande ansvarig').selectOption(LEAVING.id);
    await submit(page.getByRole('button', { name: 'Visa aktiviteterna' }));
    await expect(page.getByRole('heading', { name: 'Lena Slutar: 2 ej avslutade aktiviteter' }).count()).resolves.toBe(1);
    await expect(page.locator('table tbody tr td:first-child').allInnerTexts()).resolves.toEqual(['Lenas första', 'Lenas andra']);
    await check('overlamna');
    await page.getByLabel('Ny ansvarig').selectOption(TAKER.id);
    await submit(page.getByRole('button', { name: 'Lämna över alla 2' }));
    await expect(flash()).resolves.toBe('2 aktiviteter är överlämnade till Tore Tarover.');
    await expect(page.getByText('Lena Slutar är inte ansvarig för några ej avslutade aktiviteter.').count()).resolves.toBe(1);
    for (const id of ids) expect((await stack.models.activities.findById(id).lean())!.owner.userId).toBe(TAKER.id);
  });

  it('the start page counts what the read model holds, per area, with links into the lists', async () => {
    await create({ key: `sen-${run}`, title: 'Sen aktivitet', area: 'styrning', dueDate: daysFromToday(-3) });
    await page.goto(`${base}/`);
    expect(page.url()).toBe(`${base}/oversikt`);
    const docs = await stack.models.activities.find({ orgId: ORG, planYear: YEAR }).lean();
    const now = Date.now();
    for (const area of ['ai', 'styrning']) {
      const mine = docs.filter((d) => d.area === area);
      const row = page.locator(`#per-omrade tr[data-area="${area}"]`);
      await expect(row.locator('td').first().innerText()).resolves.toBe(String(mine.length));
      for (const status of ['planned', 'cancelled'] as const) {
        await expect(row.locator(`td[data-status="${status}"]`).innerText()).resolves.toBe(String(mine.filter((d) => d.status === status).length));
      }
      await expect(row.locator('td[data-col="late"]').innerText()).resolves.toBe(String(mine.filter((d) => UNFINISHED_STATUSES.includes(d.status) && d.deadlineAt.getTime() < now).length));
    }
    const due30 = docs.filter((d) => UNFINISHED_STATUSES.includes(d.status) && d.dueDate >= daysFromToday(0) && d.dueDate <= daysFromToday(30)).length;
    expect(due30).toBeGreaterThan(0);
    await expect(page.locator('#antal-inom30').innerText()).resolves.toBe(String(due30));
    await expect(page.locator('#antal-forsenade').innerText()).resolves.toBe('1');
    await readmeScreenshot(await check('oversikt'));
    await submit(page.locator('#antal-forsenade'));
    await expect(page.locator('table tbody tr td:first-child').allInnerTexts()).resolves.toEqual(['Sen aktivitet']);
  });

  it('Planöversikt searches titles and owners, sorts, counts per status and pages', async () => {
    // Five at a time: fifty workflow starts at once make a shared dev server answer "busy" (429).
    for (let i = 0; i < 50; i += 5) {
      await Promise.all(Array.from({ length: 5 }, (_, j) => create({ key: `massa-${i + j}-${run}`, title: `Massaktivitet ${String(i + j).padStart(2, '0')}` })));
    }
    await page.goto(`${base}/planoversikt?org=${ORG}`);
    const total = await stack.models.activities.countDocuments({ orgId: ORG });
    await expect(page.getByText(`${total} aktiviteter`, { exact: false }).first().count()).resolves.toBe(1);
    await expect(page.locator('table tbody tr').count()).resolves.toBe(50);
    await check('planoversikt-sidor');
    await submit(page.getByRole('link', { name: 'Nästa sida' }));
    await expect(page.locator('table tbody tr').count()).resolves.toBe(total - 50);
    await page.goto(`${base}/planoversikt?org=${ORG}`);
    await page.getByLabel('Sök').fill('massaktivitet 4');
    await page.getByLabel('Sortera efter').selectOption('-title');
    await submit(page.getByRole('button', { name: 'Filtrera' }));
    await expect(page.locator('table tbody tr td:first-child').allInnerTexts()).resolves.toEqual(Array.from({ length: 10 }, (_, i) => `Massaktivitet ${49 - i}`));
    await page.getByLabel('Sök').fill('Tore');
    await page.getByLabel('Sortera efter').selectOption('title');
    await submit(page.getByRole('button', { name: 'Filtrera' }));
    await expect(page.locator('table tbody tr td:first-child').allInnerTexts()).resolves.toEqual(['Lenas andra', 'Lenas första']);
    const cancelled = await stack.models.activities.countDocuments({ orgId: ORG, status: 'cancelled' });
    await page.goto(`${base}/planoversikt?org=${ORG}`);
    await submit(page.getByRole('navigation', { name: 'Antal per status' }).getByRole('link', { name: `Avbruten (${cancelled})` }));
    await expect(page.locator('table tbody tr').count()).resolves.toBe(cancelled);
  });

  it('refuses management to those who may not, and to forged posts', async () => {
    await loginAs(OWNER);
    expect(page.url()).toBe(`${base}/mina-uppgifter`);
    for (const path of [`/aktiviteter/ny?org=${ORG}`, `/overlamna?org=${ORG}`, '/staden']) {
      const res = await page.goto(`${base}${path}`);
      expect({ path, status: res?.status() }).toEqual({ path, status: 403 });
    }
    const id = await create({ key: `agarens-${run}`, title: 'Ägarens aktivitet' });
    await page.goto(`${base}/aktiviteter/${id}`);
    await expect(page.getByRole('button', { name: 'Utse ansvarig' }).count()).resolves.toBe(0);
    const csrf = await page.locator('input[name=_csrf]').first().inputValue();
    const forged = await page.context().request.post(`${base}/aktiviteter/${id}/avbryt`, { form: { _csrf: csrf, reason: 'Försök', returnTo: `/aktiviteter/${id}` } });
    // Followed back to the activity's page, which says why not (role=alert).
    expect(forged.status()).toBe(200);
    expect(await forged.text()).toMatch(/role="alert"[^>]*>\s*<p class="flash error">Bara förvaltningschef eller samordnare/);
    const noToken = await page.context().request.post(`${base}/aktiviteter/ny`, { form: { org: ORG, title: 'X', area: 'ai', year: String(YEAR), ownerRole: 'it-coordinator' }, maxRedirects: 0 });
    expect(noToken.status()).toBe(403);
    expect((await stack.models.activities.findById(id).lean())!.status).toBe('planned');
  });

  it('the city page shows every organisation in Swedish order to a city-level reader, read-only', async () => {
    await loginAs(CITY);
    expect(page.url()).toBe(`${base}/staden`);
    const names = await page.locator('#per-organisation tbody th').allInnerTexts();
    const ours = names.filter((n) => n.endsWith(run));
    expect(ours).toEqual([`Zetaförvaltningen ${run}`, `Ängens förvaltning ${run}`, `Östra förvaltningen ${run}`]);
    const total = await stack.models.activities.countDocuments({ orgId: ORG, planYear: YEAR });
    await expect(page.locator(`#per-organisation tr[data-org="${ORG}"] td`).first().innerText()).resolves.toBe(String(total));
    await expect(page.locator('main form').count()).resolves.toBe(0);
    await readmeScreenshot(await check('staden'));
    await submit(page.locator(`#per-organisation tr[data-org="${ORG}"] th a`));
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toContain(`Zetaförvaltningen ${run}`);
    await expect(page.locator('#hantera').count()).resolves.toBe(0);
  });
});
