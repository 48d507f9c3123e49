import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { readFile } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import type { Express } from 'express';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { uiRoutes } from '../../src/ui/router';
import { createLogger } from '../../src/platform/logger';
import type { TestUser } from '../support/api';
import { readmeScreenshot, screenshot, type TestBrowser } from '../support/browser';
import { eventually, settles } from '../support/eventually';
import { projected } from '../support/projected';
import type { TestStack } from '../support/stack';
import { startUiSession, type UiSession } from '../support/ui-session';
import { daysFromToday as dateFromToday, quietDueDate, thisYear } from '../support/calendar';

/** The plan year of the activities here, and of the review journey 3 builds: this year. */
const YEAR = thisYear();
const DEFERRED_DUE = quietDueDate();

/**
 * The web UI in Debian's Chromium against the real stack: the journeys of an owner, the
 * förvaltningschef and a second approver, the other pages, denials, and an axe-core scan of
 * every page. Workflow ids are global, so the organisations get fresh ids per run.
 */

// Each journey clicks through many pages; on a loaded machine that is slow, not wrong.
jest.setTimeout(600_000);

const run = randomUUID().slice(0, 6);
const ORG = `ui-${run}`;
const OTHER = `ui-annan-${run}`;

const user = (id: string, name: string, orgId: string, roles: TestUser['memberships'][0]['roles']): TestUser => ({ id: `${id}-${run}`, name, memberships: [{ orgId, roles }] });
const OWNER = user('agare', 'Olle Ägare', ORG, ['it-coordinator']);
const HEAD = user('chef', 'Hanna Chef', ORG, ['head-of-administration']);
const INFO_OWNER = user('infoagare', 'Ingrid Informationsägare', ORG, ['information-owner']);
const COORD = user('samordnare', 'Sara Samordnare', ORG, ['security-coordinator']);
const ADMIN = user('admin', 'Adam Admin', ORG, ['admin']);
const OTHER_COORD = user('annan', 'Anna Annan', OTHER, ['security-coordinator']);

