import type { Client } from '@temporalio/client';
import { PROJECTION_WAIT_MS } from '../store/await-projection';
import { withTimeout } from '../store/connection';
import { Problem } from './problem';
import { backendUnavailable, engineBusy } from './unavailable';

/**
 * The state an accepted change is answered with. The Update's answer leaves it out: the
 * workflow's history keeps every answer, and a state may be large (ACTIVITY_LIMITS.stateSize,
 * REVIEW_LIMITS.stateSize). Once projected, the read model has it (this version or a later one);
 * before that only the workflow, through its query, which the history does not keep. The change
 * is applied whatever happens here, so an engine or store that fails this read (a query while
 * Temporal restarts answers RESOURCE_EXHAUSTED, not only UNAVAILABLE) is a 503, and the retry
 * with the same request id gets the duplicate's answer.
 */
export async function stateAfterChange<T>(
  client: Client,
  read: {
    /** Whether the read model caught up with the change (awaitProjection). */
    projected: boolean;
    /** The state in the read model, or undefined while it is missing or older than the change. */
    fromStore: () => Promise<T | undefined>;
    fromWorkflow: () => Promise<T>;
    deadline: number;
  },
  /** The change as a 503 names it, e.g. "The change to X is applied (version 3)". */
  applied: string,
): Promise<T> {
  try {
    const stored = read.projected ? await withTimeout(read.fromStore(), PROJECTION_WAIT_MS, 'read model read timed out') : undefined;
    return stored ?? (await client.withDeadline(read.deadline, read.fromWorkflow));
  } catch (err) {
    if (!backendUnavailable(err) && !engineBusy(err)) throw err;
    throw Problem.unavailable(`${applied}, but its state could not be read; retry with the same Idempotency-Key for the answer.`);
  }
}
