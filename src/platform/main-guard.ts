import { OperatorError } from './errors';

/**
 * Runs an entry point. An OperatorError prints one line and exits 1; anything else is a bug
 * and keeps its stack.
 */
export function runMain(name: string, main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    if (err instanceof OperatorError) {
      process.stderr.write(`${name}: ${err.message}\n`);
    } else {
      process.stderr.write(`${name}: unexpected failure\n${err instanceof Error ? err.stack : String(err)}\n`);
    }
    process.exit(1);
  });
}

export function startupError(message: string): OperatorError {
  return new OperatorError(message);
}
