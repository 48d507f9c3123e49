import request from 'supertest';
import type { Express } from 'express';
import { REGISTER_KINDS } from '../../src/domain/registers';
import { FIXED_NARRATIVE_SECTIONS } from '../../src/domain/review';
import { deadlineUid, reviewUid } from '../../src/services/notifications/ical';
import { startActivityWorkflow } from '../../src/services/plans/start-activity';
import { bearerFor, testApp, type TestUser } from '../support/api';
import { startTestStack, type TestStack } from '../support/stack';
import { projected } from '../support/projected';
import { daysFromToday, quietDueDate, thisYear } from '../support/calendar';

const YEAR = thisYear();

/**
 * Every route of the OpenAPI document, called by every kind of caller. A denial must be a 401
 * or 403; an allowed call must get past authorisation (its outcome may still be 4xx for other
 * reasons, e.g. 409). Change routes get an activity prepared into the state the change needs,
 * so that a refusal is about rights and not about state.
 */
type Who = 'coordinator' | 'head' | 'owner' | 'viewer' | 'admin' | 'otherOrg';
const EVERYONE: Who[] = ['coordinator', 'head', 'owner', 'viewer', 'admin', 'otherOrg'];
const MEMBERS: Who[] = ['coordinator', 'head', 'owner', 'viewer', 'admin'];

const USERS: Record<Who, TestUser> = {
  coordinator: { id: 'm-coord', name: 'Cecilia Samordnare', memberships: [{ orgId: 'sodermalm', roles: ['security-coordinator'] }] },
  head: { id: 'm-head', name: 'Hans Chef', memberships: [{ orgId: 'sodermalm', roles: ['head-of-administration'] }] },
  owner: { id: 'm-owner', name: 'Olle Ägare', memberships: [{ orgId: 'sodermalm', roles: ['it-coordinator'] }] },
  viewer: { id: 'm-viewer', name: 'Vera Läsare', memberships: [{ orgId: 'sodermalm', roles: ['viewer'] }] },
  admin: { id: 'm-admin', name: 'Ada Admin', memberships: [{ orgId: 'sodermalm', roles: ['admin'] }] },
  otherOrg: { id: 'm-fk', name: 'Frida Fastighet', memberships: [{ orgId: 'fastighetskontoret', roles: ['security-coordinator', 'head-of-administration', 'admin'] }] },
};

type Prep = 'planned' | 'blocked' | 'task-done' | 'submitted' | 'extension-pending' | 'done';
interface Case {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  allowed: Who[];
  prep?: Prep;
  body?: (who: Who) => unknown;
  /** A raw file upload rather than JSON. */
  raw?: boolean;
  /** A review of its own year, prepared into this state. */
  review?: 'draft' | 'submitted';
  /** The {userId} of the path, when not m-viewer (whom a removal must not take away from the other cases). */
  userId?: string;
}

