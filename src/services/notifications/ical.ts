import ical, { ICalEventTransparency } from 'ical-generator';

/**
 * A subscribable iCalendar feed (RFC 5545) of deadlines, milestones and review dates. Pure:
 * the caller gives the events, this builds the text.
 *
 * - Every event is all-day (DTSTART;VALUE=DATE, DTEND the next day) and transparent, so a
 *   deadline never blocks anyone's free/busy time.
 * - UIDs are stable (see deadlineUid etc.): when a date moves, the calendar updates the event
 *   it has instead of adding a second one. SEQUENCE is the caller's version of the event
 *   (the activity's version), which only ever grows; DTSTAMP and LAST-MODIFIED are the time
 *   of that version (RFC 5545 3.8.7.2: without METHOD, DTSTAMP is when the information was
 *   last revised).
 * - Cancelled events are left out of the feed, not sent with STATUS:CANCELLED. A subscribed
 *   feed is replaced wholesale at each refresh, and Outlook and Google Calendar both drop an
 *   event whose UID is gone. STATUS:CANCELLED without a scheduling METHOD:CANCEL is handled
 *   unevenly: Google hides such events, Outlook keeps showing them as ordinary events, and
 *   Apple shows them struck through, so removing them is the one behaviour all agree on.
 */

export interface CalendarEvent {
  /** Stable across versions of the event, e.g. deadlineUid(activityId). */
  uid: string;
  summary: string;
  description?: string;
  /** YYYY-MM-DD: an all-day event on that date. */
  date: string;
  /** The page in lisplan; also appended to the description, as Outlook does not show URL. */
  url: string;
  /** Grows whenever the event changes (the activity's version): becomes SEQUENCE. */
  version: number;
  /** When this version was made: becomes DTSTAMP and LAST-MODIFIED. */
  updatedAt?: string | Date;
  cancelled?: boolean;
}

export interface CalendarFeedInput {
  /** Shown as the calendar's name (X-WR-CALNAME, NAME), e.g. "lisplan – Södermalm". */
  name: string;
  description?: string;
  events: CalendarEvent[];
  /** DTSTAMP for events without updatedAt; defaults to now. */
  generatedAt?: Date;
  /** Suggested refresh interval in seconds (REFRESH-INTERVAL, X-PUBLISHED-TTL). */
  refreshSeconds?: number;
}

const UID_DOMAIN = 'lisplan';

export function deadlineUid(activityId: string): string {
  return `${activityId}-deadline@${UID_DOMAIN}`;
}

export function milestoneUid(activityId: string, milestoneId: string): string {
  return `${activityId}-milestone-${milestoneId}@${UID_DOMAIN}`;
}

export function reviewUid(orgId: string, year: number): string {
  return `review-${orgId}-${year}@${UID_DOMAIN}`;
}

export function calendarFeed(input: CalendarFeedInput): string {
  const generatedAt = input.generatedAt ?? new Date();
  const calendar = ical({
    name: input.name,
    ...(input.description ? { description: input.description } : {}),
    prodId: { company: 'lisplan', product: 'lisplan', language: 'SV' },
    ttl: input.refreshSeconds ?? 3600,
  });

  const events = input.events
    .filter((e) => !e.cancelled)
    .sort((a, b) => a.date.localeCompare(b.date) || a.uid.localeCompare(b.uid));
  for (const e of events) {
    const stamp = e.updatedAt ? new Date(e.updatedAt) : generatedAt;
    if (!Number.isInteger(e.version) || e.version < 0) throw new Error(`event ${e.uid}: version must be a non-negative integer`);
    calendar.createEvent({
      id: e.uid,
      sequence: e.version,
      stamp,
      lastModified: stamp,
      allDay: true,
      start: utcDay(e.date, 0),
      end: utcDay(e.date, 1),
      summary: e.summary,
      description: e.description ? `${e.description}\n\n${e.url}` : e.url,
      url: e.url,
      transparency: ICalEventTransparency.TRANSPARENT,
    });
  }
  return calendar.toString();
}

/**
 * Midnight UTC of `date` + `offsetDays`. The calendar has no time zone, so ical-generator
 * writes all-day dates from the UTC fields, whatever zone the process runs in.
 */
function utcDay(date: string, offsetDays: number): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`not a calendar date: ${date}`);
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + offsetDays));
  if (Number.isNaN(d.getTime())) throw new Error(`not a calendar date: ${date}`);
  return d;
}
