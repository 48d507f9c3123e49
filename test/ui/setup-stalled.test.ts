import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import request from 'supertest';
import { activitiesBeingSetUp, recordSetup, SETUP_STALL_MS } from '../../src/services/plans/setup-state';
import { sv } from '../../src/ui/i18n/sv';
import type { TestUser } from '../support/api';
import { instantFromNow, quietDueDate, thisYear } from '../support/calendar';
import { projected } from '../support/projected';
import type { TestStack } from '../support/stack';
import { startUiSession, type UiSession } from '../support/ui-session';

/**
 * Issue 20: "N activities are still being set up" has a bound. When none of a loaded plan's
 * activities has reached the read model for SETUP_STALL_MS, the pages say that setting up seems
 * stuck and whom to tell, instead of "reload in a moment" for ever. The service decides by the
 * clock it is given; the pages, in Chromium, by a setup stored as a day old.
 */
jest.setTimeout(600_000);

const run = randomUUID().slice(0, 6);
const ORG = `uppsattning-${run}`;
const COORD: TestUser = { id: `samordnare-${run}`, name: 'Ulla Samordnare', memberships: [{ orgId: ORG, roles: ['security-coordinator'] }] };
const OWNER: TestUser = { id: `agare-${run}`, name: 'Ulf Ägare', memberships: [{ orgId: ORG, roles: ['it-coordinator'] }] };
const later = (from: Date, ms: number) => new Date(from.getTime() + ms);

describe('a plan setup that has stalled', () => {
  let ui: UiSession;
  let stack: TestStack;
  let page: Page;

  beforeAll(async () => {
    ui = await startUiSession({ organisations: [{ id: ORG, name: `Förvaltningen som väntar ${run}` }], users: [COORD, OWNER] });
    ({ stack, page } = ui);
  });
  afterAll(async () => ui?.close());

  it('is stalled only after SETUP_STALL_MS without an activity arriving, and each arrival starts the bound again', async () => {
    const created = await request(ui.app)
      .post(`/api/v1/organisations/${ORG}/activities`)
      .set('authorization', ui.auth[COORD.id]!)
      .send({ key: `kommer-${run}`, year: thisYear(), area: 'styrning', owner: { role: 'it-coordinator' }, title: 'Kommer fram', dueDate: quietDueDate() })
      .expect(201);
    await projected(stack, created.body.id, 1);
    const ghost = `${ORG}.${thisYear()}.kommer-aldrig-${run}`;
    await recordSetup(stack.models, ORG, [ghost]);
    const since = (await stack.models.planSetups.findById(ORG).lean())!.progressAt!;

    await expect(activitiesBeingSetUp(stack.models, [ORG], later(since, SETUP_STALL_MS))).resolves.toEqual({ waiting: 1 });
    await expect(activitiesBeingSetUp(stack.models, [ORG], later(since, SETUP_STALL_MS + 1))).resolves.toEqual({ waiting: 1, stalledSince: since });

    // One more activity of the load arrives: that is progress, and the bound runs from then.
    await recordSetup(stack.models, ORG, [created.body.id]);
    await stack.models.planSetups.updateOne({ _id: ORG }, { $set: { progressAt: since } });
    const arrival = later(since, 2 * SETUP_STALL_MS);
    await expect(activitiesBeingSetUp(stack.models, [ORG], arrival)).resolves.toEqual({ waiting: 1 });
    await expect(activitiesBeingSetUp(stack.models, [ORG], later(arrival, SETUP_STALL_MS))).resolves.toEqual({ waiting: 1 });
    await expect(activitiesBeingSetUp(stack.models, [ORG], later(arrival, SETUP_STALL_MS + 1))).resolves.toEqual({ waiting: 1, stalledSince: arrival });
    await stack.models.planSetups.deleteOne({ _id: ORG });
  });

  it('the pages say it seems stuck and whom to tell, rather than "reload in a moment"', async () => {
    const dayOld = instantFromNow(-1);
    await stack.models.planSetups.updateOne(
      { _id: ORG },
      { $set: { pending: [`${ORG}.${thisYear()}.fastnad-1-${run}`, `${ORG}.${thisYear()}.fastnad-2-${run}`], since: dayOld, progressAt: dayOld } },
      { upsert: true },
    );
    for (const [who, path] of [
      [COORD, `/oversikt?org=${ORG}`],
      [COORD, `/planoversikt?org=${ORG}`],
      [OWNER, '/mina-uppgifter'],
    ] as const) {
      await ui.loginAs(who);
      await page.goto(`${ui.base}${path}`);
      const notice = await page.locator('#satts-upp').innerText();
      expect(notice).toMatch(/^2 aktiviteter har inte blivit klara sedan .+: uppsättningen verkar ha fastnat, och att ladda om sidan hjälper inte\./u);
      expect(notice).toContain(sv['setup.stalledWhat']);
      expect(notice).not.toContain('ladda om sidan om en stund');
      await ui.check(`uppsattning-fastnad-${path.split('?')[0]!.slice(1)}`);
    }
  });

  it('a setup with recent progress still says to reload in a moment', async () => {
    await stack.models.planSetups.updateOne({ _id: ORG }, { $set: { progressAt: new Date() } });
    await page.goto(`${ui.base}/mina-uppgifter`);
    await expect(page.locator('#satts-upp').innerText()).resolves.toBe(sv['setup.many'].replace('{n}', '2'));
  });
});
