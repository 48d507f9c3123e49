import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Config } from '../config';

/** One schedule per task queue, so that two deployments sharing a namespace do not collide. */
export function digestScheduleId(taskQueue: string): string {
  return `digest.${taskQueue}`;
}

/**
 * Creates the weekly digest's Temporal Schedule, or brings an existing one in line with the
 * configuration: safe to call at every worker start. A run that was missed while everything
 * was down is caught up within a day; a run never overlaps the one before.
 */
export async function ensureDigestSchedule(client: Client, opts: { taskQueue: string; digest: NonNullable<Config['digest']> }): Promise<void> {
  const scheduleId = digestScheduleId(opts.taskQueue);
  const spec = { cronExpressions: [opts.digest.cron], timezone: opts.digest.timeZone };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'digestWorkflow',
    workflowId: `digest.${opts.taskQueue}`,
    taskQueue: opts.taskQueue,
    args: [{ timeZone: opts.digest.timeZone }],
  };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1d' as const };
  const options: ScheduleOptions = { scheduleId, spec, action, policies };
  try {
    await client.schedule.create(options);
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action, policies }));
  }
}

/** Removes the schedule (DIGEST_SCHEDULE=off); nothing to do when there is none. */
export async function removeDigestSchedule(client: Client, taskQueue: string): Promise<void> {
  try {
    await client.schedule.getHandle(digestScheduleId(taskQueue)).delete();
  } catch (err) {
    if (!(err instanceof ScheduleNotFoundError)) throw err;
  }
}
