import request from 'supertest';
import type { Express } from 'express';
import { createMailer, type Mailer } from '../../src/services/notifications/mailer';
import { startActivityWorkflow } from '../../src/services/plans/start-activity';
import { bearerFor, testApp, type TestUser } from '../support/api';
import { eventually } from '../support/eventually';
import { freePort } from '../../src/stack/free-port';
import { startTestStack, type TestStack } from '../support/stack';
import { TestSmtpServer } from './smtp-test-server';
import { daysFromToday, instantFromNow, quietDueDate, thisYear } from '../support/calendar';
import { formatSwedishDate } from '../../src/services/notifications/message-wording';

/**
 * Sign-offs and decisions reach people: by email through the activity workflow and the outbox,
 * per each person's preference, and in the app's notification list.
 */
const publicUrl = 'https://lisplan.example.se';
const USERS: Record<'owner' | 'head' | 'coordinator' | 'otherOrg', TestUser> = {
  owner: { id: 'demo-elin-soder', name: 'Elin Söder', memberships: [{ orgId: 'sodermalm', roles: ['it-coordinator'] }] },
  head: { id: 'demo-johan-wikstrom', name: 'Johan Wikström', memberships: [{ orgId: 'sodermalm', roles: ['head-of-administration'] }] },
  coordinator: { id: 'demo-fatima-ali', name: 'Fatima Ali', memberships: [{ orgId: 'sodermalm', roles: ['security-coordinator'] }] },
  otherOrg: { id: 'demo-frida', name: 'Frida Fastighet', memberships: [{ orgId: 'fastighetskontoret', roles: ['head-of-administration', 'security-coordinator'] }] },
};
const email = (u: TestUser) => `${u.id}@test.lisplan.se`;

let stack: TestStack;
let app: Express;
let mailer: Mailer;
const smtp = new TestSmtpServer();
const auth = {} as Record<keyof typeof USERS, string>;
let seq = 0;

beforeAll(async () => {
  const port = await freePort();
  await smtp.start(port);
  mailer = createMailer({ host: '127.0.0.1', port, from: '"lisplan" <lisplan@stad.example.se>' });
  stack = await startTestStack({ env: { PUBLIC_URL: publicUrl }, mail: { mailer, publicUrl, maxAttempts: 5 } });
  app = testApp(stack);
  for (const who of Object.keys(USERS) as (keyof typeof USERS)[]) auth[who] = await bearerFor(stack.models, USERS[who]);
});
afterAll(async () => {
  await stack?.close();
  mailer?.close();
  await smtp.stop();
});

async function newActivity(): Promise<string> {
  const key = `beslut-${++seq}-${Date.now().toString(36)}`;
  const { id } = await startActivityWorkflow(stack.env.client, stack.config.temporal.taskQueue, {
    activity: { orgId: 'sodermalm', key, year: thisYear(), dueDate: quietDueDate(), title: `Klassa e-tjänsterna ${seq}`, area: 'ai', owner: { role: 'it-coordinator' } },
  });
  await post(id, 'coordinator', '/owner', { userId: USERS.owner.id, name: USERS.owner.name });
  return id;
}

function post(id: string, who: keyof typeof USERS, path: string, body: object = {}) {
  return request(app).post(`/api/v1/activities/${id}${path}`).set('authorization', auth[who]).send(body).expect(200);
}

const mailsAbout = (id: string) => smtp.received.filter((m) => m.parsed.text?.includes(`/aktiviteter/${id}`));
const arrived = (id: string, n: number) => eventually(async () => (mailsAbout(id).length >= n ? mailsAbout(id) : undefined), `${n} emails about ${id}`);

