import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import type { Page } from 'playwright-core';
import request from 'supertest';
import type { TestUser } from '../support/api';
import { daysFromToday, quietDueDate, thisYear } from '../support/calendar';
import { projected } from '../support/projected';
import type { TestStack } from '../support/stack';
import { startUiSession, type UiSession } from '../support/ui-session';

/**
 * Issue 20, "remove a person", in Chromium against the real stack: a coordinator removes a
 * member after a confirmation that lists their unfinished activities; the membership and their
 * delegations there end, the audit chain records it, and the activities are flagged on Översikt
 * and handed over from there. Owners and another organisation's coordinator are refused, by the
 * page and by the API (one service behind both).
 */
jest.setTimeout(600_000);

const YEAR = thisYear();
const run = randomUUID().slice(0, 6);
const ORG = `borttag-${run}`;
const OTHER = `annan-${run}`;
const user = (id: string, name: string, orgId: string, roles: TestUser['memberships'][0]['roles']): TestUser => ({ id: `${id}-${run}`, name, memberships: [{ orgId, roles }] });
const COORD = user('samordnare', 'Sara Samordnare', ORG, ['security-coordinator']);
const ADMIN = user('admin', 'Adam Admin', ORG, ['admin']);
const LEAVING = user('slutar', 'Lena Slutar', ORG, ['it-coordinator']);
const TAKER = user('tar-over', 'Tore Tarover', ORG, ['information-owner']);
const OWNER = user('agare', 'Olle Ägare', ORG, ['it-coordinator']);
const OTHER_COORD = user('annan', 'Anna Annanstans', OTHER, ['security-coordinator', 'admin']);

