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
