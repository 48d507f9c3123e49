import { limitPassed, type Bounds, type LimitBreach } from './limits';
import type { ReviewCommand, ReviewState } from './review-schema';

/**
 * What one version of the review may hold. Every section edit is kept with its text (up to
 * 20,000 characters) in `revisions`, and the workflow carries the whole state in every workflow
 * task and across continue-as-new, where Temporal refuses more than 2 MB: unbounded, a busy
 * draft outgrew it. Refused past a limit with the limit's name (src/domain/limits.ts).
 */
export const REVIEW_LIMITS = {
  /** Section edits kept (each with its text): the draft's history. */
  edits: 500,
  /** The förvaltningschef's requests for changes, and so the rounds of submission. */
  changeRequests: 20,
  /**
   * JSON.stringify(state).length: at most 0.9 MB as UTF-8. The decisions are let past it (a full
   * draft can still be submitted and decided) and add at most 200,000 more (0.6 MB), under
   * Temporal's 2 MB for one payload.
   */
  stateSize: 300_000,
} as const;

export type ReviewLimitName = keyof typeof REVIEW_LIMITS;

/**
 * Changes per run of the review's workflow before it continues as new. Each change puts the
 * state in the history twice (its projection's input, the Update's answer): at most 1.9 MB in
 * three-byte characters, so a run's history stays under 20 MB, well within Temporal's 50 MB.
 */
export const REVIEW_CHANGES_PER_RUN = 10;

/** The decisions on a review: always possible, however full its draft is. */
const DECISIONS = new Set<ReviewCommand['type']>(['submit', 'request-changes', 'adopt']);

const COUNTS: Bounds<ReviewState, ReviewLimitName>['counts'] = [
  { name: 'edits', count: (s) => s.revisions.length, what: 'sparade ändringar av avsnitt' },
  { name: 'changeRequests', count: (s) => s.changeRequests.length, what: 'begäranden om ändring' },
];

const SIZE: Bounds<ReviewState, ReviewLimitName>['size'] = {
  name: 'stateSize',
  reason: (max) => `Genomgången är full: dess innehåll får vara högst ${max} tecken (gränsen stateSize). Korta texterna.`,
};

/** The limit a change would take the review past, if any (see limitPassed). */
export function reviewLimitBreached(before: ReviewState, after: ReviewState, commandType: ReviewCommand['type']): LimitBreach<ReviewLimitName> | undefined {
  return limitPassed({ subject: 'En genomgång', limits: REVIEW_LIMITS, counts: COUNTS, ...(DECISIONS.has(commandType) ? {} : { size: SIZE }) }, before, after);
}
