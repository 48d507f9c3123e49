import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createOidcBearerVerifier } from '../../src/http/auth/oidc';
import { bearerFor, testApp } from '../support/api';
import { daysFromToday, instantFromNow, quietDueDate, thisYear } from '../support/calendar';
import { eventually } from '../support/eventually';
import { startOidcProvider, UI_CLIENT_ID, type TestOidcProvider } from '../support/oidc';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * No write is lost under concurrency (issue 15, item 3). Each kind of document that can have
 * more than one writer gets 40 concurrent writes through the API, against the real servers,
 * and every one of them must be kept: 40 changes to one document are 40 changes in it, and
 * writes that replace one another leave the state of one of them, never a mix or an older one.
 * Where the rules refuse a write (a stale If-Match, a second copy), the refusal is a clear
 * 4xx answer, never a silent loss.
 *
 * Activities and reviews have one writer by design: their Temporal workflow applies every
 * change as an Update, one at a time, and the API never writes their documents. The review
 * case shows that 40 edits sent at once through the API all become revisions.
 */

const N = 40;
const YEAR = thisYear();
const times = <T>(fn: (i: number) => T): T[] => Array.from({ length: N }, (_, i) => fn(i));
const pad = (i: number) => String(i).padStart(2, '0');
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** The record of a user's Idempotency-Key, and the hash of the request it is for (path within /api/v1), as src/api/idempotency.ts makes them. */
const recordId = (userId: string, key: string) => sha256(`${userId}\u0000${key}`);
const requestHash = (method: string, path: string, body: unknown) => sha256(`${method} ${path} ${JSON.stringify(body)}`);

const ROLE_MAP = JSON.stringify({ 'lisplan-tokens-samordnare': [{ orgId: 'tokens', role: 'security-coordinator' }] });

