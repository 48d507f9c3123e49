import type { ActivityStatus } from '../../domain/activity';
import { UNFINISHED_STATUSES } from '../../domain/activity';
import { dateInZone } from '../../domain/deadlines';
import { INCIDENT_CATEGORIES } from '../../domain/incidents';
import type { ReviewActivity, ReviewInputs } from './document';

/**
 * Every figure the review prints, computed once from the facts. Chapters read their numbers from
 * here and never count for themselves: a figure that appears twice (the incidents of a year in
 * Nyckeltal and in Incidenter, the late activities in the summary and the follow-up table) is
 * then the same number in both places. test/unit/review-figures.test.ts holds the document to it.
 */

/** The KPI series that counts incidents: the incident register's totals are its values. */
export const INCIDENT_KPI_ID = 'incidenter';
export const REVIEW_TIME_ZONE = 'Europe/Stockholm';

const FINISHED: readonly ActivityStatus[] = ['done', 'verified'];

export interface IncidentYear {
  total: number;
  byCategory: { id: string; label: string; count: number }[];
  /** Reported in the total (the KPI) but not entered by category. */
  uncategorised: number;
}

export interface KpiFigure {
  id: string;
  name: string;
  unit?: string;
  values: { year: number; value: number; partial?: boolean }[];
}

export interface ReviewFigures {
  year: number;
  /** The review's date: the day the facts describe. */
  today: string;
  activities: { total: number; done: number; verified: number; unfinished: number; deferred: number; cancelled: number };
  /** Ids of the year's activities not finished by their own deadline as of `today`. */
  late: Set<string>;
  /** Before year end: ids of unfinished activities that will not be done by their deadline at their current pace. */
  forecast?: Set<string>;
  incidents: Map<number, IncidentYear>;
  kpis: KpiFigure[];
}

export function reviewFigures(inputs: ReviewInputs, asOf: string): ReviewFigures {
  const { year } = inputs;
  const today = dateInZone(asOf, REVIEW_TIME_ZONE);
  const ofYear = inputs.activities.filter((a) => a.planYear === year);
  const count = (pred: (a: ReviewActivity) => boolean) => ofYear.filter(pred).length;
  const done = count((a) => FINISHED.includes(a.status));
  const deferred = count((a) => a.status === 'deferred');
  const cancelled = count((a) => a.status === 'cancelled');
  const late = new Set(ofYear.filter((a) => isLate(a, today)).map((a) => a.id));
  const beforeYearEnd = today < `${year}-12-31`;
  const incidents = incidentYears(inputs);
  return {
    year,
    today,
    activities: { total: ofYear.length, done, verified: count((a) => a.status === 'verified'), unfinished: ofYear.length - done - deferred - cancelled, deferred, cancelled },
    late,
    ...(beforeYearEnd ? { forecast: new Set(ofYear.filter((a) => !late.has(a.id) && behindPace(a, today)).map((a) => a.id)) } : {}),
    incidents,
    kpis: reconciledKpis(inputs, incidents),
  };
}

/** Not finished, and its own deadline (the end of its due date) has passed by `today`. */
export function isLate(a: Pick<ReviewActivity, 'status' | 'dueDate'>, today: string): boolean {
  return UNFINISHED_STATUSES.includes(a.status) && a.dueDate < today;
}

/**
 * Will not be done by its due date at the pace so far: the share of its tasks done over the days
 * since it started, carried forward. Blocked work, and work begun with nothing done yet, has no
 * pace and will not finish by itself. Work that has not started yet is not judged.
 */
export function behindPace(a: ReviewActivity, today: string): boolean {
  if (!UNFINISHED_STATUSES.includes(a.status)) return false;
  if (a.status === 'blocked') return true;
  if (a.status === 'awaiting-approval') return false;
  const start = a.startDate ?? `${a.planYear}-01-01`;
  const elapsed = days(start, today);
  if (elapsed <= 0) return false;
  const share = a.tasks.length ? a.tasks.filter((t) => t.done).length / a.tasks.length : 0;
  if (share === 0) return true;
  const needed = (elapsed * (1 - share)) / share;
  return days(today, a.dueDate) < needed;
}

function days(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

/**
 * A year's incidents: the register's counts by category, and a total that is the KPI's figure
 * when one is entered and larger (incidents reported before they were categorised), else their sum.
 */
function incidentYears(inputs: ReviewInputs): Map<number, IncidentYear> {
  const kpi = inputs.kpis.find((k) => k.id === INCIDENT_KPI_ID);
  const years = new Set([...inputs.incidents.map((i) => i.year), ...(kpi?.values.map((v) => v.year) ?? [])]);
  const result = new Map<number, IncidentYear>();
  for (const y of [...years].sort()) {
    const byCategory = INCIDENT_CATEGORIES.map((c) => ({
      id: c.id,
      label: c.label,
      count: inputs.incidents.filter((i) => i.year === y && i.category === c.id).reduce((s, i) => s + i.count, 0),
    })).filter((c) => c.count > 0);
    const categorised = byCategory.reduce((s, c) => s + c.count, 0);
    const reported = kpi?.values.find((v) => v.year === y)?.value ?? 0;
    const total = Math.max(categorised, reported);
    result.set(y, { total, byCategory, uncategorised: total - categorised });
  }
  return result;
}

/** The KPIs with the incident series' values taken from the incident figures, so both chapters agree. */
function reconciledKpis(inputs: ReviewInputs, incidents: Map<number, IncidentYear>): KpiFigure[] {
  return inputs.kpis.map((k) => {
    if (k.id !== INCIDENT_KPI_ID) return { ...k };
    const entered = (y: number) => k.values.find((x) => x.year === y);
    const values = [...incidents.entries()]
      .filter(([y, v]) => v.total > 0 || entered(y))
      .map(([y, v]) => ({ year: y, value: v.total, ...(entered(y)?.partial ? { partial: true } : {}) }));
    return { ...k, values };
  });
}
