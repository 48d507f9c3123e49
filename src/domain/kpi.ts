import { z } from 'zod';

/**
 * What a key figure (nyckeltal) measures decides which values it can take: a count of
 * incidents is a whole number, a share is a percentage, an amount (kronor, hours) may have
 * decimals. A value that jumps far from the year before is more often a typing slip
 * (812,5 for 8) than news, so it is saved only when someone confirms it.
 */
export const KPI_KINDS = ['count', 'percent', 'amount'] as const;
export const KpiKind = z.enum(KPI_KINDS);
export type KpiKind = z.infer<typeof KpiKind>;

/** A series stored before figures had a kind gets one from how it is named (Antal …, Andel …) and its unit. */
export function inferKpiKind(name: string, unit?: string): KpiKind {
  const u = unit?.trim().toLowerCase();
  if (u === '%' || u === 'procent' || /^andel\b/i.test(name)) return 'percent';
  if (u === 'st' || u === 'st.' || u === 'antal' || /^antal\b/i.test(name)) return 'count';
  return 'amount';
}

/** More than this share away from the previous year's value (either way) asks for a confirmation. */
export const OUTLIER_SHARE = 0.5;

export type KpiIssue =
  | { rule: 'whole-number' }
  | { rule: 'not-negative' }
  | { rule: 'percent-range' }
  /** `change` is the share moved from `previous`: 0.6 is +60 %, -0.7 is −70 %. */
  | { rule: 'outlier'; previousYear: number; previous: number; change: number };

/** What the figure's kind rules out, if anything. */
export function kpiValueIssue(kind: KpiKind, value: number): KpiIssue | undefined {
  if (value < 0) return { rule: 'not-negative' };
  if (kind === 'count' && !Number.isInteger(value)) return { rule: 'whole-number' };
  if (kind === 'percent' && value > 100) return { rule: 'percent-range' };
  return undefined;
}

/**
 * Whether `value` for `year` moves more than ±50 % from the latest earlier whole-year value
 * of the series. A previous value of 0 gives no share to compare with, and a figure for part
 * of a year is no basis, so neither warns.
 */
export function kpiOutlier(history: readonly { year: number; value: number; partial?: boolean }[], year: number, value: number): KpiIssue | undefined {
  const before = history.filter((v) => v.year < year && !v.partial).sort((a, b) => b.year - a.year)[0];
  if (!before || before.value === 0) return undefined;
  const change = (value - before.value) / Math.abs(before.value);
  return Math.abs(change) > OUTLIER_SHARE ? { rule: 'outlier', previousYear: before.year, previous: before.value, change } : undefined;
}

/**
 * Checks one year's value against the series it joins: the figure's kind (named, else the
 * series', else inferred from its name and unit) and, unless confirmed, the move from the year
 * before. Saving the value already stored asks nothing again. The API, the Nyckeltal form and
 * the plan import all decide a value here.
 */
export function checkKpiValue(
  history: readonly { year: number; value: number; kind?: KpiKind; partial?: boolean }[],
  figure: { name: string; unit?: string; kind?: KpiKind; year: number; value: number },
  confirmOutlier = false,
): { kind: KpiKind; issue?: KpiIssue } {
  const kind = figure.kind ?? history.find((v) => v.kind)?.kind ?? inferKpiKind(figure.name, figure.unit);
  const unchanged = history.some((v) => v.year === figure.year && v.value === figure.value);
  const issue = kpiValueIssue(kind, figure.value) ?? (confirmOutlier || unchanged ? undefined : kpiOutlier(history, figure.year, figure.value));
  return issue ? { kind, issue } : { kind };
}