const A = '/api/v1/activities/{activityId}';
const O = '/api/v1/organisations/{orgId}';
const CASES: Case[] = [
  { method: 'get', path: '/api/v1/organisations', allowed: EVERYONE },
  { method: 'post', path: '/api/v1/organisations', allowed: ['admin', 'otherOrg'], body: (w) => ({ id: `ny-${w.toLowerCase()}-${Date.now()}`, name: 'Ny förvaltning', plan: { startYear: YEAR, endYear: YEAR + 2 }, areas: [{ id: 'ai', name: 'AI' }] }) },
  { method: 'get', path: O, allowed: MEMBERS },
  { method: 'patch', path: O, allowed: ['coordinator', 'admin'], body: () => ({ board: 'Södermalms stadsdelsnämnd' }) },
  { method: 'get', path: `${O}/activities`, allowed: MEMBERS },
  { method: 'get', path: `${O}/activities-needing-new-owner`, allowed: ['coordinator'] },
  { method: 'post', path: `${O}/activities`, allowed: ['coordinator'], body: (w) => ({ key: `ny-${w.toLowerCase()}-${Date.now()}`, year: YEAR, dueDate: quietDueDate(), title: 'Ny aktivitet', area: 'ai', owner: { role: 'it-coordinator' } }) },
  { method: 'get', path: A, allowed: MEMBERS, prep: 'planned' },
  { method: 'get', path: `${A}/audit`, allowed: MEMBERS, prep: 'planned' },
  { method: 'post', path: `${A}/start`, allowed: ['coordinator', 'owner'], prep: 'planned', body: () => ({}) },
  { method: 'post', path: `${A}/block`, allowed: ['coordinator', 'owner'], prep: 'planned', body: () => ({ reason: 'Väntar' }) },
  { method: 'post', path: `${A}/unblock`, allowed: ['coordinator', 'owner'], prep: 'blocked', body: () => ({}) },
  { method: 'post', path: `${A}/tasks`, allowed: ['coordinator', 'owner'], prep: 'planned', body: () => ({ title: 'Klassa e-tjänsten' }) },
  { method: 'post', path: `${A}/tasks/{taskId}/complete`, allowed: ['coordinator', 'owner'], prep: 'planned', body: () => ({}) },
  { method: 'post', path: `${A}/tasks/{taskId}/reopen`, allowed: ['coordinator', 'owner'], prep: 'task-done', body: () => ({}) },
  { method: 'post', path: `${A}/comments`, allowed: ['coordinator', 'owner'], prep: 'planned', body: () => ({ text: 'Status: pågår' }) },
  { method: 'post', path: `${A}/evidence`, allowed: ['coordinator', 'owner'], prep: 'planned', body: () => ({ link: 'https://intranat.example/rutin.pdf' }) },
  { method: 'post', path: `${A}/files`, allowed: ['coordinator', 'owner'], prep: 'planned', raw: true },
  { method: 'get', path: `${A}/files/{fileId}`, allowed: MEMBERS, prep: 'planned' },
  { method: 'post', path: `${A}/milestones/{milestoneId}/submit`, allowed: ['coordinator', 'owner'], prep: 'task-done', body: () => ({}) },
  { method: 'post', path: `${A}/milestones/{milestoneId}/approve`, allowed: ['head'], prep: 'submitted', body: () => ({}) },
  { method: 'post', path: `${A}/milestones/{milestoneId}/reject`, allowed: ['head'], prep: 'submitted', body: () => ({ comment: 'Komplettera' }) },
  { method: 'post', path: `${A}/extensions`, allowed: ['coordinator', 'owner'], prep: 'planned', body: () => ({ proposedDueDate: quietDueDate(30), reason: 'Upphandling' }) },
  { method: 'post', path: `${A}/extensions/{extensionId}/decision`, allowed: ['coordinator', 'head'], prep: 'extension-pending', body: () => ({ decision: 'grant' }) },
  { method: 'post', path: `${A}/owner`, allowed: ['coordinator'], prep: 'planned', body: () => ({ userId: 'm-owner', name: 'Olle Ägare' }) },
  { method: 'post', path: `${A}/defer`, allowed: ['coordinator', 'head'], prep: 'planned', body: () => ({ reason: 'Nästa år' }) },
  { method: 'post', path: `${A}/cancel`, allowed: ['coordinator', 'head'], prep: 'planned', body: () => ({ reason: 'Ersatt' }) },
  { method: 'post', path: `${A}/verify`, allowed: ['coordinator', 'head'], prep: 'done', body: () => ({ comment: 'Effekten följd upp' }) },
  // The coordinator's edits of the plan (issue 20); an owner may rename their own tasks.
  { method: 'post', path: `${A}/details`, allowed: ['coordinator'], prep: 'planned', body: () => ({ title: 'Nytt namn på aktiviteten' }) },
  { method: 'post', path: `${A}/milestones`, allowed: ['coordinator'], prep: 'planned', body: () => ({ title: 'Underlag klart' }) },
  { method: 'post', path: `${A}/tasks/{taskId}/title`, allowed: ['coordinator', 'owner'], prep: 'planned', body: () => ({ title: 'Genomför i två steg' }) },
  { method: 'post', path: `${A}/milestones/{milestoneId}/title`, allowed: ['coordinator'], prep: 'planned', body: () => ({ title: 'Klart och avstämt' }) },
  { method: 'get', path: '/api/v1/me', allowed: EVERYONE },
  { method: 'get', path: '/api/v1/me/tasks', allowed: EVERYONE },
  { method: 'get', path: '/api/v1/me/approvals', allowed: EVERYONE },
  { method: 'post', path: '/api/v1/me/tokens', allowed: [], body: () => ({ name: 'skript', orgId: 'sodermalm' }) },
  { method: 'get', path: '/api/v1/me/tokens', allowed: EVERYONE },
  { method: 'delete', path: '/api/v1/me/tokens/{tokenId}', allowed: EVERYONE },
  { method: 'get', path: '/api/v1/me/preferences', allowed: EVERYONE },
  { method: 'put', path: '/api/v1/me/preferences', allowed: EVERYONE, body: () => ({ notifications: 'digest' }) },
  { method: 'get', path: '/api/v1/me/notifications', allowed: EVERYONE },
  // Someone else's notification is a 404 to the caller (test/notifications/in-app.test.ts).
  { method: 'post', path: '/api/v1/me/notifications/{notificationId}/read', allowed: EVERYONE },
  { method: 'post', path: '/api/v1/me/notifications/read-all', allowed: EVERYONE },
  { method: 'post', path: '/api/v1/me/calendar-feed', allowed: EVERYONE },
  { method: 'delete', path: '/api/v1/me/calendar-feed', allowed: EVERYONE },
  { method: 'post', path: `${O}/calendar-feed`, allowed: MEMBERS },
  { method: 'delete', path: `${O}/calendar-feed`, allowed: MEMBERS },
  { method: 'get', path: `${O}/failed-deliveries`, allowed: ['coordinator', 'admin'] },
  { method: 'get', path: `${O}/workflow-problems`, allowed: ['coordinator', 'admin'] },
  // The secret URL is the credential, whoever calls; unknown and revoked secrets get 404
  // (test/notifications/calendar-feeds.test.ts).
  { method: 'get', path: '/api/v1/calendar/{file}', allowed: EVERYONE },
  { method: 'get', path: `${O}/kpis`, allowed: MEMBERS },
  { method: 'put', path: `${O}/kpis/{seriesId}/{year}`, allowed: ['coordinator'], body: () => ({ value: 98, name: 'Antal informationsklassningar' }) },
  { method: 'get', path: `${O}/audit`, allowed: MEMBERS },
  { method: 'get', path: `${O}/delegations`, allowed: MEMBERS },
  { method: 'post', path: `${O}/delegations`, allowed: ['head', 'admin'], body: () => ({ fromUserId: 'm-head', toUserId: 'm-coord', role: 'head-of-administration', validFrom: daysFromToday(30), validTo: daysFromToday(60) }) },
  { method: 'post', path: `${O}/delegations/{delegationId}/end`, allowed: ['head', 'admin'] },
  { method: 'get', path: `${O}/users`, allowed: ['coordinator', 'admin'] },
  { method: 'put', path: `${O}/users/{userId}`, allowed: ['admin'], body: () => ({ roles: ['viewer'] }) },
  { method: 'get', path: `${O}/users/{userId}/removal`, allowed: ['coordinator', 'admin'] },
  // Allowed callers get past the rights to a 404: nobody of that id is a member (test/ui/member-removal.test.ts removes someone).
  { method: 'delete', path: `${O}/users/{userId}`, allowed: ['coordinator', 'admin'], userId: 'm-ingen' },
  { method: 'post', path: `${O}/reviews/{year}`, allowed: ['coordinator'], body: () => ({}) },
  { method: 'get', path: `${O}/reviews/{year}`, allowed: MEMBERS, review: 'draft' },
  { method: 'get', path: `${O}/reviews/{year}/document`, allowed: MEMBERS, review: 'draft' },
  { method: 'get', path: `${O}/reviews/{year}/export/{format}`, allowed: MEMBERS, review: 'draft' },
  { method: 'put', path: `${O}/reviews/{year}/sections/{sectionId}`, allowed: ['coordinator'], review: 'draft', body: () => ({ text: 'Sammanfattningen' }) },
  { method: 'put', path: `${O}/reviews/{year}/diary-number`, allowed: ['coordinator'], review: 'draft', body: () => ({ diaryNumber: `SDF ${YEAR}/1` }) },
  { method: 'post', path: `${O}/reviews/{year}/submit`, allowed: ['coordinator'], review: 'draft', body: () => ({}) },
  { method: 'post', path: `${O}/reviews/{year}/request-changes`, allowed: ['head'], review: 'submitted', body: () => ({ comment: 'Komplettera' }) },
  { method: 'post', path: `${O}/reviews/{year}/sections/{sectionId}/nothing-to-report`, allowed: ['coordinator'], review: 'draft', body: () => ({ value: true }) },
  { method: 'post', path: `${O}/reviews/{year}/carry-over`, allowed: ['coordinator'], review: 'draft', body: () => ({ choices: [{ activityId: `sodermalm.${YEAR}.matris`, choice: 'drop', reason: 'Behövs inte längre' }] }) },
  {
    method: 'post',
    path: `${O}/reviews/{year}/adopt`,
    allowed: ['head'],
    review: 'submitted',
    body: () => ({ decisions: ['Planen fastställs.'], conclusion: { suitable: true, adequate: true, effective: true, comment: 'Ledningssystemet fungerar.' } }),
  },
  ...REGISTER_KINDS.flatMap((kind): Case[] => [
    { method: 'get', path: `${O}/registers/${kind}`, allowed: MEMBERS },
    { method: 'post', path: `${O}/registers/${kind}`, allowed: ['coordinator'], body: () => REGISTER_SAMPLES[kind] },
    // An allowed call on a row that is not there is a 404: past authorisation all the same.
    { method: 'put', path: `${O}/registers/${kind}/{rowId}`, allowed: ['coordinator'], body: () => REGISTER_SAMPLES[kind] },
    { method: 'delete', path: `${O}/registers/${kind}/{rowId}`, allowed: ['coordinator'] },
  ]),
  { method: 'post', path: `${O}/reviews/{year}/corrections`, allowed: ['coordinator'], review: 'draft', body: () => ({}) },
  // Past authorisation a JSON body is not a review file (4xx), and a plan item in an area the
  // organisation lacks is refused (400): test/ui/plan-import.test.ts imports real files.
  { method: 'post', path: `${O}/plan-import/preview`, allowed: ['coordinator'], body: () => ({}) },
  { method: 'post', path: `${O}/plan-import`, allowed: ['coordinator'], body: () => ({ source: 'LG.txt', items: [{ year: YEAR, title: 'Matrisens aktivitet', area: 'finns-inte', owner: 'security-coordinator' }] }) },
  { method: 'get', path: `${O}/incidents/{year}`, allowed: MEMBERS },
  { method: 'put', path: `${O}/incidents/{year}`, allowed: ['coordinator'], body: () => ({ counts: { 'skadlig-kod': 2 } }) },
  { method: 'get', path: '/api/v1/city/summary', allowed: EVERYONE },
];

