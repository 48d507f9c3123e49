import nodeIcal, { type VEvent } from 'node-ical';
import request from 'supertest';
import type { Express } from 'express';
import { hashToken } from '../../src/services/people/api-tokens';
import { deadlineUid, milestoneUid, reviewUid } from '../../src/services/notifications/ical';
import { startActivityWorkflow } from '../../src/services/plans/start-activity';
import { bearerFor, testApp, type TestUser } from '../support/api';
import { eventually } from '../support/eventually';
import { projected } from '../support/projected';
import { startTestStack, type TestStack } from '../support/stack';
import { quietDueDate, thisYear, today } from '../support/calendar';

const YEAR = thisYear();

/**
 * The calendar feeds over HTTP, read by an independent parser (node-ical) as a calendar client
 * would: stable UIDs, a moved deadline updates its event, a cancelled activity leaves the feed,
 * and the secret URL can be rotated and revoked.
 */
const publicUrl = 'https://lisplan.example.se';
const USERS: Record<'owner' | 'coordinator' | 'head' | 'otherOrg', TestUser> = {
  owner: { id: 'demo-elin-soder', name: 'Elin Söder', memberships: [{ orgId: 'sodermalm', roles: ['it-coordinator'] }] },
  head: { id: 'demo-johan-wikstrom', name: 'Johan Wikström', memberships: [{ orgId: 'sodermalm', roles: ['head-of-administration'] }] },
  coordinator: { id: 'demo-fatima-ali', name: 'Fatima Ali', memberships: [{ orgId: 'sodermalm', roles: ['security-coordinator'] }] },
  otherOrg: { id: 'demo-frida', name: 'Frida Fastighet', memberships: [{ orgId: 'fastighetskontoret', roles: ['security-coordinator'] }] },
};

let stack: TestStack;
let app: Express;
const auth = {} as Record<keyof typeof USERS, string>;

beforeAll(async () => {
  stack = await startTestStack({ env: { PUBLIC_URL: publicUrl } });
  app = testApp(stack);
  for (const who of Object.keys(USERS) as (keyof typeof USERS)[]) auth[who] = await bearerFor(stack.models, USERS[who]);
  await stack.models.organisations.create({ _id: 'sodermalm', name: 'Södermalms stadsdelsförvaltning', plan: { startYear: YEAR, endYear: YEAR + 2 }, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() });
});
afterAll(() => stack?.close());

async function newActivity(key: string, title: string, dueDate: string, ownerUserId?: string): Promise<string> {
  const { id } = await startActivityWorkflow(stack.env.client, stack.config.temporal.taskQueue, {
    activity: { orgId: 'sodermalm', key: `${key}-${Date.now().toString(36)}`, year: YEAR, dueDate, title, area: 'ai', owner: { role: 'it-coordinator' } },
  });
  if (ownerUserId) await post(id, 'coordinator', '/owner', { userId: ownerUserId, name: 'Elin Söder' });
  await projected(stack, id, ownerUserId ? 2 : 1);
  return id;
}

function post(id: string, who: keyof typeof USERS, path: string, body: object = {}) {
  return request(app).post(`/api/v1/activities/${id}${path}`).set('authorization', auth[who]).send(body).expect(200);
}

/** Fetches the feed as a calendar client does: no bearer token, only the secret URL. */
async function fetchFeed(url: string): Promise<{ status: number; events: VEvent[]; text: string }> {
  const res = await request(app).get(new URL(url).pathname);
  if (res.status !== 200) return { status: res.status, events: [], text: '' };
  expect(res.headers['content-type']).toMatch(/^text\/calendar; charset=utf-8/);
  const text = res.text;
  const events = Object.values(nodeIcal.sync.parseICS(text)).filter((c): c is VEvent => c?.type === 'VEVENT');
  return { status: 200, events, text };
}

/** node-ical gives a property with parameters (URL;VALUE=URI:…) as { val, params }. */
const valueOf = (p: unknown) => (typeof p === 'object' && p !== null && 'val' in p ? String((p).val) : String(p));

const day = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

