import { withTimeout } from './connection';

/**
 * A change is accepted by its workflow before the workflow's projection reaches the read model.
 * Callers wait here, briefly, so that their next read (a list, the page they return to) shows
 * what they just did. The wait is bounded and gives up quietly: the change is durable in
 * Temporal either way, and the projection catches up on its own when the store is slow or down.
 */

/** Long enough for a projection on a loaded store; short enough that an outage is not felt as a hang. */
export const PROJECTION_WAIT_MS = 3_000;

/** Starts fine-grained because most projections land within tens of milliseconds, then backs off to spare the store. */
const FIRST_POLL_MS = 10;
const LONGEST_POLL_MS = 250;

/**
 * Resolves true once `projectedVersion()` reaches `version`, false when the wait runs out or the
 * store answers with an error. A read that hangs (a store that stopped answering) cannot hold
 * the caller past the deadline.
 */
export async function awaitProjection(projectedVersion: () => Promise<number | undefined>, version: number, waitMs = PROJECTION_WAIT_MS): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  let pause = FIRST_POLL_MS;
  for (;;) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    // A missing document is not projected yet (0); a failed or hung read ends the wait (null).
    const seen = await withTimeout(projectedVersion(), left, 'projection read timed out').then(
      (v) => v ?? 0,
      () => null,
    );
    if (seen === null) return false;
    if (seen >= version) return true;
    await new Promise((resolve) => setTimeout(resolve, Math.min(pause, Math.max(0, deadline - Date.now()))));
    pause = Math.min(pause * 2, LONGEST_POLL_MS);
  }
}