describe(`${N} concurrent writers`, () => {
  let stack: TestStack;
  let provider: TestOidcProvider;
  let server: http.Server;
  let api: (method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string, auth: string) => request.Test;

  beforeAll(async () => {
    stack = await startTestStack({ env: { RATE_LIMIT_PER_MINUTE: '100000' } });
    provider = await startOidcProvider([{ sub: 'tok-1', name: 'Tove Token', email: 'tove@example.se', groups: ['lisplan-tokens-samordnare'] }]);
    const app = testApp(stack, { oidc: createOidcBearerVerifier({ issuer: provider.issuer, clientId: UI_CLIENT_ID, audience: 'lisplan-api', rolesClaim: 'groups', roleMap: ROLE_MAP }) });
    // One listening server for all requests, as a deployment has: the 40 requests of a case
    // are in flight together on it.
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    api = (method, path, auth) => request(base)[method](path).set('authorization', auth);
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await provider?.stop();
    await stack?.close();
  });

  const organisation = (id: string) => ({ _id: id, name: `Förvaltning ${id}`, plan: { startYear: YEAR, endYear: YEAR + 2 }, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() });
  const statuses = (responses: { status: number }[]) => responses.map((r) => r.status);
  /** How many answers had each status, and the first answer that was not `expected`, to read on failure. */
  const tally = (responses: { status: number; body: unknown }[], expected: number) => ({
    statuses: responses.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {}),
    unexpected: responses.find((r) => r.status !== expected)?.body,
  });
  const allAnswered = (responses: { status: number; body: unknown }[], status: number) => expect(tally(responses, status)).toEqual({ statuses: { [status]: responses.length }, unexpected: undefined });

  describe('users and their preferences', () => {
    const ORGS = times((i) => `medlem-${pad(i)}`);
    const admins: string[] = [];
    let person: string;

    beforeAll(async () => {
      await stack.models.organisations.create([organisation('hem'), ...ORGS.map(organisation)]);
      for (const [i, orgId] of ORGS.entries()) admins.push(await bearerFor(stack.models, { id: `admin-${pad(i)}`, name: `Admin ${i}`, memberships: [{ orgId, roles: ['admin'] }] }));
      person = await bearerFor(stack.models, { id: 'maria', name: 'Maria Medlem', memberships: [{ orgId: 'hem', roles: ['viewer'] }] });
    });

    const membershipsOf = async (userId: string) =>
      Object.fromEntries(((await stack.models.users.findById(userId).lean())?.memberships ?? []).map((m) => [m.orgId, [...m.roles].sort()]));

    it(`keeps all ${N} memberships that ${N} administrators give one person at once, and the preference the person sets meanwhile`, async () => {
      const preferences = ['immediate', 'digest', 'both'] as const;
      const [roles, prefs] = await Promise.all([
        Promise.all(times((i) => api('put', `/api/v1/organisations/${ORGS[i]}/users/maria`, admins[i]!).send({ roles: ['viewer'] }))),
        Promise.all(times((i) => api('put', '/api/v1/me/preferences', person).send({ notifications: preferences[i % 3] }))),
      ]);
      allAnswered(roles, 200);
      allAnswered(prefs, 200);
      const kept = await membershipsOf('maria');
      expect({ kept: Object.keys(kept).length, memberships: kept }).toEqual({ kept: N + 1, memberships: Object.fromEntries([['hem', ['viewer']], ...ORGS.map((o) => [o, ['viewer']])]) });
      expect(preferences).toContain((await stack.models.users.findById('maria').lean())?.notificationPreference);
    });

    it(`keeps every one of ${N} role changes and removals made at once`, async () => {
      await stack.models.users.updateOne({ _id: 'maria' }, { $set: { memberships: [{ orgId: 'hem', roles: ['viewer'] }, ...ORGS.map((orgId) => ({ orgId, roles: ['viewer'] }))] } });
      // Even organisations remove her, odd ones give her a second role.
      const res = await Promise.all(times((i) => api('put', `/api/v1/organisations/${ORGS[i]}/users/maria`, admins[i]!).send({ roles: i % 2 ? ['viewer', 'it-coordinator'] : [] })));
      allAnswered(res, 200);
      const after = await membershipsOf('maria');
      const kept = ORGS.filter((o, i) => JSON.stringify(after[o]) === JSON.stringify(i % 2 ? ['it-coordinator', 'viewer'] : undefined)).length;
      expect({ kept, memberships: after }).toEqual({ kept: N, memberships: Object.fromEntries([['hem', ['viewer']], ...ORGS.filter((_, i) => i % 2).map((o) => [o, ['it-coordinator', 'viewer']])]) });
    });

    it(`keeps all ${N} memberships when ${N} administrators add the same new person at once`, async () => {
      const res = await Promise.all(times((i) => api('put', `/api/v1/organisations/${ORGS[i]}/users/nils`, admins[i]!).send({ name: 'Nils Ny', email: 'nils@example.se', roles: ['viewer'] })));
      allAnswered(res, 200);
      const kept = await membershipsOf('nils');
      expect({ kept: Object.keys(kept).length, memberships: kept }).toEqual({ kept: N, memberships: Object.fromEntries(ORGS.map((o) => [o, ['viewer']])) });
      expect(await stack.models.users.findById('nils').lean()).toMatchObject({ name: 'Nils Ny', email: 'nils@example.se', cityViewer: false, demo: false });
    });
    it('still keeps the rules: a new person needs a name and email, and only who administers all of a person’s organisations renames them', async () => {
      await api('put', `/api/v1/organisations/${ORGS[0]}/users/olle`, admins[0]!).send({ roles: ['viewer'] }).expect(400);
      await api('put', `/api/v1/organisations/${ORGS[0]}/users/olle`, admins[0]!).send({ name: 'Olle Ett', email: 'olle@example.se', roles: ['viewer'] }).expect(200);
      await api('put', `/api/v1/organisations/${ORGS[1]}/users/olle`, admins[1]!).send({ roles: ['it-coordinator'] }).expect(200);
      // Olle has roles in two organisations now, and neither administrator runs both.
      const refused = await api('put', `/api/v1/organisations/${ORGS[0]}/users/olle`, admins[0]!).send({ name: 'Olle Två', roles: [] });
      expect({ status: refused.status, detail: refused.body.detail }).toEqual({ status: 403, detail: expect.stringContaining('Namn och e-post') });
      // The same name is no rename; removing him from the one organisation leaves the other.
      await api('put', `/api/v1/organisations/${ORGS[0]}/users/olle`, admins[0]!).send({ name: 'Olle Ett', roles: [] }).expect(200);
      const renamed = await api('put', `/api/v1/organisations/${ORGS[1]}/users/olle`, admins[1]!).send({ name: 'Olle Två', email: 'olle.tva@example.se', roles: ['it-coordinator', 'viewer'] }).expect(200);
      expect(renamed.body).toEqual({ userId: 'olle', name: 'Olle Två', email: 'olle.tva@example.se', roles: ['it-coordinator', 'viewer'] });
      expect(await stack.models.users.findById('olle').lean()).toMatchObject({ name: 'Olle Två', memberships: [{ orgId: ORGS[1], roles: ['it-coordinator', 'viewer'] }] });
    });
  });

  describe('organisations', () => {
    let coordinator: string;
    beforeAll(async () => {
      await stack.models.organisations.create(organisation('samtidig'));
      coordinator = await bearerFor(stack.models, { id: 'org-samordnare', name: 'Olga Samordnare', memberships: [{ orgId: 'samtidig', roles: ['security-coordinator', 'admin'] }] });
    });

    it(`applies ${N} PATCHes of different fields at once without one reverting another`, async () => {
      const FIELDS = ['name', 'board', 'plan', 'areas', 'goals'] as const;
      const valueOf = (i: number) => {
        switch (FIELDS[i % FIELDS.length]) {
          case 'name':
            return { name: `Samtidig förvaltning ${i}` };
          case 'board':
            return { board: `Nämnd ${i}` };
          case 'plan':
            return { plan: { startYear: YEAR, endYear: YEAR + 2, source: `Plan ${i}` } };
          case 'areas':
            return { areas: [{ id: 'ai', name: `AI ${i}` }] };
          default:
            return { goals: [{ id: `mal-${i}`, kind: 'nämndmål', title: `Mål ${i}`, expectedResults: [] }] };
        }
      };
      const res = await Promise.all(times((i) => api('patch', '/api/v1/organisations/samtidig', coordinator).send(valueOf(i))));
      allAnswered(res, 200);
      const org = (await stack.models.organisations.findById('samtidig').lean())!;
      // Each field holds a value one of the writes to that field gave it.
      for (const field of FIELDS) {
        const written = times(valueOf).filter((v) => field in v).map((v) => JSON.stringify((v as Record<string, unknown>)[field]));
        expect({ field, kept: written.includes(JSON.stringify(org[field])) }).toEqual({ field, kept: true });
      }
    });

    it(`creates ${N} different organisations at once, and one of ${N} with the same id`, async () => {
      const body = (id: string) => ({ id, name: `Ny ${id}`, plan: { startYear: YEAR, endYear: YEAR + 2 }, areas: [{ id: 'ai', name: 'AI' }] });
      const different = await Promise.all(times((i) => api('post', '/api/v1/organisations', coordinator).send(body(`ny-${pad(i)}`))));
      allAnswered(different, 201);
      expect(await stack.models.organisations.countDocuments({ _id: { $regex: /^ny-/ } })).toBe(N);
      const same = await Promise.all(times(() => api('post', '/api/v1/organisations', coordinator).send(body('samma'))));
      expect(tally(same, 409).statuses).toEqual({ 201: 1, 409: N - 1 });
    });
  });

  describe('KPI values', () => {
    it(`keeps ${N} years of one series written at once`, async () => {
      await stack.models.organisations.create(organisation('nyckeltal'));
      const coordinator = await bearerFor(stack.models, { id: 'kpi-samordnare', name: 'Kim Samordnare', memberships: [{ orgId: 'nyckeltal', roles: ['security-coordinator'] }] });
      const res = await Promise.all(times((i) => api('put', `/api/v1/organisations/nyckeltal/kpis/klassningar/${2001 + i}`, coordinator).send({ value: 100 + i, name: 'Antal informationsklassningar', unit: 'st' })));
      allAnswered(res, 200);
      const series = (await api('get', '/api/v1/organisations/nyckeltal/kpis', coordinator).expect(200)).body as { id: string; values: { year: number; value: number }[] }[];
      expect(series.map((s) => s.id)).toEqual(['klassningar']);
      expect(series[0]!.values).toEqual(times((i) => ({ year: 2001 + i, value: 100 + i })));
    });
  });

  describe('notifications read state', () => {
    const notice = (id: string, fields: Record<string, unknown>, minutes: number) =>
      stack.models.notifications.create({ _id: id, orgId: 'inkorg', kind: 'decision', activityTitle: 'Samtidigt', dueAt: instantFromNow(-1), createdAt: new Date(instantFromNow(-1).getTime() + minutes * 60_000), status: 'sent', attempts: 0, details: { outcome: 'approved' }, ...fields });

    beforeAll(() => stack.models.organisations.create(organisation('inkorg')));

    it(`marks ${N} notices of one person read at once, with read-all running among them`, async () => {
      const me = await bearerFor(stack.models, { id: 'lasa', name: 'Lisa Läsare', memberships: [{ orgId: 'inkorg', roles: ['it-coordinator'] }] });
      const ids = times((i) => `inkorg.${YEAR}.a${pad(i)}|v2-beslut-slutford`);
      for (const [i, id] of ids.entries()) await notice(id, { activityId: `inkorg.${YEAR}.a${pad(i)}`, recipientRole: 'it-coordinator', recipientUserId: 'lasa' }, i);
      const [reads, all] = await Promise.all([
        Promise.all(ids.map((id) => api('post', `/api/v1/me/notifications/${encodeURIComponent(id)}/read`, me))),
        api('post', '/api/v1/me/notifications/read-all', me),
      ]);
      allAnswered(reads, 204);
      expect(all.status).toBe(200);
      expect((await api('get', '/api/v1/me/notifications', me).expect(200)).body.unread).toBe(0);
      const docs = await stack.models.notifications.find({ _id: { $in: ids } }).lean();
      expect(docs.map((d) => d.readBy)).toEqual(times(() => ['lasa']));
    });

    it(`keeps all ${N} readers of one notice to a role, reading it at once`, async () => {
      const id = `inkorg.${YEAR}.roll|v2-att-godkanna-slutford`;
      await notice(id, { activityId: `inkorg.${YEAR}.roll`, kind: 'escalation', recipientRole: 'information-owner' }, 100);
      const readers = await Promise.all(times((i) => bearerFor(stack.models, { id: `agare-${pad(i)}`, name: `Ägare ${i}`, memberships: [{ orgId: 'inkorg', roles: ['information-owner'] }] })));
      const res = await Promise.all(readers.map((auth) => api('post', `/api/v1/me/notifications/${encodeURIComponent(id)}/read`, auth)));
      allAnswered(res, 204);
      const readBy = (await stack.models.notifications.findById(id).lean())?.readBy ?? [];
      expect({ kept: readBy.length, readBy: [...readBy].sort() }).toEqual({ kept: N, readBy: times((i) => `agare-${pad(i)}`) });
    });
  });

  describe('delegations', () => {
    let head: string;
    beforeAll(async () => {
      await stack.models.organisations.create(organisation('delegering'));
      head = await bearerFor(stack.models, { id: 'd-chef', name: 'Dag Chef', memberships: [{ orgId: 'delegering', roles: ['head-of-administration'] }] });
      for (let i = 0; i < N; i++) await bearerFor(stack.models, { id: `d-ersattare-${pad(i)}`, name: `Ersättare ${i}`, memberships: [{ orgId: 'delegering', roles: ['viewer'] }] });
    });
    const delegation = (to: number, days = 30) => ({ fromUserId: 'd-chef', toUserId: `d-ersattare-${pad(to)}`, role: 'head-of-administration', validFrom: daysFromToday(1), validTo: daysFromToday(days) });

    it(`keeps ${N} delegations made at once, and ends all ${N} at once`, async () => {
      const made = await Promise.all(times((i) => api('post', '/api/v1/organisations/delegering/delegations', head).send(delegation(i))));
      allAnswered(made, 201);
      const list = (await api('get', '/api/v1/organisations/delegering/delegations', head).expect(200)).body as { id: string; to: { userId: string }; ended: boolean }[];
      expect(list.map((d) => d.to.userId).sort()).toEqual(times((i) => `d-ersattare-${pad(i)}`));

      const ended = await Promise.all(list.map((d) => api('post', `/api/v1/organisations/delegering/delegations/${d.id}/end`, head)));
      allAnswered(ended, 200);
      expect(await stack.models.delegations.countDocuments({ orgId: 'delegering', endedAt: { $exists: true } })).toBe(N);
    });

    it(`makes one of ${N} identical delegations sent at once, and refuses the other ${N - 1} as copies`, async () => {
      const res = await Promise.all(times(() => api('post', '/api/v1/organisations/delegering/delegations', head).send(delegation(0, 60))));
      expect(tally(res, 400)).toMatchObject({ statuses: { 201: 1, 400: N - 1 } });
      expect(res.filter((r) => r.status === 400).map((r) => r.body.errors?.[0]?.message)).toEqual(times(() => expect.stringMatching(/^the same delegation already exists/)).slice(1));
      expect(await stack.models.delegations.countDocuments({ orgId: 'delegering', 'to.userId': 'd-ersattare-00', validTo: daysFromToday(60) })).toBe(1);
    });
  });

  describe('tokens', () => {
    it(`keeps ${N} API tokens one person makes at once, each working, and revokes all ${N} at once`, async () => {
      // Tokens are made by a logged-in person (an API token cannot make more): a real login.
      const login = `Bearer ${(await provider.tokenFor('tok-1')).accessToken}`;
      await stack.models.organisations.create(organisation('tokens'));
      const made = await Promise.all(times((i) => api('post', '/api/v1/me/tokens', login).send({ name: `skript ${i}`, orgId: 'tokens' })));
      allAnswered(made, 201);
      const listed = (await api('get', '/api/v1/me/tokens', login).expect(200)).body as { id: string; name: string; revoked: boolean }[];
      expect({ kept: listed.length, names: listed.map((t) => t.name).sort() }).toEqual({ kept: N, names: times((i) => `skript ${i}`).sort() });
      const me = await Promise.all(made.map((m) => api('get', '/api/v1/me', `Bearer ${m.body.token}`)));
      allAnswered(me, 200);

      const revoked = await Promise.all(listed.map((t) => api('delete', `/api/v1/me/tokens/${t.id}`, login)));
      allAnswered(revoked, 204);
      expect(((await api('get', '/api/v1/me/tokens', login).expect(200)).body as { revoked: boolean }[]).every((t) => t.revoked)).toBe(true);
    });

    it(`leaves exactly one working calendar address after ${N} rotations at once`, async () => {
      await stack.models.organisations.create(organisation('kalender'));
      const me = await bearerFor(stack.models, { id: 'kal', name: 'Kalle Kalender', memberships: [{ orgId: 'kalender', roles: ['it-coordinator'] }] });
      const made = await Promise.all(times(() => api('post', '/api/v1/me/calendar-feed', me)));
      allAnswered(made, 201);
      const fetched = await Promise.all(made.map((m) => request(server).get(new URL(m.body.url as string).pathname)));
      expect(tally(fetched, 404).statuses).toEqual({ 200: 1, 404: N - 1 });
      await api('delete', '/api/v1/me/calendar-feed', me).expect(204);
      expect(statuses(await Promise.all(made.map((m) => request(server).get(new URL(m.body.url as string).pathname))))).toEqual(times(() => 404));
    });
  });

  describe('idempotency records', () => {
    let coordinator: string;
    let activityId: string;
    beforeAll(async () => {
      await stack.models.organisations.create(organisation('nyckel'));
      coordinator = await bearerFor(stack.models, { id: 'nyckel-samordnare', name: 'Nora Samordnare', memberships: [{ orgId: 'nyckel', roles: ['security-coordinator'] }] });
      const created = await api('post', '/api/v1/organisations/nyckel/activities', coordinator)
        .send({ key: 'samtidig', year: YEAR, dueDate: quietDueDate(), title: 'Samtidiga kommentarer', area: 'ai', owner: { role: 'security-coordinator' } })
        .expect(201);
      activityId = created.body.id;
      await eventually(async () => (await stack.models.activities.exists({ _id: activityId })) ?? undefined, 'the projection');
    });

    it(`gives ${N} requests with one Idempotency-Key one effect and ${N} equal answers`, async () => {
      const res = await Promise.all(times(() => api('post', `/api/v1/activities/${activityId}/comments`, coordinator).set('idempotency-key', 'en-kommentar').send({ text: 'Bara en gång' })));
      allAnswered(res, 200);
      const activity = (await api('get', `/api/v1/activities/${activityId}`, coordinator).expect(200)).body as { entries: { text?: string }[]; version: number };
      expect({ effects: activity.entries.filter((e) => e.text === 'Bara en gång').length, version: activity.version }).toEqual({ effects: 1, version: 2 });
      expect({ distinctAnswers: new Set(res.map((r) => JSON.stringify(r.body))).size }).toEqual({ distinctAnswers: 1 });
      expect(new Set(res.map((r) => r.headers.etag))).toEqual(new Set(['"2"']));
    });
    it(`gives all ${N} requests with one key the refusal when the workflow refuses it, and replays none`, async () => {
      const res = await Promise.all(times(() => api('post', `/api/v1/activities/${activityId}/comments`, coordinator).set('idempotency-key', 'inaktuell').set('if-match', '"1"').send({ text: 'För sent' })));
      expect(tally(res, 412).statuses).toEqual({ 412: N });
      expect(await stack.models.idempotencyKeys.exists({ _id: recordId('nyckel-samordnare', 'inaktuell') })).toBeNull();
    });

    it('runs a request whose key another API process claimed and then stopped renewing (it died)', async () => {
      const dead = { requestHash: requestHash('POST', `/activities/${activityId}/comments`, { text: 'Efter kraschen' }), claim: 'en-annan-process', createdAt: new Date() };
      await stack.models.idempotencyKeys.create({ _id: recordId('nyckel-samordnare', 'efter-krasch'), ...dead, claimedUntil: new Date(Date.now() + 1_500) });
      const started = Date.now();
      const res = await Promise.all(times(() => api('post', `/api/v1/activities/${activityId}/comments`, coordinator).set('idempotency-key', 'efter-krasch').send({ text: 'Efter kraschen' })));
      allAnswered(res, 200);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
      expect({ distinctAnswers: new Set(res.map((r) => JSON.stringify(r.body))).size }).toEqual({ distinctAnswers: 1 });
      const activity = (await api('get', `/api/v1/activities/${activityId}`, coordinator).expect(200)).body as { entries: { text?: string }[] };
      expect(activity.entries.filter((e) => e.text === 'Efter kraschen')).toHaveLength(1);
    });
  });

  describe('reviews (one writer by design: the review workflow)', () => {
    let coordinator: string;
    const year = 2045;
    const base = `/api/v1/organisations/granskning/reviews/${year}`;
    beforeAll(async () => {
      await stack.models.organisations.create(organisation('granskning'));
      coordinator = await bearerFor(stack.models, { id: 'lg-samordnare', name: 'Greta Samordnare', memberships: [{ orgId: 'granskning', roles: ['security-coordinator'] }] });
      await api('post', base, coordinator).send({}).expect(201);
    });
    /** 40 sections of the review: four parts of each of ten areas. */
    const section = (i: number) => `omrade:omr-${pad(Math.floor(i / 4))}:${['lage', 'behov', 'utmaningar', 'forslag'][i % 4]}`;
    const current = async () => (await api('get', base, coordinator).expect(200)).body.review as { revision: number; narrative: Record<string, string>; revisions: { revision: number; sectionId: string; text: string }[] };

    it(`makes ${N} section edits sent at once ${N} revisions`, async () => {
      const before = await current();
      const res = await Promise.all(times((i) => api('put', `${base}/sections/${encodeURIComponent(section(i))}`, coordinator).send({ text: `Text ${i}` })));
      allAnswered(res, 200);
      expect(res.map((r) => r.body.revision).sort((a, b) => a - b)).toEqual(times((i) => before.revision + 1 + i));
      const after = await current();
      expect(after.revision).toBe(before.revision + N);
      expect(times((i) => after.narrative[section(i)])).toEqual(times((i) => `Text ${i}`));
      expect(after.revisions.filter((r) => r.sectionId.startsWith('omrade:omr-'))).toHaveLength(N);
    });

    it(`accepts one of ${N} edits made from the same revision and refuses the rest with 412`, async () => {
      const before = await current();
      const res = await Promise.all(times((i) => api('put', `${base}/sections/sammanfattning`, coordinator).set('if-match', `"${before.revision}"`).send({ text: `Version ${i}` })));
      expect(tally(res, 412)).toMatchObject({ statuses: { 200: 1, 412: N - 1 } });
      expect(new Set(res.filter((r) => r.status === 412).map((r) => r.body.type))).toEqual(new Set(['https://lisplan.se/problems/stale-version']));
      const winner = res.find((r) => r.status === 200)!;
      const after = await current();
      expect(after.revision).toBe(before.revision + 1);
      expect(after.narrative.sammanfattning).toBe(winner.body.state.narrative.sammanfattning);
    });

    it(`gives ${N} edits with one Idempotency-Key one revision and ${N} equal answers`, async () => {
      const before = await current();
      const res = await Promise.all(times(() => api('put', `${base}/sections/inledning`, coordinator).set('idempotency-key', 'ett-avsnitt').send({ text: 'En gång' })));
      allAnswered(res, 200);
      expect({ revisions: (await current()).revision - before.revision }).toEqual({ revisions: 1 });
      expect({ distinctAnswers: new Set(res.map((r) => JSON.stringify(r.body))).size }).toEqual({ distinctAnswers: 1 });
    });
  });
});
