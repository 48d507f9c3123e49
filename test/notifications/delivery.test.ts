import fs from 'node:fs';
import type { NotificationDoc } from '../../src/store/models/notification';
import type { UserDoc } from '../../src/store/models/user';
import { createDeliveryActivities, TemporaryDeliveryError } from '../../src/services/notifications/deliver';
import type { OutboxDoc } from '../../src/services/notifications/delivery-state';
import { listFailedDeliveries } from '../../src/services/notifications/failed-deliveries';
import { createMailer, isPermanentSmtpFailure, notificationMessageId, type Mailer } from '../../src/services/notifications/mailer';
import { freePort } from '../../src/stack/free-port';
import { startTestStack, type TestStack } from '../support/stack';
import { PLAN_ZONE, quietDueDate } from '../support/calendar';
import { localTimeOn } from '../../src/domain/deadlines';
import { formatSwedishDate } from '../../src/services/notifications/message-wording';
import { TestSmtpServer } from './smtp-test-server';

/** The due date of every notice here: the stored notices are delivered as they are, whatever the day. */
const DUE = quietDueDate();
const REMINDER_AT = localTimeOn(DUE, -7, PLAN_ZONE);

const publicUrl = 'https://lisplan.example.se';
const from = '"lisplan" <lisplan@stad.example.se>';

let stack: TestStack;
let smtp: TestSmtpServer;
let smtpPort: number;
let mailer: Mailer;
let seq = 0;

beforeAll(async () => {
  stack = await startTestStack();
  smtpPort = await freePort();
  smtp = new TestSmtpServer();
  await smtp.start(smtpPort);
  mailer = createMailer({ host: '127.0.0.1', port: smtpPort, from });
});

afterAll(async () => {
  mailer?.close();
  await smtp?.stop();
  await stack?.close();
});

/** A fresh organisation per test, so tests do not see each other's users or messages. */
function newOrg(): string {
  seq += 1;
  return `org${seq}`;
}

async function addUsers(users: (Omit<UserDoc, 'cityViewer' | 'demo'> & { email: string })[]): Promise<void> {
  // Through the driver: the schema requires an email, and a user without one is a case here.
  await stack.models.users.collection.insertMany(users.map((u) => ({ ...u, cityViewer: false, demo: true })) as never[]);
}

async function addNotification(n: Partial<NotificationDoc> & Pick<NotificationDoc, 'orgId' | 'kind' | 'recipientRole'>): Promise<string> {
  const activityId = n.activityId ?? `${n.orgId}.2026.a01`;
  const dueDate = n.dueDate ?? DUE;
  const offsetDays = n.offsetDays ?? (n.kind === 'reminder' ? -7 : n.kind === 'overdue' ? 0 : 7);
  const id = `${activityId}|${n.kind}:${dueDate}:${offsetDays}:${n.recipientRole}`;
  await stack.models.notifications.create({
    _id: id,
    activityId,
    activityTitle: 'Klassa informationen i ekonomisystemet',
    dueDate,
    offsetDays,
    dueAt: new Date(REMINDER_AT),
    createdAt: new Date(),
    status: 'pending',
    attempts: 0,
    ...n,
  });
  return id;
}

async function outbox(id: string): Promise<OutboxDoc> {
  const doc = await stack.models.notifications.collection.findOne({ _id: id as never });
  if (!doc) throw new Error(`no outbox document ${id}`);
  return doc as unknown as OutboxDoc;
}

function activities(opts: { mailer?: Mailer; maxAttempts?: number } = {}) {
  return createDeliveryActivities({ models: stack.models, mailer: opts.mailer ?? mailer, publicUrl, maxAttempts: opts.maxAttempts ?? 5 });
}