describe('removing a person from an organisation, in Chromium', () => {
  let ui: UiSession;
  let stack: TestStack;
  let app: Express;
  let base: string;
  let page: Page;
  let auth: Record<string, string>;
  const ids: string[] = [];
  const api = (method: 'get' | 'delete', path: string, who: TestUser) => request(app)[method](`/api/v1/organisations/${ORG}${path}`).set('authorization', auth[who.id]!);
  const memberships = async (u: TestUser) => (await stack.models.users.findById(u.id).lean())!.memberships.map((m) => m.orgId);

  beforeAll(async () => {
    ui = await startUiSession({
      organisations: [
        { id: ORG, name: `Förvaltningen som byter folk ${run}` },
        { id: OTHER, name: `Annan förvaltning ${run}` },
      ],
      users: [COORD, ADMIN, LEAVING, TAKER, OWNER, OTHER_COORD],
    });
    ({ stack, app, base, page, auth } = ui);
    for (const title of ['Lenas första', 'Lenas andra']) {
      const created = await request(app).post(`/api/v1/organisations/${ORG}/activities`).set('authorization', auth[COORD.id]!).send({ key: `${title === 'Lenas första' ? 'forsta' : 'andra'}-${run}`, year: YEAR, area: 'styrning', owner: { role: 'it-coordinator' }, title, dueDate: quietDueDate(ids.length) }).expect(201);
      await projected(stack, created.body.id, 1);
      const assigned = await request(app).post(`/api/v1/activities/${created.body.id}/owner`).set('authorization', auth[COORD.id]!).send({ userId: LEAVING.id, name: LEAVING.name }).expect(200);
      await projected(stack, created.body.id, assigned.body.version);
      ids.push(created.body.id);
    }
    // Lena stands in for nobody once she is gone: the delegation she gave ends with her membership.
    await request(app).post(`/api/v1/organisations/${ORG}/delegations`).set('authorization', auth[LEAVING.id]!).send({ fromUserId: LEAVING.id, toUserId: TAKER.id, role: 'it-coordinator', validFrom: daysFromToday(0), validTo: daysFromToday(30) }).expect(201);
  });
  afterAll(async () => ui?.close());

  it('refuses an owner and another organisation\'s coordinator, by the API and by the page, and removes nobody', async () => {
    for (const who of [OWNER, OTHER_COORD]) {
      expect({ who: who.id, status: (await api('delete', `/users/${LEAVING.id}`, who)).status }).toEqual({ who: who.id, status: 403 });
      expect({ who: who.id, status: (await api('get', `/users/${LEAVING.id}/removal`, who)).status }).toEqual({ who: who.id, status: 403 });
    }
    await ui.loginAs(OWNER);
    const refused = await page.goto(`${base}/administration/ta-bort?org=${ORG}&person=${LEAVING.id}`);
    expect(refused?.status()).toBe(403);
    await ui.loginAs(OTHER_COORD);
    expect((await page.goto(`${base}/administration/ta-bort?org=${ORG}&person=${LEAVING.id}`))?.status()).toBe(403);
    // A form posted anyway (with the page's own token) is refused by the service.
    await page.goto(`${base}/administration?org=${OTHER}`);
    const csrf = await page.locator('input[name="_csrf"]').first().inputValue();
    const posted = await page.request.post(`${base}/administration/ta-bort`, { form: { _csrf: csrf, orgId: ORG, userId: LEAVING.id, confirm: 'ja' }, maxRedirects: 0 });
    expect(posted.status()).toBe(403);
    expect(await memberships(LEAVING)).toEqual([ORG]);
  });

  it('a coordinator sees the person\'s unfinished activities first, removes them, and is taken to the handover', async () => {
    await ui.loginAs(COORD);
    await page.goto(`${base}/administration?org=${ORG}`);
    await ui.submit(page.getByRole('link', { name: /^Ta bort ur organisationen\s*: Lena Slutar$/u }));
    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe('Ta bort Lena Slutar ur organisationen');
    await expect(page.getByRole('heading', { name: 'Ej avslutade aktiviteter: 2' }).count()).resolves.toBe(1);
    await expect(page.locator('table tbody tr td:first-child').allInnerTexts()).resolves.toEqual(['Lenas första', 'Lenas andra']);
    const confirm = page.getByLabel('Jag har sett listan och vill ta bort Lena Slutar');
    // The consequences are read out with the box that confirms them.
    const described = (await confirm.getAttribute('aria-describedby'))!.split(' ');
    const said = await Promise.all(described.map((id) => page.locator(`#${id}`).innerText()));
    expect(said.join(' ')).toMatch(/Medlemskapet upphör nu.*granskningsloggen.*flaggas för ny ansvarig/s);
    await ui.check('ta-bort-person');

    await confirm.check();
    await ui.submit(page.getByRole('button', { name: 'Ta bort Lena Slutar' }));
    await expect(ui.flash()).resolves.toBe('Lena Slutar är borttagen ur organisationen. 2 ej avslutade aktiviteter behöver en ny ansvarig: lämna över dem här.');
    expect(new URL(page.url()).pathname).toBe('/overlamna');
    await expect(page.getByRole('heading', { name: 'Lena Slutar: 2 ej avslutade aktiviteter' }).count()).resolves.toBe(1);
    await expect(page.locator('#behover-ny-ansvarig h2').innerText()).resolves.toBe('2 aktiviteter behöver en ny ansvarig');
    await ui.check('overlamna-borttagen');

    expect(await memberships(LEAVING)).toEqual([]);
    const events = await stack.models.auditEvents.find({ orgId: ORG, activityId: `member:${LEAVING.id}` }).lean();
    expect(events.map((e) => ({ action: e.action, actor: e.actor.userId, changes: e.changes }))).toEqual([
      { action: 'remove-member', actor: COORD.id, changes: [{ field: 'roles', before: '["it-coordinator"]', after: '[]' }] },
    ]);
    expect((await request(app).get(`/api/v1/organisations/${ORG}/audit`).set('authorization', auth[COORD.id]!).expect(200)).body.verification.ok).toBe(true);
    expect(await stack.models.delegations.countDocuments({ orgId: ORG, 'from.userId': LEAVING.id, endedAt: { $exists: false } })).toBe(0);
    // Her token reaches nothing of the organisation now.
    await request(app).get(`/api/v1/organisations/${ORG}`).set('authorization', auth[LEAVING.id]!).expect(403);
    const flagged = await api('get', '/activities-needing-new-owner', COORD).expect(200);
    expect(flagged.body.map((a: { id: string }) => a.id).sort()).toEqual([...ids].sort());
  });

  it('Översikt flags the activities until they are handed over', async () => {
    await page.goto(`${base}/oversikt?org=${ORG}`);
    await ui.submit(page.locator('#behover-ny-ansvarig').getByRole('link', { name: 'Lena Slutar: 2 aktiviteter att lämna över' }));
    await expect(page.getByLabel('Nuvarande ansvarig', { exact: true }).inputValue()).resolves.toBe(LEAVING.id);
    await page.getByLabel('Ny ansvarig', { exact: true }).selectOption(TAKER.id);
    await ui.submit(page.getByRole('button', { name: 'Lämna över alla 2' }));
    await expect(ui.flash()).resolves.toBe('2 aktiviteter är överlämnade till Tore Tarover.');
    for (const id of ids) expect((await stack.models.activities.findById(id).lean())!.owner.userId).toBe(TAKER.id);
    await page.goto(`${base}/oversikt?org=${ORG}`);
    await expect(page.locator('#behover-ny-ansvarig').count()).resolves.toBe(0);
  });

  it('the API removes through the same service: an administrator may, nobody removes themselves, a coordinator not an administrator, a second removal is 404', async () => {
    const preview = await api('get', `/users/${OWNER.id}/removal`, ADMIN).expect(200);
    expect(preview.body).toEqual({ userId: OWNER.id, name: OWNER.name, roles: ['it-coordinator'], activities: [] });
    const removed = await api('delete', `/users/${OWNER.id}`, ADMIN).expect(200);
    expect(removed.body).toMatchObject({ userId: OWNER.id, roles: ['it-coordinator'], activities: [], delegationsEnded: 0 });
    await api('delete', `/users/${OWNER.id}`, ADMIN).expect(404);
    expect((await api('delete', `/users/${COORD.id}`, COORD).expect(400)).body.errors[0].field).toBe('params.userId');
    // Roles are an administrator's to give: a coordinator cannot remove an administrator.
    expect((await api('delete', `/users/${ADMIN.id}`, COORD).expect(403)).body.detail).toContain('Bara en administratör');
    expect(await memberships(ADMIN)).toEqual([ORG]);
    expect(await stack.models.auditEvents.countDocuments({ orgId: ORG, activityId: `member:${OWNER.id}` })).toBe(1);
  });
});
