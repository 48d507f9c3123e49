import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import type { Locator, Page } from 'playwright-core';
import request from 'supertest';
import { sv } from '../../src/ui/i18n/sv';
import type { TestUser } from '../support/api';
import { quietDueDate, thisYear } from '../support/calendar';
import { projected } from '../support/projected';
import type { TestStack } from '../support/stack';
import { startUiSession, type UiSession } from '../support/ui-session';

/**
 * Issue 20's help texts on the forms people get wrong, in Chromium: the new-activity and the
 * edit form, Nyckeltal, the plan import's upload and preview, and the handover. Each help text
 * is tied to its field with aria-describedby (so a screen reader reads it with the field) and no
 * reference dangles; axe-core scans each form. The preview also shows an imported key figure's
 * outlier as a warning that must be confirmed before the plan starts.
 */
jest.setTimeout(600_000);

const YEAR = thisYear();
const run = randomUUID().slice(0, 6);
const ORG = `hjalp-${run}`;
const COORD: TestUser = { id: `samordnare-${run}`, name: 'Hedda Samordnare', memberships: [{ orgId: ORG, roles: ['security-coordinator'] }] };
const OWNER: TestUser = { id: `agare-${run}`, name: 'Hugo Ägare', memberships: [{ orgId: ORG, roles: ['it-coordinator'] }] };

const REVIEW = [
  `2.1 År ${YEAR - 1}`,
  `Förvaltningen genomförde 40 informationsklassningar under året (8 år ${YEAR - 2}).`,
  `3.1 Aktiviteter ${YEAR}`,
  `• Inför en rutin för loggning ${run}.`,
].join('\n');

/** The texts a field's aria-describedby points at, every id resolving to a visible, non-empty element. */
async function helpOf(field: Locator, page: Page): Promise<string> {
  const ids = (await field.getAttribute('aria-describedby'))?.split(/\s+/).filter(Boolean) ?? [];
  expect(ids.length).toBeGreaterThan(0);
  const texts = await Promise.all(ids.map((id) => page.locator(`[id="${id}"]`).innerText()));
  for (const t of texts) expect(t.trim()).not.toBe('');
  return texts.join(' ');
}

/** No aria-describedby on the page points at nothing. */
async function noDanglingHelp(page: Page): Promise<void> {
  const dangling = await page.locator('[aria-describedby]').evaluateAll((fields) =>
    fields.flatMap((el) =>
      el
        .getAttribute('aria-describedby')!
        .split(/\s+/)
        .filter((id: string) => id && !el.ownerDocument.getElementById(id))
        .map((id: string) => `${el.id || el.getAttribute('name')} → ${id}`),
    ),
  );
  expect(dangling).toEqual([]);
}

