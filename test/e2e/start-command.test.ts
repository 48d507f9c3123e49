import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import mongoose from 'mongoose';
import { storeRuntime } from '../../src/store/connection';
import { createModels } from '../../src/store/models';
import { bearerFor } from '../support/api';
import { projectRoot } from '../../src/platform/project-root';
import { freePort } from '../../src/stack/free-port';
import { quietDueDate, thisYear } from '../support/calendar';
import { eventually } from '../support/eventually';

const root = projectRoot();
const entry = (name: string) => path.join(root, 'dist/src', name);

/**
 * The README's run command as a user meets it: the compiled stack on embedded servers,
 * ready, stopped with Ctrl-C, started again with its data still there.
 */
describe('the run command (dist/src/stack/main.js)', () => {
  beforeAll(() => {
    if (!fs.existsSync(entry('stack/main.js'))) throw new Error('dist is not built: run `make test`, which builds first');
  });

  it('becomes ready, prints its URLs, stops on Ctrl-C and keeps its data across a restart', async () => {
    const dataDir = path.join(process.env.LISPLAN_TEST_DIR!, 'stack-data');
    const env = {
      ...process.env,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      EMBEDDED_TEMPORAL_PORT: String(await freePort()),
      EMBEDDED_MONGODB_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      TEMPORAL_ADDRESS: '',
      MONGODB_URI: '',
    };
    const api = `http://127.0.0.1:${env.PORT}`;

    const first = await startStack(env);
    expect(first.output).toContain(`API:              ${api}/api/v1`);
    expect(first.output).toContain(`Temporal Web UI:  http://127.0.0.1:${env.TEMPORAL_UI_PORT}`);
    expect(first.output).toContain(`Store:            mongodb://127.0.0.1:${env.EMBEDDED_MONGODB_PORT}/`);
    console.log(`stack ready after ${first.readyMs} ms`);
    expect((await fetch(`${api}/readyz`)).status).toBe(200);
    expect((await fetch(`http://127.0.0.1:${env.TEMPORAL_UI_PORT}/`)).status).toBe(200);

    // A real organisation, user and personal token in the embedded store, as an administrator would make.
    const year = thisYear();
    const store = await mongoose.createConnection(`mongodb://127.0.0.1:${env.EMBEDDED_MONGODB_PORT}/`, { dbName: 'lisplan', ...storeRuntime }).asPromise();
    const models = createModels(store);
    await models.organisations.create({ _id: 'sodermalm', name: 'Södermalm', plan: { startYear: year, endYear: year + 2 }, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() });
    const auth = await bearerFor(models, { id: 'stack-user', name: 'Stack', memberships: [{ orgId: 'sodermalm', roles: ['security-coordinator'] }] });
    await store.close();
    const created = await fetch(`${api}/api/v1/organisations/sodermalm/activities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: auth },
      body: JSON.stringify({ key: 'omstart', year, dueDate: quietDueDate(), title: 'överlever omstart', area: 'ai', owner: { role: 'it-coordinator' } }),
    });
    expect(created.status).toBe(201);
    const activity = (await created.json()) as { id: string };
    const read = () => fetch(`${api}/api/v1/activities/${activity.id}`, { headers: { authorization: auth } });
    // Written to the store (the read model) before the stop, so the second start reads it from disk.
    await eventually(async () => ((await read()).status === 200 ? true : undefined), 'the activity in the read model');

    expect(await interrupt(first.child)).toBe(0);
    await expect(fetch(`${api}/healthz`)).rejects.toThrow();
    expect(fs.existsSync(path.join(dataDir, 'temporal.db'))).toBe(true);

    const second = await startStack(env);
    try {
      const again = await read();
      expect(again.status).toBe(200);
      expect(await again.json()).toMatchObject({ id: activity.id, title: 'överlever omstart' });
      // Temporal kept the workflow too: the activity's workflow still runs.
      const connection = await Connection.connect({ address: `127.0.0.1:${env.EMBEDDED_TEMPORAL_PORT}` });
      const described = await new Client({ connection }).workflow.getHandle(activity.id).describe();
      expect(described.status.name).toBe('RUNNING');
      await connection.close();
    } finally {
      expect(await interrupt(second.child)).toBe(0);
    }
  });

  it.each([
    ['malformed', 'http://db:27017', /^lisplan-api: config: MONGODB_URI must be a mongodb:\/\/ or mongodb\+srv:\/\/ URL/],
    ['unreachable', 'mongodb://127.0.0.1:1/', /^lisplan-api: cannot reach the store at mongodb:\/\/127\.0\.0\.1:1\/ \(MONGODB_URI\): /],
  ])('exits 1 with one line when MONGODB_URI is %s', async (_kind, uri, message) => {
    const child = spawn(process.execPath, [entry('server.js')], {
      env: { ...process.env, NODE_ENV: 'development', MONGODB_URI: uri, TEMPORAL_ADDRESS: '127.0.0.1:1', PORT: String(await freePort()) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
  });

  it('exits 1 with one line when NODE_ENV=production has no SESSION_SECRET, before reaching for any server', async () => {
    const child = spawn(process.execPath, [entry('server.js')], {
      env: { ...process.env, NODE_ENV: 'production', SESSION_SECRET: '', TEMPORAL_PAYLOAD_KEY: randomBytes(32).toString('base64'), MONGODB_URI: 'mongodb://127.0.0.1:1/', TEMPORAL_ADDRESS: '127.0.0.1:1', PORT: String(await freePort()) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    expect(await new Promise<number | null>((r) => child.once('exit', r))).toBe(1);
    expect(stderr.trimEnd().split('\n')).toEqual(['lisplan-api: config: SESSION_SECRET is required when NODE_ENV=production (32+ characters, the same for every API process)']);
  });
});

async function startStack(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; output: string; readyMs: number }> {
  const started = Date.now();
  const child = spawn(process.execPath, [entry('stack/main.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let errors = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (errors += c.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in 120 s:\n${output}\n${errors}`)), 120_000);
    const poll = setInterval(() => {
      if (output.includes('Press Ctrl-C to stop.')) {
        clearInterval(poll);
        clearTimeout(timer);
        resolve();
      }
    }, 100);
    child.once('exit', (code) => {
      clearInterval(poll);
      clearTimeout(timer);
      reject(new Error(`stack exited ${code}:\n${output}\n${errors}`));
    });
  });
  return { child, output, readyMs: Date.now() - started };
}

async function interrupt(child: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((r) => child.once('exit', r));
  child.kill('SIGINT');
  return exited;
}
