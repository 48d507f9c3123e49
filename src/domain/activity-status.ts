/**
 * An activity's statuses and the groups the rules use, without zod: the workflows import this,
 * and every module a workflow imports is evaluated again for each workflow the worker creates
 * (test/unit/workflow-imports.test.ts), so these modules build no schemas.
 */

export const ACTIVITY_STATUSES = [
  'planned',
  'in-progress',
  'awaiting-approval',
  'changes-requested',
  'done',
  'verified',
  'blocked',
  'deferred',
  'cancelled',
] as const;
export type ActivityStatus = (typeof ACTIVITY_STATUSES)[number];

/** No further change is possible; the workflow finishes. */
export const TERMINAL_STATUSES: readonly ActivityStatus[] = ['verified', 'deferred', 'cancelled'];
/** The owner still has work to do: reminders and escalations apply. */
export const OPEN_STATUSES: readonly ActivityStatus[] = ['planned', 'in-progress', 'changes-requested', 'blocked'];
/** Not finished: late when its deadline has passed. */
export const UNFINISHED_STATUSES: readonly ActivityStatus[] = [...OPEN_STATUSES, 'awaiting-approval'];

/** Overdue: the owner still has work to do and the activity's deadline (the end of its due day) has passed. */
export function overdueAt(status: ActivityStatus, deadline: Date | string | number, now: Date | number): boolean {
  return OPEN_STATUSES.includes(status) && new Date(deadline).getTime() < new Date(now).getTime();
}

export function activityId(orgId: string, year: number, key: string): string {
  return `${orgId}.${year}.${key}`;
}
