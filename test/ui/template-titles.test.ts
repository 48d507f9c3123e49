import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import type { TestUser } from '../support/api';
import { daysFromToday } from '../support/calendar';
import { startUiSession, type UiSession } from '../support/ui-session';

/**
 * Issue 20: a template's tasks and milestones read in the reader's language. The activity
 * stores the Swedish titles; English pages show the template's English ones.
 */
jest.setTimeout(600_000);

const run = randomUUID().slice(0, 6);
const ORG = `mallsprak-${run}`;
const COORD: TestUser = { id: `samordnare-${run}`, name: 'Sara Samordnare', memberships: [{ orgId: ORG, roles: ['security-coordinator'] }] };
const MEASURE_SV = 'Artikel 21.2 a: Riskanalys och säkerhetspolicyer för informationssystem';
const MEASURE_EN = 'Article 21(2)(a): Policies on risk analysis and information system security';

describe('template tasks in both languages, in Chromium', () => {
  let ui: UiSession;
  let page: Page;

  beforeAll(async () => {
    ui = await startUiSession({ organisations: [{ id: ORG, name: `Mallförvaltningen ${run}` }], users: [COORD] });
    page = ui.page;
  });

  afterAll(async () => {
    await ui?.close();
  });

  it('shows the nis2 template’s tasks in English on English pages and in Swedish on Swedish ones', async () => {
    await ui.loginAs(COORD);
    await ui.submit(page.getByRole('button', { name: 'In English' }));
    await page.goto(`${ui.base}/aktiviteter/ny?org=${ORG}`);
    await expect(page.locator('#mall option[value="nis2"]').innerText()).resolves.toMatch(/^Implement the Cybersecurity Act \(NIS2\) \(/);
    await page.getByLabel('Template').selectOption('nis2');
    await page.getByLabel('Title', { exact: true }).fill(`NIS2 ${run}`);
    await page.getByLabel('Due date').fill(daysFromToday(30));
    await ui.submit(page.getByRole('button', { name: 'Create the activity' }));
    await expect(ui.flash()).resolves.toBe(`The activity "NIS2 ${run}" was created.`);
    const id = decodeURIComponent(page.url().split('/aktiviteter/')[1]!);
    const stored = (await ui.stack.models.activities.findById(id).lean())!;
    expect(stored.tasks.find((t) => t.id === 'nis2-21-2-a')?.title).toBe(MEASURE_SV);

    const tasks = () => page.locator('#uppgifter ~ ul.tasks > li > span:first-child').allInnerTexts();
    await expect(tasks()).resolves.toContain(`${MEASURE_EN} (Risk-management measures under Article 21 in place)`);
    await expect(page.locator('#milstolpar ~ .card h3').allInnerTexts()).resolves.toEqual([
      expect.stringMatching(/^Risk-management measures under Article 21 in place –/),
      expect.stringMatching(/^Incident reporting procedure adopted –/),
      expect.stringMatching(/^Cybersecurity Act implemented –/),
    ]);
    await expect(page.locator('main').innerText()).resolves.not.toContain(MEASURE_SV);
    await ui.check('nis2-aktivitet-engelska');
    // Mina uppgifter too: the activity is the coordinator role's (the form's default owner).
    await page.goto(`${ui.base}/mina-uppgifter`);
    await expect(page.getByRole('button', { name: `Mark as done: ${MEASURE_EN}` }).count()).resolves.toBe(1);
    await page.goto(`${ui.base}/aktiviteter/${id}`);

    await ui.submit(page.getByRole('button', { name: 'På svenska' }));
    await expect(page.locator('html').getAttribute('lang')).resolves.toBe('sv');
    await expect(tasks()).resolves.toContain(`${MEASURE_SV} (Riskhanteringsåtgärder enligt artikel 21 införda)`);
    await expect(page.locator('main').innerText()).resolves.not.toContain(MEASURE_EN);
  });
});
