import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Connection as StoreConnection } from 'mongoose';
import { verifyOrganisationChain } from '../../src/services/audit/store';
import { loadConfig, type Config } from '../../src/platform/config';
import { connectStore } from '../../src/store/connection';
import { createModels, type Models } from '../../src/store/models';
import { dateInZone } from '../../src/domain/deadlines';
import { startActivityWorkflow } from '../../src/services/plans/start-activity';
import { freePort } from '../../src/stack/free-port';
import { LocalStack } from '../../src/stack/local-stack';
import { clientDataConverter } from '../../src/temporal/connection';
import type { ManagedProcess } from '../../src/stack/managed-process';
import { stateQuery } from '../../src/workflows/messages/activity';
import { TestSmtpServer } from '../notifications/smtp-test-server';
import { bearerFor } from '../support/api';
import { eventually } from '../support/eventually';

/** Hang guard for the catch-up after a fault: generous, a loaded two-core machine is slow. */
const CATCH_UP_MS = 300_000;

/**
 * What a rig's lisplan runs on: a LocalStack (one worker, one API, servers of its own), or an
 * AppCluster (several workers and APIs, `make test-cluster`).
 */
export interface RigStack {
  readonly env: NodeJS.ProcessEnv;
  readonly temporalAddress: string;
  /** Where the next request goes. */
  nextApiUrl(): string;
  /** The app processes that must still be running when a case ends. */
  running(): ManagedProcess[];
  stop(): Promise<void>;
}

/**
 * A whole lisplan of its own for one fault test: Temporal, store, worker and API as separate
 * processes that the test may kill, an SMTP server that counts what is sent, and owners with
 * tokens. Nothing is shared with the other test files, because pieces of it die.
 */
export interface FaultRig<S extends RigStack = LocalStack> {
  name: string;
  orgId: string;
  stack: S;
  config: Config;
  models: Models;
  client: Client;
  smtp: TestSmtpServer;
  owners: string[];
  /**
   * Deliveries a kill cut short between the SMTP server's 250 and the record of it: each may
   * send its one message again, with the same Message-ID (the at-least-once window that
   * deliver.ts names). A test that kills a worker counts them; otherwise none.
   */
  resendsAllowed: number;
  close(): Promise<void>;
}

/** `start` puts the rig on another stack than a LocalStack of its own (see RigStack). */
export async function startFaultRig<S extends RigStack = LocalStack>(
  name: string,
  opts: { owners?: number; storeDataDir?: string; start?: (dir: string, env: NodeJS.ProcessEnv) => Promise<S> } = {},
): Promise<FaultRig<S>> {
  const smtp = new TestSmtpServer();
  const smtpPort = await freePort();
  await smtp.start(smtpPort);
  const dir = path.join(process.env.LISPLAN_TEST_DIR!, `fault-${name}`);
  const env = { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtpPort), RATE_LIMIT_PER_MINUTE: '1000000', LOG_LEVEL: 'error' };
  const stack = opts.start ? await opts.start(dir, env) : ((await LocalStack.start({ dir, storeDataDir: opts.storeDataDir, env })) as unknown as S);
  const config = loadConfig(stack.env);
  let store: StoreConnection | undefined;
  let connection: Connection | undefined;
  try {
    store = await connectStore(config.mongo);
    const models = createModels(store);
    connection = await Connection.connect({ address: stack.temporalAddress });
    const orgId = `fel-${name}`;
    const owners = await Promise.all(
      Array.from({ length: opts.owners ?? 10 }, (_, i) =>
        bearerFor(models, { id: `${orgId}-agare-${i}`, name: `Ägare ${i}`, memberships: [{ orgId, roles: ['activity-owner'] }] }),
      ),
    );
    const [s, c] = [store, connection];
    return {
      name,
      orgId,
      stack,
      config,
      models,
      client: new Client({ connection, namespace: config.temporal.namespace, dataConverter: clientDataConverter(config.temporal) }),
      smtp,
      owners,
      resendsAllowed: 0,
      async close() {
        await c.close();
        await s.close();
        await stack.stop();
        await smtp.stop();
      },
    };
  } catch (err) {
    await connection?.close();
    await store?.close();
    await stack.stop();
    await smtp.stop();
    throw err;
  }
}

/**
 * Activities owned by the activity-owner role, each with `tasks` tasks, due in five days so
 * that each sends one reminder e-mail while the fault happens.
 */
