import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { Config } from '../platform/config';
import { ensureSchedule } from './schedules';

export function workflowHealthScheduleId(taskQueue: string): string {
  return `workflow-health.${taskQueue}`;
}

/**
 * The Schedule of the workflow health check (WORKFLOW_HEALTH_CHECK_MINUTES; off: none). Missed
 * runs are not caught up: the next one looks at everything anyway.
 */
export function ensureWorkflowHealthSchedule(client: Client, opts: { taskQueue: string; check: Config['workflowHealthCheck'] }): Promise<void> {
  return ensureSchedule(client, {
    scheduleId: workflowHealthScheduleId(opts.taskQueue),
    spec: opts.check ? { intervals: [{ every: `${opts.check.everyMinutes}m` }] } : undefined,
    action: { type: 'startWorkflow', workflowType: 'workflowHealthWorkflow', workflowId: `workflow-health.${opts.taskQueue}`, taskQueue: opts.taskQueue, args: [] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1m' },
  });
}
