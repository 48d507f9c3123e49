/**
 * The ISO 8601 week of a calendar date, e.g. `2026-W48`: the weekly digest's identity, so a
 * second run in the same week finds the digests already recorded. Plain UTC arithmetic on the
 * date, which is safe in the workflow sandbox.
 */
export function isoWeek(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) throw new Error(`not a calendar date: ${date}`);
  const day = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  const weekday = (day.getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  // The week belongs to the year of its Thursday.
  const thursday = new Date(day.getTime() + (3 - weekday) * 86_400_000);
  const year = thursday.getUTCFullYear();
  const firstThursday = new Date(Date.UTC(year, 0, 4));
  const firstMonday = firstThursday.getTime() - ((firstThursday.getUTCDay() + 6) % 7) * 86_400_000;
  const week = Math.floor((thursday.getTime() - firstMonday) / (7 * 86_400_000)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}