/** One valid row per review register. */
const REGISTER_SAMPLES: Record<(typeof REGISTER_KINDS)[number], object> = {
  intressenter: { name: 'Stadsdelsnämnden', needs: 'Årlig redovisning' },
  avvikelser: { foundOn: daysFromToday(-30), where: 'IA', description: 'Rutinen följs inte', correctiveAction: 'Utbildning', owner: 'Samordnaren', status: 'öppen' },
  revisioner: { date: daysFromToday(-20), kind: 'intern', scope: 'Behörigheter', findings: 'Inga avvikelser' },
  restrisker: { risk: 'Leverantörsberoende', treatment: 'Avtalskrav', level: 'medel', owner: 'Samordnaren', accepted: false },
};

describe('authorisation matrix', () => {
  let stack: TestStack;
  let app: Express;
  const auth = {} as Record<Who, string>;
  let prepared = 0;
  let delegationId = '';

  beforeAll(async () => {
    stack = await startTestStack();
    app = testApp(stack);
    await stack.models.organisations.create([
      { _id: 'sodermalm', name: 'Södermalms stadsdelsförvaltning', plan: { startYear: YEAR, endYear: YEAR + 2 }, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() },
      { _id: 'fastighetskontoret', name: 'Fastighetskontoret', plan: { startYear: YEAR, endYear: YEAR + 2 }, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() },
    ]);
    for (const who of EVERYONE) auth[who] = await bearerFor(stack.models, USERS[who]);
  });
  afterAll(() => stack?.close());

  const call = (c: Case, path: string, who: Who) => {
    const req = request(app)[c.method](path).set('authorization', auth[who]);
    if (c.raw) return req.set('content-type', 'text/plain').set('x-filename', 'underlag.txt').send('Underlag');
    return req.send(c.body ? (c.body(who) as object) : undefined);
  };

  async function prepare(prep: Prep): Promise<string> {
    const key = `matris-${++prepared}`;
    const { id } = await startActivityWorkflow(stack.env.client, stack.config.temporal.taskQueue, {
      activity: { orgId: 'sodermalm', key, year: YEAR, dueDate: quietDueDate(), title: `Matris ${key}`, area: 'ai', owner: { role: 'it-coordinator' } },
    });
    const step = (who: Who, path: string, body: object = {}) => request(app).post(`/api/v1/activities/${id}${path}`).set('authorization', auth[who]).send(body).expect(200);
    if (prep === 'blocked') await step('owner', '/block', { reason: 'x' });
    if (['task-done', 'submitted', 'done'].includes(prep)) await step('owner', '/tasks/genomfor/complete');
    if (['submitted', 'done'].includes(prep)) await step('owner', '/milestones/slutford/submit');
    if (prep === 'done') await step('head', '/milestones/slutford/approve');
    if (prep === 'extension-pending') await step('owner', '/extensions', { proposedDueDate: quietDueDate(30), reason: 'x' });
    // Reads come from the projection: wait until it has caught up, however slow the machine.
    const version = { planned: 1, blocked: 2, 'task-done': 2, submitted: 3, done: 4, 'extension-pending': 2 }[prep];
    await projected(stack, id, version);
    return id;
  }

  let reviewYear = 2040;
  /** Each review route gets a year of its own, its review prepared into the state the route needs. */
  async function prepareReview(state: Case['review']): Promise<number> {
    const year = ++reviewYear;
    if (!state) return year;
    await request(app).post(`/api/v1/organisations/sodermalm/reviews/${year}`).set('authorization', auth.coordinator).send({}).expect(201);
    // Submission needs every section written or marked: this review has nothing to report anywhere.
    if (state === 'submitted') {
      for (const id of FIXED_NARRATIVE_SECTIONS) {
        await request(app).post(`/api/v1/organisations/sodermalm/reviews/${year}/sections/${id}/nothing-to-report`).set('authorization', auth.coordinator).send({ value: true }).expect(200);
      }
    }
    if (state === 'submitted') await request(app).post(`/api/v1/organisations/sodermalm/reviews/${year}/submit`).set('authorization', auth.coordinator).send({}).expect(200);
    return year;
  }

  async function fill(c: Case, who: Who): Promise<string> {
    let path = c.path.replace('{orgId}', 'sodermalm').replace('{sectionId}', 'sammanfattning').replace('{format}', 'json');
    if (path.includes('/reviews/{year}')) path = path.replace('{year}', String(await prepareReview(c.review)));
    path = path.replace('{taskId}', 'genomfor').replace('{milestoneId}', 'slutford').replace('{extensionId}', 'forlangning-1');
    path = path.replace('{fileId}', 'fil-00000000-0000-0000-0000-000000000000');
    path = path.replace('{seriesId}', 'informationsklassningar').replace('{year}', String(YEAR)).replace('{userId}', c.userId ?? 'm-viewer').replace('{rowId}', 'rad-00000000');
    if (path.includes('{tokenId}')) {
      const list = await request(app).get('/api/v1/me/tokens').set('authorization', auth[who]);
      path = path.replace('{tokenId}', '000000000000');
      void list;
    }
    if (path.includes('{delegationId}')) {
      if (!delegationId) {
        const created = await request(app).post('/api/v1/organisations/sodermalm/delegations').set('authorization', auth.admin).send({ fromUserId: 'm-head', toUserId: 'm-owner', role: 'head-of-administration', validFrom: daysFromToday(-30), validTo: daysFromToday(60) }).expect(201);
        delegationId = created.body.id;
      }
      path = path.replace('{delegationId}', delegationId);
    }
    path = path.replace('{notificationId}', encodeURIComponent(`sodermalm.${YEAR}.ingen|v2-beslut-slutford`));
    if (path.includes('{file}')) {
      const feed = await request(app).post('/api/v1/me/calendar-feed').set('authorization', auth.coordinator).expect(201);
      path = path.replace('{file}', String(feed.body.url).split('/').pop()!);
    }
    if (path.includes('{activityId}')) path = path.replace('{activityId}', await prepare(c.prep ?? 'planned'));
    return path;
  }

  it('covers every route of the OpenAPI document', async () => {
    const doc = (await request(app).get('/api/openapi.json').expect(200)).body as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths)
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`))
      .sort();
    expect(CASES.map((c) => `${c.method} ${c.path}`).sort()).toEqual(documented);
  });

  for (const c of CASES) {
    it(`${c.method.toUpperCase()} ${c.path}: allowed for ${c.allowed.join(', ') || 'no token holder'}, denied for the rest`, async () => {
      const denied = EVERYONE.filter((w) => !c.allowed.includes(w));
      const sharedPath = await fill(c, 'viewer');
      for (const who of denied) {
        const res = await call(c, sharedPath, who);
        expect({ who, status: res.status, detail: res.body.detail }).toMatchObject({ who, status: 403 });
      }
      for (const who of c.allowed) {
        const path = c.path.includes('{activityId}') ? await fill(c, who) : sharedPath;
        const res = await call(c, path, who);
        expect({ who, status: res.status, body: res.body }).toMatchObject({ who, status: expect.not.stringMatching(/^40[13]$/) });
        expect([401, 403]).not.toContain(res.status);
        expect(res.status).toBeLessThan(500);
      }
    });
  }

  it('refuses a missing, malformed, expired or revoked token with 401', async () => {
    await request(app).get('/api/v1/me').expect(401);
    await request(app).get('/api/v1/me').set('authorization', 'Basic dXNlcjpwYXNz').expect(401);
    const expired = await bearerFor(stack.models, USERS.viewer, { expiresAt: new Date(Date.now() - 1000) });
    await request(app).get('/api/v1/me').set('authorization', expired).expect(401);
    const revocable = await bearerFor(stack.models, USERS.viewer);
    const mine = await request(app).get('/api/v1/me/tokens').set('authorization', revocable).expect(200);
    for (const t of mine.body as { id: string; revoked: boolean }[]) {
      if (!t.revoked) await request(app).delete(`/api/v1/me/tokens/${t.id}`).set('authorization', revocable);
    }
    const after = await request(app).get('/api/v1/me').set('authorization', revocable).expect(401);
    expect(after.body.detail).toBe('Token är ogiltig, har gått ut eller har återkallats.');
  });

  it('keeps a token inside its organisation, even for someone with roles elsewhere', async () => {
    const both: TestUser = { id: 'm-both', name: 'Båda', memberships: [{ orgId: 'sodermalm', roles: ['viewer'] }, { orgId: 'fastighetskontoret', roles: ['viewer'] }] };
    const smToken = await bearerFor(stack.models, both, { orgId: 'sodermalm' });
    await request(app).get('/api/v1/organisations/sodermalm').set('authorization', smToken).expect(200);
    await request(app).get('/api/v1/organisations/fastighetskontoret').set('authorization', smToken).expect(403);
    const list = await request(app).get('/api/v1/organisations').set('authorization', smToken).expect(200);
    expect(list.body.map((o: { id: string }) => o.id)).toEqual(['sodermalm']);
  });

  it('lets an administrator change roles in their own organisation, and a name or email only of someone wholly in organisations they administer', async () => {
    const fkHead: TestUser = { id: 'm-fk-chef', name: 'Fredrik Fastighetschef', memberships: [{ orgId: 'fastighetskontoret', roles: ['head-of-administration'] }] };
    const smPerson: TestUser = { id: 'm-sm-person', name: 'Sara Södermalm', memberships: [{ orgId: 'sodermalm', roles: ['viewer'] }] };
    await bearerFor(stack.models, fkHead);
    await bearerFor(stack.models, smPerson);
    const put = (who: Who, orgId: string, userId: string, body: object) => request(app).put(`/api/v1/organisations/${orgId}/users/${userId}`).set('authorization', auth[who]).send(body);
    const stored = async (id: string) => (await stack.models.users.findById(id).lean())!;

    // Södermalm's administrator must not redirect the mail of Fastighetskontoret's head (their
    // approval requests and reminders), nor rename her, and writes nothing when refused.
    for (const body of [{ email: 'kapad@angripare.example', roles: ['viewer'] }, { name: 'Någon Annan', roles: [] }, { email: 'kapad@angripare.example', name: 'Någon Annan', roles: ['viewer'] }]) {
      const refused = await put('admin', 'sodermalm', fkHead.id, body);
      expect({ body, status: refused.status, detail: refused.body.detail }).toEqual({ body, status: 403, detail: 'Namn och e-post kan bara ändras av den som är administratör i alla organisationer där personen har roller.' });
    }
    expect(await stored(fkHead.id)).toMatchObject({ name: fkHead.name, email: `${fkHead.id}@test.lisplan.se`, memberships: fkHead.memberships });
    // Nor her membership in an organisation the administrator does not run.
    await put('admin', 'fastighetskontoret', fkHead.id, { roles: ['viewer'] }).expect(403);

    // Fastighetskontoret's administrator, who runs all of her organisations, may.
    await put('otherOrg', 'fastighetskontoret', fkHead.id, { email: 'fredrik.ny@fastighet.example', roles: ['head-of-administration'] }).expect(200);
    // Södermalm's administrator may give her a role at Södermalm, repeating her name and email as they are.
    await put('admin', 'sodermalm', fkHead.id, { name: fkHead.name, email: 'fredrik.ny@fastighet.example', roles: ['viewer'] }).expect(200);
    expect((await stored(fkHead.id)).memberships).toEqual([
      { orgId: 'fastighetskontoret', roles: ['head-of-administration'] },
      { orgId: 'sodermalm', roles: ['viewer'] },
    ]);
    // Now she belongs to both, and neither administrator alone may change her name or email.
    await put('otherOrg', 'fastighetskontoret', fkHead.id, { email: 'igen@fastighet.example', roles: ['head-of-administration'] }).expect(403);
    await put('admin', 'sodermalm', fkHead.id, { email: 'igen@fastighet.example', roles: ['viewer'] }).expect(403);
    expect((await stored(fkHead.id)).email).toBe('fredrik.ny@fastighet.example');

    // Someone of Södermalm only is the Södermalm administrator's to rename.
    await put('admin', 'sodermalm', smPerson.id, { name: 'Sara Söder', email: 'sara.soder@sodermalm.example', roles: ['viewer'] }).expect(200);
    expect(await stored(smPerson.id)).toMatchObject({ name: 'Sara Söder', email: 'sara.soder@sodermalm.example' });
  });

  it('keeps a personal calendar feed made with a token inside the token’s organisation', async () => {
    // Owner and head in both organisations: the feed would show both organisations' activities and reviews.
    const both: TestUser = {
      id: 'm-kalender',
      name: 'Kim Kalender',
      memberships: [
        { orgId: 'sodermalm', roles: ['it-coordinator', 'head-of-administration'] },
        { orgId: 'fastighetskontoret', roles: ['it-coordinator', 'head-of-administration'] },
      ],
    };
    const smToken = await bearerFor(stack.models, both, { orgId: 'sodermalm' });
    const ids: Record<string, string> = {};
    for (const orgId of ['sodermalm', 'fastighetskontoret']) {
      ({ id: ids[orgId] } = await startActivityWorkflow(stack.env.client, stack.config.temporal.taskQueue, {
        activity: { orgId, key: 'kalender', year: YEAR, dueDate: quietDueDate(), title: `Kalender ${orgId}`, area: 'ai', owner: { role: 'it-coordinator' } },
      }));
      await projected(stack, ids[orgId], 1);
    }
    await request(app).get('/api/v1/organisations/fastighetskontoret/activities').set('authorization', smToken).expect(403);

    const created = await request(app).post('/api/v1/me/calendar-feed').set('authorization', smToken).expect(201);
    // Unfolded (RFC 5545 folds long lines), so that no folded mention slips past.
    const text = (await request(app).get(new URL(created.body.url).pathname).expect(200)).text.replace(/\r\n[ \t]/g, '');
    // Its own activity and Södermalm's review dates (the person is head there), nothing of the other.
    expect(text).toContain(`UID:${deadlineUid(ids.sodermalm!)}`);
    expect(text).toMatch(/\r\nUID:review-sodermalm-\d{4}@/);
    expect(text).not.toContain(deadlineUid(ids.fastighetskontoret!));
    for (const year of [YEAR, YEAR + 1, YEAR + 2]) expect(text).not.toContain(reviewUid('fastighetskontoret', year));
    expect(text.toLowerCase()).not.toContain('fastighetskontoret');
    // Revoking it with the token revokes that feed.
    await request(app).delete('/api/v1/me/calendar-feed').set('authorization', smToken).expect(204);
    await request(app).get(new URL(created.body.url).pathname).expect(404);
  });

  it('stops an owner from completing someone else’s task or approving', async () => {
    const id = await prepare('planned');
    await request(app).post(`/api/v1/activities/${id}/owner`).set('authorization', auth.coordinator).send({ userId: USERS.viewer.id, name: USERS.viewer.name }).expect(200);
    const res = await request(app).post(`/api/v1/activities/${id}/tasks/genomfor/complete`).set('authorization', auth.owner).send({}).expect(403);
    expect(res.body.detail).toBe('Bara aktivitetsansvarig eller samordnare kan ändra uppgifter.');
    const submitted = await prepare('submitted');
    await request(app).post(`/api/v1/activities/${submitted}/milestones/slutford/approve`).set('authorization', auth.owner).send({}).expect(403);
  });
});
