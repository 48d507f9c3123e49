import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Client } from '@temporalio/client';
import YAML from 'yaml';
import { newReviewState } from '../src/domain/review';
import { renderDocx } from '../src/reports/docx';
import { renderPdf } from '../src/reports/pdf';
import { citySummary } from '../src/services/reviews/city-summary';
import { compileReview } from '../src/services/reviews/compile';
import { gatherReviewInputs } from '../src/services/reviews/gather';
import { prefillNarrative } from '../src/services/reviews/prefill';
import type { Config } from '../src/platform/config';
import type { Models } from '../src/store/models';
import type { Connection } from 'mongoose';
import { activityId } from '../src/domain/activity';
import { startActivityWorkflow } from '../src/services/plans/start-activity';
import { readPlanFile } from '../src/services/plans/read-plan-file';
import { projectRoot } from '../src/platform/project-root';
import type { LocalStack } from '../src/stack/local-stack';
import { stateQuery } from '../src/workflows/messages/activity';
import { benchFloorWorkflow, finishSignal, pingUpdate } from './floor/workflow';
import { FLOOR_TASK_QUEUE, startFloorWorker } from './floor/start';
import { bearerFor } from '../test/support/api';
import { closedLoop, rssMiB, sequential, stackCpu, type Figures } from './measure';
import { AREAS, benchActivityDoc, LISTER } from './read-model-docs';
import { percent, times, type Row } from './report';
import type { BenchSizes } from './sizes';

export interface BenchContext {
  stack: LocalStack;
  store: Connection;
  models: Models;
  client: Client;
  config: Config;
  log: (line: string) => void;
  rows: Row[];
}

/** The floor at 1 caller and at 32 callers (or the largest caller count below 32). */
export interface Floors {
  one: Figures;
  many: Figures;
  manyCallers: number;
}

const BENCH_ORG = 'bench';
const LIST_ORG = 'lista-01';
/** A city's read model: the listed activities are spread over this many organisations. */
const LIST_ORGS = 50;

/**
 * (1) An Update that does nothing, on a workflow that does nothing: what Temporal costs here.
 * The workflow runs on the bench's own worker, started for this section and stopped after it.
 */
export async function floor(ctx: BenchContext, sizes: BenchSizes): Promise<Floors> {
  const worker = await startFloorWorker(ctx.stack);
  try {
    return await measureFloor(ctx, sizes);
  } finally {
    await worker.stop();
  }
}

async function measureFloor(ctx: BenchContext, sizes: BenchSizes): Promise<Floors> {
  const manyCallers = Math.max(...sizes.BENCH_CALLERS.filter((c) => c <= 32));
  const result: Record<number, Figures> = {};
  for (const callers of [...new Set([1, manyCallers])]) {
    ctx.log(`floor: ${sizes.BENCH_FLOOR_OPS} empty Updates, ${callers} caller(s)`);
    const handles = await Promise.all(
      Array.from({ length: callers }, (_, i) =>
        ctx.client.workflow.start(benchFloorWorkflow, { workflowId: `bench-floor-${callers}-${i}-${Date.now()}`, taskQueue: FLOOR_TASK_QUEUE }),
      ),
    );
    await Promise.all(handles.map((h) => h.executeUpdate(pingUpdate, { args: [0] })));
    const perCaller = Math.ceil(sizes.BENCH_FLOOR_OPS / callers);
    const figures = await closedLoop(callers, perCaller, async (c, i) => {
      const echoed = await handles[c]!.executeUpdate(pingUpdate, { args: [i] });
      if (echoed !== i) throw new Error(`ping ${i} answered ${echoed}`);
    });
    await Promise.all(handles.map((h) => h.signal(finishSignal)));
    // Closed before the section stops their worker, so none is left running on the server.
    await Promise.all(handles.map((h) => h.result()));
    result[callers] = figures;
    ctx.rows.push({
      section: 'engine floor',
      name: `empty Update, ${callers} caller(s)`,
      figures,
      ratio: callers === 1 ? 'the floor' : `p50 ${times(figures.p50, result[1]!.p50)} of 1 caller`,
    });
  }
  return { one: result[1]!, many: result[manyCallers]!, manyCallers };
}

