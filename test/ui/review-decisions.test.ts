import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { decisionActivityId, emptySections, type ReviewState } from '../../src/domain/review';
import type { TestUser } from '../support/api';
import { thisYear } from '../support/calendar';
import { settles } from '../support/eventually';
import { startUiSession, type UiSession } from '../support/ui-session';

/**
 * The förvaltningschef's adoption form takes a 9.3.3 decision's owner and due date (issue 16,
 * item 3), as the API does: an error is shown at its field with what was written kept, and the
 * decision with an owner and a date becomes next year's activity with that owner and due date.
 */

jest.setTimeout(600_000);

const YEAR = thisYear();
const run = randomUUID().slice(0, 6);
const ORG = `lg-beslut-${run}`;
const user = (id: string, name: string, roles: TestUser['memberships'][0]['roles']): TestUser => ({ id: `${id}-${run}`, name, memberships: [{ orgId: ORG, roles }] });
const COORD = user('samordnare', 'Sara Samordnare', ['security-coordinator']);
const HEAD = user('chef', 'Hanna Chef', ['head-of-administration']);

describe('adopting a review with decisions that have an owner and a due date, in Chromium', () => {
  let ui: UiSession;
  const R = `/api/v1/organisations/${ORG}/reviews/${YEAR}`;
  const as = (u: TestUser) => ({
    get: (p: string) => request(ui.app).get(p).set('authorization', ui.auth[u.id]!),
    post: (p: string, body: object = {}) => request(ui.app).post(p).set('authorization', ui.auth[u.id]!).send(body),
  });

  beforeAll(async () => {
    ui = await startUiSession({ organisations: [{ id: ORG, name: 'Beslutsförvaltningen' }], users: [COORD, HEAD] });
    // The coordinator opens the year's review, marks every empty section and submits it: the page's part starts at adoption.
    await as(COORD).post(R).expect(201);
    const review = (await as(COORD).get(R).expect(200)).body.review as ReviewState;
    for (const id of emptySections(review)) await as(COORD).post(`${R}/sections/${encodeURIComponent(id)}/nothing-to-report`, { value: true }).expect(200);
    await as(COORD).post(`${R}/submit`).expect(200);
  });

  afterAll(async () => {
    await ui?.close();
  });

  it('shows each error at its field, keeps what was written, and adopts; the decision becomes next year’s activity with its owner and due date', async () => {
    const { page } = ui;
    await ui.loginAs(HEAD);
    await page.goto(`${ui.base}/arsrapport/${ORG}/${YEAR}`);
    const first = page.getByRole('group', { name: 'Beslut 1', exact: true });
    const second = page.getByRole('group', { name: 'Beslut 2', exact: true });
    // The help says what an owner and a date do; the date field says how to write a date.
    await expect(page.getByRole('group', { name: 'Beslut (ISO/IEC 27001:2022, 9.3.3)' }).locator('#beslut-hjalp').innerText()).resolves.toContain(`blir då en aktivitet i planen för ${YEAR + 1}`);
    await expect(second.getByLabel('Klart senast').getAttribute('aria-describedby')).resolves.toBe('datum-hjalp-2');
    await expect(page.locator('#datum-hjalp-2').innerText()).resolves.toBe(`Datum som ÅÅÅÅ-MM-DD, till exempel ${YEAR + 1}-03-31.`);
    await ui.check('arsrapport-anta-beslut');

    await first.getByLabel('Beslutets text').fill(`Treårsplanen ${YEAR + 1}–${YEAR + 3} fastställs.`);
    await second.getByLabel('Beslutets text').fill('Riskanalysen av leverantörernas loggar ska vara klar.');
    // An owner without a date would become no activity: the page asks for the date at its field.
    await second.getByLabel('Ansvarig roll').selectOption({ label: 'it-samordnare' });
    await page.getByLabel('Lämpligt').check();
    await page.getByLabel('Tillräckligt').check();
    await page.getByLabel('Motivering').fill('Ledningssystemet är lämpligt och tillräckligt; effektiviteten mäts inte ännu.');
    await page.getByLabel('Jag förstår och vill anta genomgången').check();
    const response = page.waitForResponse((r) => r.url().endsWith('/anta'));
    await ui.submit(page.getByRole('button', { name: 'Anta rapporten' }));
    expect((await response).status()).toBe(400);
    await expect(page.getByRole('alert').innerText()).resolves.toBe('Genomgången är inte antagen. Rätta de markerade fälten: Beslut 2: klart senast.');
    const due = second.getByLabel('Klart senast');
    await expect(due.getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(due.getAttribute('aria-describedby')).resolves.toBe('datum-hjalp-2 decision-2-due-fel');
    await expect(page.locator('#decision-2-due-fel').innerText()).resolves.toBe('Ange när beslutet ska vara genomfört, eller välj ingen ansvarig.');
    await expect(page.locator('#anta-fel a[href="#decision-2-due"]').innerText()).resolves.toBe('Ange när beslutet ska vara genomfört, eller välj ingen ansvarig.');
    // What was written is still there; the fields without an error are not marked.
    await expect(second.getByLabel('Beslutets text').inputValue()).resolves.toBe('Riskanalysen av leverantörernas loggar ska vara klar.');
    await expect(second.getByLabel('Ansvarig roll').inputValue()).resolves.toBe('it-coordinator');
    await expect(page.getByLabel('Motivering').inputValue()).resolves.toBe('Ledningssystemet är lämpligt och tillräckligt; effektiviteten mäts inte ännu.');
    await expect(page.getByLabel('Lämpligt').isChecked()).resolves.toBe(true);
    await expect(page.getByLabel('Effektivt').isChecked()).resolves.toBe(false);
    await expect(page.locator('[aria-invalid="true"]').count()).resolves.toBe(1);
    await ui.check('arsrapport-anta-beslut-fel');
    expect((await as(HEAD).get(R).expect(200)).body.review.status).toBe('submitted');

    await due.fill(`${YEAR + 1}-06-30`);
    await ui.submit(page.getByRole('button', { name: 'Anta rapporten' }));
    await expect(ui.flash()).resolves.toBe('Rapporten är antagen och fryst.');

    // The second decision (index 1) is next year's activity, owned by the role and due on the date; the first is not one.
    const id = decisionActivityId(ORG, YEAR, 1);
    const activity = await settles(async () => {
      const doc = await ui.stack.models.activities.findById(id).lean();
      expect(doc).toBeTruthy();
      return doc!;
    }, 600_000);
    expect(activity).toMatchObject({ planYear: YEAR + 1, title: 'Riskanalysen av leverantörernas loggar ska vara klar.', owner: { role: 'it-coordinator' }, dueDate: `${YEAR + 1}-06-30`, sourceSection: `LG ${YEAR} 9.3.3` });
    expect(await ui.stack.models.activities.exists({ _id: decisionActivityId(ORG, YEAR, 0) })).toBeFalsy();
    const adopted = (await as(HEAD).get(R).expect(200)).body.review as ReviewState;
    expect(adopted.adoption!.decisions).toEqual([
      `Treårsplanen ${YEAR + 1}–${YEAR + 3} fastställs.`,
      { text: 'Riskanalysen av leverantörernas loggar ska vara klar.', owner: 'it-coordinator', due: `${YEAR + 1}-06-30`, activityId: id },
    ]);
    // The frozen document prints the decision with its owner, date and activity.
    const document = (await as(HEAD).get(`${R}/document`).expect(200)).body as { sections: { id: string; blocks: { type: string; rows?: string[][] }[] }[] };
    const decisions = document.sections.find((s) => s.id === 'beslut')!.blocks.find((b) => b.type === 'table')!;
    expect(decisions.rows).toEqual([
      [`Treårsplanen ${YEAR + 1}–${YEAR + 3} fastställs.`, '–', '–', '–'],
      ['Riskanalysen av leverantörernas loggar ska vara klar.', 'It-samordnare', `${YEAR + 1}-06-30`, id],
    ]);
  });
});
