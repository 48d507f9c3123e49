import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startActivityWorkflow } from '../../src/services/plans/start-activity';
import { projectRoot } from '../../src/platform/project-root';
import { bearerFor, testApp, type TestUser } from '../support/api';
import { startTestStack, type TestStack } from '../support/stack';
import { eventually } from '../support/eventually';
import { daysFromToday, quietDueDate, thisYear } from '../support/calendar';

const YEAR = thisYear();

/**
 * schemathesis (scripts/provision-schemathesis.sh) fuzzes every operation of the live OpenAPI
 * document, once per role with that role's real personal API token, against the real stack.
 * Any 5xx, or a response whose status, content type or body the document does not describe,
 * fails the suite with schemathesis's own report.
 */

type Role = 'coordinator' | 'head' | 'owner' | 'viewer';
const ROLES: Role[] = ['coordinator', 'head', 'owner', 'viewer'];
const USERS: Record<Role | 'admin', TestUser> = {
  coordinator: { id: 'st-coord', name: 'Cecilia Samordnare', memberships: [{ orgId: 'sodermalm', roles: ['security-coordinator'] }] },
  head: { id: 'st-head', name: 'Hans Förvaltningschef', memberships: [{ orgId: 'sodermalm', roles: ['head-of-administration'] }] },
  owner: { id: 'st-owner', name: 'Olle IT-samordnare', memberships: [{ orgId: 'sodermalm', roles: ['it-coordinator'] }] },
  viewer: { id: 'st-viewer', name: 'Vera Läsare', memberships: [{ orgId: 'sodermalm', roles: ['viewer'] }] },
  // Sets the organisations up; schemathesis itself does not run as an administrator.
  admin: { id: 'st-admin', name: 'Ada Admin', memberships: [{ orgId: 'sodermalm', roles: ['admin'] }] },
};

const VERSION = /^SCHEMATHESIS_VERSION=(\S+)/m.exec(fs.readFileSync(path.join(projectRoot(), 'scripts/server-versions.env'), 'utf8'))?.[1];
const SCHEMATHESIS = path.join(process.env.LISPLAN_TOOLS_DIR ?? path.join(projectRoot(), '.tools'), `schemathesis-${VERSION}`, 'bin', 'schemathesis');

/**
 * Fixed seeds, so that a run makes the same requests every time and a failure comes back; one
 * per role, so that the four runs fuzz with different data rather than repeat each other.
 */
const SEED = 20_260_309;
const seedOf = (role: Role) => SEED + ROLES.indexOf(role);
/**
 * Test cases per operation and generation mode (valid and invalid data) in the fuzzing phase;
 * the coverage phase adds the boundary cases of every schema. ~2,600 requests per role.
 */
const MAX_EXAMPLES = 10;
/**
 * Runs at a time. A run is one Python process, busy generating data most of the time, and the
 * API answers in this process: two runs keep both cores of a two-core machine busy.
 */
/** One run at a time: two schemathesis processes on two cores starve the other test files. */
const PARALLEL = 1;
/**
 * A guard against a hung run, not a speed target: the runs are sized by MAX_EXAMPLES and the
 * seeds (not schemathesis's --max-time, which would make the requests depend on the machine's
 * speed) and take ~40 s each on an idle two-core machine, longer under load. Only a run still
 * going after this long is stopped, and that fails the test.
 */
const BUDGET_MS = 25 * 60_000;
/**
 * A 5xx; a status, content type or body the document does not give for the operation. Every
 * operation documents each problem status it can answer with (route.ts), so the status and
 * content-type checks are exact rather than noise.
 */
const CHECKS = ['not_a_server_error', 'status_code_conformance', 'content_type_conformance', 'response_schema_conformance'];
/** Set to a folder to keep each run's full output and a HAR file of its requests there. */
const KEEP = process.env.LISPLAN_SCHEMATHESIS_REPORTS;

