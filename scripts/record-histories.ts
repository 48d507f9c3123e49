/**
 * Records workflow histories for the replay tests (test/fixtures/histories). Run it when a
 * workflow changes on purpose and the old histories no longer describe running workflows:
 *   npm run build && node dist/scripts/record-histories.js
 * It starts its own throw-away Temporal and FerretDB, runs scenarios and writes the JSON.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createActivities } from '../src/activities';
import { loadConfig } from '../src/config';
import { connectStore } from '../src/db/connection';
import { createModels } from '../src/db/models';
import type { Actor } from '../src/domain/activity';
import type { Command } from '../src/domain/changes';
import { startActivityWorkflow } from '../src/plans/start-activity';
import { projectRoot, serverBinaries } from '../src/stack/binaries';
import { startStore, startTemporal } from '../src/stack/embedded-servers';
import { createWorker } from '../src/temporal/worker';
import { changeUpdate, type ActivityWorkflowInput } from '../src/workflows/activity';

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
  const config = loadConfig({ TEMPORAL_ADDRESS: temporal.address, MONGODB_URI: storeServer.uri, TEMPORAL_TASK_QUEUE: 'record' });
  const store = await connectStore(config.mongo);
  const { worker, connection: native } = await createWorker({ temporal: config.temporal, activities: createActivities({ models: createModels(store), timeZone: config.planTimeZone }) });
  const running = worker.run();
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({ connection });
  const out = path.join(projectRoot(), 'test/fixtures/histories');
  fs.mkdirSync(out, { recursive: true });
  try {
    for (const s of SCENARIOS) {
      const { id } = await startActivityWorkflow(client, config.temporal.taskQueue, s.input);
      const handle = client.workflow.getHandle(id);
      const firstRun = (await handle.describe()).runId;
      let i = 0;
      for (const [actor, command] of s.steps) {
        await handle.executeUpdate(changeUpdate, { args: [{ requestId: `${s.name}-${++i}`, actor, command }] });
      }
      const runHandle = client.workflow.getHandle(id, firstRun);
      if (s.closes) await waitClosed(runHandle);
      else await new Promise((r) => setTimeout(r, 2_000));
      fs.writeFileSync(path.join(out, `activity-${s.name}.json`), JSON.stringify(await runHandle.fetchHistory(), null, 1) + '\n');
      process.stdout.write(`recorded activity-${s.name}.json\n`);
    }
  } finally {
    worker.shutdown();
    await running;
    await native.close();
    await connection.close();
    await store.close();
    await storeServer.process.stop();
    await temporal.process.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function waitClosed(handle: ReturnType<Client['workflow']['getHandle']>): Promise<void> {
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
