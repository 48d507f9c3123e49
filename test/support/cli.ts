import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../src/platform/project-root';
import type { TestStack } from './stack';

const root = projectRoot();
const cli = path.join(root, 'dist/src/cli/main.js');

/** Runs the compiled `lisplan` command, with `input` on its stdin (empty: closed at once). */
export function runCli(args: string[], env: NodeJS.ProcessEnv, input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  if (!fs.existsSync(cli)) throw new Error('dist is not built: run `make test`, which builds first');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { env: { ...process.env, ...env }, cwd: root, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.stdin.end(input);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The environment that points the command at a test stack's servers, store and task queue. */
export function cliEnv(stack: TestStack): NodeJS.ProcessEnv {
  return {
    TEMPORAL_ADDRESS: stack.config.temporal.address,
    MONGODB_URI: process.env.LISPLAN_TEST_MONGODB_URI,
    MONGODB_DB: stack.config.mongo.dbName,
    TEMPORAL_TASK_QUEUE: stack.config.temporal.taskQueue,
    // The stack's worker refuses what was not sealed with its key, as a deployment's does.
    TEMPORAL_PAYLOAD_KEY: stack.config.temporal.payloadKey!.export().toString('base64'),
  };
}
