import { candidatesIn, type KpiCandidate } from './kpi-candidates';
import type { ExtractedActivity } from './plan-items';
import { walk } from './review-structure';

/**
 * Extracts the three-year plan and KPI candidates from the text of a previous year's review
 * (Ledningens genomgång), as PDF/Word-to-text exports leave it. Pure: no I/O, no clock.
 *
 * The rules live with their job: ./review-lines (reading lines), ./review-structure (headings and
 * plan sections), ./plan-items (items and areas), ./kpi-candidates (KPI candidates).
 */

export interface ExtractedPlan {
  activities: ExtractedActivity[];
  kpis: KpiCandidate[];
}

/** The three-year plan items and KPI candidates of a review's text. Pure. */
export function extractPlan(text: string): ExtractedPlan {
  const { activities, blocks, planYears } = walk(text);
  const reportYear = planYears.length ? Math.min(...planYears) - 1 : null;
  const kpis: KpiCandidate[] = [];
  const seen = new Set<string>();
  for (const block of blocks) {
    for (const c of candidatesIn(block, reportYear)) {
      const key = `${c.name.toLowerCase()}|${c.year}|${c.value}`;
      if (seen.has(key)) continue;
      seen.add(key);
      kpis.push(c);
    }
  }
  return { activities, kpis };
}
