import { dateInZone, deadlineInstant } from '../../src/domain/deadlines';

/**
 * The only way a test that talks to the servers gets a date: from today, in the plan's zone.
 * The Temporal server and the store read the machine's real clock, so a literal date in a
 * test is a position on the calendar that the calendar will move past (a due date in December
 * is inside the 30-day reminder window from 1 December, and overdue from New Year).
 * `test/unit/calendar-guard.test.ts` keeps literal dates out of those tests.
 */
export const PLAN_ZONE = 'Europe/Stockholm';
const DAY = 86_400_000;

/** Today's date, YYYY-MM-DD, in the plan's zone. */
export function today(): string {
  return dateInZone(Date.now(), PLAN_ZONE);
}

/** This year in the plan's zone: the plan year of the activities and reviews a test creates. */
export function thisYear(): number {
  return Number(today().slice(0, 4));
}

/** The date `days` from today (negative: before), calendar arithmetic on the plan zone's date. */
export function daysFromToday(days: number): string {
  const [y, m, d] = today().split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/**
 * A due date with no notification during a test run: the first reminder falls 30 days before a
 * due date, so one 90 or more days ahead stays quiet. `later` gives further, ordered dates, e.g.
 * for a request for more time that must come after the current due date.
 */
export function quietDueDate(later = 0): string {
  return daysFromToday(90 + later);
}

/** The deadline instant of a due date (the end of that day in the plan's zone), as the API shows it. */
export function deadlineOf(dueDate: string): string {
  return deadlineInstant(dueDate, PLAN_ZONE);
}

/** An instant `days` from now, for stored timestamps such as a notice's creation time. */
export function instantFromNow(days: number): Date {
  return new Date(Date.now() + days * DAY);
}
