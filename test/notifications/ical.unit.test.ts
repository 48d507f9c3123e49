import nodeIcal, { type CalendarResponse, type VEvent } from 'node-ical';
import { calendarFeed, deadlineUid, milestoneUid, reviewUid, type CalendarEvent } from '../../src/services/notifications/ical';

const url = (id: string) => `https://lisplan.example.se/aktiviteter/${id}`;

const deadline: CalendarEvent = {
  uid: deadlineUid('sodermalm.2026.a12'),
  summary: 'Slutdatum: Klassa informationen i ekonomisystemet',
  description: 'Aktivitet i handlingsplanen för informationssäkerhet.',
  date: '2026-12-31',
  url: url('sodermalm.2026.a12'),
  version: 3,
  updatedAt: '2026-02-01T09:00:00Z',
};
const milestone: CalendarEvent = {
  uid: milestoneUid('sodermalm.2026.a12', 'klassning'),
  summary: 'Delmål: Klassning klar',
  date: '2026-06-30',
  url: url('sodermalm.2026.a12'),
  version: 3,
  updatedAt: '2026-02-01T09:00:00Z',
};
const review: CalendarEvent = {
  uid: reviewUid('sodermalm', 2026),
  summary: 'Ledningens genomgång 2026',
  date: '2027-02-15',
  url: 'https://lisplan.example.se/arsrapport/sodermalm/2026',
  version: 1,
};

function parse(text: string): { calendar: CalendarResponse; events: VEvent[] } {
  const calendar = nodeIcal.sync.parseICS(text);
  const events = Object.values(calendar).filter((c): c is VEvent => c?.type === 'VEVENT');
  return { calendar, events };
}

function byUid(events: VEvent[], uid: string): VEvent {
  const e = events.find((x) => x.uid === uid);
  if (!e) throw new Error(`no event ${uid}`);
  return e;
}

/** All-day dates as node-ical gives them: a Date flagged dateOnly, at local midnight. */
function dayOf(d: VEvent['start']): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

describe('calendarFeed', () => {
  const generatedAt = new Date('2026-03-01T12:00:00Z');

  it('gives all-day events with stable UIDs, a Swedish calendar name and links', () => {
    const text = calendarFeed({ name: 'lisplan – Södermalms stadsdelsförvaltning', events: [deadline, milestone, review], generatedAt });
    expect(text.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(text).toContain('X-WR-CALNAME:lisplan – Södermalms stadsdelsförvaltning');
    expect(text).toContain('DTSTART;VALUE=DATE:20261231');
    expect(text).toContain('DTEND;VALUE=DATE:20270101');

    const { events } = parse(text);
    expect(events.map((e) => e.uid).sort()).toEqual(
      ['review-sodermalm-2026@lisplan', 'sodermalm.2026.a12-deadline@lisplan', 'sodermalm.2026.a12-milestone-klassning@lisplan'],
    );
    const d = byUid(events, 'sodermalm.2026.a12-deadline@lisplan');
    expect(d.datetype).toBe('date');
    expect(d.start.dateOnly).toBe(true);
    expect(dayOf(d.start)).toBe('2026-12-31');
    expect(dayOf(d.end!)).toBe('2027-01-01');
    expect(d.summary).toBe('Slutdatum: Klassa informationen i ekonomisystemet');
    // node-ical keeps the VALUE=URI parameter: { params, val }.
    const link = d.url as unknown as string | { val: string };
    expect(typeof link === 'string' ? link : link.val).toBe('https://lisplan.example.se/aktiviteter/sodermalm.2026.a12');
    expect(d.description).toContain('https://lisplan.example.se/aktiviteter/sodermalm.2026.a12');
    expect(d.transparency).toBe('TRANSPARENT');
    expect(Number(d.sequence)).toBe(3);
    expect(d.dtstamp.toISOString()).toBe('2026-02-01T09:00:00.000Z');
    expect(dayOf(byUid(events, 'review-sodermalm-2026@lisplan').start)).toBe('2027-02-15');
    // Without updatedAt, DTSTAMP is the generation time.
    expect(byUid(events, 'review-sodermalm-2026@lisplan').dtstamp.toISOString()).toBe(generatedAt.toISOString());
  });

  it('keeps the UID and raises SEQUENCE and DTSTAMP when a date moves', () => {
    const before = byUid(parse(calendarFeed({ name: 'lisplan', events: [deadline], generatedAt })).events, deadline.uid);
    const moved = { ...deadline, date: '2027-03-31', version: 5, updatedAt: '2026-09-10T14:30:00Z' };
    const after = byUid(parse(calendarFeed({ name: 'lisplan', events: [moved], generatedAt })).events, deadline.uid);
    expect(after.uid).toBe(before.uid);
    expect(dayOf(after.start)).toBe('2027-03-31');
    expect(Number(after.sequence)).toBeGreaterThan(Number(before.sequence));
    expect(after.dtstamp.getTime()).toBeGreaterThan(before.dtstamp.getTime());
  });

  it('leaves cancelled activities out of the feed', () => {
    const text = calendarFeed({ name: 'lisplan', events: [{ ...deadline, cancelled: true, version: 4 }, milestone], generatedAt });
    const { events } = parse(text);
    expect(events.map((e) => e.uid)).toEqual([milestone.uid]);
    expect(text).not.toContain(deadline.uid);
  });

  it('escapes text values as RFC 5545 wants', () => {
    const tricky = { ...review, summary: 'Genomgång; del 1, del 2\\3', description: 'rad 1\nrad 2' };
    const e = byUid(parse(calendarFeed({ name: 'lisplan', events: [tricky], generatedAt })).events, review.uid);
    expect(e.summary).toBe('Genomgång; del 1, del 2\\3');
    expect(e.description).toBe(`rad 1\nrad 2\n\n${review.url}`);
  });

  it('rejects a date that is not YYYY-MM-DD', () => {
    expect(() => calendarFeed({ name: 'lisplan', events: [{ ...review, date: '15/2/2027' }] })).toThrow('not a calendar date');
  });
});