jest.setTimeout(BUDGET_MS + 50_000);

interface RunResult {
  role: Role;
  code: number | null;
  killed: boolean;
  output: string;
  seconds: number;
  operations: number;
  testCases: number;
}

describe('schemathesis against the live OpenAPI document', () => {
  let stack: TestStack;
  let server: http.Server;
  let baseUrl: string;
  let workDir: string;
  const running = new Set<ChildProcess>();
  const auth = {} as Record<Role | 'admin', string>;
  const activityIds: string[] = [];
  let delegationId = '';

  beforeAll(async () => {
    if (!fs.existsSync(SCHEMATHESIS)) throw new Error(`schemathesis is not installed (${SCHEMATHESIS}); run scripts/provision-schemathesis.sh`);
    stack = await startTestStack();
    // The per-token limit (300/min) would turn most of the fuzzing into documented 429s.
    server = http.createServer(testApp(stack, { env: { rateLimitPerMinute: 1_000_000 } }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lisplan-schemathesis-'));
    for (const who of [...ROLES, 'admin'] as const) auth[who] = await bearerFor(stack.models, USERS[who]);

    for (const org of [
      { id: 'sodermalm', name: 'Södermalms stadsdelsförvaltning', board: 'Södermalms stadsdelsnämnd' },
      { id: 'fastighetskontoret', name: 'Fastighetskontoret' },
    ]) {
      await api('admin', 'POST', '/api/v1/organisations', { ...org, plan: { startYear: YEAR, endYear: YEAR + 2 }, areas: [{ id: 'ai', name: 'AI' }, { id: 'styrning', name: 'Styrning' }] }, 201);
    }
    // Activities in the states the change operations need, so that a real id gets past the 404.
    const create = async (key: string, extra: object = {}) => {
      await api('coordinator', 'POST', '/api/v1/organisations/sodermalm/activities', { key, year: YEAR, title: `Schemathesis ${key}`, area: 'ai', owner: { role: 'it-coordinator' }, dueDate: quietDueDate(), ...extra }, 201);
      activityIds.push(`sodermalm.${YEAR}.${key}`);
      return `/api/v1/activities/sodermalm.${YEAR}.${key}`;
    };
    await create('planerad');
    await create('mall', { template: 'risk-analysis', priority: 'hög', annexAControls: ['5.9'], nis2Measures: ['21.2.a'] });
    await api('owner', 'POST', `${await create('pagaende')}/start`, {}, 200);
    await api('owner', 'POST', `${await create('blockerad')}/block`, { reason: 'Väntar på upphandling' }, 200);
    const submitted = await create('inskickad');
    await api('owner', 'POST', `${submitted}/tasks/genomfor/complete`, {}, 200);
    await api('owner', 'POST', `${submitted}/milestones/slutford/submit`, { comment: 'Klar' }, 200);
    await api('owner', 'POST', `${await create('forlangning')}/extensions`, { proposedDueDate: quietDueDate(30), reason: 'Upphandling' }, 200);
    const done = await create('klar');
    await api('owner', 'POST', `${done}/tasks/genomfor/complete`, {}, 200);
    await api('owner', 'POST', `${done}/milestones/slutford/submit`, {}, 200);
    await api('head', 'POST', `${done}/milestones/slutford/approve`, { comment: 'Bra' }, 200);
    // No token here has a role in the other organisation: its activity starts directly.
    const other = await startActivityWorkflow(stack.env.client, stack.config.temporal.taskQueue, {
      activity: { orgId: 'fastighetskontoret', key: 'annan', year: YEAR, dueDate: quietDueDate(), title: 'Annan förvaltning', area: 'ai', owner: { role: 'it-coordinator' } },
    });
    activityIds.push(other.id);
    await api('coordinator', 'PUT', `/api/v1/organisations/sodermalm/kpis/informationsklassningar/${YEAR}`, { value: 12, name: 'Antal informationsklassningar', unit: 'st' }, 200);
    const delegation = (await api('head', 'POST', '/api/v1/organisations/sodermalm/delegations', { fromUserId: USERS.head.id, toUserId: USERS.coordinator.id, role: 'head-of-administration', validFrom: daysFromToday(30), validTo: daysFromToday(60) }, 201)) as { id: string };
    delegationId = delegation.id;
    // Reads come from the projection: wait until every activity is in it.
    await eventually(async () => ((await stack.models.activities.countDocuments({ _id: { $in: activityIds } })) === activityIds.length) || undefined, 'every activity projected');
  });

  afterAll(async () => {
    for (const child of running) child.kill('SIGKILL');
    if (server) await new Promise((resolve) => server.close(resolve));
    await stack?.close();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  async function api(who: Role | 'admin', method: string, url: string, body: unknown, expected: number): Promise<unknown> {
    const res = await fetch(baseUrl + url, { method, headers: { authorization: auth[who], 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    if (res.status !== expected) throw new Error(`setup: ${method} ${url} as ${who} gave ${res.status}, not ${expected}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  /**
   * Real ids for path parameters (and a few body fields) half of the time, schemathesis's own
   * the other half: both the handlers behind a found resource and the 404/403 paths get fuzzed.
   * No state is carried between runs (schemathesis's project cache, Hypothesis's example
   * database), so the seed alone decides the requests.
   */
  function writeConfig(): string {
    const dictionaries: Record<string, string[]> = {
      orgIds: ['sodermalm', 'fastighetskontoret'],
      activityIds,
      taskIds: ['genomfor'],
      milestoneIds: ['slutford'],
      extensionIds: ['forlangning-1'],
      delegationIds: [delegationId],
      userIds: Object.values(USERS).map((u) => u.id),
      seriesIds: ['informationsklassningar'],
      areas: ['ai', 'styrning'],
    };
    const bindings: Record<string, string> = {
      'path.orgId': 'orgIds',
      'path.activityId': 'activityIds',
      'path.taskId': 'taskIds',
      'path.milestoneId': 'milestoneIds',
      'path.extensionId': 'extensionIds',
      'path.delegationId': 'delegationIds',
      'path.userId': 'userIds',
      'path.seriesId': 'seriesIds',
      'body.area': 'areas',
      'body.fromUserId': 'userIds',
      'body.toUserId': 'userIds',
    };
    const toml = [
      '[cache]',
      'enabled = false',
      '',
      '[generation]',
      'database = "none"',
      '',
      ...Object.entries(dictionaries).flatMap(([name, values]) => [`[dictionaries.${name}]`, `values = ${JSON.stringify(values)}`, '']),
      '[parameters]',
      ...Object.entries(bindings).map(([key, dictionary]) => `"${key}" = { dictionary = "${dictionary}", probability = 0.5 }`),
      '',
    ].join('\n');
    const file = path.join(workDir, 'schemathesis.toml');
    fs.writeFileSync(file, toml);
    return file;
  }

  function run(role: Role, config: string, budgetMs: number): Promise<RunResult> {
    const args = [
      '--config-file', config,
      'run', `${baseUrl}/api/openapi.json`,
      '--url', baseUrl,
      '--header', `Authorization: ${auth[role]}`,
      '--checks', CHECKS.join(','),
      '--max-examples', String(MAX_EXAMPLES),
      '--seed', String(seedOf(role)),
      // One worker: with more, Hypothesis parses lambda sources from several threads at once and
      // CPython 3.11.7 fails that with "SystemError: AST constructor recursion depth mismatch".
      '--workers', '1',
      '--request-timeout', '20',
      '--no-color',
      ...(KEEP ? ['--report', 'har', '--report-har-path', path.join(KEEP, `${role}.har`)] : []),
    ];
    const started = Date.now();
    return new Promise((resolve, reject) => {
      // cwd is the throw-away folder: nothing schemathesis or Hypothesis writes lands in the tree.
      const child = spawn(SCHEMATHESIS, args, { cwd: workDir, env: { ...process.env, NO_COLOR: '1', COLUMNS: '120', PYTHONDONTWRITEBYTECODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
      running.add(child);
      let output = '';
      let killed = false;
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const timer = setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, budgetMs);
      child.once('error', reject);
      child.once('close', (code) => {
        clearTimeout(timer);
        running.delete(child);
        if (KEEP) fs.writeFileSync(path.join(KEEP, `${role}.txt`), output);
        resolve({ role, code, killed, output, seconds: (Date.now() - started) / 1000, ...summary(output) });
      });
    });
  }

  it('finds no server error and no response the document does not describe, for any role', async () => {
    if (KEEP) fs.mkdirSync(KEEP, { recursive: true });
    const config = writeConfig();
    const document = (await (await fetch(`${baseUrl}/api/openapi.json`)).json()) as { paths: Record<string, object> };
    const documented = Object.values(document.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    const deadline = Date.now() + BUDGET_MS;
    const results: RunResult[] = [];
    const queue = [...ROLES];
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        for (let role = queue.shift(); role && Date.now() < deadline; role = queue.shift()) {
          const result = await run(role, config, Math.max(deadline - Date.now(), 1));
          results.push(result);
        }
      }),
    );
    results.sort((a, b) => ROLES.indexOf(a.role) - ROLES.indexOf(b.role));
    const line = (r: RunResult) => `${r.role} (seed ${seedOf(r.role)}): exit ${r.killed ? 'killed' : r.code}, ${r.operations} operations, ${r.testCases} test cases, ${r.seconds.toFixed(1)} s`;
    console.info(`schemathesis ${VERSION}, --max-examples ${MAX_EXAMPLES}:\n${results.map(line).join('\n')}`);

    const failed = results.filter((r) => r.code !== 0);
    if (failed.length > 0) {
      throw new Error(
        failed
          .map((r) => (r.killed ? `schemathesis as ${r.role} overran the ${BUDGET_MS / 1000} s budget of all runs and was stopped:\n${trim(r.output)}` : `schemathesis as ${r.role} found problems (${line(r)}):\n${trim(r.output)}`))
          .join('\n\n'),
      );
    }
    // It really ran: every role, every documented operation, and plenty of requests.
    expect(results.map((r) => r.role)).toEqual(ROLES);
    for (const r of results) {
      expect({ role: r.role, operationsTested: r.operations, manyTestCases: r.testCases >= 500 }).toEqual({ role: r.role, operationsTested: documented, manyTestCases: true });
    }
    expect(results.reduce((n, r) => n + r.testCases, 0)).toBeGreaterThanOrEqual(1000);
  });
});

/** The closing summary's counts: operations tested and test cases generated. */
function summary(output: string): { operations: number; testCases: number } {
  const operations = /^API Operations:\n\s+Selected: \d+\/\d+\n\s+Tested: (\d+)$/m.exec(output);
  const cases = /^Test cases:\n\s+(\d+) generated/m.exec(output);
  return { operations: operations ? Number(operations[1]) : 0, testCases: cases ? Number(cases[1]) : 0 };
}

/**
 * schemathesis's failures, errors and summary, without the progress lines and warnings, each
 * section cut short: a Hypothesis traceback alone can run to hundreds of kilobytes.
 */
function trim(output: string, perSection = 6_000): string {
  const sections = output.split(/^(?==+ [A-Z][A-Za-z ]* =+$)/m);
  const kept = sections.filter((s) => /^=+ (FAILURES|ERRORS|SUMMARY) =+$/m.test(s.split('\n', 1)[0] ?? ''));
  const text = kept.length > 0 ? kept : [output.slice(-perSection)];
  return text.map((s) => (s.length > perSection ? `${s.slice(0, perSection)}\n… (${s.length - perSection} more characters)\n` : s)).join('');
}
