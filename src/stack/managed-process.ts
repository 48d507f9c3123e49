import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * A child process that lisplan started and must stop again. Its output goes to a log file
 * so that a failing server can be diagnosed after the fact; the last lines are kept for
 * the one-line error that a start-up failure prints.
 */
export class ManagedProcess {
  private exited = false;
  private readonly exitPromise: Promise<number | null>;
  private tail: string[] = [];

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    this.exitPromise = new Promise((resolve) => {
      child.once('exit', (code) => {
        this.exited = true;
        resolve(code);
      });
    });
  }

  static start(
    name: string,
    command: string,
    args: string[],
    opts: { logFile?: string; env?: NodeJS.ProcessEnv; inheritOutput?: boolean } = {},
  ): ManagedProcess {
    const child = spawn(command, args, {
      env: opts.env ?? process.env,
      stdio: ['ignore', opts.inheritOutput ? 'inherit' : 'pipe', opts.inheritOutput ? 'inherit' : 'pipe'],
    });
    const proc = new ManagedProcess(name, child);
    if (!opts.inheritOutput) {
      const log = opts.logFile ? openLog(opts.logFile) : undefined;
      const collect = (chunk: Buffer) => {
        log?.write(chunk);
        proc.tail = [...proc.tail, ...chunk.toString('utf8').split('\n').filter(Boolean)].slice(-20);
      };
      child.stdout?.on('data', collect);
      child.stderr?.on('data', collect);
      child.once('exit', () => log?.end());
    }
    child.once('error', (err) => {
      proc.tail.push(`${name}: ${err.message}`);
    });
    return proc;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.exited;
  }

  lastOutput(): string {
    return this.tail.join('\n');
  }

  waitForExit(): Promise<number | null> {
    return this.exitPromise;
  }

  /** SIGTERM, then SIGKILL if the process has not gone after `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.exited) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exitPromise;
    clearTimeout(timer);
  }

  /** For fault tests: the process dies without a chance to clean up. */
  async kill(): Promise<void> {
    if (this.exited) return;
    this.child.kill('SIGKILL');
    await this.exitPromise;
  }
}

function openLog(file: string): fs.WriteStream {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return fs.createWriteStream(file, { flags: 'a' });
}