export async function startActivities(rig: FaultRig<RigStack>, count: number, tasks: number, prefix = 'aktivitet'): Promise<string[]> {
  const dueDate = dateInZone(Date.now() + 5 * 86_400_000, rig.config.planTimeZone);
  const ids = await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const { id } = await startActivityWorkflow(rig.client, rig.config.temporal.taskQueue, {
        activity: {
          orgId: rig.orgId,
          key: `${prefix}-${i}`,
          year: Number(dueDate.slice(0, 4)),
          title: `Aktivitet ${i}`,
          area: 'styrning',
          owner: { role: 'activity-owner' },
          dueDate,
          extraTasks: Array.from({ length: tasks }, (_, t) => `Uppgift ${t + 1}`),
        } as never,
        timeZone: rig.config.planTimeZone,
      });
      return id;
    }),
  );
  await eventually(async () => ((await rig.models.activities.countDocuments({ _id: { $in: ids } })) === ids.length ? true : undefined), 'first projections', CATCH_UP_MS);
  return ids;
}

/** Waits until `n` task completions are in the audit trail: the load is under way. */
export async function waitForCompletions(rig: FaultRig<RigStack>, n: number): Promise<void> {
  await eventually(
    async () => ((await rig.models.auditEvents.countDocuments({ orgId: rig.orgId, action: 'complete-task' })) >= n ? true : undefined),
    `${n} completions`,
    300_000,
  );
}

/** Statuses that are neither success nor "try again later": what a fault must never cause. */
export function failures(attempts: Attempts): number[] {
  return attempts.statuses.filter((s) => !ACCEPTED_OR_LATER.includes(s));
}

/** 200, or "try again after Retry-After": the server away (503) or the activity busy with other changes (429). */
const ACCEPTED_OR_LATER = [200, 429, 503];

/** What a client saw while it tried to get one change accepted. */
export interface Attempts {
  statuses: number[];
  /** Responses that were 429 or 503 without a Retry-After header. */
  withoutRetryAfter: number;
  networkErrors: number;
}

/**
 * A client that does what the API asks of it: on 503 or 429 it waits Retry-After (capped, to keep
 * the test short), on a dropped connection it tries again, always with the same Idempotency-Key.
 * Any other answer than 200 ends the attempt.
 */
