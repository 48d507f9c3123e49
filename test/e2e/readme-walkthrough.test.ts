import { execFile } from 'node:child_process';
import fs from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { upsertDemoUsers } from '../../src/services/plans/demo-users';
import { projectRoot } from '../../src/platform/project-root';
import { testApp } from '../support/api';
import { startTestStack, type TestStack } from '../support/stack';

/** The README's curl walkthrough, run as written against a live server. */
describe('the README walkthrough', () => {
  let stack: TestStack;
  let server: Server;
  let api: string;
  beforeAll(async () => {
    stack = await startTestStack();
    await upsertDemoUsers(stack.models);
    await stack.models.organisations.create({ _id: 'sodermalm', name: 'Södermalms stadsdelsförvaltning', plan: { startYear: 2026, endYear: 2028 }, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() });
    await stack.models.kpiValues.create({ _id: 'sodermalm:certifierade-medarbetare:2025', orgId: 'sodermalm', seriesId: 'certifierade-medarbetare', name: 'Antal certifierade medarbetare', year: 2025, value: 773, updatedAt: new Date() });
    server = testApp(stack, { env: { devLogin: true } }).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    api = `http://127.0.0.1:${(server.address() as { port: number }).port}/api/v1`;
  });
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await stack?.close();
  });

  it('prints what the README says it prints', async () => {
    const readme = fs.readFileSync(path.join(projectRoot(), 'README.md'), 'utf8');
    const block = /<!-- walkthrough:start -->\n```sh\n([\s\S]*?)```\n<!-- walkthrough:end -->/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const output = await new Promise<string>((resolve, reject) =>
      execFile('bash', ['-euo', 'pipefail', '-c', block!], { env: { ...process.env, API: api } }, (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
      ),
    );
    expect(output.trim().split('\n')).toEqual(['planned', '2', '3', '4', 'awaiting-approval', 'Ta fram lokala rutiner för AI', 'done', 'verified', '812', 'true']);
  });
});
