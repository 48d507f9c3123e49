/**
 * Records workflow histories for the replay tests (test/fixtures/histories): of activities, the
 * year's review, the weekly digest and a delivery. It writes only histories that are missing,
 * so the ones recorded by older code keep proving that running workflows replay. Run it after
 * adding a scenario, or after deleting a history that no longer describes running workflows:
 *   npm run build && node dist/scripts/record-histories.js
 * It starts its own throw-away Temporal and mongod, runs scenarios and writes the JSON.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { SMTPServer } from 'smtp-server';
import { createActivities } from '../src/activities';
import { loadConfig } from '../src/platform/config';
import { connectStore } from '../src/store/connection';
import { createModels } from '../src/store/models';
import type { Actor } from '../src/domain/activity';
import type { Command } from '../src/domain/changes';
import { startActivityWorkflow } from '../src/services/plans/start-activity';
import { serverBinaries } from '../src/stack/binaries';
import { projectRoot } from '../src/platform/project-root';
import { startStore, startTemporal } from '../src/stack/embedded-servers';
import { createWorker } from '../src/temporal/worker';
import { createMailer } from '../src/services/notifications/mailer';
import type { ReviewCommand } from '../src/domain/review';
import { changeUpdate, type ActivityWorkflowInput } from '../src/workflows/messages/activity';
import { digestWorkflow } from '../src/workflows/digest';
import { reviewWorkflow } from '../src/workflows/review';
import { reviewChangeUpdate, reviewStateQuery, reviewWorkflowId } from '../src/workflows/messages/review';

const owner: Actor = { userId: 'anna', name: 'Anna Ägare', roles: ['it-coordinator'], delegations: [] };
const coordinator: Actor = { userId: 'cecilia', name: 'Cecilia Samordnare', roles: ['security-coordinator'], delegations: [] };
const head: Actor = { userId: 'hans', name: 'Hans Förvaltningschef', roles: ['head-of-administration'], delegations: [] };

interface Scenario {
  name: string;
  input: ActivityWorkflowInput;
  steps: [Actor, Command][];
  /** Wait for the run to close (completion or continue-as-new) before recording. */
  closes: boolean;
}

const activity = (key: string, extra: Partial<ActivityWorkflowInput['activity']> = {}): ActivityWorkflowInput['activity'] => ({
  orgId: 'historik', key, year: 2026, title: `Inspelad ${key}`, area: 'ai', owner: { role: 'it-coordinator' }, ...extra,
});

/** The year's review from the first draft to adoption, sent back once on the way. */
const REVIEW_STEPS: [Actor, ReviewCommand][] = [
  [coordinator, { type: 'edit-section', sectionId: 'sammanfattning', text: 'Året i korthet.' }],
  [coordinator, { type: 'set-diary-number', diaryNumber: 'HF 2026/1' }],
  [coordinator, { type: 'submit' }],
  [head, { type: 'request-changes', comment: 'Beskriv riskerna tydligare.' }],
  [coordinator, { type: 'edit-section', sectionId: 'risker', text: 'Riskerna beskrivna.' }],
  [coordinator, { type: 'submit' }],
  [head, { type: 'adopt', decisions: ['Handlingsplanen 2027–2029 antas.'] }],
];

