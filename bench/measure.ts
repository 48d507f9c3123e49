import type { LocalStack } from '../src/stack/local-stack';

/** Latency figures of one measured series, in milliseconds, and its throughput. */
export interface Figures {
  n: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  perSecond: number;
  wallMs: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export function figures(latencies: number[], wallMs: number, errors = 0): Figures {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    n: sorted.length,
    errors,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    perSecond: (sorted.length / wallMs) * 1000,
    wallMs,
  };
}

/**
 * `callers` concurrent loops, each running `op(caller, i)` for its `opsPerCaller` items one
 * after the other: closed-loop load, the way people clicking wait for their answer.
 */
export async function closedLoop(callers: number, opsPerCaller: number, op: (caller: number, i: number) => Promise<void>): Promise<Figures> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: unknown;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async (_, caller) => {
      for (let i = 0; i < opsPerCaller; i++) {
        const t0 = performance.now();
        try {
          await op(caller, i);
          latencies.push(performance.now() - t0);
        } catch (err) {
          errors++;
          firstError ??= err;
        }
      }
    }),
  );
  if (errors > 0) console.error(`  ${errors} failed operations, the first: ${(firstError as Error).message}`);
  return figures(latencies, performance.now() - started, errors);
}

/** `n` sequential runs of `op`. */
export function sequential(n: number, op: (i: number) => Promise<void>): Promise<Figures> {
  return closedLoop(1, n, (_c, i) => op(i));
}

/** Resident memory of a process in MiB, from /proc (Linux). */
export async function rssMiB(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** CPU time (user + system) a process has used so far, in seconds, from /proc (Linux). */
export async function cpuSeconds(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticksPerSecond = 100;
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** CPU seconds of each server process of a stack so far, to difference around a measurement. */
export async function stackCpu(stack: LocalStack): Promise<Record<'api' | 'worker' | 'temporal' | 'store', number>> {
  const [api, worker, temporal, store] = await Promise.all([stack.api.pid!, stack.worker.pid!, stack.temporal.process.pid!, stack.store.process.pid!].map(cpuSeconds));
  return { api: api!, worker: worker!, temporal: temporal!, store: store! };
}
