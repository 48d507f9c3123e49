import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import type { Page } from 'playwright-core';
import request from 'supertest';
import type { TestUser } from '../support/api';
import { quietDueDate, thisYear } from '../support/calendar';
import { settles } from '../support/eventually';
import { projected } from '../support/projected';
import type { TestStack } from '../support/stack';
import { startUiSession, type UiSession } from '../support/ui-session';

/**
 * Issue 20 (and 18.4) in Debian's Chromium against the real stack: the förvaltningschef decides
 * several approvals with one confirmation and is not offered what they own or submitted; the
 * public accessibility statement, linked from every footer; a person's settings (email
 * preference, calendar feed); the language slips. axe-core scans every new page and state.
 */
jest.setTimeout(900_000);

const YEAR = thisYear();
const run = randomUUID().slice(0, 6);
const ORG = `godk-${run}`;
const CONTACT = 'tillganglighet@stad.example.se';
const user = (id: string, name: string, roles: TestUser['memberships'][0]['roles']): TestUser => ({ id: `${id}-${run}`, name, memberships: [{ orgId: ORG, roles }] });
const HEAD = user('chef', 'Hanna Chef', ['head-of-administration']);
const OWNER = user('agare', 'Olle Ägare', ['it-coordinator']);
// A coordinator who also holds the förvaltningschef's role (issue 18.4).
const COORD_HEAD = user('samordnare', 'Sara Samordnare', ['security-coordinator', 'head-of-administration']);

