import type { ActivityStatus } from '../../domain/activity';
import { addYears } from '../../domain/deadlines';
import type { CarryOverChoice, ReviewState } from '../../domain/review';
import type { ReviewActivity, ReviewInputs } from './document';
import { onDay } from './wording';

/**
 * What happens to each of the year's unfinished activities when the review is adopted (issue 16,
 * item 5). The coordinator chooses per activity before submitting; the follow-up chapter prints
 * each choice, the plan chapter shows the carried ones under their new title and date, and the
 * adoption's carry-over step does what was chosen. One module, so the three agree.
 */

/** Unfinished work that adoption carries over (or closes) unless already continued. */
export const CARRIED_OVER_STATUSES: readonly ActivityStatus[] = ['planned', 'in-progress', 'blocked', 'changes-requested', 'deferred'];

export interface CarryOverItem {
  activity: ReviewActivity;
  /** The form's pre-filled values for carrying it over. */
  suggestion: { title: string; due: string };
  choice?: CarryOverChoice;
}

/** The year's activities that need a choice, each with its suggestion and the choice made so far. */
export function carryOverItems(inputs: Pick<ReviewInputs, 'activities' | 'year'>, review: Pick<ReviewState, 'carryOver'>): CarryOverItem[] {
  const continued = new Set(inputs.activities.map((a) => a.continues).filter(Boolean));
  const chosen = new Map((review.carryOver ?? []).map((c) => [c.activityId, c]));
  return inputs.activities
    .filter((a) => a.planYear === inputs.year && CARRIED_OVER_STATUSES.includes(a.status) && !continued.has(a.id))
    .map((a) => {
      const choice = chosen.get(a.id);
      return { activity: a, suggestion: { title: titleWithoutYear(a.title, inputs.year), due: addYears(a.dueDate, 1) }, ...(choice ? { choice } : {}) };
    });
}

/**
 * The title for next year: "under 2026", "för 2026", "(2026)" and a bare 2026 are dropped, so a
 * carried activity does not say it belongs to the year it left.
 */
export function titleWithoutYear(title: string, year: number): string {
  const y = String(year);
  const stripped = title
    .replace(new RegExp(`\\s*\\((?:år\\s+)?${y}\\)`, 'g'), '')
    .replace(new RegExp(`\\s+(?:under|för|i|inom|till|år)\\s+(?:år\\s+)?${y}\\b`, 'gi'), '')
    .replace(new RegExp(`\\b${y}\\b\\s*`, 'g'), '')
    .replace(/\s{2,}/g, ' ')
    .replace(/\s+([,.;:])/g, '$1')
    .trim();
  return stripped.length >= 2 ? stripped : title;
}

/** The choice in words, as the follow-up chapter prints it. */
export function choiceText(choice: CarryOverChoice | undefined, nextYear: number): string {
  if (!choice) return 'Inget val gjort';
  switch (choice.choice) {
    case 'carry':
      return `Förs över till ${nextYear} som ”${choice.title}”, klar senast ${onDay(choice.due)}`;
    case 'done-in-part':
      return `Avslutas som delvis genomförd: ${choice.reason}`;
    case 'drop':
      return `Stryks: ${choice.reason}`;
  }
}

/** The items still without a choice: submission names them. */
export function undecided(items: CarryOverItem[]): CarryOverItem[] {
  return items.filter((i) => !i.choice);
}