/** Tasks of an activity in the completion bench: the seed templates have two to five. */
const TASKS_PER_ACTIVITY = 8;

/**
 * (2) Task completion through the API: HTTP, authentication, the Update (validated and applied
 * by the activity workflow), the projection into the read model, which the API waits for (up to
 * 3 s), and the response. Each caller is an owner with their own token. What the read model
 * still lacked after the last response is shown too (nothing, unless a wait ran out).
 */
export async function completions(ctx: BenchContext, sizes: BenchSizes, floors: Floors): Promise<void> {
  const maxCallers = Math.max(...sizes.BENCH_CALLERS);
  const tokens = await Promise.all(
    Array.from({ length: maxCallers }, (_, i) =>
      bearerFor(ctx.models, { id: `bench-owner-${i}`, name: `Ägare ${i}`, memberships: [{ orgId: BENCH_ORG, roles: ['activity-owner'] }] }),
    ),
  );
  for (const mode of ['distinct', 'same'] as const) {
    for (const callers of sizes.BENCH_CALLERS) {
      const perCaller = Math.max(1, Math.ceil(sizes.BENCH_OPS / callers));
      const activities = mode === 'distinct' ? callers : 1;
      const tasksEach = mode === 'distinct' ? TASKS_PER_ACTIVITY : Math.max(TASKS_PER_ACTIVITY, callers);
      ctx.log(`task completion, ${mode === 'distinct' ? 'distinct activities' : 'one activity'}: ${perCaller * callers} completions, ${callers} owner(s)`);
      const ids = await startActivities(ctx, `${mode}-${callers}-${Date.now()}`, activities, tasksEach);
      // Untimed warm-up: the token and connection paths, not the measured Update.
      await Promise.all(tokens.slice(0, callers).map((t) => api(ctx, 'GET', '/api/v1/me', t)));

      retried = 0;
      const cpuBefore = await stackCpu(ctx.stack);
      // Each owner works through the tasks of their activity and then reopens them, round after
      // round (on one activity, each owner toggles a task of their own): every call is a change.
      const figures = await closedLoop(callers, perCaller, async (c, i) => {
        const id = mode === 'distinct' ? ids[c]! : ids[0]!;
        const [task, round] = mode === 'distinct' ? [(i % tasksEach) + 1, Math.floor(i / tasksEach)] : [c + 1, i];
        await api(ctx, 'POST', `/api/v1/activities/${id}/tasks/uppgift-${task}/${round % 2 === 0 ? 'complete' : 'reopen'}`, tokens[c]!, {});
      });
      const caughtUp = performance.now();
      const cpuAfter = await stackCpu(ctx.stack);
      // A refused change (see the error count) is not in the workflow: wait for what it holds.
      const versions = await Promise.all(ids.map((id) => ctx.client.workflow.getHandle(id).query(stateQuery).then((s) => s.version)));
      await projected(ctx, ids, Math.min(...versions));
      const lagMs = performance.now() - caughtUp;

      const floorFor = callers === 1 ? floors.one : floors.many;
      ctx.rows.push({
        section: mode === 'distinct' ? 'task completion (API)' : 'same activity (API)',
        name: `${callers} owner(s)`,
        figures,
        value: `read model +${Math.round(lagMs)} ms${retried > 0 ? `; ${retried} answers 429/503 retried` : ''}`,
        metrics: {
          callers,
          changes: figures.n,
          lagMs,
          // CPU per change until the answers were in (the projections are in by then, unless lagMs is large).
          ...Object.fromEntries((['api', 'worker', 'temporal', 'store'] as const).map((p) => [`${p}CpuMsPerChange`, ((cpuAfter[p] - cpuBefore[p]) * 1000) / figures.n])),
        },
        ratio: `p50 ${times(figures.p50, floors.one.p50)} floor; ops/s ${percent(figures.perSecond, floorFor.perSecond)} of floor@${callers === 1 ? 1 : floors.manyCallers}`,
      });
    }
  }
}

