import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../../src/stack/binaries';
import { startActivityWorkflow } from '../../src/plans/start-activity';
import { bearerFor, testApp, type TestUser } from '../support/api';
import { startTestStack, type TestStack } from '../support/stack';

/**
 * schemathesis fuzzes every operation of the live OpenAPI document once per role, with a real
 * personal API token, against the real stack. Any 5xx, or a response whose status, content type
 * or body the document does not describe, fails the suite with schemathesis's own report.
 */
jest.setTimeout(300_000);

type Role = 'coordinator' | 'head' | 'owner' | 'viewer';
const ROLES: Role[] = ['coordinator', 'head', 'owner', 'viewer'];
const USERS: Record<Role | 'admin', TestUser> = {
  coordinator: { id: 'st-coord', name: 'Cecilia Samordnare', memberships: [{ orgId: 'sodermalm', roles: ['security-coordinator'] }] },
  head: { id: 'st-head', name: 'Hans Förvaltningschef', memberships: [{ orgId: 'sodermalm', roles: ['head-of-administration'] }] },
  owner: { id: 'st-owner', name: 'Olle IT-samordnare', memberships: [{ orgId: 'sodermalm', roles: ['it-coordinator'] }] },
  viewer: { id: 'st-viewer', name: 'Vera Läsare', memberships: [{ orgId: 'sodermalm', roles: ['viewer'] }] },
  // Only sets the organisations up; schemathesis does not run as an administrator.
  admin: { id: 'st-admin', name: 'Ada Admin', memberships: [{ orgId: 'sodermalm', roles: ['admin'] }] },
};

const VERSION = /^SCHEMATHESIS_VERSION=(\S+)/m.exec(fs.readFileSync(path.join(projectRoot(), 'scripts/server-versions.env'), 'utf8'))?.[1];
const TOOLS = process.env.LISPLAN_TOOLS_DIR ?? path.join(projectRoot(), '.tools');
const SCHEMATHESIS = path.join(TOOLS, `schemathesis-${VERSION}`, 'bin', 'schemathesis');

const SEED = 20_260_309;
/** Per operation and generation mode; with the coverage phase this gives ~4–6k requests in all. */
const MAX_EXAMPLES = 25;
/** A hard stop per run, far above what a run needs: a hung run fails instead of hanging. */
const RUN_DEADLINE_MS = 150_000;
const CHECKS = ['not_a_server_error', 'response_schema_conformance', 'status_code_conformance', 'content_type_conformance'];

interface RunResult {
  role: Role;
  code: number | null;
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