describe('deliverNotification against a real SMTP server', () => {
  it('delivers a reminder recorded by the workflow activity once, to the owner, with subject and link', async () => {
    const org = newOrg();
    await addUsers([
      { _id: `${org}-anna`, name: 'Anna Andersson', email: `anna@${org}.example.se`, memberships: [{ orgId: org, roles: ['it-coordinator'] }] },
      { _id: `${org}-bo`, name: 'Bo Berg', email: `bo@${org}.example.se`, memberships: [{ orgId: org, roles: ['it-coordinator'] }] },
    ]);
    // The real writer of the outbox.
    await stack.activities.recordNotification({
      activity: { id: `${org}.2026.a12`, orgId: org, title: 'Klassa informationen i ekonomisystemet', owner: { role: 'it-coordinator', userId: `${org}-anna`, name: 'Anna Andersson' } },
      point: { key: `reminder:${DUE}:-7:activity-owner`, kind: 'reminder', at: REMINDER_AT, offsetDays: -7, recipientRole: 'activity-owner', dueDate: DUE },
    });
    const id = `${org}.2026.a12|reminder:${DUE}:-7:activity-owner`;

    const result = await activities().deliverNotification(id);
    expect(result).toEqual({ status: 'sent', recipients: 1, alreadySent: false });

    const got = smtp.to(`anna@${org}.example.se`);
    expect(got).toHaveLength(1);
    expect(smtp.to(`bo@${org}.example.se`)).toHaveLength(0);
    const mail = got[0]!.parsed;
    expect(mail.subject).toBe(`Påminnelse: Klassa informationen i ekonomisystemet – 7 dagar kvar (${formatSwedishDate(DUE)})`);
    expect(mail.text).toContain('Hej Anna Andersson,');
    expect(mail.text).toContain(`${publicUrl}/aktiviteter/${org}.2026.a12`);
    expect(mail.html).toContain(`href="${publicUrl}/aktiviteter/${org}.2026.a12"`);
    expect(mail.messageId).toBe(notificationMessageId(id, `anna@${org}.example.se`));
    expect(mail.from?.value).toEqual([{ name: 'lisplan', address: 'lisplan@stad.example.se' }]);
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');

    const doc = await outbox(id);
    expect(doc.status).toBe('sent');
    expect(doc.sentAt).toBeInstanceOf(Date);
    expect(doc.deliveredTo).toEqual([`anna@${org}.example.se`]);
    expect(doc.attempts).toBe(0);

    // Delivering again changes nothing.
    expect(await activities().deliverNotification(id)).toEqual({ status: 'sent', recipients: 1, alreadySent: true });
    expect(smtp.to(`anna@${org}.example.se`)).toHaveLength(1);

    if (process.env.LISPLAN_NOTIFICATIONS_RAW_MAIL) fs.writeFileSync(process.env.LISPLAN_NOTIFICATIONS_RAW_MAIL, got[0]!.raw);
  });

  it('sends an escalation to everyone with the role in that organisation and nobody else', async () => {
    const org = newOrg();
    const other = newOrg();
    await addUsers([
      { _id: `${org}-c1`, name: 'Cecilia Ceder', email: `cecilia@${org}.example.se`, memberships: [{ orgId: org, roles: ['security-coordinator'] }] },
      { _id: `${org}-c2`, name: 'David Dahl', email: `DAVID@${org}.example.se`, memberships: [{ orgId: other, roles: ['viewer'] }, { orgId: org, roles: ['admin', 'security-coordinator'] }] },
      { _id: `${org}-nomail`, name: 'Utan Adress', email: '', memberships: [{ orgId: org, roles: ['security-coordinator'] }] },
      { _id: `${org}-other`, name: 'Erik Ek', email: `erik@${other}.example.se`, memberships: [{ orgId: other, roles: ['security-coordinator'] }] },
      { _id: `${org}-head`, name: 'Frida Fors', email: `frida@${org}.example.se`, memberships: [{ orgId: org, roles: ['head-of-administration'] }] },
    ]);
    await stack.models.activities.collection.insertOne({ _id: `${org}.2026.a01`, orgId: org, owner: { role: 'it-coordinator', name: 'Anna Andersson' }, secrecy: 'none' } as never);
    const id = await addNotification({ orgId: org, kind: 'escalation', recipientRole: 'security-coordinator' });

    expect(await activities().deliverNotification(id)).toMatchObject({ status: 'sent', recipients: 2 });
    const all = smtp.received.filter((m) => m.envelopeTo.some((a) => a.endsWith(`@${org}.example.se`) || a.endsWith(`@${other}.example.se`)));
    expect(all.map((m) => m.envelopeTo[0]).sort()).toEqual([`cecilia@${org}.example.se`, `david@${org}.example.se`]);
    for (const m of all) {
      expect(m.parsed.subject).toBe('Eskalering: Klassa informationen i ekonomisystemet är försenad 7 dagar');
      expect(m.parsed.text).toContain('som informationssäkerhetssamordnare');
      expect(m.parsed.text).toContain('Ansvarig: Anna Andersson.');
      expect(m.parsed.text).toContain(`${publicUrl}/aktiviteter/${org}.2026.a01`);
    }
    // One Message-ID per recipient, each deterministic.
    expect(new Set(all.map((m) => m.parsed.messageId)).size).toBe(2);
    expect((await outbox(id)).deliveredTo?.sort()).toEqual([`cecilia@${org}.example.se`, `david@${org}.example.se`]);
  });

  it('keeps the title of a confidential activity out of the email', async () => {
    const org = newOrg();
    await addUsers([{ _id: `${org}-a`, name: 'Anna', email: `anna@${org}.example.se`, memberships: [{ orgId: org, roles: ['it-coordinator'] }] }]);
    await stack.models.activities.collection.insertOne({ _id: `${org}.2026.a01`, orgId: org, owner: { role: 'it-coordinator' }, secrecy: 'osl-18-8' } as never);
    const id = await addNotification({ orgId: org, kind: 'overdue', recipientRole: 'it-coordinator' });
    await activities().deliverNotification(id);
    const [mail] = smtp.to(`anna@${org}.example.se`);
    expect(mail!.raw).not.toContain('ekonomisystemet');
    expect(mail!.parsed.subject).toBe(`Försenad: sekretessmarkerad aktivitet (slutdatum ${formatSwedishDate(DUE)})`);
  });

  it('deliveries of the same notification at once send one message', async () => {
    const org = newOrg();
    await addUsers([
      { _id: `${org}-a`, name: 'Anna', email: `anna@${org}.example.se`, memberships: [{ orgId: org, roles: ['security-coordinator'] }] },
      { _id: `${org}-b`, name: 'Bo', email: `bo@${org}.example.se`, memberships: [{ orgId: org, roles: ['security-coordinator'] }] },
    ]);
    const a = activities();
    for (const offsetDays of [7, 8, 9]) {
      const id = await addNotification({ orgId: org, kind: 'escalation', recipientRole: 'security-coordinator', offsetDays });
      const results = await Promise.allSettled([1, 2, 3, 4].map(() => a.deliverNotification(id)));
      // The ones that found the lease taken fail temporarily, and Temporal retries them.
      for (const r of results) {
        if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(TemporaryDeliveryError);
      }
      expect(results.filter((r) => r.status === 'fulfilled')).not.toHaveLength(0);
      expect(await a.deliverNotification(id)).toMatchObject({ status: 'sent', recipients: 2 });
    }
    expect(smtp.to(`anna@${org}.example.se`)).toHaveLength(3);
    expect(smtp.to(`bo@${org}.example.se`)).toHaveLength(3);
  });

  it('takes over the claim of a delivery that crashed, once it has expired', async () => {
    const org = newOrg();
    await addUsers([{ _id: `${org}-a`, name: 'Anna', email: `anna@${org}.example.se`, memberships: [{ orgId: org, roles: ['it-coordinator'] }] }]);
    const id = await addNotification({ orgId: org, kind: 'overdue', recipientRole: 'it-coordinator' });
    const notifications = stack.models.notifications.collection;
    await notifications.updateOne({ _id: id as never }, { $set: { claim: { token: 'crashed', until: new Date(Date.now() + 60_000) } } });
    await expect(activities().deliverNotification(id)).rejects.toThrow(TemporaryDeliveryError);
    expect(smtp.to(`anna@${org}.example.se`)).toHaveLength(0);

    await notifications.updateOne({ _id: id as never }, { $set: { 'claim.until': new Date(Date.now() - 1000) } });
    expect(await activities().deliverNotification(id)).toMatchObject({ status: 'sent', recipients: 1 });
    expect(smtp.to(`anna@${org}.example.se`)).toHaveLength(1);
    expect((await outbox(id)).claim).toBeUndefined();
  });

  it('throws while the SMTP server is down, counting attempts, and delivers once when it is back', async () => {
    const org = newOrg();
    await addUsers([{ _id: `${org}-a`, name: 'Anna', email: `anna@${org}.example.se`, memberships: [{ orgId: org, roles: ['it-coordinator'] }] }]);
    const id = await addNotification({ orgId: org, kind: 'reminder', recipientRole: 'it-coordinator' });
    const downPort = await freePort(); // nothing listens here
    const downMailer = createMailer({ host: '127.0.0.1', port: downPort, from });
    const a = activities({ mailer: downMailer, maxAttempts: 5 });

    await expect(a.deliverNotification(id)).rejects.toThrow(TemporaryDeliveryError);
    await expect(a.deliverNotification(id)).rejects.toThrow(/försök 2 av 5/);
    let doc = await outbox(id);
    expect(doc.status).toBe('pending');
    expect(doc.attempts).toBe(2);
    expect(doc.lastError).toMatch(/ECONNREFUSED|connect/i);
    // The claim is released for the retry.
    expect(doc.claim).toBeUndefined();

    const back = new TestSmtpServer();
    await back.start(downPort);
    try {
      expect(await a.deliverNotification(id)).toMatchObject({ status: 'sent', recipients: 1 });
      expect(await a.deliverNotification(id)).toMatchObject({ status: 'sent', alreadySent: true });
      expect(back.to(`anna@${org}.example.se`)).toHaveLength(1);
      doc = await outbox(id);
      expect(doc.status).toBe('sent');
      expect(doc.attempts).toBe(2);
    } finally {
      downMailer.close();
      await back.stop();
    }
  });

  it('marks the notification failed, without throwing, when the server refuses the address (550)', async () => {
    const org = newOrg();
    const bad = `finns.inte@${org}.example.se`;
    await addUsers([{ _id: `${org}-x`, name: 'Gammal Användare', email: bad, memberships: [{ orgId: org, roles: ['it-coordinator'] }] }]);
    smtp.replies.set(bad, { code: 550, text: '5.1.1 Mailbox unavailable' });
    const id = await addNotification({ orgId: org, kind: 'overdue', recipientRole: 'it-coordinator' });

    expect(await activities().deliverNotification(id)).toEqual({ status: 'failed', alreadyFailed: false });
    const doc = await outbox(id);
    expect(doc.status).toBe('failed');
    expect(doc.attempts).toBe(0);
    expect(doc.lastError).toContain(bad);
    expect(doc.lastError).toContain('550');
    expect(smtp.to(bad)).toHaveLength(0);

    // Not retried: a second call is a no-op.
    expect(await activities().deliverNotification(id)).toEqual({ status: 'failed', alreadyFailed: true });

    const failed = await listFailedDeliveries(stack.models, org);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ id, kind: 'overdue', activityTitle: 'Klassa informationen i ekonomisystemet', recipientRole: 'it-coordinator' });
    expect(failed[0]!.failedRecipients).toEqual([{ email: bad, error: expect.stringContaining('550') }]);
    expect(await listFailedDeliveries(stack.models, newOrg())).toEqual([]);
  });

  it('after a temporary refusal of one recipient, the retry sends only to that one', async () => {
    const org = newOrg();
    const [a1, a2] = [`anna@${org}.example.se`, `bo@${org}.example.se`];
    await addUsers([
      { _id: `${org}-1`, name: 'Anna', email: a1, memberships: [{ orgId: org, roles: ['security-coordinator'] }] },
      { _id: `${org}-2`, name: 'Bo', email: a2, memberships: [{ orgId: org, roles: ['security-coordinator'] }] },
    ]);
    smtp.replies.set(a2, { code: 451, text: '4.3.0 Try again later' });
    const id = await addNotification({ orgId: org, kind: 'escalation', recipientRole: 'security-coordinator' });

    await expect(activities().deliverNotification(id)).rejects.toThrow(TemporaryDeliveryError);
    let doc = await outbox(id);
    expect(doc).toMatchObject({ status: 'pending', attempts: 1, deliveredTo: [a1] });

    smtp.replies.delete(a2);
    expect(await activities().deliverNotification(id)).toMatchObject({ status: 'sent', recipients: 2 });
    expect(smtp.to(a1)).toHaveLength(1);
    expect(smtp.to(a2)).toHaveLength(1);
    doc = await outbox(id);
    expect(doc.deliveredTo?.sort()).toEqual([a1, a2]);
  });

  it('marks the notification failed once maxAttempts temporary failures are reached', async () => {
    const org = newOrg();
    await addUsers([{ _id: `${org}-a`, name: 'Anna', email: `anna@${org}.example.se`, memberships: [{ orgId: org, roles: ['it-coordinator'] }] }]);
    const id = await addNotification({ orgId: org, kind: 'reminder', recipientRole: 'it-coordinator' });
    const downMailer = createMailer({ host: '127.0.0.1', port: await freePort(), from });
    const a = activities({ mailer: downMailer, maxAttempts: 3 });
    try {
      await expect(a.deliverNotification(id)).rejects.toThrow(TemporaryDeliveryError);
      await expect(a.deliverNotification(id)).rejects.toThrow(TemporaryDeliveryError);
      expect(await a.deliverNotification(id)).toEqual({ status: 'failed', alreadyFailed: false });
    } finally {
      downMailer.close();
    }
    const doc = await outbox(id);
    expect(doc.status).toBe('failed');
    expect(doc.attempts).toBe(3);
    expect(doc.lastError).toMatch(/gav upp efter 3 försök/);
    expect(doc.failedAt).toBeInstanceOf(Date);
    expect(await a.deliverNotification(id)).toEqual({ status: 'failed', alreadyFailed: true });
    expect(smtp.to(`anna@${org}.example.se`)).toHaveLength(0);
  });

  it('marks the notification failed when nobody with an address holds the role', async () => {
    const org = newOrg();
    const id = await addNotification({ orgId: org, kind: 'escalation', recipientRole: 'head-of-administration', offsetDays: 14 });
    expect(await activities().deliverNotification(id)).toEqual({ status: 'failed', alreadyFailed: false });
    expect((await outbox(id)).lastError).toBe(`ingen med rollen head-of-administration och e-postadress i organisationen ${org}`);
  });

  it('reports a missing outbox document without sending', async () => {
    expect(await activities().deliverNotification(`nope|reminder:${DUE}:-7:activity-owner`)).toEqual({ status: 'missing' });
  });
});