/** (3) The lists people open most, with 1,000 and 10,000 activities in the read model. */
export async function listing(ctx: BenchContext, sizes: BenchSizes): Promise<void> {
  const token = await bearerFor(ctx.models, { id: LISTER.userId, name: LISTER.name, memberships: [{ orgId: LIST_ORG, roles: ['activity-owner'] }] });
  // The förvaltningschef signs off what the bench documents hand in; their list is /me/approvals.
  const head = await bearerFor(ctx.models, { id: 'bench-head', name: 'Hedda Chef', memberships: [{ orgId: LIST_ORG, roles: ['head-of-administration'] }] });
  const queries: Record<string, { url: string; token: string }> = {
    '/me/tasks': { url: '/api/v1/me/tasks', token },
    '/me/approvals': { url: '/api/v1/me/approvals', token: head },
    'activity by id': { url: `/api/v1/activities/${benchDocId(LIST_ORGS)}`, token },
    'list owner=me, open': { url: `/api/v1/organisations/${LIST_ORG}/activities?status=planned,in-progress&owner=me&limit=50`, token },
    'list year+area, page 1': { url: '', token },
    'list year+area, page 2': { url: '', token },
  };
  const baseline: Record<string, Figures> = {};
  let seeded = 0;
  for (const size of [...sizes.BENCH_LIST_SIZES].sort((a, b) => a - b)) {
    ctx.log(`listing: seeding the read model to ${size} activities`);
    await seedReadModel(ctx, seeded, size);
    seeded = size;
    const pageOne = `/api/v1/organisations/${LIST_ORG}/activities?year=2026&area=area-2&sort=title&limit=5`;
    const { nextCursor } = (await api(ctx, 'GET', pageOne, token)) as { nextCursor: string | null };
    queries['list year+area, page 1']!.url = pageOne;
    queries['list year+area, page 2']!.url = nextCursor ? `${pageOne}&cursor=${nextCursor}` : pageOne;
    for (const [name, { url, token: as }] of Object.entries(queries)) {
      await sequential(5, () => api(ctx, 'GET', url, as).then(() => undefined));
      const figures = await sequential(sizes.BENCH_LIST_REQUESTS, () => api(ctx, 'GET', url, as).then(() => undefined));
      const base = baseline[name];
      baseline[name] ??= figures;
      ctx.rows.push({
        section: 'listing',
        name: `${name}, ${size} in city`,
        figures,
        ratio: base ? `p95 ${times(figures.p95, base.p95)} of ${sizes.BENCH_LIST_SIZES[0]}` : 'the smaller size',
      });
    }
  }
}

