import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { Config } from '../platform/config';
import { ensureSchedule } from './schedules';

/** One schedule per task queue, so that two deployments sharing a namespace do not collide. */
export function digestScheduleId(taskQueue: string): string {
  return `digest.${taskQueue}`;
}

/**
 * The weekly digest's Schedule (DIGEST_SCHEDULE; off: none). A run missed while everything was
 * down is caught up within a day; a run never overlaps the one before.
 */
export function ensureDigestSchedule(client: Client, opts: { taskQueue: string; digest: Config['digest'] }): Promise<void> {
  return ensureSchedule(client, {
    scheduleId: digestScheduleId(opts.taskQueue),
    spec: opts.digest ? { cronExpressions: [opts.digest.cron], timezone: opts.digest.timeZone } : undefined,
    action: { type: 'startWorkflow', workflowType: 'digestWorkflow', workflowId: `digest.${opts.taskQueue}`, taskQueue: opts.taskQueue, args: [{ timeZone: opts.digest?.timeZone ?? 'Europe/Stockholm' }] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1d' },
  });
}