export async function changeUntilAccepted(
  rig: FaultRig<RigStack>,
  token: string,
  urlPath: string,
  idempotencyKey: string,
  attempts: Attempts,
): Promise<{ version: number; duplicate: boolean }> {
  const deadline = Date.now() + 180_000;
  let lastAnswer = 'none';
  for (;;) {
    let res: Response | undefined;
    try {
      res = await fetch(`${rig.stack.nextApiUrl()}${urlPath}`, {
        method: 'POST',
        headers: { authorization: token, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
        body: '{}',
      });
    } catch {
      attempts.networkErrors++;
    }
    if (res) {
      attempts.statuses.push(res.status);
      const body = (await res.json().catch(() => ({}))) as { version: number; duplicate: boolean };
      if (res.status === 200) return body;
      if (!ACCEPTED_OR_LATER.includes(res.status)) throw new Error(`${urlPath} answered ${res.status}: ${JSON.stringify(body)}`);
      lastAnswer = `${res.status} ${JSON.stringify(body)}`;
      if (!res.headers.get('retry-after')) attempts.withoutRetryAfter++;
    }
    // The last refusal says which part was still unavailable.
    if (Date.now() > deadline) throw new Error(`${urlPath} was not accepted within 3 minutes; last answer: ${lastAnswer}`);
    const retryAfter = Number(res?.headers.get('retry-after') ?? 0);
    await new Promise((r) => setTimeout(r, Math.min(Math.max(retryAfter * 1000, 200), 1_000)));
  }
}

export interface Load {
  attempts: Attempts;
  /** Changes accepted so far. */
  accepted: number;
  done: Promise<{ version: number; duplicate: boolean }[]>;
}

/**
 * Completes `tasks` tasks on each activity, each change retried until accepted: all at once,
 * or with `oneAtATime` as one owner per activity working through its tasks, a steady load that
 * lasts long enough for a fault to hit it in the middle.
 */
export function completeAll(rig: FaultRig<RigStack>, ids: string[], tasks: number, opts: { oneAtATime?: boolean } = {}): Load {
  const load: Load = { attempts: { statuses: [], withoutRetryAfter: 0, networkErrors: 0 }, accepted: 0, done: Promise.resolve([]) };
  const complete = async (id: string, a: number, task: number) => {
    const result = await changeUntilAccepted(rig, rig.owners[a % rig.owners.length]!, `/api/v1/activities/${id}/tasks/uppgift-${task}/complete`, `${id}-${task}`, load.attempts);
    load.accepted++;
    return result;
  };
  const tasksOf = Array.from({ length: tasks }, (_, t) => t + 1);
  load.done = opts.oneAtATime
    ? Promise.all(
        ids.map(async (id, a) => {
          const results = [];
          for (const task of tasksOf) results.push(await complete(id, a, task));
          return results;
        }),
      ).then((r) => r.flat())
    : Promise.all(ids.flatMap((id, a) => tasksOf.map((task) => complete(id, a, task))));
  return load;
}

/** Waits until the load has had `n` changes accepted: it is under way. */
export async function acceptedAtLeast(load: Load, n: number): Promise<void> {
  await eventually(async () => (load.accepted >= n ? true : undefined), `${n} accepted changes`, CATCH_UP_MS);
}

/**
 * The consistency check that ends every fault case: each accepted change is in the workflow's
 * state, in the read model and in the audit chain exactly once, the chain verifies, and no
 * reminder e-mail went out twice.
 */
export async function expectConsistent(rig: FaultRig<RigStack>, ...groups: [ids: string[], tasks: number][]): Promise<void> {
  for (const p of rig.stack.running()) {
    if (p.hasExited) throw new Error(`the ${p.name} died: ${p.lastOutput()}`);
  }
  const all = groups.flatMap(([ids, tasks]) => ids.map((id) => ({ id, version: 1 + tasks })));
  for (const { id, version } of all) {
    // A query needs a polling worker; right after a restart the server may not have seen it yet.
    const state = await eventually(() => rig.client.workflow.getHandle(id).query(stateQuery).catch(() => undefined), `state of ${id}`, CATCH_UP_MS);
    expect({ id, version: state.version, open: state.tasks.filter((t) => t.id.startsWith('uppgift-') && !t.done).length }).toEqual({ id, version, open: 0 });
  }
  await eventually(async () => {
    const docs = await rig.models.activities.find({ _id: { $in: all.map((a) => a.id) } }).select({ version: 1 }).lean();
    return all.every((a) => docs.some((d) => d._id === a.id && d.version === a.version)) ? true : undefined;
  }, 'read model caught up', CATCH_UP_MS);
  const docs = await rig.models.activities.find({ _id: { $in: all.map((a) => a.id) } }).lean();
  for (const doc of docs) expect(doc.tasks.filter((t) => t.id.startsWith('uppgift-') && !t.done)).toEqual([]);

  const events = await rig.models.auditEvents.find({ orgId: rig.orgId }).lean();
  for (const { id, version } of all) {
    const versions = events.filter((e) => e.activityId === id).map((e) => e.version).sort((a, b) => a - b);
    expect({ id, versions }).toEqual({ id, versions: Array.from({ length: version }, (_, i) => i + 1) });
  }
  const completions = events.filter((e) => e.action === 'complete-task');
  expect(completions).toHaveLength(all.reduce((n, a) => n + a.version - 1, 0));
  expect(new Set(completions.map((e) => e.requestId)).size).toBe(completions.length);
  expect(await verifyOrganisationChain(rig.models.auditEvents, rig.orgId)).toMatchObject({ ok: true, events: all.reduce((n, a) => n + a.version, 0) });

  // Every activity owes one reminder; each owner gets it once, never twice.
  const expected = all.length * rig.owners.length;
  // Counted without repeats: a resend after a kill must not make the last deliveries look done.
  const messageIdsNow = () => rig.smtp.received.map((m) => `${m.parsed.messageId} ${m.envelopeTo.join(',')}`);
  await eventually(async () => (new Set(messageIdsNow()).size >= expected ? true : undefined), 'reminders delivered', CATCH_UP_MS);
  const messageIds = messageIdsNow();
  expect(new Set(messageIds).size).toBe(expected);
  expect(messageIds.length - expected).toBeLessThanOrEqual(rig.resendsAllowed);
}
