import { TZDate } from '@date-fns/tz';
import type { RoleName } from './roles';

/**
 * Deadline arithmetic. A due date is a calendar date; the deadline is the end of that day in
 * the plan's time zone. People get reminders and escalations at 08:00 local time, not at
 * midnight.
 *
 * Only TZDate's constructor and Intl are used: inside Temporal's workflow sandbox, date-fns
 * helpers such as endOfDay fall back to the process zone when given a TZDate.
 */

export const REMINDER_HOUR = 8;

export interface ReminderPolicy {
  /** Days before the due date when the owner is reminded. */
  remindDaysBefore: number[];
  escalateToCoordinatorAfterDays: number;
  escalateToHeadAfterDays: number;
}

export const DEFAULT_REMINDER_POLICY: ReminderPolicy = {
  remindDaysBefore: [30, 7, 1],
  escalateToCoordinatorAfterDays: 7,
  escalateToHeadAfterDays: 14,
};

export type NotificationKind = 'reminder' | 'overdue' | 'escalation';

export interface ScheduledNotification {
  /** Stable within one due date: the same point is never sent twice. */
  key: string;
  kind: NotificationKind;
  /** ISO instant when it is due. */
  at: string;
  /** Days relative to the due date: negative before, positive after. */
  offsetDays: number;
  recipientRole: RoleName;
  dueDate: string;
}

/** The end of `dueDate` in `timeZone`, as an ISO instant. */
export function deadlineInstant(dueDate: string, timeZone: string): string {
  return new Date(localInstant(dueDate, 1, 0, timeZone) - 1).toISOString();
}

/** `hour`:00 local time, `offsetDays` from `date`, as an ISO instant. */
export function localTimeOn(date: string, offsetDays: number, timeZone: string, hour = REMINDER_HOUR): string {
  return new Date(localInstant(date, offsetDays, hour, timeZone)).toISOString();
}

/** The calendar date of an instant in `timeZone`. */
export function dateInZone(instant: string | number, timeZone: string): string {
  // sv-SE writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    new Date(instant),
  );
}

/** 31 December of the plan year, the default due date. */
export function yearEnd(year: number): string {
  return `${year}-12-31`;
}

export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  // 29 February moves to 28 February in a year that has none.
  const day = m === 2 && d === 29 && !isLeapYear(y + years) ? 28 : d;
  return `${String(y + years).padStart(4, '0')}-${pad(m)}-${pad(day)}`;
}

/**
 * Every reminder, the overdue notice and the escalations for one due date, in time order.
 * Moving the due date gives a new schedule with new keys.
 */
export function notificationSchedule(dueDate: string, policy: ReminderPolicy, timeZone: string): ScheduledNotification[] {
  const point = (kind: NotificationKind, offsetDays: number, recipientRole: RoleName, at: string): ScheduledNotification => ({
    key: `${kind}:${dueDate}:${offsetDays}:${recipientRole}`,
    kind,
    at,
    offsetDays,
    recipientRole,
    dueDate,
  });
  const points = [
    ...[...new Set(policy.remindDaysBefore)]
      .filter((d) => d > 0)
      .map((d) => point('reminder', -d, 'activity-owner', localTimeOn(dueDate, -d, timeZone))),
    point('overdue', 0, 'activity-owner', deadlineInstant(dueDate, timeZone)),
    point('escalation', policy.escalateToCoordinatorAfterDays, 'security-coordinator',
      localTimeOn(dueDate, policy.escalateToCoordinatorAfterDays, timeZone)),
    point('escalation', policy.escalateToHeadAfterDays, 'head-of-administration',
      localTimeOn(dueDate, policy.escalateToHeadAfterDays, timeZone)),
  ];
  return points.sort((a, b) => a.at.localeCompare(b.at));
}

/**
 * Which scheduled points are due at `now`, given those already handled. Reminders are only
 * sent before the deadline, and of several passed reminders only the latest (a plan loaded
 * late does not send "30 days left" and "7 days left" at once). Points that are past but
 * pointless are returned as `skip`, so that they are handled once and never again.
 */
export function duePoints(
  schedule: ScheduledNotification[],
  handled: ReadonlySet<string>,
  now: number,
): { send: ScheduledNotification[]; skip: ScheduledNotification[] } {
  const past = schedule.filter((p) => !handled.has(p.key) && Date.parse(p.at) <= now);
  const deadline = schedule.find((p) => p.kind === 'overdue');
  const beforeDeadline = deadline ? now < Date.parse(deadline.at) : true;
  const reminders = past.filter((p) => p.kind === 'reminder');
  const latestReminder = beforeDeadline ? reminders[reminders.length - 1] : undefined;
  const send = past.filter((p) => p.kind !== 'reminder' || p === latestReminder);
  return { send, skip: past.filter((p) => !send.includes(p)) };
}

/** When the next not yet handled point falls due, or undefined when none is left. */
export function nextPointAt(schedule: ScheduledNotification[], handled: ReadonlySet<string>): number | undefined {
  const next = schedule.find((p) => !handled.has(p.key));
  return next ? Date.parse(next.at) : undefined;
}

/** Epoch ms of `hour`:00 local time, `offsetDays` after `date`; the constructor rolls days over. */
function localInstant(date: string, offsetDays: number, hour: number, timeZone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new TZDate(y, m - 1, d + offsetDays, hour, 0, 0, timeZone).getTime();
}

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