describe('isPermanentSmtpFailure, on the errors nodemailer really gives', () => {
  async function errorOf(m: Mailer, to: string): Promise<unknown> {
    try {
      await m.send({ to, subject: 's', text: 't', html: '<p>t</p>', messageId: '<x@lisplan>' });
    } catch (err) {
      return err;
    }
    throw new Error('expected the send to fail');
  }

  it('tells 5xx refusals of an address from 4xx and connection failures', async () => {
    smtp.replies.set('permanent@example.se', { code: 550, text: '5.1.1 No such user' });
    smtp.replies.set('temporary@example.se', { code: 452, text: '4.2.2 Mailbox full' });
    expect(isPermanentSmtpFailure(await errorOf(mailer, 'permanent@example.se'))).toBe(true);
    expect(isPermanentSmtpFailure(await errorOf(mailer, 'temporary@example.se'))).toBe(false);
    const down = createMailer({ host: '127.0.0.1', port: await freePort(), from });
    try {
      expect(isPermanentSmtpFailure(await errorOf(down, 'anyone@example.se'))).toBe(false);
    } finally {
      down.close();
    }
    expect(isPermanentSmtpFailure({ code: 'EAUTH', responseCode: 535, command: 'AUTH PLAIN' })).toBe(false);
    expect(isPermanentSmtpFailure({ code: 'EENVELOPE', responseCode: 553, command: 'MAIL FROM' })).toBe(false);
    expect(isPermanentSmtpFailure({ code: 'EMESSAGE', responseCode: 554, command: 'DATA' })).toBe(true);
    expect(isPermanentSmtpFailure(new Error('boom'))).toBe(false);
    expect(isPermanentSmtpFailure(undefined)).toBe(false);
  });
});
