import type { Express } from 'express';
import request from 'supertest';
import { en } from '../../src/ui/i18n/en';
import { sv } from '../../src/ui/i18n/sv';
import { bearerFor, testApp, type TestUser } from '../support/api';
import { quietDueDate, thisYear } from '../support/calendar';
import { projected } from '../support/projected';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * What the web UI shows and allows by role, read from its HTML against the real stack: a stopped
 * workflow is told to every reader in their language, its id only to those who oversee the
 * organisation, Temporal's own words to nobody; the whole-chain check is theirs too, and the API's
 * audit reads only the new events; a new key figure's kind follows its name and unit unless chosen.
 */
describe('the pages of those who oversee an organisation, and of its readers', () => {
  const YEAR = thisYear();
  const ORG = 'tillsyn';
  const COORD: TestUser = { id: 'ts-samordnare', name: 'Sara Samordnare', memberships: [{ orgId: ORG, roles: ['security-coordinator'] }] };
  const ADMIN: TestUser = { id: 'ts-admin', name: 'Adam Admin', memberships: [{ orgId: ORG, roles: ['admin'] }] };
  const OWNER: TestUser = { id: 'ts-agare', name: 'Olle Ägare', memberships: [{ orgId: ORG, roles: ['it-coordinator'] }] };
  const CITY: TestUser = { id: 'ts-staden', name: 'Stella Stadsläsare', memberships: [], cityViewer: true };
  const REASON = 'terminated: Workflow history size exceeds limit.';
  let stack: TestStack;
  let app: Express;
  let activityId: string;
  const auth: Record<string, string> = {};
  const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

  async function browserOf(u: TestUser, lang: 'sv' | 'en' = 'sv') {
    const browser = request.agent(app);
    const login = await browser.get('/logga-in').expect(200);
    await browser.post('/logga-in/demo').type('form').send({ _csrf: csrfOf(login.text), userId: u.id }).expect(303);
    if (lang === 'en') {
      const page = await browser.get('/logga-in');
      await browser.post('/sprak').type('form').send({ _csrf: csrfOf(page.text), lang: 'en', returnTo: '/' }).expect(303);
    }
    return browser;
  }

  beforeAll(async () => {
    stack = await startTestStack();
    app = testApp(stack, { env: { devLogin: true } });
    await stack.models.organisations.create({ _id: ORG, name: 'Förvaltningen med tillsyn', plan: { startYear: YEAR, endYear: YEAR + 2 }, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() });
    for (const u of [COORD, ADMIN, OWNER, CITY]) {
      auth[u.id] = await bearerFor(stack.models, u, { orgId: ORG });
      await stack.models.users.updateOne({ _id: u.id }, { $set: { demo: true } });
    }
    const created = await request(app).post(`/api/v1/organisations/${ORG}/activities`).set('authorization', auth[COORD.id]!)
      .send({ key: 'stannad', year: YEAR, dueDate: quietDueDate(), title: 'Aktivitet vars arbetsflöde stannat', area: 'ai', owner: { role: 'it-coordinator' } }).expect(201);
    activityId = created.body.id;
    await projected(stack, activityId, 1);
  });
  afterAll(() => stack?.close());

  it('tells every reader that the workflow stopped, in their language, shows its id to coordinators and administrators only and Temporal’s reason to nobody', async () => {
    // As the health check records a terminated workflow (test/api/workflow-health.test.ts finds one for real).
    const seen = new Date();
    await stack.models.workflowProblems.create({ _id: activityId, subject: 'activity', orgId: ORG, subjectId: activityId, runId: 'run-1', taskQueue: stack.config.temporal.taskQueue, kind: 'ended-abnormally', status: 'TERMINATED', reason: REASON, firstSeenAt: seen, lastSeenAt: seen });
    const idLine = sv['activity.workflowIdToQuote'].replace('{workflowId}', activityId);
    const notice = sv['activity.workflowStopped'].replace(/ \(upptäckt \{since\}\).*/, '');
    for (const [who, seesId] of [[COORD, true], [ADMIN, true], [OWNER, false], [CITY, false]] as const) {
      const page = (await (await browserOf(who)).get(`/aktiviteter/${activityId}`).expect(200)).text;
      expect({ who: who.id, notice: page.includes(notice), kind: page.includes(`): ${sv['activity.workflowEnded']}.`), id: page.includes(idLine), reason: page.includes('Workflow history') }).toEqual({ who: who.id, notice: true, kind: true, id: seesId, reason: false });
    }
    expect(sv['activity.workflowStopped']).toContain('den som driver lisplan');
    expect(sv['activity.workflowStopped']).not.toContain('driftar');
    const english = (await (await browserOf(OWNER, 'en')).get(`/aktiviteter/${activityId}`).expect(200)).text;
    expect(english).toContain(`): ${en['activity.workflowEnded']}.`);
    expect(english).not.toContain('Workflow history');
    await stack.models.workflowProblems.deleteOne({ _id: activityId });
  });

  it('lets coordinators and administrators check the whole chain, refuses everyone else, and the API’s audit verifies only what is new', async () => {
    for (const [who, status] of [[OWNER, 403], [CITY, 403], [COORD, 303], [ADMIN, 303]] as const) {
      const browser = await browserOf(who);
      const page = (await browser.get(`/aktiviteter/${activityId}`).expect(200)).text;
      expect({ who: who.id, button: page.includes(`action="/aktiviteter/${activityId}/kontrollera-kedjan"`) }).toEqual({ who: who.id, button: status === 303 });
      await stack.models.auditChainChecks.deleteOne({ _id: ORG });
      const posted = await browser.post(`/aktiviteter/${activityId}/kontrollera-kedjan`).type('form').send({ _csrf: csrfOf(page), returnTo: `/aktiviteter/${activityId}` });
      expect({ who: who.id, status: posted.status }).toEqual({ who: who.id, status });
      // A refused check reads and records nothing.
      const stored = await stack.models.auditChainChecks.findById(ORG).lean();
      expect({ who: who.id, fullCheck: stored?.fullCheckAt !== undefined }).toEqual({ who: who.id, fullCheck: status === 303 });
    }

    // The organisation's audit by the API verifies from the stored point on: no whole-chain read, however often it is asked.
    await stack.models.auditChainChecks.deleteOne({ _id: ORG });
    for (let i = 0; i < 2; i++) {
      const audit = await request(app).get(`/api/v1/organisations/${ORG}/audit`).set('authorization', auth[OWNER.id]!).expect(200);
      expect(audit.body.verification).toMatchObject({ ok: true, events: await stack.models.auditEvents.countDocuments({ orgId: ORG }) });
      expect(audit.body.verification.fullCheckAt).toBeUndefined();
    }
    expect((await stack.models.auditChainChecks.findById(ORG).lean())!.fullCheckAt).toBeUndefined();
  });

  it('infers a new key figure’s kind from its name and unit unless one is chosen: "Andel x" in % is a percentage', async () => {
    const browser = await browserOf(COORD);
    const page = (await browser.get(`/nyckeltal?org=${ORG}`).expect(200)).text;
    // What a browser sends for the kind left as it is: the selected option, else the first.
    const select = /<select id="kind" name="kind"[^>]*>([\s\S]*?)<\/select>/.exec(page)![1]!;
    const options = [...select.matchAll(/<option value="([^"]*)"([^>]*)>([^<]*)<\/option>/g)];
    const sent = (options.find((o) => o[2]!.includes('selected')) ?? options[0]!)[1]!;
    expect(options[0]![3]).toBe(sv['kpis.kind.inferred']);
    await browser.post('/nyckeltal').type('form')
      .send({ _csrf: csrfOf(page), returnTo: `/nyckeltal?org=${ORG}`, orgId: ORG, seriesId: '', newName: 'Andel x', newId: 'andel-x', kind: sent, unit: '%', year: String(YEAR), value: '87,5' }).expect(303);
    expect(await stack.models.kpiValues.findOne({ orgId: ORG, seriesId: 'andel-x', year: YEAR }).lean()).toMatchObject({ name: 'Andel x', kind: 'percent', value: 87.5 });
  });
});