    // Both organisations through the API, as an administrator would.
    for (const org of [
      { id: 'sodermalm', name: 'Södermalms stadsdelsförvaltning', board: 'Södermalms stadsdelsnämnd' },
      { id: 'fastighetskontoret', name: 'Fastighetskontoret' },
    ]) {
      await api('admin', 'POST', '/api/v1/organisations', { ...org, plan: { startYear: 2026, endYear: 2028 }, areas: [{ id: 'ai', name: 'AI' }, { id: 'styrning', name: 'Styrning' }] }, 201);
    }
    // Activities through the API, in the states the change operations need, so that a real
    // id reaches the workflow rather than a 404.
    const create = async (key: string, extra: object = {}) => {
      await api('coordinator', 'POST', '/api/v1/organisations/sodermalm/activities', { key, year: 2026, title: `Schemathesis ${key}`, area: 'ai', owner: { role: 'it-coordinator' }, dueDate: '2026-11-30', ...extra }, 201);
      activityIds.push(`sodermalm.2026.${key}`);
      return `/api/v1/activities/sodermalm.2026.${key}`;
    };
    await create('planerad');
    await create('mall', { template: 'risk-analysis', priority: 'hög', annexAControls: ['5.9'], nis2Measures: ['21.2.a'] });
    const pagaende = await create('pagaende');
    await api('owner', 'POST', `${pagaende}/start`, {}, 200);
    const blockerad = await create('blockerad');
    await api('owner', 'POST', `${blockerad}/block`, { reason: 'Väntar på upphandling' }, 200);
    const inskickad = await create('inskickad');
    await api('owner', 'POST', `${inskickad}/tasks/genomfor/complete`, {}, 200);
    await api('owner', 'POST', `${inskickad}/milestones/slutford/submit`, { comment: 'Klar' }, 200);
    const forlangning = await create('forlangning');
    await api('owner', 'POST', `${forlangning}/extensions`, { proposedDueDate: '2027-03-31', reason: 'Upphandling' }, 200);
    const klar = await create('klar');
    await api('owner', 'POST', `${klar}/tasks/genomfor/complete`, {}, 200);
    await api('owner', 'POST', `${klar}/milestones/slutford/submit`, {}, 200);
    await api('head', 'POST', `${klar}/milestones/slutford/approve`, { comment: 'Bra' }, 200);
    // The other organisation has no coordinator token here: its activity starts directly.
    const other = await startActivityWorkflow(stack.env.client, stack.config.temporal.taskQueue, {
      activity: { orgId: 'fastighetskontoret', key: 'annan', year: 2026, title: 'Annan förvaltning', area: 'ai', owner: { role: 'it-coordinator' } },
    });
    activityIds.push(other.id);
    await api('coordinator', 'PUT', '/api/v1/organisations/sodermalm/kpis/informationsklassningar/2026', { value: 12, name: 'Antal informationsklassningar', unit: 'st' }, 200);
    const delegation = (await api('head', 'POST', '/api/v1/organisations/sodermalm/delegations', { fromUserId: USERS.head.id, toUserId: USERS.coordinator.id, role: 'head-of-administration', validFrom: '2026-07-01', validTo: '2026-07-31' }, 201)) as { id: string };
    delegationId = delegation.id;
    // Reads come from the projection: wait until every activity is in it.
    for (let i = 0; i < 200 && (await stack.models.activities.countDocuments({ _id: { $in: activityIds } })) < activityIds.length; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
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
   * Real ids for the path parameters, half of the time: the other half stays schemathesis's
   * own, so that both the handlers behind a found resource and the 404/403 paths are fuzzed.
   */
  function configFile(): string {
    const dictionaries: Record<string, (string | number)[]> = {
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
      // No state carried between runs (schemathesis's project cache, Hypothesis's example
      // database): the same seed gives the same requests.
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

  function run(role: Role, config: string): Promise<RunResult> {
    const args = [
      '--config-file', config,
      'run', `${baseUrl}/api/openapi.json`,
      '--url', baseUrl,
      '--header', `Authorization: ${auth[role]}`,
      '--checks', CHECKS.join(','),
      '--max-examples', String(MAX_EXAMPLES),
      '--seed', String(SEED),
      '--workers', '1',
      '--request-timeout', '20',
      '--no-color',
      '--report', 'har', '--report-har-path', `/tmp/st-${role}.har`,
    ];
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const child = spawn(SCHEMATHESIS, args, {
        cwd: workDir,
        env: { ...process.env, NO_COLOR: '1', COLUMNS: '120', PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), RUN_DEADLINE_MS);
      child.once('error', reject);
      child.once('close', (code) => {
        clearTimeout(timer);
        resolve({ role, code, output, seconds: (Date.now() - started) / 1000, ...summary(output) });
      });
    });
  }

  it('finds no server error and no response the document does not describe, for any role', async () => {
    const config = configFile();
    const results: RunResult[] = [];
    for (const role of ROLES) results.push(await run(role, config));
    fs.writeFileSync('/tmp/schemathesis-output.txt', results.map((r) => `==== ${r.role} (${r.code}, ${r.seconds}s)\n${r.output}`).join('\n'));

    const failed = results.filter((r) => r.code !== 0);
    if (failed.length > 0) throw new Error(failed.map((r) => `schemathesis as ${r.role} exited ${r.code ?? 'killed'} after ${r.seconds.toFixed(0)} s:\n${trim(r.output)}`).join('\n\n'));
    for (const r of results) {
      expect({ role: r.role, operations: r.operations }).toEqual({ role: r.role, operations: expect.any(Number) });
      expect(r.operations).toBeGreaterThanOrEqual(35);
      expect(r.testCases).toBeGreaterThanOrEqual(250);
    }
    expect(results.reduce((n, r) => n + r.testCases, 0)).toBeGreaterThanOrEqual(1000);
  });
});

/** The numbers of schemathesis's closing summary: operations tested and test cases generated. */
function summary(output: string): { operations: number; testCases: number } {
  const operations = /^API Operations:\n\s+Selected: \d+\/\d+\n\s+Tested: (\d+)$/m.exec(output);
  const cases = /^Test cases:\n\s+(\d+) generated/m.exec(output);
  return { operations: operations ? Number(operations[1]) : 0, testCases: cases ? Number(cases[1]) : 0 };
}

/** The failures and the summary, without the progress lines before them. */
function trim(output: string, max = 12_000): string {
  const start = output.search(/^=+ FAILURES =+|^_+ (GET|POST|PUT|PATCH|DELETE) /m);
  const text = start >= 0 ? output.slice(start) : output;
  return text.length > max ? `${text.slice(0, max)}\n… (${text.length - max} more characters)` : text;
}
