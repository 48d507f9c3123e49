/** The Swedish wording the emails share: dates, counts, and how an activity is named. */

export interface ActivityRef {
  id: string;
  title: string;
  /**
   * The activity is covered by secrecy (OSL 18:8): its title stays out of the email and the
   * recipient follows the link, where access is checked.
   */
  confidential?: boolean;
}


const swedishDate = new Intl.DateTimeFormat('sv-SE', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });

/** `2026-12-31` → `31 december 2026`. Anything that is not a calendar date is returned as is. */
export function formatSwedishDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return date;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(t) ? date : swedishDate.format(t);
}

export function days(n: number): string {
  return `${n} ${Math.abs(n) === 1 ? 'dag' : 'dagar'}`;
}

export function countOf(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function activityName(a: ActivityRef): string {
  return a.confidential ? 'en sekretessmarkerad aktivitet' : `”${a.title}”`;
}

export function subjectTitle(a: ActivityRef): string {
  return a.confidential ? 'sekretessmarkerad aktivitet' : a.title;
}


export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
