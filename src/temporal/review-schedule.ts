import { ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { Config } from '../platform/config';
import { ensureSchedule } from './schedules';

export function reviewScheduleId(taskQueue: string): string {
  return `yearly-review.${taskQueue}`;
}

/**
 * The Schedule that starts every organisation's year-end review on the configured day (default
 * 1 November, 06:00 in the plan's zone). Without a date (REVIEW_START_DATE=off) there is none.
 */
export function ensureReviewSchedule(client: Client, config: Pick<Config, 'reviewStart' | 'planTimeZone'> & { taskQueue: string }): Promise<void> {
  const start = config.reviewStart;
  return ensureSchedule(client, {
    scheduleId: reviewScheduleId(config.taskQueue),
    spec: start ? { calendars: [{ month: MONTHS[start.month - 1]!, dayOfMonth: start.day, hour: 6 }], timezone: config.planTimeZone } : undefined,
    action: { type: 'startWorkflow', workflowType: 'yearlyReviewWorkflow', workflowId: `yearly-review.${config.taskQueue}`, taskQueue: config.taskQueue, args: [{ timeZone: config.planTimeZone }] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '7d' },
  });
}

const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'] as const;
