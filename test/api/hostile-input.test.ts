import type { Express } from 'express';
import request from 'supertest';
import { mintToken } from '../../src/services/people/api-tokens';
import { stateQuery } from '../../src/workflows/messages/activity';
import { bearerFor, testApp, type TestUser } from '../support/api';
import { eventually } from '../support/eventually';
import { startTestStack, type TestStack } from '../support/stack';
import { daysFromToday, quietDueDate, thisYear, today } from '../support/calendar';

const ORG = 'fientlig';
const COORD: TestUser = { id: 'h-samordnare', name: 'Hanna Samordnare', memberships: [{ orgId: ORG, roles: ['security-coordinator'] }] };
const YEAR = thisYear();
const OWNER: TestUser = { id: 'h-agare', name: 'Hugo Ägare', memberships: [{ orgId: ORG, roles: ['it-coordinator'] }] };
const HEAD: TestUser = { id: 'h-chef', name: 'Helga Chef', memberships: [{ orgId: ORG, roles: ['head-of-administration'] }] };
const ADMIN: TestUser = { id: 'h-admin', name: 'Harald Admin', memberships: [{ orgId: ORG, roles: ['admin'] }] };
/** Someone of another organisation, with no role in this one. */
const OUTSIDER: TestUser = { id: 'h-utomstaende', name: 'Ulla Utomstående', memberships: [{ orgId: 'annan-forvaltning', roles: ['head-of-administration'] }] };

/**
 * Input an attacker or a broken client sends. Each request gets a 4xx problem, never a 500,
 * and nothing is written: the store's collections and the activity's workflow are unchanged.
 * (Forged, unsigned and expired OIDC tokens against a real provider: test/api/oidc.test.ts.)
 */
