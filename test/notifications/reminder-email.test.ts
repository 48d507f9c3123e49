import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import type { Connection } from 'mongoose';
import { createActivities } from '../../src/activities';
import { connectStore } from '../../src/store/connection';
import { createModels, type Models } from '../../src/store/models';
import { dateInZone, localTimeOn } from '../../src/domain/deadlines';
import { createMailer } from '../../src/services/notifications/mailer';
import { startActivityWorkflow } from '../../src/services/plans/start-activity';
import { clientDataConverter } from '../../src/temporal/connection';
import { createWorker } from '../../src/temporal/worker';
import { changeUpdate } from '../../src/workflows/messages/activity';
import { coordinator } from '../support/actors';
import { eventually } from '../support/eventually';
import { freePort } from '../../src/stack/free-port';
import { testConfig } from '../support/stack';
import { createTimeSkippingEnv } from '../support/time-skipping';
import { TestSmtpServer } from './smtp-test-server';

const TZ = 'Europe/Stockholm';
const DAY = 86_400_000;

/** Reminders and escalations reach people by email, once each, across simulated weeks. */
describe('reminder and escalation emails', () => {
  let env: TestWorkflowEnvironment;
  let store: Connection;
  let models: Models;
  let worker: Worker;
  let running: Promise<void>;
  const smtp = new TestSmtpServer();
  const config = testConfig();

  beforeAll(async () => {
    const port = await freePort();
    await smtp.start(port);
    env = await createTimeSkippingEnv({ dataConverter: clientDataConverter(config.temporal) });
    store = await connectStore(config.mongo);
    models = createModels(store);
    const mailer = createMailer({ host: '127.0.0.1', port, from: '"lisplan" <lisplan@stad.example.se>' });
    ({ worker } = await createWorker({
      temporal: config.temporal,
      activities: createActivities({ models, timeZone: TZ, mail: { mailer, publicUrl: 'https://lisplan.example.se', maxAttempts: 5 } }),
      connection: env.nativeConnection,
      workflowBundlePath: process.env.LISPLAN_TEST_WORKFLOW_BUNDLE,
      maxCachedWorkflows: 0,
    }));
    running = worker.run();
    await models.users.create([
      { _id: 'demo-elin', name: 'Elin Söder', email: 'elin.soder@demo.lisplan.se', memberships: [{ orgId: 'sodermalm', roles: ['it-coordinator'] }], cityViewer: false, demo: true },
      { _id: 'demo-fatima', name: 'Fatima Ali', email: 'fatima.ali@demo.lisplan.se', memberships: [{ orgId: 'sodermalm', roles: ['security-coordinator'] }], cityViewer: false, demo: true },
      { _id: 'demo-johan', name: 'Johan Wikström', email: 'johan.wikstrom@demo.lisplan.se', memberships: [{ orgId: 'sodermalm', roles: ['head-of-administration'] }], cityViewer: false, demo: true },
    ]);
  });
  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
    await store?.dropDatabase();
    await store?.close();
    await smtp.stop();
  });

  const sleepUntil = async (iso: string) => {
    const ms = Date.parse(iso) - (await env.currentTimeMs()) + 3_600_000;
    if (ms > 0) await env.sleep(ms);
  };
  const arrived = (n: number) => eventually(async () => (smtp.received.length >= n ? smtp.received : undefined), `${n} emails`);

  it('mails the owner before the deadline, and the coordinator and the förvaltningschef after it, each once', async () => {
    const due = dateInZone((await env.currentTimeMs()) + 40 * DAY, TZ);
    const { id } = await startActivityWorkflow(env.client, config.temporal.taskQueue, {
      activity: { orgId: 'sodermalm', key: `epost-${randomUUID().slice(0, 6)}`, year: Number(due.slice(0, 4)), dueDate: due, title: 'Ta fram lokala rutiner för AI', area: 'ai', owner: { role: 'it-coordinator' } },
    });
    await env.client.workflow.getHandle(id).executeUpdate(changeUpdate, {
      args: [{ workflowId: id, requestId: 'tilldela', actor: coordinator, command: { type: 'assign-owner', userId: 'demo-elin', name: 'Elin Söder' } }],
    });

    await sleepUntil(localTimeOn(due, -30, TZ));
    const [first] = await arrived(1);
    expect(first!.envelopeTo).toEqual(['elin.soder@demo.lisplan.se']);
    expect(first!.parsed.subject).toMatch(/^Påminnelse: Ta fram lokala rutiner för AI – 30 dagar kvar/);
    expect(first!.parsed.text).toContain(`https://lisplan.example.se/aktiviteter/${id}`);

    await sleepUntil(localTimeOn(due, 14, TZ));
    const all = await arrived(6);
    expect(all.map((m) => [m.envelopeTo.join(), m.parsed.subject!.split(':')[0]])).toEqual([
      ['elin.soder@demo.lisplan.se', 'Påminnelse'],
      ['elin.soder@demo.lisplan.se', 'Påminnelse'],
      ['elin.soder@demo.lisplan.se', 'Påminnelse'],
      ['elin.soder@demo.lisplan.se', 'Försenad'],
      ['fatima.ali@demo.lisplan.se', expect.stringMatching(/^Eskalering/)],
      ['johan.wikstrom@demo.lisplan.se', expect.stringMatching(/^Eskalering/)],
    ]);
    const outbox = await models.notifications.find({ activityId: id }).lean();
    expect(outbox.map((n) => n.status)).toEqual(Array(6).fill('sent'));

    await env.sleep(30 * DAY);
    expect(smtp.received).toHaveLength(6);
  });
});
