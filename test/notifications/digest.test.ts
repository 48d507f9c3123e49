import fs from 'node:fs';
import path from 'node:path';
import { WorkflowClient } from '@temporalio/client';
import { createMailer, type Mailer } from '../../src/services/notifications/mailer';
import type { UserDoc } from '../../src/store/models/user';
import { isoWeek } from '../../src/domain/iso-week';
import { dateInZone } from '../../src/domain/deadlines';
import { startActivityWorkflow } from '../../src/services/plans/start-activity';
import { digestScheduleId, ensureDigestSchedule } from '../../src/temporal/digest-schedule';
import { changeUpdate } from '../../src/workflows/messages/activity';
import { eventually } from '../support/eventually';
import { freePort } from '../../src/stack/free-port';
import { startTestStack, type TestStack } from '../support/stack';
import { thisYear } from '../support/calendar';
import { TestSmtpServer } from './smtp-test-server';

/**
 * The weekly digest, end to end: the Schedule the worker ensures, triggered on the real
 * Temporal server, one email per person with something waiting, none for an empty digest or
 * for someone who wants immediate email only, and nothing more on a second run in the week.
 */
const publicUrl = 'https://lisplan.example.se';
const TZ = 'Europe/Stockholm';
const DAY = 86_400_000;

let stack: TestStack;
let mailer: Mailer;
const smtp = new TestSmtpServer();

const people: Omit<UserDoc, 'cityViewer' | 'demo'>[] = [
  { _id: 'demo-elin-soder', name: 'Elin Söder', email: 'elin.soder@demo.lisplan.se', memberships: [{ orgId: 'sodermalm', roles: ['it-coordinator'] }] },
  { _id: 'demo-johan-wikstrom', name: 'Johan Wikström', email: 'johan.wikstrom@demo.lisplan.se', memberships: [{ orgId: 'sodermalm', roles: ['head-of-administration'] }] },
  // Nothing waits for her: no email.
  { _id: 'demo-mats-falk', name: 'Mats Falk', email: 'mats.falk@demo.lisplan.se', memberships: [{ orgId: 'sodermalm', roles: ['viewer'] }] },
  // Owns work but wants immediate email only: no digest.
  { _id: 'demo-ali-hassan', name: 'Ali Hassan', email: 'ali.hassan@demo.lisplan.se', memberships: [{ orgId: 'sodermalm', roles: ['it-coordinator'] }], notificationPreference: 'immediate' },
];
const coordinator = { userId: 'demo-fatima-ali', name: 'Fatima Ali', roles: ['security-coordinator' as const], delegations: [] };

beforeAll(async () => {
  const port = await freePort();
  await smtp.start(port);
  mailer = createMailer({ host: '127.0.0.1', port, from: '"lisplan" <lisplan@stad.example.se>' });
  stack = await startTestStack({ env: { PUBLIC_URL: publicUrl }, mail: { mailer, publicUrl, maxAttempts: 5 } });
  await stack.models.users.create(people.map((p) => ({ ...p, cityViewer: false, demo: true })));
});
afterAll(async () => {
  await stack?.env.client.schedule.getHandle(digestScheduleId(stack.config.temporal.taskQueue)).delete().catch(() => undefined);
  await stack?.close();
  mailer?.close();
  await smtp.stop();
});

async function activity(key: string, title: string, owner: { userId: string; name: string }, dueInDays: number): Promise<string> {
  const { id } = await startActivityWorkflow(stack.env.client, stack.config.temporal.taskQueue, {
    activity: { orgId: 'sodermalm', key: `${key}-${Date.now().toString(36)}`, year: thisYear(), dueDate: dateInZone(Date.now() + dueInDays * DAY, TZ), title, area: 'ai', owner: { role: 'it-coordinator' } },
  });
  const handle = stack.env.client.workflow.getHandle(id);
  await handle.executeUpdate(changeUpdate, { args: [{ workflowId: id, requestId: `owner-${id}`, actor: coordinator, command: { type: 'assign-owner', ...owner } }] });
  return id;
}

const digests = () => smtp.received.filter((m) => m.parsed.subject?.startsWith('Din sammanfattning i lisplan'));