describe('help texts on the forms people get wrong, in Chromium', () => {
  let ui: UiSession;
  let stack: TestStack;
  let app: Express;
  let base: string;
  let page: Page;
  let auth: Record<string, string>;
  const help = (selector: string) => helpOf(page.locator(selector), page);

  beforeAll(async () => {
    ui = await startUiSession({ organisations: [{ id: ORG, name: `Förvaltningen med hjälptexter ${run}` }], users: [COORD, OWNER] });
    ({ stack, app, base, page, auth } = ui);
    await ui.loginAs(COORD);
  });
  afterAll(async () => ui?.close());

  it('the new-activity form explains the title, template, owner role, dates and expected result', async () => {
    await page.goto(`${base}/aktiviteter/ny?org=${ORG}`);
    await expect(help('#titel')).resolves.toBe(sv['manage.titleHelp']);
    await expect(help('#mall')).resolves.toBe(sv['manage.templateHelp']);
    await expect(help('#roll')).resolves.toBe(sv['manage.ownerRoleHelp']);
    await expect(help('#start')).resolves.toBe(sv['manage.startDateHelp']);
    await expect(help('#slut')).resolves.toBe(sv['manage.newDueHelp']);
    await expect(help('#resultat')).resolves.toBe(sv['manage.expectedHelp']);
    await noDanglingHelp(page);
    await ui.check('hjalp-ny-aktivitet');
  });

  it('the edit form of an activity explains its fields', async () => {
    const created = await request(app).post(`/api/v1/organisations/${ORG}/activities`).set('authorization', auth[COORD.id]!).send({ key: `redigera-${run}`, year: YEAR, area: 'styrning', owner: { role: 'it-coordinator' }, title: 'Redigera mig', dueDate: quietDueDate() }).expect(201);
    await projected(stack, created.body.id, 1);
    await page.goto(`${base}/aktiviteter/${created.body.id}`);
    await page.locator('summary', { hasText: 'Ändra titel, område, datum och annat' }).click();
    await expect(help('#d-titel')).resolves.toBe(`${sv['manage.titleHelp']} ${sv['manage.detailsHelp']}`);
    await expect(help('#d-resultat')).resolves.toBe(sv['manage.expectedHelp']);
    await expect(help('#d-start')).resolves.toBe(sv['manage.startDateHelp']);
    await expect(help('#d-kostnad')).resolves.toBe(sv['manage.costHelp']);
    await expect(help('#d-slut')).resolves.toBe(sv['manage.dueHelp']);
    await expect(help('#ansvarig-person')).resolves.toBe('Personen får påminnelserna och aviseringarna. Rollen är it-samordnare.');
    await noDanglingHelp(page);
    await ui.check('hjalp-redigera-aktivitet');
  });

  it('Nyckeltal explains which figure, which year, the kinds, the id and the unit', async () => {
    await page.goto(`${base}/nyckeltal?org=${ORG}`);
    await expect(help('#seriesId')).resolves.toBe(sv['kpis.seriesHelp']);
    await expect(help('#year')).resolves.toBe(sv['kpis.yearHelp']);
    await expect(help('#value')).resolves.toBe(`${sv['kpis.kindHelp']} ${sv['kpis.outlierHelp']}`);
    await expect(help('#newId')).resolves.toBe(sv['kpis.newIdHelp']);
    await expect(help('#kind')).resolves.toBe(sv['kpis.kindChoiceHelp']);
    await expect(help('#unit')).resolves.toBe(sv['kpis.unitHelp']);
    await noDanglingHelp(page);
    await ui.check('hjalp-nyckeltal');
  });

  it('the plan import explains the file and the preview, and an imported outlier must be confirmed before the plan starts', async () => {
    await page.goto(`${base}/importera-plan?org=${ORG}`);
    await expect(help('#file')).resolves.toBe(sv['planImport.fileHelp']);
    await noDanglingHelp(page);
    await ui.check('hjalp-importera-plan');
    await page.locator('#file').setInputFiles({ name: 'LG.txt', mimeType: 'text/plain', buffer: Buffer.from(REVIEW) });
    await ui.submit(page.getByRole('button', { name: 'Läs in genomgången' }));

    await expect(help('#keep-0')).resolves.toBe(sv['planImport.keepHelp']);
    await expect(help('#person-0')).resolves.toBe(sv['planImport.personHelp']);
    await expect(help('#due-0')).resolves.toBe(sv['planImport.datesHelp']);
    await expect(help('#start-0')).resolves.toBe(sv['planImport.datesHelp']);
    const outlier = page.locator('li[data-kpi]', { hasText: `informationsklassningar ${YEAR - 1}` });
    const warning = `informationsklassningar ${YEAR - 1}: 40 är +400 % jämfört med 8 år ${YEAR - 2}, mer än ±50 %. Kontrollera värdet. Stämmer det, kryssa i rutan och spara igen.`;
    const keep = outlier.locator('input[type="checkbox"]').first();
    await expect(helpOf(keep, page)).resolves.toBe(`${sv['planImport.kpisIntro']} ${sv['planImport.kpisHelp']} (Belopp eller mått (decimaler tillåtna)) ${warning}`);
    const confirmBox = outlier.getByLabel('Värdet är kontrollerat och stämmer: spara det trots den stora förändringen');
    await expect(helpOf(confirmBox, page)).resolves.toBe(warning);
    // The year before, from the same review, is no outlier: it has no warning and nothing to confirm.
    await expect(page.locator('li[data-kpi]', { hasText: `informationsklassningar ${YEAR - 2}` }).locator('.notice').count()).resolves.toBe(0);
    await noDanglingHelp(page);
    await ui.check('hjalp-importera-plan-forhandsgranskning');

    await keep.check();
    await ui.submit(page.getByRole('button', { name: 'Starta planen' }));
    await expect(page.getByRole('alert').innerText()).resolves.toBe(warning);
    // Still the preview, as edited; nothing started, nothing saved.
    await expect(keep.isChecked()).resolves.toBe(true);
    expect(await stack.models.activities.countDocuments({ orgId: ORG, title: { $regex: run } })).toBe(0);
    expect(await stack.models.kpiValues.countDocuments({ orgId: ORG })).toBe(0);

    await confirmBox.check();
    await ui.submit(page.getByRole('button', { name: 'Starta planen' }));
    await page.waitForURL(/\/planoversikt\?org=/u, { timeout: 300_000 });
    await expect(ui.flash()).resolves.toBe('Planen är importerad: 1 nya aktiviteter startade, 0 fanns redan, 1 nyckeltal sparade.');
    expect(await stack.models.kpiValues.find({ orgId: ORG }).select({ _id: 0, seriesId: 1, year: 1, value: 1, kind: 1 }).lean()).toEqual([{ seriesId: 'informationsklassningar', year: YEAR - 1, value: 40, kind: 'amount' }]);
  });

  it('the handover explains whom to choose on both sides', async () => {
    const created = await request(app).post(`/api/v1/organisations/${ORG}/activities`).set('authorization', auth[COORD.id]!).send({ key: `lamna-${run}`, year: YEAR, area: 'styrning', owner: { role: 'it-coordinator' }, title: 'Lämnas över', dueDate: quietDueDate() }).expect(201);
    await projected(stack, created.body.id, 1);
    const assigned = await request(app).post(`/api/v1/activities/${created.body.id}/owner`).set('authorization', auth[COORD.id]!).send({ userId: OWNER.id, name: OWNER.name }).expect(200);
    await projected(stack, created.body.id, assigned.body.version);
    await page.goto(`${base}/overlamna?org=${ORG}&fran=${OWNER.id}`);
    await expect(help('#fran')).resolves.toBe(sv['handover.fromHelp']);
    await expect(help('#till')).resolves.toBe(sv['handover.toHelp']);
    await noDanglingHelp(page);
    await ui.check('hjalp-overlamna');
  });
});
