import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Connection as StoreConnection } from 'mongoose';
import { recordOnce } from '../../src/services/notifications/outbox';
import { connectStore } from '../../src/store/connection';
import { createModels, type Models } from '../../src/store/models';
import type { OutboxDoc } from '../../src/services/notifications/delivery-state';
import { deliveryWorkflow } from '../../src/workflows/delivery';
import { TestSmtpServer } from '../notifications/smtp-test-server';
import { eventually } from '../support/eventually';
import { freePort } from '../../src/stack/free-port';
import { clientDataConverter } from '../../src/temporal/connection';
import { testConfig } from '../support/stack';
import { quietDueDate } from '../support/calendar';
import { formatSwedishDate } from '../../src/services/notifications/message-wording';

/** The reminders' due date, from today: the subject names it. */
const DUE = quietDueDate();

/**
 * The real worker process (dist/src/worker.js) delivering notifications, killed with SIGKILL
 * while the SMTP server holds the DATA phase, then started again: the message arrives once.
 * And the SMTP server down, then back: Temporal's retries deliver it once.
 */
const publicUrl = 'https://lisplan.example.se';
const config = testConfig({ PUBLIC_URL: publicUrl });
const smtp = new TestSmtpServer();
let smtpPort: number;
let store: StoreConnection;
let models: Models;
let temporal: Connection;
let client: Client;
const workers: ChildProcess[] = [];

function startWorker(): ChildProcess {
  const child = spawn(process.execPath, [path.join(__dirname, '..', '..', 'dist', 'src', 'worker.js')], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      TZ: 'UTC',
      TEMPORAL_ADDRESS: config.temporal.address,
      TEMPORAL_TASK_QUEUE: config.temporal.taskQueue,
      MONGODB_URI: config.mongo.uri,
      MONGODB_DB: config.mongo.dbName,
      PUBLIC_URL: publicUrl,
      SMTP_HOST: '127.0.0.1',
      SMTP_PORT: String(smtpPort),
      SMTP_FROM: '"lisplan" <lisplan@stad.example.se>',
      MAIL_LEASE_SECONDS: '5',
      DIGEST_SCHEDULE: 'off',
      TEMPORAL_PAYLOAD_KEY: config.temporal.payloadKey!.export().toString('base64'),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  workers.push(child);
  return child;
}

const exited = (child: ChildProcess) => (child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => child.once('exit', () => r())));

beforeAll(async () => {
  smtpPort = await freePort();
  await smtp.start(smtpPort);
  store = await connectStore(config.mongo);
  models = createModels(store);
  await Promise.all(Object.values(models).map((m) => m.init()));
  temporal = await Connection.connect({ address: config.temporal.address });
  client = new Client({ connection: temporal, namespace: config.temporal.namespace, dataConverter: clientDataConverter(config.temporal) });
  await models.users.create({ _id: 'demo-elin-soder', name: 'Elin Söder', email: 'elin.soder@demo.lisplan.se', memberships: [{ orgId: 'sodermalm', roles: ['it-coordinator'] }], cityViewer: false, demo: true });
});
afterAll(async () => {
  for (const w of workers) {
    if (w.exitCode === null && w.signalCode === null) {
      w.kill('SIGTERM');
      await exited(w);
    }
  }
  await temporal?.close();
  await store?.dropDatabase().catch(() => undefined);
  await store?.close();
  await smtp.stop();
});

async function reminder(key: string): Promise<string> {
  const activityId = `sodermalm.2026.${key}`;
  const id = `${activityId}|reminder:-7`;
  await recordOnce(models, id, {
    orgId: 'sodermalm',
    kind: 'reminder',
    activityId,
    activityTitle: 'Ta fram lokala rutiner för AI',
    dueDate: DUE,
    offsetDays: -7,
    recipientRole: 'it-coordinator',
    recipientUserId: 'demo-elin-soder',
    dueAt: new Date(),
  });
  return id;
}

const outbox = (id: string) => models.notifications.collection.findOne({ _id: id as never }) as Promise<OutboxDoc | null>;

describe('delivery by the real worker process', () => {
  it('a worker killed (SIGKILL) while the SMTP server holds DATA: after a restart the message arrives exactly once', async () => {
    const id = await reminder(`dodad-arbetare-${Date.now().toString(36)}`);
    smtp.holdData = true;
    const first = startWorker();
    const run = await client.workflow.start(deliveryWorkflow, { workflowId: `notification.${id}`, taskQueue: config.temporal.taskQueue, args: [id] });

    await eventually(async () => (smtp.dataStarted >= 1 ? true : undefined), 'the DATA phase of the first attempt');
    first.kill('SIGKILL');
    await exited(first);
    expect(first.signalCode).toBe('SIGKILL');
    smtp.holdData = false;
    expect(smtp.received).toHaveLength(0);
    expect((await outbox(id))?.status).toBe('pending');

    startWorker();
    await run.result();
    expect(smtp.received).toHaveLength(1);
    const [mail] = smtp.received;
    expect(mail!.envelopeTo).toEqual(['elin.soder@demo.lisplan.se']);
    expect(mail!.parsed.subject).toBe(`Påminnelse: Ta fram lokala rutiner för AI – 7 dagar kvar (${formatSwedishDate(DUE)})`);
    expect(await outbox(id)).toMatchObject({ status: 'sent', deliveredTo: ['elin.soder@demo.lisplan.se'] });
    // The attempt that died started DATA; the retry did once more, and nothing after that.
    expect(smtp.dataStarted).toBe(2);

    fs.mkdirSync(path.join('artifacts', 'mail'), { recursive: true });
    fs.writeFileSync(path.join('artifacts', 'mail', 'reminder.eml'), mail!.raw);
  });

  it('the SMTP server down, then back: retried by Temporal and delivered once', async () => {
    const id = await reminder(`smtp-borta-${Date.now().toString(36)}`);
    const before = smtp.received.length;
    await smtp.stop();
    const run = await client.workflow.start(deliveryWorkflow, { workflowId: `notification.${id}`, taskQueue: config.temporal.taskQueue, args: [id] });
    const failedOnce = await eventually(async () => {
      const doc = await outbox(id);
      return doc && doc.attempts >= 1 ? doc : undefined;
    }, 'a failed attempt while the SMTP server is down');
    expect(failedOnce).toMatchObject({ status: 'pending', lastError: expect.stringContaining('ECONNREFUSED') });

    await smtp.start(smtpPort);
    await run.result();
    expect(smtp.received.length - before).toBe(1);
    expect(smtp.received[before]!.envelopeTo).toEqual(['elin.soder@demo.lisplan.se']);
    expect(await outbox(id)).toMatchObject({ status: 'sent', attempts: 1 });
  });
});
