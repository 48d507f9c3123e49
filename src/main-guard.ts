import { ConfigError } from './config';
import { StoreUnreachableError } from './db/connection';

/**
 * Runs an entry point. A start-up failure the operator can fix (bad config, unreachable
 * server) prints one line and exits 1; anything else is a bug and keeps its stack.
 */
export function runMain(name: string, main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    if (err instanceof ConfigError || err instanceof StoreUnreachableError || isStartupError(err)) {
      process.stderr.write(`${name}: ${(err as Error).message}\n`);
    } else {
      process.stderr.write(`${name}: unexpected failure\n${err instanceof Error ? err.stack : String(err)}\n`);
    }
    process.exit(1);
  });
}

/** Errors marked as operator-facing by `startupError`. */
const STARTUP = Symbol('startup');
export function startupError(message: string): Error {
  return Object.assign(new Error(message), { [STARTUP]: true });
}
function isStartupError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && STARTUP in err;
}