describe('sign-off and decision emails', () => {
  it('asks the förvaltningschef to sign off, and tells the owner it was sent back and then approved, each once', async () => {
    const id = await newActivity();
    await post(id, 'owner', '/tasks/genomfor/complete');
    await post(id, 'owner', '/milestones/slutford/submit');
    const [ask] = await arrived(id, 1);
    expect(ask!.envelopeTo).toEqual([email(USERS.head)]);
    expect(ask!.parsed.subject).toMatch(/^Att godkänna: .* – Klassa e-tjänsterna/);
    expect(ask!.parsed.text).toContain(`${publicUrl}/att-godkanna`);
    expect(ask!.parsed.text).toContain('har skickats in av Elin Söder');

    await post(id, 'head', '/milestones/slutford/reject', { comment: 'Bifoga klassningen.' });
    const sentBack = (await arrived(id, 2))[1]!;
    expect(sentBack.envelopeTo).toEqual([email(USERS.owner)]);
    expect(sentBack.parsed.subject).toMatch(/^Åter för komplettering: /);
    expect(sentBack.parsed.text).toContain('> Bifoga klassningen.');
    expect(sentBack.parsed.text).toContain('av Johan Wikström');

    await post(id, 'owner', '/milestones/slutford/submit');
    await arrived(id, 3);
    await post(id, 'head', '/milestones/slutford/approve');
    const all = await arrived(id, 4);
    expect(all.map((m) => [m.envelopeTo.join(), m.parsed.subject!.split(':')[0]])).toEqual([
      [email(USERS.head), 'Att godkänna'],
      [email(USERS.owner), 'Åter för komplettering'],
      [email(USERS.head), 'Att godkänna'],
      [email(USERS.owner), 'Godkänt'],
    ]);
    // Marked sent just after the server accepted the message.
    await eventually(async () => ((await stack.models.notifications.countDocuments({ activityId: id, status: 'sent' })) === 4 || undefined), 'four notices marked sent');
    expect(await stack.models.notifications.countDocuments({ activityId: id })).toBe(4);
  });

  it('tells the owner an extension was granted with the new date, or refused', async () => {
    const id = await newActivity();
    const granted1 = quietDueDate(30);
    const refused2 = quietDueDate(60);
    await post(id, 'owner', '/extensions', { proposedDueDate: granted1, reason: 'Upphandlingen drog ut på tiden' });
    await post(id, 'head', '/extensions/forlangning-1/decision', { decision: 'grant', comment: 'Rimligt.' });
    const [granted] = await arrived(id, 1);
    expect(granted!.envelopeTo).toEqual([email(USERS.owner)]);
    expect(granted!.parsed.subject).toBe(`Förlängning beviljad: Klassa e-tjänsterna ${seq} – nytt slutdatum ${formatSwedishDate(granted1)}`);

    await post(id, 'owner', '/extensions', { proposedDueDate: refused2, reason: 'Mer tid' });
    await post(id, 'coordinator', '/extensions/forlangning-2/decision', { decision: 'refuse' });
    const refused = (await arrived(id, 2))[1]!;
    expect(refused.parsed.subject).toBe(`Förlängning avslagen: Klassa e-tjänsterna ${seq}`);
    expect(refused.parsed.text).toContain(`till ${formatSwedishDate(refused2)} har avslagits av Fatima Ali. Slutdatumet ${formatSwedishDate(granted1)} gäller.`);
  });

  it('sends no immediate email to someone who chose the digest, but lists the notice in the app', async () => {
    await request(app).put('/api/v1/me/preferences').set('authorization', auth.owner).send({ notifications: 'digest' }).expect(200);
    try {
      expect((await request(app).get('/api/v1/me/preferences').set('authorization', auth.owner).expect(200)).body).toEqual({ notifications: 'digest' });
      const id = await newActivity();
      await post(id, 'owner', '/extensions', { proposedDueDate: quietDueDate(30), reason: 'Upphandling' });
      await post(id, 'head', '/extensions/forlangning-1/decision', { decision: 'grant' });
      const doc = await eventually(async () => {
        const d = await stack.models.notifications.findOne({ activityId: id, kind: 'decision' }).lean();
        return d?.status === 'skipped' ? d : undefined;
      }, 'the decision skipped for email');
      expect(doc.recipientUserId).toBe(USERS.owner.id);
      expect(mailsAbout(id)).toHaveLength(0);
      const inbox = await request(app).get('/api/v1/me/notifications').set('authorization', auth.owner).expect(200);
      expect(inbox.body.items[0]).toMatchObject({ id: doc._id, kind: 'decision', activityId: id, read: false, link: `${publicUrl}/aktiviteter/${id}` });
      expect(inbox.body.items[0].title).toMatch(/^Förlängning beviljad: /);
    } finally {
      await request(app).put('/api/v1/me/preferences').set('authorization', auth.owner).send({ notifications: 'both' }).expect(200);
    }
    await request(app).put('/api/v1/me/preferences').set('authorization', auth.owner).send({ notifications: 'weekly' }).expect(400);
  });
});