/** (4) Plans for a whole city through `lisplan plan load`, one file per organisation. */
export async function planLoad(ctx: BenchContext, sizes: BenchSizes, floors: Floors): Promise<void> {
  const base = readPlanFile(path.join(projectRoot(), 'plans', 'sodermalm.yaml'));
  const picked = base.activities.slice(0, sizes.BENCH_PLAN_ACTIVITIES);
  const keys = new Set(picked.map((a) => a.key));
  const activities = picked.map((a) => ({ ...a, dependsOn: a.dependsOn.filter((k) => keys.has(k)) }));
  const dir = path.join(ctx.stack.dir, 'plans');
  fs.mkdirSync(dir, { recursive: true });
  const orgIds = Array.from({ length: sizes.BENCH_PLAN_ORGS }, (_, i) => `stad-${String(i + 1).padStart(2, '0')}`);
  const files = orgIds.map((orgId, i) => {
    const file = path.join(dir, `${orgId}.yaml`);
    fs.writeFileSync(file, YAML.stringify({ ...base, organisation: { id: orgId, name: `Förvaltning ${i + 1}` }, activities }));
    return file;
  });
  const total = orgIds.length * activities.length;
  ctx.log(`plan load: ${orgIds.length} organisations × ${activities.length} activities`);
  const started = performance.now();
  await promisify(execFile)(process.execPath, [path.join(projectRoot(), 'dist', 'src', 'cli', 'main.js'), 'plan', 'load', ...files], {
    env: ctx.stack.env,
    maxBuffer: 64 * 1024 * 1024,
  });
  const loadedMs = performance.now() - started;
  await projected(ctx, orgIds.flatMap((orgId) => activities.map((a) => activityId(orgId, a.year, a.key))), 1);
  const projectedMs = performance.now() - started;
  const rate = (total / loadedMs) * 1000;
  ctx.rows.push({
    section: 'plan load',
    name: `${orgIds.length} org × ${activities.length} = ${total} workflows`,
    value: `${(loadedMs / 1000).toFixed(1)} s, ${rate.toFixed(1)} wf/s; all projected ${(projectedMs / 1000).toFixed(1)} s`,
    ratio: `wf/s ${percent(rate, floors.many.perSecond)} of floor@${floors.manyCallers} ops/s`,
    metrics: { workflows: total, loadedSeconds: loadedMs / 1000, projectedSeconds: projectedMs / 1000 },
  });
  // Every one of them ran on the worker just now: its sticky cache is as full as it gets.
  const live = await ctx.client.workflow.count('WorkflowType="activityWorkflow" AND ExecutionStatus="Running"');
  const workerRss = await rssMiB(ctx.stack.worker.pid!);
  ctx.rows.push({
    section: 'plan load',
    name: `worker RSS with ${live.count} live activity workflows`,
    value: `${workerRss.toFixed(0)} MiB (WORKER_MAX_CACHED_WORKFLOWS ${ctx.config.temporal.maxCachedWorkflows})`,
    metrics: { liveWorkflows: live.count, workerRssMiB: workerRss },
  });
}

/**
 * (5) The year's review of one organisation with 100, 1,000 and 10,000 activities: read and
 * compile it, then render it as DOCX and as PDF, in this process, with its peak memory. Then
 * the city roll-up over the listing's organisations.
 */
export async function review(ctx: BenchContext, sizes: BenchSizes): Promise<void> {
  const now = new Date().toISOString();
  const tz = ctx.config.planTimeZone;
  // The target compares each size with the one before it (10,000 within 12× of 1,000).
  let previous: { size: number; total: number } | undefined;
  let offset = 0;
  for (const size of [...sizes.BENCH_REVIEW_SIZES].sort((a, b) => a - b)) {
    const orgId = `granskning-${size}`;
    ctx.log(`review: ${size} activities`);
    await seedOrganisations(ctx, [orgId]);
    await seedReadModel(ctx, offset, offset + size, () => orgId);
    offset += size;
    const peak = peakRss();
    const t0 = performance.now();
    const inputs = await gatherReviewInputs(ctx.models, orgId, 2026, now, tz);
    const document = compileReview(inputs, newReviewState({ orgId, year: 2026, version: 1, narrative: prefillNarrative(inputs) }, now), now);
    const t1 = performance.now();
    const docx = await renderDocx(document);
    const t2 = performance.now();
    const pdf = await renderPdf(document);
    const t3 = performance.now();
    const peakMiB = peak.stop();
    const phases = { compile: t1 - t0, docx: t2 - t1, pdf: t3 - t2, total: t3 - t0 };
    ctx.rows.push({
      section: 'review',
      name: `${size} activities: compile + DOCX + PDF`,
      value: `${s1(phases.total)} (compile ${s1(phases.compile)}, DOCX ${s1(phases.docx)} ${kib(docx.length)}, PDF ${s1(phases.pdf)} ${kib(pdf.length)}); peak RSS +${peakMiB.toFixed(0)} MiB`,
      ratio: previous ? `${times(phases.total, previous.total)} of ${previous.size} for ${size / previous.size}× the activities` : 'the smaller size',
    });
    previous = { size, total: phases.total };
  }
  const orgIds = Array.from({ length: LIST_ORGS }, (_, i) => listOrg(i));
  await seedOrganisations(ctx, orgIds);
  const figures = await sequential(5, async () => {
    await citySummary(ctx.models, orgIds, 2026, new Date());
  });
  const inCity = await ctx.models.activities.countDocuments({ orgId: { $in: orgIds } });
  ctx.rows.push({ section: 'review', name: `city roll-up, ${LIST_ORGS} organisations, ${inCity} activities`, figures, metrics: { organisations: LIST_ORGS, activities: inCity } });
}

