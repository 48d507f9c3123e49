import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type Client } from '@temporalio/client';
import type { Config } from '../config';

export function reviewScheduleId(taskQueue: string): string {
  return `yearly-review.${taskQueue}`;
}

/**
 * Creates the Schedule that starts every organisation's year-end review on the configured day
 * (default 1 November, 06:00 in the plan's zone), or brings it in line with the configuration:
 * safe at every worker start. Without a date (REVIEW_START_DATE=off) there is none.
 */
export async function ensureReviewSchedule(client: Client, config: Pick<Config, 'reviewStart' | 'planTimeZone'> & { taskQueue: string }): Promise<void> {
  const scheduleId = reviewScheduleId(config.taskQueue);
  if (!config.reviewStart) {
    await client.schedule
      .getHandle(scheduleId)
      .delete()
      .catch((err: unknown) => {
        if (!(err instanceof ScheduleNotFoundError)) throw err;
      });
    return;
  }
  const spec = { calendars: [{ month: MONTHS[config.reviewStart.month - 1]!, dayOfMonth: config.reviewStart.day, hour: 6 }], timezone: config.planTimeZone };
  const action = {
    type: 'startWorkflow' as const,
    workflowType: 'yearlyReviewWorkflow',
    workflowId: `yearly-review.${config.taskQueue}`,
    taskQueue: config.taskQueue,
    args: [{ timeZone: config.planTimeZone }],
  };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '7d' as const };
  try {
    await client.schedule.create({ scheduleId, spec, action, policies });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule.getHandle(scheduleId).update((previous) => ({ ...previous, spec, action, policies }));
  }
}

const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'] as const;