describe('weekly digest', () => {
  it('the schedule is created once and brought in line with the configuration at each start', async () => {
    const taskQueue = stack.config.temporal.taskQueue;
    await ensureDigestSchedule(stack.env.client, { taskQueue, digest: { cron: '0 6 * * 2', timeZone: 'UTC' } });
    await ensureDigestSchedule(stack.env.client, { taskQueue, digest: { cron: '0 7 * * 1', timeZone: TZ } });
    const described = await stack.env.client.schedule.getHandle(digestScheduleId(taskQueue)).describe();
    expect(described.spec.timezone).toBe(TZ);
    expect(described.spec.calendars).toEqual([
      expect.objectContaining({ minute: [{ start: 0, end: 0, step: 1 }], hour: [{ start: 7, end: 7, step: 1 }], dayOfWeek: [{ start: 'MONDAY', end: 'MONDAY', step: 1 }] }),
    ]);
    expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'digestWorkflow', taskQueue, args: [{ timeZone: TZ }] });
    const all: string[] = [];
    for await (const s of stack.env.client.schedule.list()) if (s.scheduleId === digestScheduleId(taskQueue)) all.push(s.scheduleId);
    expect(all).toHaveLength(1);
  });

  it('mails each person with something waiting one Swedish digest with links, nothing to the others, once a week', async () => {
    const rutiner = await activity('digest-rutiner', 'Ta fram lokala rutiner för AI', { userId: 'demo-elin-soder', name: 'Elin Söder' }, 10);
    const loggning = await activity('digest-loggning', 'Inför loggning i e-tjänsterna', { userId: 'demo-elin-soder', name: 'Elin Söder' }, 200);
    await activity('digest-ali', 'Uppdatera kontinuitetsplanen', { userId: 'demo-ali-hassan', name: 'Ali Hassan' }, 5);
    // Elin hands in a milestone of the third: it waits for Johan.
    const klassning = await activity('digest-klassning', 'Klassa informationen i ekonomisystemet', { userId: 'demo-elin-soder', name: 'Elin Söder' }, 60);
    const elin = { userId: 'demo-elin-soder', name: 'Elin Söder', roles: ['it-coordinator' as const], delegations: [] };
    const h = stack.env.client.workflow.getHandle(klassning);
    await h.executeUpdate(changeUpdate, { args: [{ workflowId: klassning, requestId: 'klar', actor: elin, command: { type: 'complete-task', taskId: 'genomfor' } }] });
    await h.executeUpdate(changeUpdate, { args: [{ workflowId: klassning, requestId: 'in', actor: elin, command: { type: 'submit-milestone', milestoneId: 'slutford' } }] });
    await eventually(async () => ((await stack.models.activities.findById(klassning).lean())?.waitingFor.length ? true : undefined), 'projection of the submission');
    await eventually(async () => ((await stack.models.activities.countDocuments({ 'owner.userId': { $exists: true } })) === 4 ? true : undefined), 'projection of the owners');

    const taskQueue = stack.config.temporal.taskQueue;
    await ensureDigestSchedule(stack.env.client, { taskQueue, digest: { cron: '0 7 * * 1', timeZone: TZ } });
    const run = await triggerAndWait(taskQueue, 1);
    expect(run).toEqual({ week: isoWeek(dateInZone(Date.now(), TZ)), recipients: 3, digests: 2 });

    const got = await eventually(async () => (digests().length >= 2 ? digests() : undefined), 'two digests');
    expect(got.map((m) => m.envelopeTo.join()).sort()).toEqual(['elin.soder@demo.lisplan.se', 'johan.wikstrom@demo.lisplan.se']);
    const toElin = got.find((m) => m.envelopeTo[0] === 'elin.soder@demo.lisplan.se')!;
    expect(toElin.parsed.subject).toBe('Din sammanfattning i lisplan: 2 öppna uppgifter, 1 kommande slutdatum');
    expect(toElin.parsed.text).toContain('Hej Elin Söder,');
    expect(toElin.parsed.text).toContain(`- Genomför aktiviteten – Ta fram lokala rutiner för AI\n  ${publicUrl}/aktiviteter/${rutiner}`);
    expect(toElin.parsed.text).toContain(`${publicUrl}/aktiviteter/${loggning}`);
    expect(toElin.parsed.html).toContain(`<a href="${publicUrl}/aktiviteter/${rutiner}"`);
    const toJohan = got.find((m) => m.envelopeTo[0] === 'johan.wikstrom@demo.lisplan.se')!;
    expect(toJohan.parsed.subject).toBe('Din sammanfattning i lisplan: 1 att godkänna');
    expect(toJohan.parsed.text).toContain(`${publicUrl}/att-godkanna`);
    expect(toJohan.parsed.text).toContain('Klassa informationen i ekonomisystemet');

    fs.mkdirSync(path.join('artifacts', 'mail'), { recursive: true });
    fs.writeFileSync(path.join('artifacts', 'mail', 'digest.eml'), toElin.raw);

    // A second run in the same week (a manual trigger, a catch-up) sends nothing new.
    const again = await triggerAndWait(taskQueue, 2);
    expect(again).toMatchObject({ week: run.week, digests: 2 });
    const deliveries = await stack.models.notifications.find({ kind: 'digest' }).lean();
    await eventually(async () => ((await stack.models.notifications.countDocuments({ kind: 'digest', status: 'sent' })) === 2 ? true : undefined), 'digests marked sent');
    expect(deliveries.map((d) => d._id).sort()).toEqual([`digest|demo-elin-soder|${run.week}`, `digest|demo-johan-wikstrom|${run.week}`]);
    expect(digests()).toHaveLength(2);
  });
});

/** Triggers the schedule and returns the result of its `n`th run. */
async function triggerAndWait(taskQueue: string, n: number): Promise<{ week: string; recipients: number; digests: number }> {
  const schedule = stack.env.client.schedule.getHandle(digestScheduleId(taskQueue));
  await schedule.trigger();
  const action = await eventually(async () => {
    const d = await schedule.describe();
    return d.info.recentActions.length >= n ? d.info.recentActions[n - 1] : undefined;
  }, `run ${n} of the schedule`);
  const client: WorkflowClient = stack.env.client.workflow;
  return client.getHandle(action.action.workflow.workflowId, action.action.workflow.firstExecutionRunId).result();
}
