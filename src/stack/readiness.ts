import type { ManagedProcess } from './managed-process';

/**
 * Polls `probe` until it resolves or the deadline passes. When the watched process dies
 * first, it fails at once with that process's last output instead of waiting it out.
 */
export async function waitUntilReady(
  what: string,
  probe: () => Promise<unknown>,
  opts: { timeoutMs: number; intervalMs?: number; process?: ManagedProcess },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastError: unknown;
  for (;;) {
    if (opts.process?.hasExited) {
      throw new Error(`${what} exited during start-up: ${opts.process.lastOutput() || 'no output'}`);
    }
    try {
      await probe();
      return;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const reason = lastError instanceof Error ? lastError.message : String(lastError);
      throw new Error(`${what} was not ready after ${opts.timeoutMs / 1000} s: ${reason}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 250));
  }
}