describe('calendar feeds', () => {
  it('a person’s feed has their deadlines, follows a moved deadline under the same UID and drops a cancelled activity', async () => {
    const mine = await newActivity('kal-rutiner', 'Ta fram lokala rutiner för AI', quietDueDate(), USERS.owner.id);
    const cancelled = await newActivity('kal-avbryts', 'Upphandla loggverktyg', quietDueDate(10), USERS.owner.id);
    const created = await request(app).post('/api/v1/me/calendar-feed').set('authorization', auth.owner).expect(201);
    expect(created.body.url).toMatch(/^https:\/\/lisplan\.example\.se\/api\/v1\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    // Only the hash is stored.
    const secret = created.body.url.split('/').pop().replace('.ics', '');
    expect(JSON.stringify(await stack.models.calendarTokens.find().lean())).not.toContain(secret);

    const first = await fetchFeed(created.body.url);
    const ownIds = [mine, cancelled];
    const uids = first.events.map((e) => e.uid).filter((u) => ownIds.some((id) => u === deadlineUid(id)));
    expect(uids.sort()).toEqual(ownIds.map(deadlineUid).sort());
    const before = first.events.find((e) => e.uid === deadlineUid(mine))!;
    expect(day(before.start)).toBe(quietDueDate());
    expect(before.summary).toBe('Slutdatum: Ta fram lokala rutiner för AI');
    expect(valueOf(before.url)).toBe(`${publicUrl}/aktiviteter/${mine}`);
    expect(first.text).toContain('X-WR-CALNAME:lisplan – mina datum');

    await post(mine, 'owner', '/extensions', { proposedDueDate: quietDueDate(30), reason: 'Upphandling' });
    await post(mine, 'coordinator', '/extensions/forlangning-1/decision', { decision: 'grant' });
    await post(cancelled, 'coordinator', '/cancel', { reason: 'Ersatt av stadens gemensamma verktyg' });
    await projected(stack, mine, 4);
    await projected(stack, cancelled, 3);

    const second = await fetchFeed(created.body.url);
    const after = second.events.find((e) => e.uid === deadlineUid(mine))!;
    expect(day(after.start)).toBe(quietDueDate(30));
    expect(Number(after.sequence)).toBeGreaterThan(Number(before.sequence));
    expect(second.events.map((e) => e.uid)).not.toContain(deadlineUid(cancelled));
    expect(second.text).not.toContain('Upphandla loggverktyg');
  });

  it('an organisation’s feed has every live activity of it, for its members only', async () => {
    const unowned = await newActivity('kal-org', 'Klassa informationen i ekonomisystemet', quietDueDate());
    const created = await request(app).post('/api/v1/organisations/sodermalm/calendar-feed').set('authorization', auth.coordinator).expect(201);
    const feed = await fetchFeed(created.body.url);
    expect(feed.text).toContain('X-WR-CALNAME:lisplan – Södermalms stadsdelsförvaltning');
    expect(feed.events.map((e) => e.uid)).toContain(deadlineUid(unowned));
    await request(app).post('/api/v1/organisations/sodermalm/calendar-feed').set('authorization', auth.otherOrg).expect(403);

    // Someone who leaves the organisation loses the feed, whoever holds its URL.
    const leaver: TestUser = { id: 'demo-lennart', name: 'Lennart Slutar', memberships: [{ orgId: 'sodermalm', roles: ['viewer'] }] };
    const token = await bearerFor(stack.models, leaver);
    const theirs = await request(app).post('/api/v1/organisations/sodermalm/calendar-feed').set('authorization', token).expect(201);
    expect((await fetchFeed(theirs.body.url)).status).toBe(200);
    await stack.models.users.updateOne({ _id: leaver.id }, { $set: { memberships: [] } });
    expect((await fetchFeed(theirs.body.url)).status).toBe(404);
  });

  it('shows a milestone on the day it is sent in and then on the day it is approved, and each year’s review, under stable UIDs', async () => {
    const id = await newActivity('kal-milstolpe', 'Genomför riskanalys av e-tjänsterna', quietDueDate());
    const created = await request(app).post('/api/v1/organisations/sodermalm/calendar-feed').set('authorization', auth.coordinator).expect(201);
    const eventOf = async (uid: string) => (await fetchFeed(created.body.url)).events.find((e) => e.uid === uid);

    expect(await eventOf(milestoneUid(id, 'slutford'))).toBeUndefined();
    await post(id, 'owner', '/tasks/genomfor/complete');
    await post(id, 'owner', '/milestones/slutford/submit');
    await projected(stack, id, 3);
    const waiting = (await eventOf(milestoneUid(id, 'slutford')))!;
    expect(waiting.summary).toBe('Väntar på godkännande: Aktiviteten genomförd (Genomför riskanalys av e-tjänsterna)');
    expect(day(waiting.start)).toBe(today());

    await post(id, 'head', '/milestones/slutford/approve');
    await projected(stack, id, 4);
    const approved = (await eventOf(milestoneUid(id, 'slutford')))!;
    expect(approved.summary).toBe('Milstolpe godkänd: Aktiviteten genomförd (Genomför riskanalys av e-tjänsterna)');
    expect(day(approved.start)).toBe(today());
    expect(Number(approved.sequence)).toBeGreaterThan(Number(waiting.sequence));

    // Each year of the plan window has its review: planned on the schedule's date (1 November by default) until it starts.
    const feed = await fetchFeed(created.body.url);
    const planned = feed.events.find((e) => e.uid === reviewUid('sodermalm', YEAR + 1))!;
    expect({ summary: planned.summary, day: day(planned.start) }).toEqual({ summary: `Ledningens genomgång ${YEAR + 1} startar`, day: `${YEAR + 1}-11-01` });
    expect(valueOf(planned.url)).toBe(`${publicUrl}/arsrapport/sodermalm/${YEAR + 1}`);
    expect(feed.events.filter((e) => e.uid.startsWith('review-sodermalm-')).map((e) => e.uid).sort()).toEqual([YEAR, YEAR + 1, YEAR + 2].map((y) => reviewUid('sodermalm', y)));

    await request(app).post(`/api/v1/organisations/sodermalm/reviews/${YEAR + 2}`).set('authorization', auth.coordinator).send({}).expect(201);
    const started = await eventually(async () => {
      const e = await eventOf(reviewUid('sodermalm', YEAR + 2));
      return e?.summary === `Ledningens genomgång ${YEAR + 2} pågår` ? e : undefined;
    }, 'the started review in the feed');
    expect(day(started.start)).toBe(today());

    // An owner's own feed has no review dates; the förvaltningschef's has them.
    const ownerFeed = await request(app).post('/api/v1/me/calendar-feed').set('authorization', auth.owner).expect(201);
    expect((await fetchFeed(ownerFeed.body.url)).events.some((e) => e.uid.startsWith('review-'))).toBe(false);
    const headFeed = await request(app).post('/api/v1/me/calendar-feed').set('authorization', auth.head).expect(201);
    expect((await fetchFeed(headFeed.body.url)).events.map((e) => e.uid)).toContain(reviewUid('sodermalm', YEAR + 2));
  });

  it('rotating gives a new secret and ends the old one; revoking ends it; unknown secrets get 404', async () => {
    const a = await request(app).post('/api/v1/me/calendar-feed').set('authorization', auth.coordinator).expect(201);
    const b = await request(app).post('/api/v1/me/calendar-feed').set('authorization', auth.coordinator).expect(201);
    expect(b.body.url).not.toBe(a.body.url);
    expect((await fetchFeed(a.body.url)).status).toBe(404);
    expect((await fetchFeed(b.body.url)).status).toBe(200);
    await request(app).delete('/api/v1/me/calendar-feed').set('authorization', auth.coordinator).expect(204);
    expect((await fetchFeed(b.body.url)).status).toBe(404);
    await request(app).delete('/api/v1/me/calendar-feed').set('authorization', auth.coordinator).expect(404);
    await request(app).get(`/api/v1/calendar/${'A'.repeat(43)}.ics`).expect(404);
    await request(app).get('/api/v1/calendar/kort.ics').expect(400);
  });

  it('keeps a secret stored before one document per feed (its hash as _id) working until it is rotated', async () => {
    const secret = 'B'.repeat(43);
    // A personal token's feed is its organisation's part of the person's own.
    await stack.models.calendarTokens.create({ _id: hashToken(secret), userId: USERS.head.id, feed: 'me:sodermalm', createdAt: new Date() });
    const old = `${publicUrl}/api/v1/calendar/${secret}.ics`;
    expect((await fetchFeed(old)).status).toBe(200);
    const rotated = await request(app).post('/api/v1/me/calendar-feed').set('authorization', auth.head).expect(201);
    expect((await fetchFeed(old)).status).toBe(404);
    expect((await fetchFeed(rotated.body.url)).status).toBe(200);
    expect(await stack.models.calendarTokens.countDocuments({ userId: USERS.head.id, feed: 'me:sodermalm' })).toBe(1);
  });
});
