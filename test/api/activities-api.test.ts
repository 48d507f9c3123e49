import request from 'supertest';
import type { Express } from 'express';
import { bearerFor, testApp, type TestUser } from '../support/api';
import { projected } from '../support/projected';
import { startTestStack, type TestStack } from '../support/stack';
import { startActivityWorkflow } from '../../src/services/plans/start-activity';
import { daysFromToday, deadlineOf, quietDueDate, thisYear, today } from '../support/calendar';

const YEAR = thisYear();
/** Every activity's due date unless a test needs another: no reminder falls due during the run. */
const DUE = quietDueDate();
const A = (key: string) => `sodermalm.${YEAR}.${key}`;

const COORD: TestUser = { id: 'a-coord', name: 'Cecilia Samordnare', memberships: [{ orgId: 'sodermalm', roles: ['security-coordinator'] }] };
const HEAD: TestUser = { id: 'a-head', name: 'Hans Chef', memberships: [{ orgId: 'sodermalm', roles: ['head-of-administration'] }] };
const OWNER: TestUser = { id: 'a-owner', name: 'Olle Ägare', memberships: [{ orgId: 'sodermalm', roles: ['it-coordinator'] }] };
const DEPUTY: TestUser = { id: 'a-deputy', name: 'Dina Ersättare', memberships: [{ orgId: 'sodermalm', roles: ['viewer'] }] };