describe('a review waiting for adoption', () => {
  it('is recorded once per submission and mailed to the förvaltningschef with a link to the annual report', async () => {
    const input = { orgId: 'sodermalm', orgName: 'Södermalms stadsdelsförvaltning', year: 2026, version: 1, submission: 1, at: new Date().toISOString() };
    const id = await stack.activities.recordReviewNotification(input);
    expect(await stack.activities.recordReviewNotification(input)).toBe(id);
    expect(await stack.models.notifications.countDocuments({ kind: 'review-adoption' })).toBe(1);
    expect(await stack.activities.deliverNotification(id)).toMatchObject({ status: 'sent', recipients: 1 });
    const mail = smtp.received.find((m) => m.parsed.subject?.startsWith('Ledningens genomgång'))!;
    expect(mail.envelopeTo).toEqual([email(USERS.head)]);
    expect(mail.parsed.subject).toBe('Ledningens genomgång 2026 väntar på fastställande – Södermalms stadsdelsförvaltning');
    expect(mail.parsed.text).toContain(`${publicUrl}/arsrapport/sodermalm/2026`);
    const inbox = await request(app).get('/api/v1/me/notifications').set('authorization', auth.head).expect(200);
    expect(inbox.body.items).toContainEqual(expect.objectContaining({ id, kind: 'review-adoption', link: `${publicUrl}/arsrapport/sodermalm/2026` }));
  });
});

