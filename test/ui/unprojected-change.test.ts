import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { bearerFor, testApp, type TestUser } from '../support/api';
import { launchBrowser, type TestBrowser } from '../support/browser';
import { quietDueDate, thisYear } from '../support/calendar';
import { projected } from '../support/projected';
import { startTestStackAround, type TestStack } from '../support/stack';

/**
 * A change the read model has not reached when the API's wait runs out (a store that lags under
 * load): the person still sees it, on the activity's page, on Mina uppgifter and on Att godkänna,
 * from the workflow's answer, until the projection lands. The projection is held in the real
 * worker; everything else is the real stack and Chromium.
 */
jest.setTimeout(600_000);

const YEAR = thisYear();
const run = randomUUID().slice(0, 6);
const ORG = `eftersl-${run}`;
const OWNER: TestUser = { id: `agare-${run}`, name: 'Olle Ägare', memberships: [{ orgId: ORG, roles: ['it-coordinator'] }] };
const COORD: TestUser = { id: `samordnare-${run}`, name: 'Sara Samordnare', memberships: [{ orgId: ORG, roles: ['security-coordinator', 'head-of-administration'] }] };

describe('a change the read model has not caught up with', () => {
  let stack: TestStack;
  let server: Server;
  let base: string;
  let browser: TestBrowser;
  let page: Page;
  let holding = false;
  let held = 0;
  let release: () => void = () => undefined;
  let gate = Promise.resolve();
  let activityId: string;
  let app: ReturnType<typeof testApp>;
  const auth: Record<string, string> = {};

  const readVersion = async () => (await stack.models.activities.findById(activityId).lean())?.version ?? 0;
  const hold = () => {
    holding = true;
    gate = new Promise<void>((r) => (release = r));
  };
  const letGo = () => {
    holding = false;
    release();
  };
  const submit = (button: ReturnType<Page['locator']>) => Promise.all([page.waitForNavigation(), button.click()]);

  beforeAll(async () => {
    stack = await startTestStackAround((real) => ({
      ...real,
      async persistActivityChange(input) {
        if (holding) {
          held++;
          await gate;
        }
        await real.persistActivityChange(input);
      },
    }));
    app = testApp(stack, { env: { devLogin: true } });
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await stack.models.organisations.create({ _id: ORG, name: 'Eftersläpande förvaltningen', plan: { startYear: YEAR, endYear: YEAR + 2 }, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() });
    for (const u of [OWNER, COORD]) {
      auth[u.id] = await bearerFor(stack.models, u);
      await stack.models.users.updateOne({ _id: u.id }, { $set: { demo: true } });
    }
    const created = await request(app).post(`/api/v1/organisations/${ORG}/activities`).set('authorization', auth[COORD.id]!)
      .send({ key: 'rutiner', year: YEAR, dueDate: quietDueDate(), title: 'Rutiner för AI', area: 'ai', owner: { role: 'it-coordinator' }, template: 'ai-routines' })
      .expect(201);
    activityId = created.body.id;
    await projected(stack, activityId, 1);
    browser = await launchBrowser();
    page = browser.page;
  });

  afterAll(async () => {
    letGo();
    await browser?.close();
    await new Promise((r) => server?.close(r));
    await stack?.close();
  });

  async function loginAs(u: TestUser): Promise<void> {
    await page.context().clearCookies();
    await page.goto(`${base}/logga-in`);
    await page.getByLabel('Välj en demoanvändare').selectOption(u.id);
    await submit(page.getByRole('button', { name: 'Logga in som demoanvändare' }));
  }

  it('shows a completed task as done on the activity page and off Mina uppgifter while the read model lags, then from the read model', async () => {
    await loginAs(OWNER);
    await page.goto(`${base}/aktiviteter/${activityId}`);
    const before = await readVersion();
    hold();
    await submit(page.getByRole('button', { name: 'Markera som klar: Rutin för användning av AI' }));
    expect(held).toBeGreaterThan(0);
    // The read model still has the old version: what the page shows came from the Update's answer.
    await expect(readVersion()).resolves.toBe(before);
    await expect(page.getByRole('status').first().innerText()).resolves.toContain('Uppgiften "Rutin för användning av AI" är markerad som klar.');
    const task = page.locator('ul.tasks li', { hasText: 'Rutin för användning av AI' });
    await expect(task.innerText()).resolves.toContain('Klar');
    await expect(task.getByRole('button').count()).resolves.toBe(0);
    await page.goto(`${base}/mina-uppgifter`);
    await expect(page.getByRole('button', { name: 'Markera som klar: Rutin för användning av AI' }).count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Markera som klar: Rutin för utveckling av AI-tjänster' }).count()).resolves.toBe(1);

    letGo();
    await projected(stack, activityId, before + 1);
    await page.goto(`${base}/aktiviteter/${activityId}`);
    await expect(page.locator('ul.tasks li', { hasText: 'Rutin för användning av AI' }).innerText()).resolves.toContain('Klar');
    // Caught up: the session no longer carries the answer.
    const sessions = await stack.store.collection('ui_sessions').find({}).toArray();
    expect(sessions.length).toBeGreaterThan(0);
    expect(JSON.stringify(sessions)).not.toContain('unprojected');
  });

  it('takes an approved milestone off Att godkänna while the read model lags', async () => {
    const post = (path: string, body: object = {}) => request(app).post(`/api/v1/activities/${activityId}${path}`).set('authorization', auth[OWNER.id]!).send(body).expect(200);
    await post('/tasks/rutin-utveckling/complete');
    const submitted = await post('/milestones/slutford/submit');
    await projected(stack, activityId, submitted.body.version);
    await loginAs(COORD);
    await page.goto(`${base}/att-godkanna`);
    const item = page.locator('main', { hasText: 'Rutiner för AI fastställda' });
    await expect(item.getByRole('button', { name: 'Godkänn' }).count()).resolves.toBe(1);
    hold();
    await submit(item.getByRole('button', { name: 'Godkänn' }));
    const lagging = await stack.models.activities.findById(activityId).lean();
    expect(lagging?.waitingFor.map((w) => w.milestoneId)).toEqual(['slutford']);
    await expect(page.getByRole('status').first().innerText()).resolves.toContain('Rutiner för AI fastställda');
    await expect(page.getByRole('button', { name: 'Godkänn' }).count()).resolves.toBe(0);
    await expect(page.locator('main').innerText()).resolves.toContain('Inget väntar på ditt beslut.');
    letGo();
    await projected(stack, activityId, submitted.body.version + 1);
  });
});