const s1 = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const kib = (bytes: number) => `${Math.round(bytes / 1024)} KiB`;

/** Samples this process's resident memory until stopped; returns the peak above the start, in MiB. */
function peakRss(): { stop(): number } {
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  return {
    stop() {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      return (peak - start) / 2 ** 20;
    },
  };
}

/**
 * Worker and API memory under steady work: owners ticking tasks on and off for
 * BENCH_SOAK_MINUTES while the resident size of both processes is sampled.
 */
export async function soak(ctx: BenchContext, sizes: BenchSizes): Promise<void> {
  if (sizes.BENCH_SOAK_MINUTES === 0) return;
  const callers = 8;
  ctx.log(`soak: ${sizes.BENCH_SOAK_MINUTES} min, ${callers} owners completing and reopening tasks`);
  const token = await bearerFor(ctx.models, { id: 'bench-soak', name: 'Sara Soak', memberships: [{ orgId: BENCH_ORG, roles: ['activity-owner'] }] });
  const ids = await startActivities(ctx, `soak-${Date.now()}`, callers, 1);
  const pids = { worker: ctx.stack.worker.pid!, api: ctx.stack.api.pid! };
  const samples: { at: number; worker: number; api: number }[] = [];
  const endAt = Date.now() + sizes.BENCH_SOAK_MINUTES * 60_000;
  let ops = 0;
  let errors = 0;
  let firstError: unknown;
  const sampler = setInterval(() => {
    void Promise.all([rssMiB(pids.worker), rssMiB(pids.api)]).then(([worker, api]) => samples.push({ at: Date.now(), worker, api }));
  }, 5_000);
  await Promise.all(
    ids.map(async (id) => {
      for (let done = false; Date.now() < endAt; done = !done) {
        await api(ctx, 'POST', `/api/v1/activities/${id}/tasks/uppgift-1/${done ? 'reopen' : 'complete'}`, token, {}).then(
          () => ops++,
          (err: unknown) => {
            errors++;
            firstError ??= err;
          },
        );
      }
    }),
  );
  clearInterval(sampler);
  if (errors > 0) console.error(`  ${errors} failed operations in the soak, the first: ${(firstError as Error).message}`);
  // The first fifth is warm-up: caches, JIT and the workflow cache filling.
  const settled = samples.slice(Math.floor(samples.length / 5));
  for (const proc of ['worker', 'api'] as const) {
    const first = settled[0]?.[proc] ?? NaN;
    const last = settled[settled.length - 1]?.[proc] ?? NaN;
    const peak = Math.max(...settled.map((s) => s[proc]));
    ctx.rows.push({
      section: 'soak',
      name: `${proc} RSS over ${sizes.BENCH_SOAK_MINUTES} min, ${ops} changes${errors ? `, ${errors} errors` : ''}`,
      value: `${first.toFixed(0)} → ${last.toFixed(0)} MiB (peak ${peak.toFixed(0)})`,
      metrics: { startMiB: first, endMiB: last, peakMiB: peak, changes: ops, errors },
      ratio: `end/start ${times(last, first)}`,
    });
  }
}

/** Answers 429 and 503 that a client retried after their Retry-After, since the last reset. */
let retried = 0;

/**
 * A call as a well-behaved client makes it: a 429 or 503 is retried after its Retry-After under
 * the same Idempotency-Key (a 503 may come after the change was made), and the wait counts in the latency.
 */