describe('in-app notifications', () => {
  async function addNotice(id: string, fields: Record<string, unknown>, createdAt: Date) {
    await stack.models.notifications.create({ _id: id, kind: 'decision', activityTitle: 'Inkorgstest', dueAt: createdAt, createdAt, status: 'sent', attempts: 0, details: { outcome: 'approved' }, ...fields });
  }

  it('lists a person’s notices newest first, pages them, counts unread and marks them read; others cannot', async () => {
    const user: TestUser = { id: 'demo-inkorg', name: 'Ines Korg', memberships: [{ orgId: 'inkorg', roles: ['it-coordinator'] }] };
    const other: TestUser = { id: 'demo-inkorg-2', name: 'Olof Annan', memberships: [{ orgId: 'inkorg', roles: ['viewer'] }] };
    const me = await bearerFor(stack.models, user);
    const them = await bearerFor(stack.models, other);
    const t0 = instantFromNow(-30).getTime();
    for (let i = 0; i < 5; i++) {
      await addNotice(`inkorg.2026.a${i}|v2-beslut-slutford`, { orgId: 'inkorg', activityId: `inkorg.2026.a${i}`, activityTitle: `Aktivitet ${i}`, recipientRole: 'it-coordinator', recipientUserId: user.id }, new Date(t0 + i * 60_000));
    }
    // To the role, nobody named: reaches everyone holding it in that organisation, and nobody else.
    await addNotice('inkorg.2026.roll|v2-att-godkanna-slutford', { orgId: 'inkorg', kind: 'escalation', activityId: 'inkorg.2026.roll', dueDate: daysFromToday(-37), offsetDays: 7, recipientRole: 'it-coordinator' }, new Date(t0 + 10 * 60_000));
    await addNotice('inkorg.2026.annan|v2-beslut-slutford', { orgId: 'inkorg', activityId: 'inkorg.2026.annan', recipientRole: 'viewer', recipientUserId: other.id }, new Date(t0 + 11 * 60_000));
    await addNotice(`digest|${user.id}|2026-W18`, { orgId: 'inkorg', kind: 'digest', recipientRole: 'it-coordinator', recipientUserId: user.id, message: { subject: 's', text: 't', html: 'h' } }, new Date(t0 + 12 * 60_000));

    const first = await request(app).get('/api/v1/me/notifications?limit=4').set('authorization', me).expect(200);
    expect(first.body.unread).toBe(6);
    expect(first.body.items.map((n: { activityId: string }) => n.activityId)).toEqual(['inkorg.2026.roll', 'inkorg.2026.a4', 'inkorg.2026.a3', 'inkorg.2026.a2']);
    expect(first.body.items[0].title).toBe('Eskalering: Inkorgstest är försenad 7 dagar');
    const second = await request(app).get(`/api/v1/me/notifications?limit=4&cursor=${first.body.nextCursor}`).set('authorization', me).expect(200);
    expect(second.body.items.map((n: { activityId: string }) => n.activityId)).toEqual(['inkorg.2026.a1', 'inkorg.2026.a0']);
    expect(second.body.nextCursor).toBeUndefined();
    await request(app).get('/api/v1/me/notifications?cursor=not-a-cursor').set('authorization', me).expect(400);

    const a3 = encodeURIComponent('inkorg.2026.a3|v2-beslut-slutford');
    await request(app).post(`/api/v1/me/notifications/${a3}/read`).set('authorization', them).expect(404);
    await request(app).post(`/api/v1/me/notifications/${a3}/read`).set('authorization', me).expect(204);
    const after = await request(app).get('/api/v1/me/notifications?limit=3').set('authorization', me).expect(200);
    expect(after.body.unread).toBe(5);
    expect(after.body.items.map((n: { read: boolean }) => n.read)).toEqual([false, false, true]);

    expect((await request(app).post('/api/v1/me/notifications/read-all').set('authorization', me).expect(200)).body).toEqual({ marked: 5 });
    expect((await request(app).get('/api/v1/me/notifications').set('authorization', me).expect(200)).body.unread).toBe(0);
    // Reading is per person: the other user's notice is still unread for them.
    const theirs = await request(app).get('/api/v1/me/notifications').set('authorization', them).expect(200);
    expect(theirs.body).toMatchObject({ unread: 1, items: [{ activityId: 'inkorg.2026.annan', read: false }] });
  });
});

describe('failed deliveries', () => {
  it('shows coordinators of the organisation the addresses that failed, and nobody else', async () => {
    await stack.models.notifications.collection.insertOne({
      _id: 'sodermalm.2026.trasig|reminder:-7' as never,
      orgId: 'sodermalm',
      kind: 'reminder',
      activityId: 'sodermalm.2026.trasig',
      activityTitle: 'Trasig adress',
      dueDate: quietDueDate(),
      offsetDays: -7,
      recipientRole: 'it-coordinator',
      dueAt: new Date(),
      createdAt: new Date(),
      status: 'failed',
      attempts: 1,
      lastError: 'elin@fel.example: 550 No such user',
      failedRecipients: [{ email: 'elin@fel.example', error: '550 No such user' }],
    });
    const res = await request(app).get('/api/v1/organisations/sodermalm/failed-deliveries').set('authorization', auth.coordinator).expect(200);
    expect(res.body).toEqual([expect.objectContaining({ id: 'sodermalm.2026.trasig|reminder:-7', failedRecipients: [{ email: 'elin@fel.example', error: '550 No such user' }], attempts: 1 })]);
    await request(app).get('/api/v1/organisations/sodermalm/failed-deliveries').set('authorization', auth.owner).expect(403);
    await request(app).get('/api/v1/organisations/sodermalm/failed-deliveries').set('authorization', auth.otherOrg).expect(403);
    expect((await request(app).get('/api/v1/organisations/fastighetskontoret/failed-deliveries').set('authorization', auth.otherOrg).expect(200)).body).toEqual([]);
  });
});
