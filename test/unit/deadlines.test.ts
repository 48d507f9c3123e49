import {
  addYears,
  dateInZone,
  deadlineInstant,
  DEFAULT_REMINDER_POLICY,
  duePoints,
  localTimeOn,
  nextPointAt,
  notificationSchedule,
} from '../../src/domain/deadlines';
import { overdueAt } from '../../src/domain/activity-status';

const STHLM = 'Europe/Stockholm';

describe('deadline arithmetic in Europe/Stockholm', () => {
  it('puts the deadline at the end of the due day, in winter and in summer time', () => {
    expect(deadlineInstant('2026-12-31', STHLM)).toBe('2026-12-31T22:59:59.999Z');
    expect(deadlineInstant('2026-06-30', STHLM)).toBe('2026-06-30T21:59:59.999Z');
    // The first due date after summer time starts (28 March 2027).
    expect(deadlineInstant('2027-03-31', STHLM)).toBe('2027-03-31T21:59:59.999Z');
    // The day summer time ends has 25 hours.
    expect(deadlineInstant('2026-10-25', STHLM)).toBe('2026-10-25T22:59:59.999Z');
  });

  it('sends at 08:00 local time, also on the day summer time starts', () => {
    expect(localTimeOn('2026-12-31', -30, STHLM)).toBe('2026-12-01T07:00:00.000Z');
    expect(localTimeOn('2026-03-29', 0, STHLM)).toBe('2026-03-29T06:00:00.000Z');
    expect(localTimeOn('2026-03-28', 1, STHLM)).toBe('2026-03-29T06:00:00.000Z');
    expect(localTimeOn('2026-12-31', 14, STHLM)).toBe('2027-01-14T07:00:00.000Z');
  });

  it('reads the local calendar date of an instant', () => {
    expect(dateInZone('2026-12-31T23:30:00Z', STHLM)).toBe('2027-01-01');
    expect(dateInZone('2026-12-31T22:30:00Z', STHLM)).toBe('2026-12-31');
  });

  it('derives overdue from the deadline, to the millisecond', () => {
    const deadline = deadlineInstant('2026-12-31', STHLM);
    expect(overdueAt('in-progress', deadline, Date.parse('2026-12-31T22:59:59.999Z'))).toBe(false);
    expect(overdueAt('in-progress', deadline, Date.parse('2026-12-31T23:00:00.000Z'))).toBe(true);
    // Work handed in or closed is not the owner's to be late with.
    expect(overdueAt('awaiting-approval', deadline, Date.parse('2027-01-02T00:00:00Z'))).toBe(false);
    expect(overdueAt('done', deadline, Date.parse('2027-01-02T00:00:00Z'))).toBe(false);
  });

  it('moves a date by years, keeping 29 February sane', () => {
    expect(addYears('2026-12-31', 1)).toBe('2027-12-31');
    expect(addYears('2028-02-29', 1)).toBe('2029-02-28');
  });
});

describe('the reminder and escalation schedule', () => {
  const schedule = notificationSchedule('2026-12-31', DEFAULT_REMINDER_POLICY, STHLM);

  it('has 30, 7 and 1 days before, overdue at the deadline, +7 to the coordinator and +14 to the head', () => {
    expect(schedule.map((p) => [p.kind, p.offsetDays, p.recipientRole, p.at])).toEqual([
      ['reminder', -30, 'activity-owner', '2026-12-01T07:00:00.000Z'],
      ['reminder', -7, 'activity-owner', '2026-12-24T07:00:00.000Z'],
      ['reminder', -1, 'activity-owner', '2026-12-30T07:00:00.000Z'],
      ['overdue', 0, 'activity-owner', '2026-12-31T22:59:59.999Z'],
      ['escalation', 7, 'security-coordinator', '2027-01-07T07:00:00.000Z'],
      ['escalation', 14, 'head-of-administration', '2027-01-14T07:00:00.000Z'],
    ]);
  });

  it('gives a moved deadline new keys, so its points are sent even if the old ones were', () => {
    const moved = notificationSchedule('2027-03-31', DEFAULT_REMINDER_POLICY, STHLM);
    expect(moved.some((p) => schedule.some((q) => q.key === p.key))).toBe(false);
  });

  it('sends only the latest of several passed reminders, and none after the deadline', () => {
    const at = (iso: string) => Date.parse(iso);
    const lateLoad = duePoints(schedule, new Set(), at('2026-12-27T12:00:00Z'));
    expect(lateLoad.send.map((p) => p.offsetDays)).toEqual([-7]);
    expect(lateLoad.skip.map((p) => p.offsetDays)).toEqual([-30]);

    const afterDeadline = duePoints(schedule, new Set(), at('2027-01-08T00:00:00Z'));
    expect(afterDeadline.send.map((p) => `${p.kind}${p.offsetDays}`)).toEqual(['overdue0', 'escalation7']);
    expect(afterDeadline.skip.map((p) => p.offsetDays)).toEqual([-30, -7, -1]);
  });

  it('never returns a handled point again and knows when the next one falls due', () => {
    const handled = new Set(schedule.slice(0, 2).map((p) => p.key));
    expect(duePoints(schedule, handled, Date.parse('2026-12-25T00:00:00Z'))).toEqual({ send: [], skip: [] });
    expect(nextPointAt(schedule, handled)).toBe(Date.parse('2026-12-30T07:00:00.000Z'));
    expect(nextPointAt(schedule, new Set(schedule.map((p) => p.key)))).toBeUndefined();
  });
});