const SCENARIOS: Scenario[] = [
  {
    name: 'main-path-with-rejection',
    input: { activity: activity('huvudflode', { template: 'ai-routines' }) },
    steps: [
      [owner, { type: 'complete-task', taskId: 'rutin-anvandning' }],
      [owner, { type: 'add-comment', text: 'Utkast klart' }],
      [owner, { type: 'complete-task', taskId: 'rutin-utveckling' }],
      [owner, { type: 'submit-milestone', milestoneId: 'slutford' }],
      [head, { type: 'reject-milestone', milestoneId: 'slutford', comment: 'Komplettera' }],
      [owner, { type: 'add-evidence', link: 'https://intranat.example/rutin' }],
      [owner, { type: 'submit-milestone', milestoneId: 'slutford' }],
      [head, { type: 'approve-milestone', milestoneId: 'slutford' }],
      [coordinator, { type: 'verify', comment: 'Effekten följd upp' }],
    ],
    closes: true,
  },
  {
    name: 'extension-while-running',
    input: { activity: activity('forlangning') },
    steps: [
      [owner, { type: 'start' }],
      [owner, { type: 'request-extension', proposedDueDate: '2027-03-31', reason: 'Upphandling' }],
      [head, { type: 'decide-extension', extensionId: 'forlangning-1', decision: 'grant' }],
      [owner, { type: 'block', reason: 'Väntar på leverantör' }],
      [owner, { type: 'unblock' }],
    ],
    closes: false,
  },
  {
    name: 'continue-as-new',
    input: { activity: activity('fortsatt'), maxChangesPerRun: 2 },
    steps: [
      [owner, { type: 'add-comment', text: 'Ett' }],
      [owner, { type: 'add-comment', text: 'Två' }],
    ],
    closes: true,
  },
  {
    // Recorded after the 'answer-when-projected' patch: each Update waits for its projection,
    // and the reminder timer outlives the changes.
    name: 'answer-when-projected',
    input: { activity: activity('svar-efter-projektion', { template: 'ai-routines' }) },
    steps: [
      [owner, { type: 'start' }],
      [owner, { type: 'complete-task', taskId: 'rutin-anvandning' }],
      [owner, { type: 'add-comment', text: 'Rutinen är beslutad' }],
      [owner, { type: 'complete-task', taskId: 'rutin-utveckling' }],
      [owner, { type: 'submit-milestone', milestoneId: 'slutford' }],
      [head, { type: 'approve-milestone', milestoneId: 'slutford' }],
      [coordinator, { type: 'verify', comment: 'Rutinerna används' }],
    ],
    closes: true,
  },
  {
    name: 'yearly-recurrence',
    input: { activity: activity('arlig', { recurrence: 'yearly', template: 'training' }) },
    steps: [
      [owner, { type: 'complete-task', taskId: 'generell-utbildning' }],
      [owner, { type: 'complete-task', taskId: 'riktad-utbildning' }],
      [owner, { type: 'submit-milestone', milestoneId: 'slutford' }],
      [head, { type: 'approve-milestone', milestoneId: 'slutford' }],
      [coordinator, { type: 'verify', comment: 'Deltagandet ökade' }],
    ],
    closes: true,
  },
];

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lisplan-record-'));
  const binaries = serverBinaries();
  const temporal = await startTemporal({ binaries, port: 17233 + Math.floor(Math.random() * 1000), namespace: 'default', databaseFile: path.join(dir, 't.db'), logFile: path.join(dir, 't.log') });
  const storeServer = await startStore({ binaries, port: 28017 + Math.floor(Math.random() * 1000), dataDir: path.join(dir, 'f'), logFile: path.join(dir, 'f.log') });
  // A real SMTP server on loopback takes the digest and the review's notice, so delivery is recorded too.
  const smtp = new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS'], logger: false, onData: (stream, _session, done) => stream.resume().on('end', () => done()) });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const smtpPort = (smtp.server.address() as AddressInfo).port;
  const config = loadConfig({ TEMPORAL_ADDRESS: temporal.address, MONGODB_URI: storeServer.uri, TEMPORAL_TASK_QUEUE: 'record' });
  const store = await connectStore(config.mongo);
  const models = createModels(store);
  await Promise.all(Object.values(models).map((m) => m.init()));
  await models.organisations.create({ _id: 'historik', name: 'Historikförvaltningen', plan: { startYear: 2026, endYear: 2028 }, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() });
  for (const [actor, role] of [[owner, 'it-coordinator'], [coordinator, 'security-coordinator'], [head, 'head-of-administration']] as const) {
    await models.users.create({ _id: actor.userId, name: actor.name, email: `${actor.userId}@example.se`, memberships: [{ orgId: 'historik', roles: [role] }], notificationPreference: 'both' });
  }
  const mail = { mailer: createMailer({ host: '127.0.0.1', port: smtpPort, from: 'lisplan@example.se' }), publicUrl: 'https://lisplan.example.se', maxAttempts: 3 };
  const { worker, connection: native } = await createWorker({ temporal: config.temporal, activities: createActivities({ models, timeZone: config.planTimeZone, mail }) });
  const running = worker.run();
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });
  const out = path.join(projectRoot(), 'test/fixtures/histories');
  fs.mkdirSync(out, { recursive: true });
  // A history recorded by older code is what proves that running workflows still replay: keep it.
  const record = async (handle: WorkflowHandle, name: string, closes = true) => {
    const file = path.join(out, `${name}.json`);
    if (fs.existsSync(file)) return void process.stdout.write(`kept ${name}.json (delete it to record it again)\n`);
    if (closes) await waitClosed(handle);
    else await new Promise((r) => setTimeout(r, 2_000));
    fs.writeFileSync(file, JSON.stringify(await handle.fetchHistory(), null, 1) + '\n');
    process.stdout.write(`recorded ${name}.json\n`);
  };
  try {
    for (const s of SCENARIOS) {
      const { id } = await startActivityWorkflow(client, config.temporal.taskQueue, s.input);
      const handle = client.workflow.getHandle(id);
      const firstRun = (await handle.describe()).runId;
      let i = 0;
      for (const [actor, command] of s.steps) {
        await handle.executeUpdate(changeUpdate, { args: [{ workflowId: id, requestId: `${s.name}-${++i}`, actor, command }] });
      }
      const runHandle = client.workflow.getHandle(id, firstRun);
      await record(runHandle, `activity-${s.name}`, s.closes);
    }

    const review = await client.workflow.start(reviewWorkflow, { taskQueue: config.temporal.taskQueue, workflowId: reviewWorkflowId('historik', 2026, 1), args: [{ orgId: 'historik', year: 2026, version: 1 }] });
    // The handlers are set once the draft is pre-filled; the query answers from then on.
    for (;;) {
      if (await review.query(reviewStateQuery).then(() => true, () => false)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    let step = 0;
    for (const [actor, command] of REVIEW_STEPS) await review.executeUpdate(reviewChangeUpdate, { args: [{ workflowId: review.workflowId, requestId: `review-${++step}`, actor, command }] });
    await review.result();
    await record(review, 'review-adopted-after-changes');

    const digest = await client.workflow.start(digestWorkflow, { taskQueue: config.temporal.taskQueue, workflowId: 'digest-record', args: [{ timeZone: config.planTimeZone }] });
    const { digests } = await digest.result();
    if (digests === 0) throw new Error('the digest found nothing to send: the scenarios above should leave open tasks');
    await record(digest, 'digest-weekly');
    const sent = (await models.notifications.findOne({ kind: 'digest' }).lean())!;
    await record(client.workflow.getHandle(`notification.${sent._id}`), 'delivery-sent');
  } finally {
    worker.shutdown();
    await running;
    mail.mailer.close();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await native.close();
    await connection.close();
    await store.close();
    await storeServer.process.stop();
    await temporal.process.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function waitClosed(handle: WorkflowHandle): Promise<void> {
  for (;;) {
    const d = await handle.describe();
    if (d.status.name !== 'RUNNING') return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