export async function api(ctx: BenchContext, method: 'GET' | 'POST', url: string, authorization: string, body?: unknown): Promise<unknown> {
  const idempotency: Record<string, string> = method === 'POST' ? { 'idempotency-key': randomUUID() } : {};
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${ctx.stack.apiUrl}${url}`, {
      method,
      headers: { authorization, ...idempotency, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if ((res.status === 429 || res.status === 503) && attempt < 10) {
      retried++;
      await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get('retry-after') ?? 1)));
      continue;
    }
    if (res.status !== 200) throw new Error(`${method} ${url}: ${res.status} ${text.slice(0, 300)}`);
    return JSON.parse(text) as unknown;
  }
}

/** Activity workflows with `tasks` tasks each, owned by the activity-owner role; waits for their first projection. */
async function startActivities(ctx: BenchContext, prefix: string, count: number, tasks: number): Promise<string[]> {
  const ids: string[] = [];
  const queue = Array.from({ length: count }, (_, i) => i);
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) {
        const { id } = await startActivityWorkflow(ctx.client, ctx.config.temporal.taskQueue, {
          activity: {
            orgId: BENCH_ORG,
            key: `${prefix}-${i}`,
            year: 2026,
            title: `Mätaktivitet ${i}`,
            area: 'matning',
            owner: { role: 'activity-owner' },
            extraTasks: Array.from({ length: tasks }, (_, t) => `Uppgift ${t + 1}`),
          } as never,
          timeZone: ctx.config.planTimeZone,
        });
        ids[i] = id;
      }
    }),
  );
  await projected(ctx, ids, 1);
  return ids;
}

/** Waits until the read model holds at least `version` of every activity. */
/**
 * Waits until every activity is in the read model at `version` or later. It looks up one
 * activity at a time by _id and waits on the first one missing: all must arrive, so the last to arrive sets the time, and the store is not
 * loaded by the waiting (a polled count, or checking all at once, slowed what was measured).
 */
async function projected(ctx: BenchContext, ids: string[], version: number, timeoutMs = 30 * 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let i = 0; i < ids.length; ) {
    const doc = await ctx.models.activities.findById(ids[i]).select({ version: 1 }).lean();
    if (doc && doc.version >= version) {
      i++;
      continue;
    }
    if (Date.now() > deadline) throw new Error(`${ids[i]} (${i + 1} of ${ids.length}) not projected after ${timeoutMs / 60_000} min`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function listOrg(i: number): string {
  return `lista-${String(1 + (i % LIST_ORGS)).padStart(2, '0')}`;
}

/** The id of read-model document `i` as seedReadModel writes it (a multiple of LIST_ORGS is in LIST_ORG). */
function benchDocId(i: number): string {
  return benchActivityDoc(i, listOrg(i), 'Europe/Stockholm', new Date(0).toISOString())._id;
}

/** Organisation records, which the review and the city roll-up read. */
export async function seedOrganisations(ctx: BenchContext, orgIds: string[]): Promise<void> {
  for (const id of orgIds) {
    await ctx.models.organisations.updateOne(
      { _id: id },
      { $set: { name: `Förvaltning ${id}`, plan: { startYear: 2026, endYear: 2028 }, areas: AREAS.map((a) => ({ id: a, name: `Område ${a}` })), goals: [], updatedAt: new Date() } },
      { upsert: true },
    );
  }
}

/**
 * Read-model documents written directly: what a city's 10,000 projected activities look like
 * to one organisation's lists. The organisation measured holds 1/LIST_ORGS of them.
 */
export async function seedReadModel(ctx: BenchContext, from: number, to: number, orgOf: (i: number) => string = listOrg): Promise<void> {
  const createdAt = new Date().toISOString();
  for (let start = from; start < to; start += 1000) {
    const docs = [];
    for (let i = start; i < Math.min(start + 1000, to); i++) docs.push(benchActivityDoc(i, orgOf(i), ctx.config.planTimeZone, createdAt));
    await ctx.models.activities.insertMany(docs, { ordered: false });
  }
}