describe('hostile input', () => {
  let stack: TestStack;
  let app: Express;
  let id: string;
  const auth: Record<string, string> = {};

  beforeAll(async () => {
    stack = await startTestStack();
    app = testApp(stack);
    await stack.models.organisations.create({ _id: ORG, name: 'Fientliga förvaltningen', plan: { startYear: YEAR, endYear: YEAR + 2 }, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() });
    for (const u of [COORD, OWNER, HEAD, ADMIN, OUTSIDER]) auth[u.id] = await bearerFor(stack.models, u);
    const created = await request(app)
      .post(`/api/v1/organisations/${ORG}/activities`)
      .set('authorization', auth[COORD.id]!)
      .send({ key: 'mal', year: YEAR, dueDate: quietDueDate(), title: 'Måltavla', area: 'ai', owner: { role: 'it-coordinator' }, template: 'ai-routines' });
    expect(created.status).toBe(201);
    id = created.body.id;
    // Both writes of the creation must have landed, or the first snapshot would miss one.
    await eventually(async () => ((await stack.models.auditEvents.countDocuments({ activityId: id })) === 1 ? true : undefined), 'first audit event');
    await eventually(async () => ((await stack.models.activities.findById(id).lean()) ? true : undefined), 'first projection');
  });
  afterAll(() => stack?.close());

  /** Everything a request could have written to. */
  const snapshot = async () => ({
    counts: Object.fromEntries(await Promise.all(Object.entries(stack.models).map(async ([name, m]) => [name, await (m as typeof stack.models.activities).countDocuments()]))),
    activity: await stack.models.activities.findById(id).lean(),
    version: (await stack.env.client.workflow.getHandle(id).query(stateQuery)).version,
  });

  const send = (method: 'post' | 'put' | 'get', path: string, who = OWNER) => request(app)[method](path).set('authorization', auth[who.id]!);
  const raw = (path: string, body: string | Buffer, contentType = 'application/json', method: 'post' | 'put' = 'post') =>
    send(method, path).set('content-type', contentType).send(body);

  /** `fields`, when given: the field each refusal must name (its problem's errors[].field). */
  async function expectRefusedWithoutEffect(requests: (() => PromiseLike<request.Response>)[], statuses: number[] = [400], fields?: string[]) {
    const before = await snapshot();
    for (const [i, r] of requests.entries()) {
      const res = await r();
      expect({ i, status: statuses.includes(res.status) ? 'refused' : res.status, body: res.body }).toMatchObject({ i, status: 'refused' });
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      if (fields) expect({ i, fields: (res.body.errors ?? []).map((e: { field: string }) => e.field) }).toEqual({ i, fields: [fields[i]] });
      expect(JSON.stringify(res.body)).not.toMatch(/\bat [\w.<>]+ \(|node_modules|Error:/);
    }
    // Writes are asynchronous (projection, audit): give a wrongly accepted one time to show.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(await snapshot()).toEqual(before);
  }

  const comments = () => `/api/v1/activities/${id}/comments`;

  it('refuses oversized bodies and very deeply nested JSON', async () => {
    const deep = '{"text":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}';
    await expectRefusedWithoutEffect(
      [
        () => send('post', comments()).send({ text: 'x'.repeat(200_000) }),
        () => raw(comments(), deep),
        () => raw(comments(), '{"text":' + '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000) + '}'),
      ],
      [400, 413],
    );
  });

  it('refuses invalid UTF-8 and NUL characters', async () => {
    const invalid = Buffer.concat([Buffer.from('{"text":"ogiltig '), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from('"}')]);
    await expectRefusedWithoutEffect([
      () => raw(comments(), invalid),
      () => raw(comments(), invalid, 'application/json; charset=utf-8'),
      () => raw(comments(), '{"text":"noll\\u0000tecken"}'),
      () => send('post', `/api/v1/activities/${id}/tasks`).send({ title: 'Uppgift\u0000' }),
      () => raw(comments(), '{"text":"latin1 \xe5"}', 'application/json; charset=latin1'),
    ], [400, 415]);
  });

  it('refuses NaN, Infinity and numbers beyond a double', async () => {
    const kpi = `/api/v1/organisations/${ORG}/kpis/incidenter/${YEAR}`;
    await expectRefusedWithoutEffect([
      () => raw(kpi, '{"name":"Incidenter","value":NaN}', 'application/json', 'put'),
      () => raw(kpi, '{"name":"Incidenter","value":Infinity}', 'application/json', 'put'),
      () => raw(kpi, '{"name":"Incidenter","value":1e999}', 'application/json', 'put'),
      () => raw(kpi, '{"name":"Incidenter","value":-1e999}', 'application/json', 'put'),
      () => raw(`/api/v1/organisations/${ORG}/activities`, JSON.stringify({ key: 'dyr', year: YEAR, title: 'Dyr', area: 'ai', owner: { role: 'it-coordinator' } }).replace(/}$/, ',"estimatedCost":-1e999}')),
    ].map((r) => () => r().set('authorization', auth[COORD.id]!)));
  });

  it('refuses keys with a dot or a leading $, and prototype-pollution keys', async () => {
    const create = (extra: string) =>
      raw(`/api/v1/organisations/${ORG}/activities`, JSON.stringify({ key: 'nyckel', year: YEAR, title: 'Nycklar', area: 'ai', owner: { role: 'it-coordinator' } }).replace(/}$/, `,${extra}}`)).set(
        'authorization',
        auth[COORD.id]!,
      );
    await expectRefusedWithoutEffect([
      () => create('"a.b":1'),
      () => create('"$set":{"status":"done"}'),
      () => raw(comments(), '{"text":"x","$where":"sleep(1000)"}'),
      () => raw(comments(), '{"text":{"$gt":""}}'),
      () => create('"__proto__":{"admin":true}'),
      () => create('"constructor":{"prototype":{"admin":true}}'),
      () => raw(comments(), '{"__proto__":{"text":"förorenad"}}'),
      () => raw(`/api/v1/activities/${id}/owner`, '{"userId":{"$ne":null},"name":"x"}'),
      () => raw(`/api/v1/activities/${id}/evidence`, '{"link":"https://x.se","file":{"$gt":""}}'),
    ]);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).text).toBeUndefined();
  });

  it('refuses NoSQL operators in list filters and ids', async () => {
    const list = `/api/v1/organisations/${ORG}/activities`;
    const before = await snapshot();
    for (const path of [
      `${list}?status[$gt]=`,
      `${list}?owner[$ne]=x`,
      `${list}?owner=${encodeURIComponent('{"$gt":""}')}`,
      `${list}?area=${encodeURIComponent('{"$regex":".*"}')}`,
      `${list}?year[$gt]=0`,
      `${list}?cursor=${Buffer.from(JSON.stringify([{ $gt: '' }, { $gt: '' }])).toString('base64url')}`,
      `${list}?sort=${encodeURIComponent('{"$natural":1}')}`,
      `/api/v1/organisations/${encodeURIComponent('{"$gt":""}')}/activities`,
      `/api/v1/activities/${encodeURIComponent('{"$gt":""}')}`,
    ]) {
      const res = await send('get', path);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
    }
    expect(await snapshot()).toEqual(before);
  });

  it('refuses path traversal in evidence file names and file ids', async () => {
    const upload = (name: string) =>
      send('post', `/api/v1/activities/${id}/files`).set('content-type', 'application/pdf').set('x-filename', name).send(Buffer.from('%PDF-1.4\n'));
    await expectRefusedWithoutEffect([
      () => upload(encodeURIComponent('../../../../etc/passwd')),
      () => upload('..%2F..%2Fetc%2Fpasswd'),
      () => upload(encodeURIComponent('..\\..\\windows\\win.ini')),
      () => upload(encodeURIComponent('/etc/passwd')),
      () => upload(encodeURIComponent('rapport.pdf\u0000.sh')),
      () => upload(encodeURIComponent('..')),
      () => raw(`/api/v1/activities/${id}/evidence`, JSON.stringify({ file: { id: 'fil-x', name: '../../etc/passwd', size: 1, contentType: 'application/pdf', sha256: 'a'.repeat(64) } })),
    ]);
    for (const path of [`/api/v1/activities/${id}/files/..%2F..%2Fetc%2Fpasswd`, `/api/v1/activities/${id}/files/${encodeURIComponent('{"$gt":""}')}`]) {
      const res = await send('get', path);
      expect({ path, status: res.status }).toEqual({ path, status: 400 });
    }
  });

  it('refuses bidirectional control characters in file names and person names', async () => {
    // U+202E shows "rapport\u202Efdp.exe" as "rapportexe.pdf"; the others isolate or mark direction.
    const upload = (name: string) =>
      send('post', `/api/v1/activities/${id}/files`).set('content-type', 'application/pdf').set('x-filename', encodeURIComponent(name)).send(Buffer.from('%PDF-1.4\n'));
    const fileRef = (name: string) => ({ id: 'fil-00000000-0000-0000-0000-000000000000', name, size: 9, contentType: 'application/pdf', sha256: 'a'.repeat(64) });
    const user = (name: string) => send('put', `/api/v1/organisations/${ORG}/users/h-ny`, ADMIN).send({ name, email: 'ny@fientlig.example', roles: ['viewer'] });
    await expectRefusedWithoutEffect([
      () => upload('rapport\u202Efdp.exe'),
      () => upload('\u2067rapport.pdf\u2069'),
      () => upload('protokoll\u200F.pdf'),
      () => send('post', `/api/v1/activities/${id}/evidence`).send({ file: fileRef('underlag\u202Etxt.exe') }),
      () => send('post', `/api/v1/activities/${id}/owner`, COORD).send({ userId: OWNER.id, name: 'Hugo \u202EÄgare' }),
      () => user('Eva \u202Enosslin'),
      () => user('\u2066Eva Nilsson'),
    ]);
    // The same names without the controls are accepted.
    await upload('rapport.pdf').expect(201);
    await user('Eva Nilsson').expect(200);
  });

  it('refuses delegations to oneself, to someone outside the organisation, a copy of one in force and one over a year', async () => {
    const path = `/api/v1/organisations/${ORG}/delegations`;
    const delegate = (body: object, who = HEAD) => send('post', path, who).send({ fromUserId: HEAD.id, toUserId: COORD.id, role: 'head-of-administration', validFrom: today(), validTo: daysFromToday(30), ...body });
    await delegate({}).expect(201);
    await expectRefusedWithoutEffect(
      [
        () => delegate({ toUserId: HEAD.id }),
        () => delegate({ toUserId: HEAD.id }, ADMIN),
        () => delegate({ toUserId: OUTSIDER.id }),
        () => delegate({ toUserId: 'h-finns-inte' }),
        () => delegate({}),
        () => delegate({}, ADMIN),
        () => delegate({ validTo: daysFromToday(100 * 365) }),
        () => delegate({ validTo: daysFromToday(367) }),
      ],
      [400],
      ['body.toUserId', 'body.toUserId', 'body.toUserId', 'body.toUserId', 'body', 'body', 'body.validTo', 'body.validTo'],
    );
    // A year is allowed, and so is the same delegation again once the first has ended.
    await delegate({ toUserId: OWNER.id, validTo: daysFromToday(365) }).expect(201);
    const first = (await stack.models.delegations.findOne({ orgId: ORG, 'to.userId': COORD.id }).lean())!;
    await send('post', `${path}/${first._id}/end`, HEAD).expect(200);
    await delegate({}).expect(201);
  });

  it('refuses a forged, unsigned or expired bearer token with 401', async () => {
    const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const unsigned = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: COORD.id, groups: ['lisplan-admin'], exp: 9_999_999_999 })}.`;
    const forged = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: COORD.id, exp: 9_999_999_999 })}.${'A'.repeat(43)}`;
    const guessed = `Bearer ${mintToken().token}`;
    const expired = await bearerFor(stack.models, { ...COORD, id: 'h-utgangen' }, { expiresAt: new Date(Date.now() - 1_000) });
    const before = await snapshot();
    for (const authorization of [`Bearer ${unsigned}`, `Bearer ${forged}`, guessed, expired, 'Bearer', 'Basic aDpo', `Bearer ${'x'.repeat(10_000)}`]) {
      const res = await request(app).post(comments()).set('authorization', authorization).send({ text: 'Inbrott' });
      expect({ authorization: authorization.slice(0, 30), status: res.status }).toEqual({ authorization: authorization.slice(0, 30), status: 401 });
      expect(res.headers['www-authenticate']).toBe('Bearer');
    }
    expect(await snapshot()).toEqual(before);
  });
});