describe('web UI in Chromium', () => {
  let ui: UiSession;
  let stack: TestStack;
  let app: Express;
  let base: string;
  let browser: TestBrowser;
  let page: Page;
  let auth: Record<string, string>;
  const scanned: string[] = [];

  const activity = (orgId: string, key: string) => `${orgId}.${YEAR}.${key}`;
  const api = (u: TestUser) => ({
    post: (p: string, body: object = {}) => request(app).post(p).set('authorization', auth[u.id]!).send(body),
  });
  const change = async (u: TestUser, id: string, path: string, body: object = {}) => {
    const res = await api(u).post(`/api/v1/activities/${id}${path}`, body);
    expect(res.status).toBe(200);
    await projected(stack, id, res.body.version);
  };

  const create = async (coord: TestUser, orgId: string, body: object) => {
    const res = await api(coord).post(`/api/v1/organisations/${orgId}/activities`, { owner: { role: 'it-coordinator' }, ...body });
    expect(res.status).toBe(201);
    await projected(stack, res.body.id, 1);
    return res.body.id as string;
  };

  async function check(name: string): Promise<string> {
    scanned.push(name);
    return ui.check(name);
  }
  const submit = (button: ReturnType<Page['locator']>, on: Page = page) => ui.submit(button, on);
  const loginAs = (u: TestUser, on: Page = page) => ui.loginAs(u, on);

  async function logout(): Promise<void> {
    await submit(page.getByRole('button', { name: 'Logga ut' }));
    await page.waitForURL(/\/logga-in$/);
  }

  const flash = (on: Page = page) => ui.flash(on);

  /** The role of the element that has the focus (the page has no DOM types here). */
  const focusedRole = () => page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('role') ?? null);

  beforeAll(async () => {
    ui = await startUiSession({ organisations: [{ id: ORG, name: 'Testförvaltningen' }, { id: OTHER, name: 'Annan förvaltning' }], users: [OWNER, HEAD, INFO_OWNER, COORD, ADMIN, OTHER_COORD] });
    ({ stack, app, base, browser, page, auth } = ui);
    // Due soon, overdue, next year (its default due date, 31 December, is far), deferred: dates from today.
    await create(COORD, ORG, { key: 'ai-rutiner', year: YEAR, title: 'Ta fram lokala rutiner för AI', area: 'ai', template: 'ai-routines', dueDate: dateFromToday(7) });
    await create(COORD, ORG, { key: 'riskanalys', year: YEAR, title: 'Riskanalys av e-tjänsterna', area: 'styrning', template: 'risk-analysis', dueDate: dateFromToday(-30) });
    await create(COORD, ORG, { key: 'klassning', year: YEAR + 1, title: 'Klassa verksamhetens information', area: 'styrning', template: 'information-classification' });
    // The coordinator's own, so it stays overdue (and off the owner's list) until Planöversikt is visited.
    await create(COORD, ORG, { key: 'forsenad', year: YEAR, title: 'Uppdatera kontinuitetsplanen', area: 'ai', owner: { role: 'security-coordinator' }, dueDate: dateFromToday(-10) });
    const deferred = await create(COORD, ORG, { key: 'uppskjuten', year: YEAR, title: 'Övning i kontinuitetsplanering', area: 'styrning', dueDate: DEFERRED_DUE });
    await change(COORD, deferred, '/defer', { reason: 'Flyttas till nästa år i väntan på ny organisation.' });
    await create(OTHER_COORD, OTHER, { key: 'hemlig', year: YEAR, title: 'Annan förvaltnings aktivitet', area: 'ai', dueDate: quietDueDate() });
  });

  afterAll(async () => {
    await ui?.close();
  });

  it('asks for a login first, and offers the demo users in development', async () => {
    await page.goto(`${base}/mina-uppgifter`);
    await page.waitForURL(/\/logga-in$/);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Logga in');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('sv');
    await expect(page.getByLabel('Välj en demoanvändare').locator(`option[value="${OWNER.id}"]`).innerText()).resolves.toBe('Olle Ägare – it-samordnare (Testförvaltningen)');
    await check('logga-in');
  });

  it('journey 1: an owner completes the last task of a milestone and sends it in', async () => {
    const id = activity(ORG, 'ai-rutiner');
    await change(OWNER, id, '/evidence', { link: 'https://intranat.example.se/ai-rutin.pdf', text: 'Utkast till AI-rutin' });
    await loginAs(OWNER);
    const headings = await page.locator('main section.card h2').allInnerTexts();
    // By due date: the overdue risk analysis, the AI routines due within days, next year's classification.
    expect(headings).toEqual(['Riskanalys av e-tjänsterna', 'Ta fram lokala rutiner för AI', 'Klassa verksamhetens information']);
    const risk = page.locator('section.card', { hasText: 'Riskanalys av e-tjänsterna' });
    const ai = page.locator('section.card', { hasText: 'Ta fram lokala rutiner för AI' });
    await expect(risk.locator('.badge.overdue').innerText()).resolves.toBe('Försenad');
    await expect(ai.locator('.badge.soon').innerText()).resolves.toBe('Förfaller snart');
    await readmeScreenshot(await check('mina-uppgifter'));

    await submit(ai.getByRole('button', { name: 'Markera som klar: Rutin för användning av AI' }));
    await expect(flash()).resolves.toContain('Uppgiften "Rutin för användning av AI" är markerad som klar.');
    // A screen reader hears the confirmation: it leads the title and has the focus.
    await expect(page.title()).resolves.toBe('Uppgiften "Rutin för användning av AI" är markerad som klar. – Mina uppgifter – lisplan');
    await expect(focusedRole()).resolves.toBe('status');
    await submit(page.locator('section.card', { hasText: 'Ta fram lokala rutiner för AI' }).getByRole('button', { name: 'Markera som klar: Rutin för utveckling av AI-tjänster' }));
    await expect(flash()).resolves.toContain('Det var sista uppgiften i milstolpen "Rutiner för AI fastställda". Skicka in den för godkännande nedan.');
    await check('mina-uppgifter-redo');

    const ready = page.locator('form.card', { hasText: 'Rutiner för AI fastställda' });
    await ready.getByLabel('Kommentar (frivillig)').fill('Båda rutinerna är klara och förankrade.');
    await submit(ready.getByRole('button', { name: 'Skicka in för godkännande' }));
    await expect(flash()).resolves.toContain('Milstolpen "Rutiner för AI fastställda" är inskickad för godkännande.');
    await settles(async () => {
      const state = (await stack.models.activities.findById(id).lean())!;
      expect(state.status).toBe('awaiting-approval');
      expect(state.tasks.every((t) => t.done && t.doneBy?.userId === OWNER.id)).toBe(true);
    });
    await logout();
  });

  it('journey 2: the förvaltningschef sees it in Att godkänna, with the evidence, and approves', async () => {
    const id = activity(ORG, 'ai-rutiner');
    await loginAs(HEAD);
    await submit(page.getByRole('link', { name: 'Att godkänna' }));
    const card = page.locator('section.card', { hasText: 'Ta fram lokala rutiner för AI' });
    await expect(card.getByRole('heading', { level: 2 }).innerText()).resolves.toBe('Ta fram lokala rutiner för AI');
    await expect(card.getByRole('link', { name: 'Utkast till AI-rutin' }).getAttribute('href')).resolves.toBe('https://intranat.example.se/ai-rutin.pdf');
    await expect(card.innerText()).resolves.toMatch(/Inskickad av Olle Ägare den \d+ \S+ \d{4}/);
    await card.locator('summary').click();
    await expect(card.locator('details').innerText()).resolves.toContain('Båda rutinerna är klara och förankrade.');
    await check('att-godkanna');

    await card.getByLabel('Kommentar (frivillig)').fill('Bra jobbat.');
    await submit(card.getByRole('button', { name: 'Godkänn' }));
    await expect(flash()).resolves.toContain('Milstolpen "Rutiner för AI fastställda" är godkänd.');
    await settles(async () => {
      const state = (await stack.models.activities.findById(id).lean())!;
      expect(state.status).toBe('done');
      expect(state.milestones[0]!.decisions).toMatchObject([{ decision: 'approved', by: { userId: HEAD.id }, comment: 'Bra jobbat.' }]);
    });
    await expect(page.locator('main').innerText()).resolves.toContain('Inget väntar på ditt beslut.');
    await logout();
  });

  it('the förvaltningschef sees unread notices in the header, opens them and marks them read', async () => {
    const unread = async () => (await request(app).get('/api/v1/me/notifications').set('authorization', auth[HEAD.id]!)).body.unread as number;
    // Journey 1's submission told the förvaltningschef; the notice is recorded by the workflow.
    const notice = await eventually(
      () => stack.models.notifications.findOne({ orgId: ORG, kind: 'approval-requested', recipientRole: 'head-of-administration' }).lean().then((d) => d ?? undefined),
      'the approval notice',
    );
    const before = await unread();
    expect(before).toBeGreaterThanOrEqual(1);

    await loginAs(HEAD);
    const header = page.getByRole('link', { name: `Aviseringar ${before} olästa` });
    await submit(header);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Aviseringar');
    const item = page.locator('ul.notices li', { hasText: 'Att godkänna: Rutiner för AI fastställda – Ta fram lokala rutiner för AI' });
    await expect(item.getByRole('link').getAttribute('href')).resolves.toBe(`/aktiviteter/${activity(ORG, 'ai-rutiner')}`);
    await expect(item.innerText()).resolves.toContain('Oläst');
    await check('aviseringar');

    await submit(item.getByRole('button', { name: /^Markera som läst/ }));
    await expect(flash()).resolves.toContain('Aviseringen är markerad som läst.');
    expect(await unread()).toBe(before - 1);
    await expect(item.innerText()).resolves.not.toContain('Oläst');
    expect((await stack.models.notifications.findById(notice._id).lean())!.readBy).toEqual([HEAD.id]);

    if (before > 1) {
      await submit(page.getByRole('button', { name: 'Markera alla som lästa' }));
      await expect(flash()).resolves.toContain(before === 2 ? 'En avisering är markerad som läst.' : `${before - 1} aviseringar är markerade som lästa.`);
    }
    expect(await unread()).toBe(0);
    await expect(page.getByRole('link', { name: 'Aviseringar', exact: true }).count()).resolves.toBe(1);
    await logout();
  });

  it('journey 2b: a second approver in the chain sends a milestone back with a comment, and the owner sees why', async () => {
    const id = activity(ORG, 'riskanalys');
    for (const task of ['avgransning', 'analys', 'atgardsplan']) await change(OWNER, id, `/tasks/${task}/complete`);
    await change(OWNER, id, '/milestones/analys/submit');
    await change(HEAD, id, '/milestones/analys/approve');
    await change(OWNER, id, '/tasks/faststall/complete');
    await change(OWNER, id, '/milestones/slutford/submit');

    // The chain is informationsägare, then förvaltningschef.
    await loginAs(HEAD);
    await page.goto(`${base}/att-godkanna`);
    await expect(page.locator('main').innerText()).resolves.toContain('Inget väntar på ditt beslut.');
    await logout();
    await loginAs(INFO_OWNER);
    await page.goto(`${base}/att-godkanna`);
    await submit(page.locator('section.card', { hasText: 'Riskanalys av e-tjänsterna' }).getByRole('button', { name: 'Godkänn' }));
    await expect(flash()).resolves.toContain('är godkänd');
    await logout();

    await loginAs(HEAD);
    await page.goto(`${base}/att-godkanna`);
    const card = page.locator('section.card', { hasText: 'Riskanalys av e-tjänsterna' });
    // Sending back needs a comment: the browser refuses the empty field before anything is posted.
    await card.getByRole('button', { name: 'Skicka tillbaka' }).click();
    await expect(card.getByLabel('Vad behöver kompletteras?').evaluate((el) => (el as unknown as { validity: { valueMissing: boolean } }).validity.valueMissing)).resolves.toBe(true);
    await card.getByLabel('Vad behöver kompletteras?').fill('Riskbehandlingsplanen saknar ansvariga och datum.');
    await submit(card.getByRole('button', { name: 'Skicka tillbaka' }));
    await expect(flash()).resolves.toContain('är skickad tillbaka med din kommentar');
    const state = await settles(async () => {
      const doc = (await stack.models.activities.findById(id).lean())!;
      expect(doc.status).toBe('changes-requested');
      return doc;
    });
    expect(state.milestones.find((m) => m.id === 'slutford')!.decisions.map((d) => [d.decision, d.by.userId])).toEqual([
      ['approved', INFO_OWNER.id],
      ['rejected', HEAD.id],
    ]);
    await logout();

    await loginAs(OWNER);
    await page.goto(`${base}/aktiviteter/${id}`);
    await expect(page.locator('.status').first().innerText()).resolves.toBe('Åter för komplettering');
    await expect(page.locator('main').innerText()).resolves.toContain('Riskbehandlingsplanen saknar ansvariga och datum.');
    await expect(page.locator('.chain-ok').innerText()).resolves.toMatch(/^Spårbarheten är kontrollerad: \d+ händelser/);
    await check('aktivitet');

    // Asking for more time from the activity page.
    await page.getByLabel('Nytt slutdatum').fill(dateFromToday(60));
    await page.getByLabel('Varför behövs mer tid?').fill('Ansvariga måste utses av ledningsgruppen först.');
    await submit(page.getByRole('button', { name: 'Skicka begäran' }));
    await expect(flash()).resolves.toContain('Begäran om mer tid är skickad till förvaltningschefen.');
    // A refused form names the fields by their labels (a post the browser's own checks would stop).
    const csrf = await page.locator('input[name=_csrf]').first().inputValue();
    const refused = await page.context().request.post(`${base}/aktiviteter/${id}/mer-tid`, { form: { _csrf: csrf, returnTo: '/mina-uppgifter', proposedDueDate: 'snart', reason: '' } });
    expect(await refused.text()).toContain('Kontrollera fälten: Nytt slutdatum, Varför behövs mer tid?');
    await logout();
  });

  it('the förvaltningschef grants the extension from Att godkänna', async () => {
    const id = activity(ORG, 'riskanalys');
    await loginAs(HEAD);
    await page.goto(`${base}/att-godkanna`);
    const card = page.locator('section.card', { hasText: 'Begäran om mer tid' });
    await expect(card.innerText()).resolves.toContain('Ansvariga måste utses av ledningsgruppen först.');
    await submit(card.getByRole('button', { name: 'Bevilja' }));
    await expect(flash()).resolves.toContain('Förlängningen är beviljad.');
    await settles(async () => expect((await stack.models.activities.findById(id).lean())!.dueDate).toBe(dateFromToday(60)));
    await logout();
  });

  it('from Mina uppgifter the owner comments, adds evidence and asks for more time; the förvaltningschef refuses the request', async () => {
    const id = `${ORG}.${YEAR + 1}.klassning`;
    await loginAs(OWNER);
    const card = page.locator('section.card', { hasText: 'Klassa verksamhetens information' });
    const open = () => card.locator('summary').click();
    await open();
    await card.getByLabel('Kommentar eller statusnotering').fill('Inventeringen börjar efter årsskiftet.');
    await submit(card.getByRole('button', { name: 'Spara kommentaren' }));
    await expect(flash()).resolves.toContain('Kommentaren är sparad.');
    await open();
    await card.getByLabel('Länk till underlag (https://…)').fill('https://intranat.example.se/klassningsmall.xlsx');
    await card.getByLabel('Beskrivning av underlaget (frivillig)').fill('Mall för klassning');
    await submit(card.getByRole('button', { name: 'Lägg till underlaget' }));
    await expect(flash()).resolves.toContain('Underlaget är tillagt.');
    await open();
    const dueDate = (await stack.models.activities.findById(id).lean())!.dueDate;
    const later = `${YEAR + 2}-03-31`;
    await card.getByLabel('Nytt slutdatum').fill(later);
    await card.getByLabel('Varför behövs mer tid?').fill(`Systemförvaltningen byts ut under ${YEAR + 1}.`);
    await submit(card.getByRole('button', { name: 'Skicka begäran' }));
    await expect(flash()).resolves.toContain('Begäran om mer tid är skickad till förvaltningschefen.');

    const shown = (await request(app).get(`/api/v1/activities/${id}`).set('authorization', auth[OWNER.id]!)).body;
    expect(shown.entries).toEqual([
      expect.objectContaining({ kind: 'comment', text: 'Inventeringen börjar efter årsskiftet.', by: expect.objectContaining({ userId: OWNER.id }) }),
      expect.objectContaining({ kind: 'evidence', link: 'https://intranat.example.se/klassningsmall.xlsx', text: 'Mall för klassning' }),
    ]);
    expect(shown.extensions).toMatchObject([{ status: 'pending', proposedDueDate: later, reason: `Systemförvaltningen byts ut under ${YEAR + 1}.` }]);
    await page.goto(`${base}/aktiviteter/${id}`);
    const entries = page.locator('main');
    await expect(entries.innerText()).resolves.toContain('Inventeringen börjar efter årsskiftet.');
    await expect(page.getByRole('link', { name: 'Mall för klassning' }).getAttribute('href')).resolves.toBe('https://intranat.example.se/klassningsmall.xlsx');
    await logout();

    await loginAs(HEAD);
    await page.goto(`${base}/att-godkanna`);
    const request_ = page.locator('section.card', { hasText: 'Klassa verksamhetens information' });
    await expect(request_.innerText()).resolves.toContain(`Systemförvaltningen byts ut under ${YEAR + 1}.`);
    await check('att-godkanna-mer-tid');
    await request_.getByLabel('Kommentar (frivillig)').fill('Klassningen ska hinnas med inom planen.');
    await submit(request_.getByRole('button', { name: 'Avslå' }));
    await expect(flash()).resolves.toContain('Förlängningen är avslagen.');
    await settles(async () => {
      const state = (await stack.models.activities.findById(id).lean())!;
      expect(state.extensions).toMatchObject([{ status: 'refused', decidedBy: { userId: HEAD.id } }]);
      expect(state.dueDate).toBe(dueDate);
    });
    await logout();
  });

  it('works on a phone: no page scrolls sideways', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await loginAs(OWNER, phone);
    const overflow = () =>
      phone.evaluate(() => {
        const g = globalThis as unknown as { innerWidth: number; document: { documentElement: { scrollWidth: number } } };
        return Math.max(0, g.document.documentElement.scrollWidth - g.innerWidth);
      });
    for (const [name, path, heading] of [
      ['mina-uppgifter-mobil', '/mina-uppgifter', 'Mina uppgifter'],
      ['att-godkanna-mobil', '/att-godkanna', 'Att godkänna'],
      ['planoversikt-mobil', '/planoversikt', 'Planöversikt: Testförvaltningen'],
      ['aktivitet-mobil', `/aktiviteter/${activity(ORG, 'riskanalys')}`, 'Riskanalys av e-tjänsterna'],
    ]) {
      await phone.goto(base + path!);
      await screenshot(phone, name!);
      expect({ name, heading: await phone.getByRole('heading', { level: 1 }).innerText(), overflow: await overflow() }).toEqual({ name, heading, overflow: 0 });
    }
    await phone.context().close();
  });

  it('works without JavaScript: an owner completes a task with a plain form post', async () => {
    const plain = await browser.newPage({ javaScriptEnabled: false });
    await loginAs(OWNER, plain);
    const task = 'Inventera informationstillgångar och it-system som ska klassas';
    await submit(plain.locator('section.card', { hasText: 'Klassa verksamhetens information' }).getByRole('button', { name: `Markera som klar: ${task}` }), plain);
    await expect(flash(plain)).resolves.toContain(`Uppgiften "${task}" är markerad som klar.`);
    await expect(plain.title()).resolves.toMatch(new RegExp(`^Uppgiften "${task}" är markerad som klar\\.`));
    await settles(async () => expect((await stack.models.activities.findById(`${ORG}.${YEAR + 1}.klassning`).lean())!.tasks).toMatchObject([{ done: true, doneBy: { userId: OWNER.id } }]));
    await plain.context().close();
  });

  it('Planöversikt shows the plan per area and year with filters, and exports the table as CSV and XLSX', async () => {
    await loginAs(COORD);
    await submit(page.getByRole('link', { name: 'Planöversikt' }));
    const timeline = page.locator('.timeline');
    await expect(timeline.locator('.area', { hasText: 'Styrning och riskhantering' }).locator('.year').nth(1).innerText()).resolves.toContain('Klassa verksamhetens information');
    await expect(timeline.locator('li.status-deferred').innerText()).resolves.toContain('Uppskjuten');
    await expect(timeline.locator('li', { hasText: 'Uppdatera kontinuitetsplanen' }).innerText()).resolves.toContain('Försenad');
    await readmeScreenshot(await check('planoversikt'));

    await page.getByLabel('Status', { exact: true }).selectOption('deferred');
    await submit(page.getByRole('button', { name: 'Filtrera' }));
    await expect(page.locator('table tbody tr').allInnerTexts()).resolves.toEqual([expect.stringContaining('Övning i kontinuitetsplanering')]);
    await page.getByLabel('Status', { exact: true }).selectOption('');
    await page.getByLabel('År').selectOption(String(YEAR));
    await submit(page.getByRole('button', { name: 'Filtrera' }));
    expect(await page.locator('table tbody tr').count()).toBe(4);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Ladda ner Excel (XLSX)' }).click()]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile((await download.path()));
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, 'Aktivitet', 'Område', 'År', 'Ansvarig', 'Status', 'Slutdatum', 'Försenad']);
    const titles = sheet.getColumn(1).values.slice(2);
    expect(titles.sort()).toEqual(['Riskanalys av e-tjänsterna', 'Ta fram lokala rutiner för AI', 'Uppdatera kontinuitetsplanen', 'Övning i kontinuitetsplanering'].sort());

    const listed = () => page.locator('table tbody tr td:first-child').allInnerTexts();
    await page.getByLabel('År').selectOption('');
    await page.getByLabel('Område', { exact: true }).selectOption('ai');
    await submit(page.getByRole('button', { name: 'Filtrera' }));
    await expect(listed().then((t) => t.sort())).resolves.toEqual(['Ta fram lokala rutiner för AI', 'Uppdatera kontinuitetsplanen']);
    await page.getByLabel('Ansvarig', { exact: true }).selectOption('role:security-coordinator');
    await submit(page.getByRole('button', { name: 'Filtrera' }));
    await expect(listed()).resolves.toEqual(['Uppdatera kontinuitetsplanen']);
    // The language switch keeps the filters.
    const filtered = page.url();
    expect(filtered).toContain('omrade=ai');
    await submit(page.getByRole('button', { name: 'In English' }));
    expect(page.url()).toBe(filtered);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Plan overview: Testförvaltningen');
    await submit(page.getByRole('button', { name: 'På svenska' }));
    expect(page.url()).toBe(filtered);

    const csv = await page.context().request.get(`${base}/planoversikt/export.csv?org=${ORG}&status=deferred`);
    expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
    const text = (await csv.body()).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.slice(1).split('\r\n').filter(Boolean)).toEqual(['Aktivitet;Område;År;Ansvarig;Status;Slutdatum;Försenad', `Övning i kontinuitetsplanering;Styrning och riskhantering;${YEAR};It-samordnare;Uppskjuten;${DEFERRED_DUE};Nej`]);
    await logout();
  });

  it('Nyckeltal: the coordinator enters a year’s figure and sees it in the trend table', async () => {
    await loginAs(COORD);
    await submit(page.getByRole('link', { name: 'Nyckeltal' }));
    await page.getByLabel('Nyckeltal', { exact: true }).selectOption('');
    await page.getByLabel('Kort id för nytt nyckeltal (a–z, 0–9, -)').fill('klassningar');
    await page.getByLabel('Namn på nytt nyckeltal').fill('Antal klassade informationstillgångar');
    await page.getByLabel('År', { exact: true }).fill('2025');
    await page.getByLabel('Värde', { exact: true }).fill('98');
    await submit(page.getByRole('button', { name: 'Spara' }));
    await expect(flash()).resolves.toContain('Antal klassade informationstillgångar 2025 sparat: 98');
    await page.getByLabel('År', { exact: true }).fill('2024');
    await page.getByLabel('Värde', { exact: true }).fill('74');
    await submit(page.getByRole('button', { name: 'Spara' }));
    await expect(page.locator('table tbody tr').first().innerText()).resolves.toMatch(/Antal klassade informationstillgångar\s+74\s+98/);
    await check('nyckeltal');
    await logout();
  });

  it('Administration: the administrator sets roles, records a delegation and makes an API token shown once', async () => {
    await loginAs(ADMIN);
    await submit(page.getByRole('link', { name: 'Administration' }));
    const row = page.locator('tr', { hasText: INFO_OWNER.name });
    await row.getByText('Ändra roller').click();
    await row.getByLabel('dataskyddsombud').check();
    await submit(row.getByRole('button', { name: /^Spara roller/ }));
    await expect(flash()).resolves.toContain(`Rollerna för ${INFO_OWNER.name} är sparade.`);
    expect((await stack.models.users.findById(INFO_OWNER.id).lean())!.memberships).toEqual([{ orgId: ORG, roles: ['data-protection-officer', 'information-owner'] }]);

    await page.getByLabel('Från', { exact: true }).selectOption(HEAD.id);
    await page.getByLabel('Till', { exact: true }).selectOption(COORD.id);
    await page.getByLabel('Roll', { exact: true }).selectOption('head-of-administration');
    await page.getByLabel('Gäller till och med').fill(dateFromToday(14));
    await submit(page.getByRole('button', { name: 'Ny delegering' }));
    await expect(flash()).resolves.toContain('Delegeringen är skapad.');
    await expect(page.locator('#delegeringar').locator('..').locator('tbody').innerText()).resolves.toContain(`${HEAD.name}\t${COORD.name}`);

    await page.getByLabel('Vad ska nyckeln användas till?').fill('Rapportexport');
    await submit(page.getByRole('button', { name: 'Skapa nyckel' }));
    const token = await page.locator('code.token').innerText();
    await expect(page.locator('tr', { hasText: 'Rapportexport' }).locator('td').nth(1).innerText()).resolves.toBe('Testförvaltningen');
    expect(token).toMatch(/^lp_/);
    const me = await request(app).get('/api/v1/me').set('authorization', `Bearer ${token}`);
    expect(me.body).toMatchObject({ userId: ADMIN.id });
    await check('administration');
    await page.goto(`${base}/administration`);
    await expect(page.locator('code.token').count()).resolves.toBe(0);
    await logout();
  });

  it('the förvaltningschef’s delegate sees in Att godkänna the delegation they decide under, and approves', async () => {
    const id = await create(COORD, ORG, { key: 'delegerad', year: YEAR, title: 'Uppdatera informationssäkerhetspolicyn', area: 'styrning', dueDate: quietDueDate() });
    await change(OWNER, id, '/tasks/genomfor/complete');
    await change(OWNER, id, '/milestones/slutford/submit');
    // The administrator's delegation (the test before): the förvaltningschef's role, to the coordinator.
    const delegation = (await stack.models.delegations.findOne({ orgId: ORG, 'to.userId': COORD.id }).lean())!;
    await loginAs(COORD);
    await submit(page.getByRole('link', { name: 'Att godkänna' }));
    const card = page.locator('section.card', { hasText: 'Uppdatera informationssäkerhetspolicyn' });
    await expect(card.locator('.notice').innerText()).resolves.toBe(`Du beslutar på uppdrag av Hanna Chef (delegation ${delegation._id}).`);
    await check('att-godkanna-delegering');
    await submit(card.getByRole('button', { name: 'Godkänn' }));
    await expect(flash()).resolves.toContain('Milstolpen "Aktiviteten genomförd" är godkänd.');
    await settles(async () => expect((await stack.models.activities.findById(id).lean())!.milestones[0]!.decisions).toMatchObject([{ decision: 'approved', by: { userId: COORD.id } }]));
    await logout();
  });

  it('journey 3: the coordinator builds the year’s review, edits a section and downloads it; the förvaltningschef adopts it, frozen', async () => {
    const year = YEAR;
    await loginAs(COORD);
    await submit(page.getByRole('link', { name: 'Ledningens genomgång' }));
    expect(page.url()).toBe(`${base}/arsrapport/${ORG}/${year}`);
    await expect(page.locator('main').innerText()).resolves.toContain('Årets genomgång är inte påbörjad.');
    await check('arsrapport-ej-paborjad');
    await submit(page.getByRole('button', { name: 'Påbörja årets genomgång' }));
    await expect(flash()).resolves.toContain('Genomgången är påbörjad som ett utkast.');
    const summary = page.locator('form', { has: page.locator('input[name=sectionId][value=sammanfattning]') });
    await summary.locator('textarea').fill('Förvaltningen har genomfört huvuddelen av årets plan. Riskanalysen av e-tjänsterna har fått mer tid.');
    await submit(summary.getByRole('button', { name: /^Spara avsnittet/ }));
    await expect(flash()).resolves.toContain('Avsnittet är sparat.');
    // The pre-filled introduction is readable without scrolling inside its box.
    expect(Number(await page.locator('#avsnitt-inledning').getAttribute('rows'))).toBeGreaterThan(5);
    await check('arsrapport');

    // Submission first needs a choice for each unfinished activity.
    await page.getByLabel('Jag har läst igenom genomgången och vill lämna in den').check();
    await submit(page.getByRole('button', { name: 'Lämna in för antagande' }));
    await expect(flash()).resolves.toContain('Välj vad som ska hända med varje aktivitet som inte är avslutad innan genomgången lämnas in. Utan val: ');
    // Each unfinished activity gets a choice: all carried over as suggested, then one dropped with its reason.
    await submit(page.getByRole('button', { name: 'För över alla utan val, med föreslagen titel och slutdatum' }));
    await expect(flash()).resolves.toContain('Alla aktiviteter utan val förs över med föreslagen titel och slutdatum.');
    await expect(page.locator('#overforing-kvar').innerText()).resolves.toMatch(/^0 av \d+ aktiviteter saknar val\.$/);
    const dropped = page.getByRole('group', { name: 'Val för Uppdatera kontinuitetsplanen' });
    await dropped.getByLabel('Stryk', { exact: true }).check();
    await dropped.getByLabel('Skäl (vid avslut eller strykning)').fill('Ersätts av stadens gemensamma kontinuitetsplan.');
    await submit(dropped.getByRole('button', { name: /^Spara valet/ }));
    await expect(flash()).resolves.toContain('Valet är sparat.');
    await expect(page.getByRole('group', { name: 'Val för Uppdatera kontinuitetsplanen' }).innerText()).resolves.toContain('Nu: Stryks: Ersätts av stadens gemensamma kontinuitetsplan.');
    await check('arsrapport-overforing');

    // Submission needs every section written or marked; the empty ones are marked one by one.
    await page.getByLabel('Jag har läst igenom genomgången och vill lämna in den').check();
    await submit(page.getByRole('button', { name: 'Lämna in för antagande' }));
    await expect(flash()).resolves.toMatch(/Avsnitt utan text: .*Skriv dem eller markera dem "inget att redovisa"\./);
    const mark = page.getByRole('button', { name: /^Markera: inget att redovisa/ });
    const empty = await mark.count();
    expect(empty).toBeGreaterThan(0);
    for (let i = 0; i < empty; i++) {
      await submit(mark.first());
      await expect(flash()).resolves.toContain('Avsnittet är markerat: inget att redovisa.');
    }
    await expect(mark.count()).resolves.toBe(0);

    await submit(page.getByRole('link', { name: 'Förhandsgranska' }));
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toMatch(/^Förhandsgranska: /);
    await expect(page.locator('article.report').innerText()).resolves.toContain('Riskanalysen av e-tjänsterna har fått mer tid.');
    // The choices are printed in the follow-up chapter; a marked section prints as the coordinator's judgement.
    await expect(page.locator('article.report').innerText()).resolves.toContain('Stryks: Ersätts av stadens gemensamma kontinuitetsplan.');
    await expect(page.locator('article.report').innerText()).resolves.toContain('Inget att redovisa (informationssäkerhetssamordnarens bedömning).');
    await expect(page.locator('main textarea, main form[method=post]').count()).resolves.toBe(0);
    // A year of the three-year plan with nothing planned says so, as the PDF does.
    await expect(page.locator('article.report td', { hasText: 'Inga aktiviteter' }).count()).resolves.toBeGreaterThan(0);
    await check('arsrapport-forhandsgranskning');
    await submit(page.getByRole('link', { name: 'Tillbaka till årsrapporten' }));

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Word (DOCX)' }).click()]);
    expect(download.suggestedFilename()).toMatch(/\.docx$/);
    const zip = await JSZip.loadAsync(await readFile((await download.path())));
    const documentXml = await zip.file('word/document.xml')!.async('string');
    expect(documentXml).toContain('Riskanalysen av e-tjänsterna har fått mer tid.');
    expect(documentXml).toContain('Ta fram lokala rutiner för AI');

    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'PDF' }).click()]);
    expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
    const pdfFile = await pdf.path();
    expect((await readFile(pdfFile)).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const title = (await page.locator('article.report').getAttribute('aria-label'))!;
    const { stdout } = await promisify(execFile)('pdftotext', ['-enc', 'UTF-8', pdfFile, '-']);
    expect(stdout.replace(/\s+/g, ' ')).toContain(title);

    // Submitting is at the end of the document, and says what it does before the explicit yes.
    await expect(page.locator('#lamna-in-folj').innerText()).resolves.toMatch(/siffrorna den lämnas in med sparas: \d+ aktiviteter, \d+ genomförda/);
    await page.getByLabel('Jag har läst igenom genomgången och vill lämna in den').check();
    await submit(page.getByRole('button', { name: 'Lämna in för antagande' }));
    await expect(flash()).resolves.toContain('Rapporten är inlämnad till förvaltningschefen för antagande.');
    await expect(page.locator('textarea[name=text]').count()).resolves.toBe(0);
    await logout();

    await loginAs(HEAD);
    await page.goto(`${base}/arsrapport/${ORG}/${year}`);
    // The förvaltningschef sees the figures it was submitted with, and what adoption will do.
    await expect(page.locator('main').innerText()).resolves.toMatch(/Inlämnad .* av Sara Samordnare med dessa siffror \(per den \d{4}-\d{2}-\d{2}\): \d+ aktiviteter/);
    await expect(page.locator('#anta-folj').innerText()).resolves.toMatch(/Vid antagandet: \d+ aktiviteter förs över till \d{4}, 0 avslutas som delvis genomförda och 1 stryks\./);
    await check('arsrapport-inlamnad');
    await page.getByRole('group', { name: 'Beslut 1', exact: true }).getByLabel('Beslutets text').fill('Planen för nästa år fastställs.');
    await page.getByRole('group', { name: 'Beslut 2', exact: true }).getByLabel('Beslutets text').fill('Riskanalysen slutförs under första kvartalet.');
    // Without the conclusion's reasoning and the confirmation the browser does not send the form.
    await page.getByRole('button', { name: 'Anta rapporten' }).click();
    await expect(page.locator('#conclusionComment').evaluate((e) => (e as unknown as { validity: { valid: boolean } }).validity.valid)).resolves.toBe(false);
    await page.getByLabel('Lämpligt').check();
    await page.getByLabel('Tillräckligt').check();
    await page.getByLabel('Effektivt').check();
    await page.getByLabel('Motivering').fill('Ledningssystemet fungerar; riskanalysen behöver mer tid.');
    await page.getByLabel('Jag förstår och vill anta genomgången').check();
    await submit(page.getByRole('button', { name: 'Anta rapporten' }));
    await expect(flash()).resolves.toContain('Rapporten är antagen och fryst.');
    await expect(page.locator('main').innerText()).resolves.toMatch(/Antagen .* av Hanna Chef\. Rapporten är fryst och kan inte ändras\./);
    await expect(page.getByRole('button', { name: 'Anta rapporten' }).count()).resolves.toBe(0);
    const review = await stack.models.reviewSnapshots.findOne({ orgId: ORG, year }).lean();
    expect(review).toMatchObject({ version: 1 });
    expect(review!.document).toContain('lämpligt: ja; tillräckligt: ja; effektivt: ja');
    // The dropped activity is closed with its reason; nothing continues it next year.
    const droppedId = activity(ORG, 'forsenad');
    await settles(async () => expect((await stack.models.activities.findById(droppedId).lean())!.cancellation?.comment).toContain('Ersätts av stadens gemensamma kontinuitetsplan.'));
    expect(await stack.models.activities.exists({ orgId: ORG, continues: droppedId })).toBeFalsy();
    await check('arsrapport-antagen');
    await logout();
  });

  it('switches to English and back', async () => {
    await loginAs(OWNER);
    await submit(page.getByRole('button', { name: 'In English' }));
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('My tasks');
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('en');
    await check('my-tasks-english');
    for (const [name, path, heading] of [
      ['to-approve-english', '/att-godkanna', 'To approve'],
      ['plan-overview-english', '/planoversikt', 'Plan overview: Testförvaltningen'],
      ['activity-english', `/aktiviteter/${activity(ORG, 'riskanalys')}`, 'Riskanalys av e-tjänsterna'],
      ['key-figures-english', '/nyckeltal', 'Key figures: Testförvaltningen'],
      ['annual-review-english', '/arsrapport', `Management review ${YEAR}: Testförvaltningen`],
    ]) {
      await page.goto(base + path!);
      await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(heading);
      await check(name!);
    }
    // Nothing Swedish leaks from the domain's labels: the review's state, the priority, the roles.
    await expect(page.locator('main').innerText()).resolves.toContain('State: Adopted');
    await page.goto(`${base}/aktiviteter/${activity(ORG, 'riskanalys')}`);
    const facts = await page.locator('main dl').first().innerText();
    expect(facts).toMatch(/Priority\s+(high|medium|low)/);
    expect(facts).toContain('IT coordinator');
    // Back in Swedish on the same page.
    await submit(page.getByRole('button', { name: 'På svenska' }));
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Riskanalys av e-tjänsterna');
    await expect(page.locator('main dl').first().innerText()).resolves.toContain('It-samordnare');
  });

  it('denies an owner another organisation’s data and the administration pages', async () => {
    // Still logged in as the owner.
    const r = page.context().request;
    const other = activity(OTHER, 'hemlig');
    const activityPage = await r.get(`${base}/aktiviteter/${other}`);
    expect(activityPage.status()).toBe(403);
    expect(await activityPage.text()).not.toContain('Annan förvaltnings aktivitet');
    const plan = await r.get(`${base}/planoversikt?org=${OTHER}`);
    expect(plan.status()).toBe(403);
    expect(await plan.text()).not.toContain('Annan förvaltnings aktivitet');
    expect((await r.get(`${base}/planoversikt/export.csv?org=${OTHER}`)).status()).toBe(403);
    expect((await r.get(`${base}/nyckeltal?org=${OTHER}`)).status()).toBe(403);
    // Their own plan overview lists only their organisation.
    await page.goto(`${base}/planoversikt`);
    await expect(page.locator('main').innerText()).resolves.not.toContain('Annan förvaltnings aktivitet');
    await expect(page.locator('#org').count()).resolves.toBe(0);

    await expect(page.getByRole('link', { name: 'Administration' }).count()).resolves.toBe(0);
    await page.goto(`${base}/administration`);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Åtkomst nekad');
    await expect(page.locator('main').innerText()).resolves.toContain('Du har inte behörighet till den här sidan.');
    await check('nekad');
    await page.goto(`${base}/finns-inte`);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Sidan hittades inte');
    await check('sidan-finns-inte');
    expect((await r.get(`${base}/administration?org=${ORG}`)).status()).toBe(403);

    // A write with a valid CSRF token is still refused by the rules, and nothing changes.
    await page.goto(`${base}/mina-uppgifter`);
    const csrf = await page.locator('input[name=_csrf]').first().inputValue();
    const before = (await stack.models.users.findById(OWNER.id).lean())!.memberships;
    const res = await r.post(`${base}/administration/anvandare`, { form: { _csrf: csrf, orgId: ORG, userId: OWNER.id, roles: 'admin' } });
    // Refused with the reason, and sent back to a page the owner is denied as well.
    expect(res.status()).toBe(403);
    expect(await res.text()).toContain('Bara administratörer får göra detta.');
    expect((await stack.models.users.findById(OWNER.id).lean())!.memberships).toEqual(before);
    const approve = await r.post(`${base}/aktiviteter/${other}/kommentarer`, { form: { _csrf: csrf, text: 'Intrång' } });
    expect(await approve.text()).toContain(`Du har ingen behörighet i organisationen ${OTHER}.`);
    expect((await stack.models.activities.findById(other).lean())!.entries).toEqual([]);
    // Someone else's notice cannot be marked read, even by a name guessed right.
    const notice = (await stack.models.notifications.findOne({ orgId: ORG, kind: 'approval-requested' }).lean())!;
    const mark = await r.post(`${base}/aviseringar/${encodeURIComponent(notice._id)}/last`, { form: { _csrf: csrf } });
    expect(await mark.text()).toContain('Aviseringen finns inte eller gäller inte dig.');
    expect((await stack.models.notifications.findById(notice._id).lean())!.readBy ?? []).not.toContain(OWNER.id);
  });

  it('refuses every write of the UI without the session’s CSRF token, and changes nothing', async () => {
    const r = page.context().request;
    const posts = uiPostRoutes(uiRoutes({ config: { ...stack.config, devLogin: true }, logger: createLogger({ logLevel: 'silent' }, 'test'), client: stack.env.client, store: stack.store, models: stack.models }));
    // Every form post of the UI is here: a new one without a row makes this fail.
    expect(posts.sort()).toEqual(
      [
        '/administration/anvandare',
        '/administration/delegeringar',
        '/administration/delegeringar/:delegationId/avsluta',
        '/administration/ta-bort',
        '/administration/tokens',
        '/administration/tokens/:tokenId/aterkalla',
        '/arsrapport/:orgId/:year/anta',
        '/aviseringar/:notificationId/last',
        '/aviseringar/alla-lasta',
        '/att-godkanna/godkann',
        '/installningar/aviseringar',
        '/installningar/kalender',
        '/installningar/kalender/aterkalla',
        '/arsrapport/:orgId/:year/avsnitt',
        '/arsrapport/:orgId/:year/inget-att-redovisa',
        '/arsrapport/:orgId/:year/overforing',
        '/arsrapport/:orgId/:year/overforing-alla',
        '/arsrapport/:orgId/:year/lamna-in',
        '/arsrapport/:orgId/:year/skicka-tillbaka',
        '/arsrapport/:orgId/:year/starta',
        '/aktiviteter/:activityId/forlangningar/:extensionId/beslut',
        '/aktiviteter/:activityId/kommentarer',
        '/aktiviteter/:activityId/milstolpar/:milestoneId/godkann',
        '/aktiviteter/:activityId/milstolpar/:milestoneId/skicka-in',
        '/aktiviteter/:activityId/milstolpar/:milestoneId/skicka-tillbaka',
        '/aktiviteter/:activityId/mer-tid',
        '/aktiviteter/:activityId/underlag',
        '/aktiviteter/:activityId/uppgifter/:taskId/klar',
        '/aktiviteter/:activityId/ansvarig',
        '/aktiviteter/:activityId/kontrollera-kedjan',
        '/aktiviteter/:activityId/avbryt',
        '/aktiviteter/:activityId/blockera',
        '/aktiviteter/:activityId/hav-blockering',
        '/aktiviteter/:activityId/milstolpar',
        '/aktiviteter/:activityId/milstolpar/:milestoneId/namn',
        '/aktiviteter/:activityId/skjut-upp',
        '/aktiviteter/:activityId/starta',
        '/aktiviteter/:activityId/uppgifter',
        '/aktiviteter/:activityId/uppgifter-om',
        '/aktiviteter/:activityId/uppgifter/:taskId/namn',
        '/aktiviteter/:activityId/verifiera',
        '/aktiviteter/ny',
        '/importera-plan',
        '/importera-plan/avbryt',
        '/importera-plan/ladda-upp',
        '/overlamna',
        '/logga-in/demo',
        '/logga-ut',
        '/nyckeltal',
        '/sprak',
      ].sort(),
    );
    const id = activity(ORG, 'riskanalys');
    const ownerMemberships = async () => (await stack.models.users.findById(OWNER.id).lean())!.memberships;
    const before = { activity: (await stack.models.activities.findById(id).lean())!.version, users: await stack.models.users.countDocuments(), memberships: await ownerMemberships(), kpis: await stack.models.kpiValues.countDocuments(), delegations: await stack.models.delegations.countDocuments(), tokens: await stack.models.apiTokens.countDocuments() };
    const values: Record<string, string> = { orgId: ORG, year: String(YEAR), activityId: id, taskId: 'faststall', milestoneId: 'slutford', extensionId: 'forlangning-1', delegationId: 'delegering-00000000', tokenId: '000000000000', notificationId: 'x' };
    for (const path of posts) {
      const url = base + path.replace(/:(\w+)/g, (_m, name: string) => values[name]!);
      for (const token of [undefined, 'fel-token']) {
        const res = await r.post(url, { form: { ...(token ? { _csrf: token } : {}), text: 'x', comment: 'x', userId: OWNER.id, orgId: ORG, lang: 'en', name: 'x', expiresInDays: '1' }, maxRedirects: 0 });
        expect({ path, token, status: res.status() }).toEqual({ path, token, status: 403 });
        expect(await res.text()).toContain('Formuläret hade gått ut eller kom inte från lisplan.');
      }
    }
    expect({
      activity: (await stack.models.activities.findById(id).lean())!.version,
      users: await stack.models.users.countDocuments(),
      memberships: await ownerMemberships(),
      kpis: await stack.models.kpiValues.countDocuments(),
      delegations: await stack.models.delegations.countDocuments(),
      tokens: await stack.models.apiTokens.countDocuments(),
    }).toEqual(before);
    // Still logged in, still in Swedish: the refused posts did nothing.
    await page.goto(`${base}/mina-uppgifter`);
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Mina uppgifter');
  });

  it('scanned every page with axe-core', () => {
    expect(scanned.sort()).toEqual(
      [
        'activity-english',
        'administration',
        'aktivitet',
        'annual-review-english',
        'arsrapport',
        'arsrapport-antagen',
        'arsrapport-ej-paborjad',
        'arsrapport-forhandsgranskning',
        'arsrapport-inlamnad',
        'arsrapport-overforing',
        'att-godkanna',
        'att-godkanna-delegering',
        'att-godkanna-mer-tid',
        'aviseringar',
        'key-figures-english',
        'logga-in',
        'mina-uppgifter',
        'mina-uppgifter-redo',
        'my-tasks-english',
        'nekad',
        'nyckeltal',
        'plan-overview-english',
        'planoversikt',
        'sidan-finns-inte',
        'to-approve-english',
      ].sort(),
    );
  });
});

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/** The POST routes of the UI's router, found by walking Express's router stack. */
function uiPostRoutes(router: { stack: unknown[] }): string[] {
  const out: string[] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        if (layer.route.methods.post) out.push(layer.route.path);
      } else if (layer.handle.stack) walk(layer.handle.stack);
    }
  };
  walk(router.stack as Layer[]);
  return out;
}
