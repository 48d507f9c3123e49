/**
 * An error the operator can fix (bad configuration, an unreachable server, a bad input file).
 * Entry points print its message as one line and exit 1; anything else is a bug.
 */
export class OperatorError extends Error {
  override readonly name: string = 'OperatorError';
}
