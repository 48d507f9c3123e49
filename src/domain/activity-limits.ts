import type { ActivityState } from './activity';
import { limitPassed, type Bounds, type LimitBreach as Breach } from './limits';

/**
 * What one activity may hold. The workflow carries the whole state: in every workflow task, in
 * the input of each continue-as-new (Temporal refuses one over 2 MB and terminates the
 * workflow) and in Update results. Unbounded, ~170 comments of 4,000 characters bricked an
 * activity. Each list has a count, and the state as a whole a size: 400,000 UTF-16 units of
 * JSON is at most 1.2 MB as UTF-8, under the 2 MB limit with room for what a run carries besides.
 */
export const ACTIVITY_LIMITS = {
  comments: 200,
  evidence: 100,
  // An activity may be created with one task per information asset (a classification).
  tasks: 300,
  milestones: 20,
  extensions: 20,
  /** Submissions (and so decision rounds) per milestone. */
  submissionsPerMilestone: 20,
  /**
   * Characters of comment and evidence text kept in the store (textRef.length), per activity:
   * the texts left the state, and the store is bounded too.
   */
  entryText: 400_000,
  /** JSON.stringify(state).length */
  stateSize: 400_000,
} as const;

export type LimitName = keyof typeof ACTIVITY_LIMITS;

export type LimitBreach = Breach<LimitName>;

/** Commands that close an activity: always possible, however full it is, so it can be ended. */
const CLOSING = new Set(['cancel', 'defer', 'verify']);

const COUNTS: Bounds<ActivityState, LimitName>['counts'] = [
  { name: 'comments', count: (s) => s.entries.filter((e) => e.kind === 'comment').length, what: 'kommentarer' },
  { name: 'evidence', count: (s) => s.entries.filter((e) => e.kind === 'evidence').length, what: 'underlag' },
  { name: 'tasks', count: (s) => s.tasks.length, what: 'uppgifter' },
  { name: 'milestones', count: (s) => s.milestones.length, what: 'milstolpar' },
  { name: 'extensions', count: (s) => s.extensions.length, what: 'begäranden om mer tid' },
  { name: 'entryText', count: (s) => s.entries.reduce((n, e) => n + (e.textRef?.length ?? 0), 0), what: 'tecken text i kommentarer och underlag' },
  { name: 'submissionsPerMilestone', count: (s) => Math.max(0, ...s.milestones.map((m) => m.round)), what: 'inskickningar av en milstolpe' },
];

const SIZE: Bounds<ActivityState, LimitName>['size'] = {
  name: 'stateSize',
  reason: (max) => `Aktiviteten är full: dess innehåll får vara högst ${max} tecken (gränsen stateSize). Korta texten eller lägg längre texter som underlag i en fil.`,
};

/** The limit a change would take the activity past, if any (see limitPassed). */
export function limitBreached(before: ActivityState, after: ActivityState, commandType: string): LimitBreach | undefined {
  return limitPassed({ subject: 'En aktivitet', limits: ACTIVITY_LIMITS, counts: COUNTS, ...(CLOSING.has(commandType) ? {} : { size: SIZE }) }, before, after);
}
