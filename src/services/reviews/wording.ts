import { STATUS_LABELS, type ActivityStatus } from '../../domain/activity';
import type { ReviewState } from '../../domain/review';

/**
 * The Swedish of the review's running text, shared by the chapters, the pre-filled narrative and
 * the renderers, so that a registrator finds the same conventions everywhere: dates as "den 4
 * december 2026", numbers with sv-SE separators, agreement with the count, no ".:" after a title,
 * and an adopted document in the past tense.
 */

/**
 * Whether the document looks back on a year whose facts are settled, and so is in the past tense:
 * an adopted version, or a correction of one (version 2 and later), which is compiled from the
 * facts the first version was frozen with. A first draft describes the year as it stands.
 */
export function inRetrospect(review: Pick<ReviewState, 'status' | 'version'>): boolean {
  return review.status === 'adopted' || review.version > 1;
}

/** A title or reason without its closing full stop, so that a sentence built around it ("Titel.: …") has one. */
export function bare(text: string): string {
  return text.replace(/[.\s]+$/, '');
}

/** "1 aktivitet", "3 aktiviteter". */
export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function formatNumber(n: number): string {
  return new Intl.NumberFormat('sv-SE').format(n);
}

/** A calendar date (YYYY-MM-DD) as running text writes it: "den 4 december 2026". */
export function onDay(date: string): string {
  return `den ${formatDayLong(date)}`;
}

/** A calendar date (YYYY-MM-DD) without the article: "4 december 2026". */
function formatDayLong(date: string): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(`${date}T12:00:00Z`));
}

/** An instant as running text writes its day in Stockholm: "den 4 december 2026". */
export function onDayOf(iso: string): string {
  return `den ${new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(iso))}`;
}

/**
 * An activity's status as the document prints it. An adopted review describes the year that was:
 * the two labels that are verbs in the present ("Pågår", "Väntar på godkännande") are put in the
 * past; the others are participles and read the same in both.
 */
export function statusLabel(status: ActivityStatus, adopted: boolean): string {
  if (!adopted) return STATUS_LABELS[status];
  return PAST_STATUS_LABELS[status] ?? STATUS_LABELS[status];
}

const PAST_STATUS_LABELS: Partial<Record<ActivityStatus, string>> = {
  'in-progress': 'Pågick',
  'awaiting-approval': 'Väntade på godkännande',
};

/** "är" in a draft, "var" in an adopted document; and the like for other verbs. */
export function tense(adopted: boolean): { be: string; have: string } {
  return adopted ? { be: 'var', have: 'hade' } : { be: 'är', have: 'har' };
}