describe('approvals, accessibility statement, settings and wording in Chromium', () => {
  let ui: UiSession;
  let stack: TestStack;
  let app: Express;
  let base: string;
  let page: Page;
  let auth: Record<string, string>;
  const check = (name: string) => ui.check(name);
  const submit = (button: ReturnType<Page['locator']>) => ui.submit(button);
  const main = () => page.locator('main').innerText();

  const api = (u: TestUser, path: string, body: object = {}) => request(app).post(path).set('authorization', auth[u.id]!).send(body);
  const change = async (u: TestUser, id: string, path: string, body: object = {}) => {
    const res = await api(u, `/api/v1/activities/${id}${path}`, body);
    expect(res.status).toBe(200);
    await projected(stack, id, res.body.version);
  };
  /** A blank activity (one task, one milestone the förvaltningschef approves), sent in by `by`. */
  const submitted = async (key: string, title: string, by: TestUser, owner?: TestUser) => {
    const res = await api(COORD_HEAD, `/api/v1/organisations/${ORG}/activities`, { key, year: YEAR, title, area: 'styrning', owner: { role: 'it-coordinator' }, dueDate: quietDueDate() });
    expect(res.status).toBe(201);
    const id = res.body.id as string;
    await projected(stack, id, 1);
    if (owner) await change(COORD_HEAD, id, '/owner', { userId: owner.id, name: owner.name });
    await change(by, id, '/tasks/genomfor/complete');
    await change(by, id, '/milestones/slutford/submit');
    return id;
  };

  beforeAll(async () => {
    ui = await startUiSession({ organisations: [{ id: ORG, name: `Godkännarförvaltningen ${run}` }], users: [HEAD, OWNER, COORD_HEAD], env: { accessibilityContact: CONTACT } });
    ({ stack, app, base, page, auth } = ui);
  });

  afterAll(async () => {
    await ui?.close();
  });

  it('the förvaltningschef approves two milestones with one confirmation, and is not offered one of their own', async () => {
    const first = await submitted(`forsta-${run}`, `Första aktiviteten ${run}`, OWNER);
    const second = await submitted(`andra-${run}`, `Andra aktiviteten ${run}`, OWNER);
    const own = await submitted(`egen-${run}`, `Chefens egen aktivitet ${run}`, HEAD, HEAD);
    const byCoordinator = await submitted(`samordnad-${run}`, `Samordnarens inskickade ${run}`, COORD_HEAD);

    await ui.loginAs(HEAD);
    await page.goto(`${base}/att-godkanna`);
    // Each item leads with its activity; the milestone's name comes second.
    const card = page.locator('section.card', { hasText: `Första aktiviteten ${run}` });
    await expect(card.getByRole('heading', { level: 2 }).innerText()).resolves.toBe(`Första aktiviteten ${run}`);
    await expect(card.innerText()).resolves.toContain('Milstolpe: Aktiviteten genomförd');
    // Segregation of duties: the activity the förvaltningschef owns (and sent in) is not offered.
    await expect(main()).resolves.not.toContain(`Chefens egen aktivitet ${run}`);
    await expect(main()).resolves.toContain(`Samordnarens inskickade ${run}`);
    await check('att-godkanna-flera');

    // Nothing ticked: told so, nothing happens.
    await submit(page.getByRole('button', { name: 'Godkänn markerade' }));
    expect(page.url()).toBe(`${base}/att-godkanna`);
    await expect(page.getByRole('alert').innerText()).resolves.toContain('Markera minst en');

    // Each box is named by its item ("Markera" and, for a screen reader, the activity and milestone).
    await page.getByRole('checkbox', { name: `Första aktiviteten ${run}` }).check();
    await page.getByRole('checkbox', { name: `Andra aktiviteten ${run}` }).check();
    await submit(page.getByRole('button', { name: 'Godkänn markerade' }));
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Bekräfta godkännanden');
    const rows = await page.locator('main tbody tr').allInnerTexts();
    expect(rows.map((r) => r.split('\t')[0]).sort()).toEqual([`Andra aktiviteten ${run}`, `Första aktiviteten ${run}`]);
    // The confirmation page changed nothing.
    expect((await stack.models.activities.findById(first).lean())!.status).toBe('awaiting-approval');
    await check('att-godkanna-bekrafta');

    await page.getByLabel('Kommentar till alla (frivillig)').fill('Godkänt i samlat beslut.');
    await submit(page.getByRole('button', { name: 'Godkänn alla 2' }));
    expect(page.url()).toBe(`${base}/att-godkanna`);
    const said = await ui.flash();
    expect(said).toContain(`Godkänd: Första aktiviteten ${run} – Aktiviteten genomförd.`);
    expect(said).toContain(`Godkänd: Andra aktiviteten ${run} – Aktiviteten genomförd.`);
    await check('att-godkanna-efter-flera');
    for (const id of [first, second]) {
      await settles(async () => {
        const doc = (await stack.models.activities.findById(id).lean())!;
        expect({ status: doc.status, decisions: doc.milestones[0]!.decisions }).toMatchObject({ status: 'done', decisions: [{ decision: 'approved', by: { userId: HEAD.id }, comment: 'Godkänt i samlat beslut.' }] });
      });
    }
    expect((await stack.models.activities.findById(own).lean())!.status).toBe('awaiting-approval');
    // The API's list agrees with the page (the same service).
    const listed = (await request(app).get('/api/v1/me/approvals').set('authorization', auth[HEAD.id]!)).body as { activityId: string }[];
    expect(listed.map((a) => a.activityId)).toEqual([byCoordinator]);

    // The coordinator who also holds the förvaltningschef's role is not offered what she sent in.
    await ui.loginAs(COORD_HEAD);
    await page.goto(`${base}/att-godkanna`);
    await expect(main()).resolves.not.toContain(`Samordnarens inskickade ${run}`);
    await expect(main()).resolves.toContain(`Chefens egen aktivitet ${run}`);
  });

  it('refuses a chosen approval the person may not make, per item, and a post without the CSRF token', async () => {
    const id = (await stack.models.activities.findOne({ orgId: ORG, title: `Samordnarens inskickade ${run}` }).lean())!._id;
    const before = (await stack.models.activities.findById(id).lean())!.version;
    // Still the coordinator-head, who sent it in: a forged post is refused by the workflow's rule.
    await page.goto(`${base}/att-godkanna`);
    const csrf = await page.locator('input[name=_csrf]').first().inputValue();
    const r = page.context().request;
    const forged = await r.post(`${base}/att-godkanna/godkann`, { form: { _csrf: csrf, val: `${id}/slutford` } });
    expect(forged.status()).toBe(200);
    expect(await forged.text()).toContain('Inte godkänd');
    expect(await forged.text()).toContain('Åtskilda arbetsuppgifter');
    await ui.loginAs(OWNER);
    await page.goto(`${base}/att-godkanna`);
    const ownerCsrf = await page.locator('input[name=_csrf]').first().inputValue();
    const byOwner = await r.post(`${base}/att-godkanna/godkann`, { form: { _csrf: ownerCsrf, val: `${id}/slutford` } });
    expect(await byOwner.text()).toContain('Inte godkänd');
    for (const path of ['/att-godkanna/godkann', '/installningar/aviseringar', '/installningar/kalender', '/installningar/kalender/aterkalla']) {
      const res = await r.post(`${base}${path}`, { form: { val: `${id}/slutford`, notifications: 'digest' }, maxRedirects: 0 });
      expect({ path, status: res.status() }).toEqual({ path, status: 403 });
    }
    expect((await stack.models.activities.findById(id).lean())!.version).toBe(before);
    expect((await stack.models.users.findById(OWNER.id).lean())!.notificationPreference).toBeUndefined();
  });

  it('the accessibility statement is public, linked from the footer of the login page and of a logged-in page, and passes axe', async () => {
    // Logged in (the owner, from the test before): the footer of an ordinary page.
    await page.goto(`${base}/mina-uppgifter`);
    await expect(page.getByRole('contentinfo').getByRole('link', { name: 'Tillgänglighetsredogörelse' }).getAttribute('href')).resolves.toBe('/tillganglighet');

    await page.context().clearCookies();
    await page.goto(`${base}/logga-in`);
    await submit(page.getByRole('contentinfo').getByRole('link', { name: 'Tillgänglighetsredogörelse' }));
    expect(page.url()).toBe(`${base}/tillganglighet`);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Tillgänglighetsredogörelse');
    const text = await main();
    for (const part of ['axe-core', 'tangentbord', 'Kända brister', 'PDF-versionen', '(2018:1937)', CONTACT]) expect(text).toContain(part);
    await expect(page.getByRole('link', { name: CONTACT }).getAttribute('href')).resolves.toBe(`mailto:${CONTACT}`);
    await check('tillganglighet');
    // By keyboard: the first Tab reaches the skip link, which moves the focus to the content.
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => (globalThis as unknown as { document: { activeElement: { textContent: string } } }).document.activeElement.textContent)).resolves.toBe('Hoppa till innehållet');
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement.id)).resolves.toBe('innehall');
  });

  it('a person changes their email preference and calendar feed on Inställningar, read back from the store', async () => {
    // Not logged in: the settings page sends to the login page.
    await page.goto(`${base}/installningar`);
    expect(page.url()).toBe(`${base}/logga-in`);
    // Logging in there comes back to it.
    await page.getByLabel('Välj en demoanvändare').selectOption(OWNER.id);
    await submit(page.getByRole('button', { name: 'Logga in som demoanvändare' }));
    expect(page.url()).toBe(`${base}/installningar`);
    await expect(page.getByRole('radio', { name: 'Både direkt och en sammanfattning varje vecka' }).isChecked()).resolves.toBe(true);
    await check('installningar');
    await page.getByRole('radio', { name: 'Bara en sammanfattning varje vecka' }).check();
    await submit(page.getByRole('button', { name: 'Spara inställningen' }));
    await expect(ui.flash()).resolves.toBe('Din inställning är sparad: Bara en sammanfattning varje vecka.');
    expect((await stack.models.users.findById(OWNER.id).lean())!.notificationPreference).toBe('digest');
    expect((await request(app).get('/api/v1/me/preferences').set('authorization', auth[OWNER.id]!)).body).toEqual({ notifications: 'digest' });
    await expect(page.getByRole('radio', { name: 'Bara en sammanfattning varje vecka' }).isChecked()).resolves.toBe(true);

    // The calendar feed: made, shown once, replaced, revoked.
    const feedPath = async () => new URL(await page.locator('code.token').innerText()).pathname;
    await submit(page.getByRole('button', { name: 'Skapa en kalenderadress' }));
    const first = await feedPath();
    expect(first).toMatch(/^\/api\/v1\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    const feed = await request(app).get(first);
    expect(feed.status).toBe(200);
    expect(feed.text).toContain('BEGIN:VCALENDAR');
    await check('installningar-kalender');
    await page.goto(`${base}/installningar`);
    await expect(page.locator('code.token').count()).resolves.toBe(0);
    await submit(page.getByRole('button', { name: 'Skapa en ny kalenderadress' }));
    const second = await feedPath();
    expect((await request(app).get(first)).status).toBe(404);
    expect((await request(app).get(second)).status).toBe(200);
    await page.goto(`${base}/installningar`);
    await submit(page.getByRole('button', { name: 'Återkalla kalenderadressen' }));
    await expect(ui.flash()).resolves.toBe('Kalenderadressen är återkallad och fungerar inte längre.');
    expect((await request(app).get(second)).status).toBe(404);
    expect(await stack.models.calendarTokens.countDocuments({ userId: OWNER.id })).toBe(0);
  });

  it('says Ledningens genomgång, API-nycklar and Spårbarheten är kontrollerad, and keeps Swedish off the English 403 page', async () => {
    // Still the owner.
    await expect(page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link', { name: 'Ledningens genomgång' }).getAttribute('href')).resolves.toBe('/arsrapport');
    const id = (await stack.models.activities.findOne({ orgId: ORG, title: `Första aktiviteten ${run}` }).lean())!._id;
    await page.goto(`${base}/aktiviteter/${id}`);
    await expect(page.locator('.chain-ok').innerText()).resolves.toMatch(/^Spårbarheten är kontrollerad: \d+ händelser/);
    // The hashes are folded away until asked for.
    const details = page.locator('details', { hasText: 'Teknisk information: händelsernas kontrollsummor' });
    await expect(details.locator('code').first().isVisible()).resolves.toBe(false);
    await details.locator('summary').click();
    await expect(details.locator('code').first().innerText()).resolves.toMatch(/^[0-9a-f]{64}$/);
    await check('aktivitet-sparbarhet');

    await ui.loginAs(COORD_HEAD);
    await page.goto(`${base}/administration`);
    const main = page.locator('main');
    await expect(main.getByRole('heading', { name: 'Mina API-nycklar' }).count()).resolves.toBe(1);
    await expect(main.getByLabel('Antal dagar nyckeln gäller').count()).resolves.toBe(1);
    await expect(main.getByRole('button', { name: 'Skapa nyckel' }).count()).resolves.toBe(1);
    await expect(main.innerText()).resolves.not.toMatch(/token/i);

    await ui.loginAs(OWNER);
    await submit(page.getByRole('button', { name: 'In English' }));
    await page.goto(`${base}/administration`);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Access denied');
    await expect(page.locator('main p').first().innerText()).resolves.toBe('You do not have access to this page.');
    await expect(page.locator('main').innerText()).resolves.not.toMatch(/[åäö]|Bara /i);
    await check('access-denied-english');
  });
});