/** The activity API against the real stack: every write goes through the workflow's Update. */
describe('activity API', () => {
  let stack: TestStack;
  let app: Express;
  const auth: Record<string, string> = {};

  beforeAll(async () => {
    stack = await startTestStack();
    app = testApp(stack);
    await stack.models.organisations.create({
      _id: 'sodermalm',
      name: 'Södermalms stadsdelsförvaltning',
      plan: { startYear: YEAR, endYear: YEAR + 2 },
      areas: [{ id: 'ai', name: 'AI' }, { id: 'utbildning', name: 'Utbildning' }],
      goals: [],
      updatedAt: new Date(),
    });
    for (const u of [COORD, HEAD, OWNER, DEPUTY]) auth[u.id] = await bearerFor(stack.models, u);
  });
  afterAll(() => stack?.close());

  const as = (u: TestUser) => ({
    get: (path: string) => request(app).get(path).set('authorization', auth[u.id]!),
    post: (path: string, body: object = {}, headers: Record<string, string> = {}) => request(app).post(path).set('authorization', auth[u.id]!).set(headers).send(body),
    put: (path: string, body: object) => request(app).put(path).set('authorization', auth[u.id]!).send(body),
  });
  const create = async (key: string, extra: object = {}) => {
    const res = await as(COORD).post('/api/v1/organisations/sodermalm/activities', { key, year: YEAR, dueDate: DUE, title: `Aktivitet ${key}`, area: 'ai', owner: { role: 'it-coordinator' }, ...extra });
    expect(res.status).toBe(201);
    return res.body as { id: string; version: number };
  };

  it('creates an activity from a template and refuses a duplicate or an unknown area', async () => {
    // Next year's activity: its default due date, 31 December, is more than 30 days away on any day.
    const res = await as(COORD).post('/api/v1/organisations/sodermalm/activities', { key: 'ai-rutiner-api', year: YEAR + 1, title: 'Ta fram lokala rutiner för AI', area: 'ai', owner: { role: 'it-coordinator' }, template: 'ai-routines' });
    expect(res.status).toBe(201);
    expect(res.headers.location).toBe(`/api/v1/activities/sodermalm.${YEAR + 1}.ai-rutiner-api`);
    expect(res.headers.etag).toBe('"1"');
    expect(res.body).toMatchObject({ id: `sodermalm.${YEAR + 1}.ai-rutiner-api`, status: 'planned', dueDate: `${YEAR + 1}-12-31`, tasks: [{ id: 'rutin-anvandning' }, { id: 'rutin-utveckling' }] });
    const again = await as(COORD).post('/api/v1/organisations/sodermalm/activities', { key: 'ai-rutiner-api', year: YEAR + 1, title: 'x', area: 'ai', owner: { role: 'it-coordinator' } });
    expect(again.status).toBe(409);
    const badArea = await as(COORD).post('/api/v1/organisations/sodermalm/activities', { key: 'annat', year: YEAR, title: 'x', area: 'finns-inte', owner: { role: 'it-coordinator' } });
    expect(badArea.status).toBe(400);
    expect(badArea.body.errors).toEqual([{ field: 'body.area', message: 'unknown area finns-inte' }]);
  });

  it('returns the new state from the write, with the version as ETag, and honours If-Match', async () => {
    const { id } = await create('if-match');
    const done = await as(OWNER).post(`/api/v1/activities/${id}/tasks/genomfor/complete`, {}, { 'If-Match': '"1"' });
    expect(done.status).toBe(200);
    expect(done.headers.etag).toBe('"2"');
    expect(done.body).toMatchObject({ version: 2, duplicate: false, state: { status: 'in-progress', tasks: [{ id: 'genomfor', done: true }] } });

    const stale = await as(OWNER).post(`/api/v1/activities/${id}/comments`, { text: 'Baserat på gammal version' }, { 'If-Match': '"1"' });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ type: 'https://lisplan.se/problems/stale-version', detail: 'Aktiviteten har ändrats (version 2, inte 1). Läs om den och försök igen.' });
    expect((await as(OWNER).post(`/api/v1/activities/${id}/comments`, { text: 'x' }, { 'If-Match': 'senaste' })).status).toBe(400);

    await projected(stack, id, 2);
    const read = await as(OWNER).get(`/api/v1/activities/${id}`).expect(200);
    expect(read.headers.etag).toBe('"2"');
    expect(read.body).toMatchObject({ id, version: 2, overdue: false, deadlineAt: deadlineOf(DUE) });
  });

  it('answers a change once the read model has it, so the very next read shows it', async () => {
    // Reads straight after each answer, with no waiting in between: what an API client does.
    for (const key of ['las-1', 'las-2', 'las-3']) {
      const { id } = await create(key);
      const done = await as(OWNER).post(`/api/v1/activities/${id}/tasks/genomfor/complete`).expect(200);
      expect((await as(OWNER).get(`/api/v1/activities/${id}`).expect(200)).headers.etag).toBe(`"${done.body.version}"`);
      expect((await as(OWNER).get('/api/v1/me/tasks').expect(200)).body.some((t: { activityId: string }) => t.activityId === id)).toBe(false);

      const sent = await as(OWNER).post(`/api/v1/activities/${id}/milestones/slutford/submit`).expect(200);
      expect((await as(HEAD).get('/api/v1/me/approvals').expect(200)).body).toContainEqual(expect.objectContaining({ kind: 'milestone', activityId: id }));

      const approved = await as(HEAD).post(`/api/v1/activities/${id}/milestones/slutford/approve`, {}).expect(200);
      expect(approved.body.version).toBe(sent.body.version + 1);
      const read = await as(HEAD).get(`/api/v1/activities/${id}`).expect(200);
      expect(read.body).toMatchObject({ version: approved.body.version, status: 'done' });
      expect((await as(HEAD).get('/api/v1/me/approvals').expect(200)).body.some((a: { activityId: string }) => a.activityId === id)).toBe(false);
    }
  });

  it('answers 503 with Retry-After when the workflow does not take a change in time, instead of hanging', async () => {
    // A workflow on a task queue that no worker polls: its Update is never processed.
    const { id } = await startActivityWorkflow(stack.env.client, `ingen-arbetare-${Date.now()}`, {
      activity: { orgId: 'sodermalm', key: 'ingen-arbetare', year: YEAR, dueDate: DUE, title: 'Utan arbetare', area: 'ai', owner: { role: 'it-coordinator' } } as never,
    });
    try {
      const impatient = testApp(stack, { env: { temporal: { ...stack.config.temporal, updateTimeoutMs: 1_500 } } });
      const res = await request(impatient).post(`/api/v1/activities/${id}/tasks/genomfor/complete`).set('authorization', auth[OWNER.id]!).set('Idempotency-Key', 'ingen-arbetare-1').send({});
      expect(res.status).toBe(503);
      expect(res.headers['retry-after']).toBeDefined();
      expect(res.body).toMatchObject({ status: 503, type: 'https://lisplan.se/problems/unavailable', detail: 'The workflow engine is unreachable or did not answer in time.' });
      expect(JSON.stringify(res.body)).not.toMatch(/at .*\.js:\d+/);
    } finally {
      await stack.env.client.workflow.getHandle(id).terminate('test over');
    }
  });

  it('replays the first response for a repeated Idempotency-Key, and refuses the key for another request', async () => {
    const { id } = await create('idempotens');
    const first = await as(OWNER).post(`/api/v1/activities/${id}/comments`, { text: 'En gång' }, { 'Idempotency-Key': 'k-1' });
    const repeat = await as(OWNER).post(`/api/v1/activities/${id}/comments`, { text: 'En gång' }, { 'Idempotency-Key': 'k-1' });
    expect(first.status).toBe(200);
    expect(repeat.status).toBe(200);
    expect(repeat.headers['idempotent-replayed']).toBe('true');
    expect(repeat.body).toEqual(first.body);
    expect(first.body.state.entries).toHaveLength(1);
    const other = await as(OWNER).post(`/api/v1/activities/${id}/comments`, { text: 'Något annat' }, { 'Idempotency-Key': 'k-1' });
    expect(other.status).toBe(422);
    // The workflow holds the same guarantee even without the response cache.
    await stack.models.idempotencyKeys.deleteMany({});
    const afterCacheLoss = await as(OWNER).post(`/api/v1/activities/${id}/comments`, { text: 'En gång' }, { 'Idempotency-Key': 'k-1' });
    expect(afterCacheLoss.body).toMatchObject({ duplicate: true, version: 2 });
    await projected(stack, id, 2);
    expect(await stack.models.auditEvents.countDocuments({ activityId: id })).toBe(2);
  });

  it('serialises concurrent writers: every change lands once, and a stale If-Match loses', async () => {
    const { id } = await create('samtidigt');
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => as(OWNER).post(`/api/v1/activities/${id}/comments`, { text: `Kommentar ${i}` })));
    expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(results.map((r) => r.body.version).sort((a: number, b: number) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);

    const racing = await Promise.all(Array.from({ length: 4 }, (_, i) => as(OWNER).post(`/api/v1/activities/${id}/comments`, { text: `Race ${i}` }, { 'If-Match': '"9"' })));
    expect(racing.map((r) => r.status).sort()).toEqual([200, 412, 412, 412]);
    await projected(stack, id, 10);
    expect((await stack.models.activities.findById(id).lean())!.entries).toHaveLength(9);
  });

  it('answers 409 with the domain reason for an illegal change, and 404 for an unknown activity', async () => {
    const { id } = await create('olaglig');
    const res = await as(COORD).post(`/api/v1/activities/${id}/verify`, { comment: 'x' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ type: 'https://lisplan.se/problems/illegal-transition', detail: 'Det går inte att verifiera en aktivitet som är planerad.' });
    expect((await as(OWNER).post(`/api/v1/activities/${A('finns-inte')}/comments`, { text: 'x' })).status).toBe(404);
    expect((await as(OWNER).get(`/api/v1/activities/${A('finns-inte')}`)).status).toBe(404);
  });

  it('lists with filters, sorting and a cursor that pages through without gaps or repeats', async () => {
    // Two past their due date, one ahead: overdue on any day the test runs.
    for (const [key, dueDate, area] of [['lista-a', daysFromToday(-120), 'utbildning'], ['lista-b', daysFromToday(-60), 'utbildning'], ['lista-c', daysFromToday(120), 'utbildning']] as const) {
      await create(key, { dueDate, area });
    }
    const c = await as(COORD).post(`/api/v1/activities/${A('lista-c')}/start`);
    expect(c.status).toBe(200);
    await projected(stack, A('lista-c'), 2);

    const list = (q: string) => as(OWNER).get(`/api/v1/organisations/sodermalm/activities?${q}`);
    expect((await list('area=utbildning&status=in-progress')).body.items.map((a: { key: string }) => a.key)).toEqual(['lista-c']);
    expect((await list(`area=utbildning&dueBefore=${today()}&sort=-dueDate`)).body.items.map((a: { key: string }) => a.key)).toEqual(['lista-b', 'lista-a']);
    expect((await list(`area=utbildning&owner=me&year=${YEAR}`)).body.items).toHaveLength(3);
    const overdue = (await list('area=utbildning&overdue=true')).body.items.map((a: { key: string; overdue: boolean }) => [a.key, a.overdue]);
    expect(overdue).toEqual([['lista-a', true], ['lista-b', true]]);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: request.Response = await list(`limit=2&sort=title${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((a: { id: string }) => a.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(await stack.models.activities.countDocuments({ orgId: 'sodermalm' }));

    expect((await list('cursor=inte-en-markör')).status).toBe(400);
    // Operators never reach the store: bracket keys are unknown query parameters.
    const injection = await list('status[$ne]=cancelled');
    expect(injection.status).toBe(400);
    expect((await list('owner[$gt]=')).status).toBe(400);
  });

  it('shows an owner their open tasks, and a förvaltningschef and a valid delegate what waits for them', async () => {
    const { id } = await create('mina-sidor');
    await projected(stack, id, 1);
    const tasks = await as(OWNER).get('/api/v1/me/tasks').expect(200);
    expect(tasks.body.find((t: { activityId: string }) => t.activityId === id)).toMatchObject({ taskId: 'genomfor', dueDate: DUE });

    await as(OWNER).post(`/api/v1/activities/${id}/tasks/genomfor/complete`).expect(200);
    await as(OWNER).post(`/api/v1/activities/${id}/milestones/slutford/submit`).expect(200);
    await as(OWNER).post(`/api/v1/activities/${A('lista-a')}/extensions`, { proposedDueDate: quietDueDate(30), reason: 'Leverantören är sen' }).expect(200);
    await projected(stack, id, 3);
    await projected(stack, A('lista-a'), 2);

    const headWaits = await as(HEAD).get('/api/v1/me/approvals').expect(200);
    expect(headWaits.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'milestone', activityId: id, milestoneId: 'slutford' }),
        expect.objectContaining({ kind: 'extension', activityId: A('lista-a'), proposedDueDate: quietDueDate(30) }),
      ]),
    );
    expect((await as(DEPUTY).get('/api/v1/me/approvals').expect(200)).body).toEqual([]);

    await as(HEAD).post('/api/v1/organisations/sodermalm/delegations', { fromUserId: HEAD.id, toUserId: DEPUTY.id, role: 'head-of-administration', validFrom: today(), validTo: daysFromToday(365) }).expect(201);
    const deputyWaits = await as(DEPUTY).get('/api/v1/me/approvals').expect(200);
    expect(deputyWaits.body).toEqual([expect.objectContaining({ kind: 'milestone', activityId: id, onBehalfOf: expect.objectContaining({ userId: HEAD.id }) })]);
    const approved = await as(DEPUTY).post(`/api/v1/activities/${id}/milestones/slutford/approve`, { comment: 'Enligt delegation' });
    expect(approved.status).toBe(200);
    expect(approved.body.state.milestones[0].decisions[0]).toMatchObject({ by: { userId: DEPUTY.id }, onBehalfOf: { userId: HEAD.id } });
  });

  it('takes KPI figures from a coordinator and shows the audit trail with its chain verified', async () => {
    await as(COORD).put(`/api/v1/organisations/sodermalm/kpis/certifierade-medarbetare/${YEAR}`, { value: 812, name: 'Antal certifierade medarbetare' }).expect(200);
    await as(COORD).put(`/api/v1/organisations/sodermalm/kpis/certifierade-medarbetare/${YEAR - 1}`, { value: 773 }).expect(200);
    const kpis = await as(OWNER).get('/api/v1/organisations/sodermalm/kpis').expect(200);
    expect(kpis.body).toEqual([{ id: 'certifierade-medarbetare', name: 'Antal certifierade medarbetare', kind: 'count', values: [{ year: YEAR - 1, value: 773 }, { year: YEAR, value: 812 }] }]);
    expect((await as(COORD).put(`/api/v1/organisations/sodermalm/kpis/ny-serie/${YEAR}`, { value: 1 })).status).toBe(400);

    const audit = await as(OWNER).get(`/api/v1/activities/${A('idempotens')}/audit`).expect(200);
    expect(audit.body.events.map((e: { action: string }) => e.action)).toEqual(['created', 'add-comment']);
    expect(audit.body.verification).toMatchObject({ ok: true, problems: [] });
  });

  it('keeps a small evidence file, attaches it, and serves it only within the organisation', async () => {
    const { id } = await create('underlag');
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2048, 7)]);
    const upload = (name: string, type: string, body: Buffer) =>
      request(app).post(`/api/v1/activities/${id}/files`).set('authorization', auth[OWNER.id]!).set('content-type', type).set('x-filename', encodeURIComponent(name)).send(body);
    const up = await upload('Riskanalys 2026.pdf', 'application/pdf', pdf);
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({ id: expect.stringMatching(/^fil-/), name: 'Riskanalys 2026.pdf', size: pdf.length, contentType: 'application/pdf', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const attached = await as(OWNER).post(`/api/v1/activities/${id}/evidence`, { text: 'Fastställd analys', file: up.body }).expect(200);
    expect(attached.body.state.entries[0]).toMatchObject({ kind: 'evidence', file: { id: up.body.id } });

    const down = await request(app).get(`/api/v1/activities/${id}/files/${up.body.id}`).set('authorization', auth[DEPUTY.id]!).buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(down.status).toBe(200);
    expect(Buffer.compare(down.body as Buffer, pdf)).toBe(0);
    expect(down.headers['content-disposition']).toBe("attachment; filename*=UTF-8''Riskanalys%202026.pdf");
    const outsider = await bearerFor(stack.models, { id: 'a-fk', name: 'FK', memberships: [{ orgId: 'fastighetskontoret', roles: ['viewer'] }] });
    expect((await request(app).get(`/api/v1/activities/${id}/files/${up.body.id}`).set('authorization', outsider)).status).toBe(403);

    expect((await upload('../../etc/passwd', 'text/plain', Buffer.from('x'))).status).toBe(400);
    const malformed = await request(app).post(`/api/v1/activities/${id}/files`).set('authorization', auth[OWNER.id]!).set('content-type', 'text/plain').set('x-filename', 'rapport%zz.txt').send('x');
    expect(malformed.status).toBe(400);
    expect((await upload('skript.sh', 'application/x-sh', Buffer.from('rm -rf /'))).status).toBe(415);
    expect((await upload('stor.pdf', 'application/pdf', Buffer.alloc(1024 * 1024 + 1))).status).toBe(413);
    expect(await stack.models.evidenceFiles.countDocuments({ activityId: id })).toBe(1);
  });

  it('makes personal tokens that are shown once, scoped, and revocable', async () => {
    // A token cannot mint tokens: that takes a login (OIDC), tested with the provider.
    expect((await as(COORD).post('/api/v1/me/tokens', { name: 'skript', orgId: 'sodermalm' })).status).toBe(403);
    const list = await as(COORD).get('/api/v1/me/tokens').expect(200);
    expect(list.body[0]).not.toHaveProperty('token');
    expect(JSON.stringify(list.body)).not.toMatch(/lp_/);
  });
});
