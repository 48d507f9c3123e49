import type { ActivityState } from '../../domain/activity';
import type { RegisterKind, RegisterRow } from '../../domain/registers';
import type { ReviewConclusion, ReviewDecisionItem, ReviewStatus } from '../../domain/review';

/**
 * What a review is compiled from (read from the store by `gather.ts`) and what it compiles to:
 * a format-neutral document that every export renders the same way.
 */

export type ReviewActivity = Pick<
  ActivityState,
  | 'id'
  | 'key'
  | 'planYear'
  | 'title'
  | 'area'
  | 'status'
  | 'owner'
  | 'dueDate'
  | 'tasks'
  | 'milestones'
  | 'extensions'
  | 'entries'
  | 'continues'
  | 'nis2Measures'
  | 'deferral'
  | 'blockedReason'
  | 'resources'
  | 'startDate'
  | 'goal'
  | 'expectedResult'
  | 'estimatedCost'
  | 'cancellation'
  | 'template'
> &
  /** Absent from the facts frozen before the plan chapter printed the measure. */
  Partial<Pick<ActivityState, 'description'>> &
  /** Absent from the facts frozen before the review printed the plan's priorities. */
  Partial<Pick<ActivityState, 'priority'>> & {
  /** Not finished by its deadline, as of the compilation. */
  late: boolean;
};

export interface ReviewInputs {
  organisation: { id: string; name: string; board?: string; areas: { id: string; name: string }[] };
  year: number;
  activities: ReviewActivity[];
  /** `partial`: a figure for part of the year only, e.g. "hittills under året". */
  kpis: { id: string; name: string; unit?: string; values: { year: number; value: number; partial?: boolean }[] }[];
  incidents: { year: number; category: string; count: number }[];
  /** The organisation's objectives (KF-mål, nämndmål); absent from facts frozen before they were printed. */
  goals?: { id: string; kind: string; title: string; expectedResults: string[] }[];
  /** The review registers' rows per kind; absent from facts frozen before the registers existed. */
  registers?: Partial<{ [K in RegisterKind]: RegisterRow<K>[] }>;
}

export type Block =
  | { type: 'paragraph'; text: string }
  /** Text the coordinator wrote (or the pre-filled draft of it); blank ones show a placeholder in drafts. */
  | { type: 'narrative'; sectionId: string; text: string }
  | { type: 'bullets'; items: string[] }
  | { type: 'table'; caption: string; columns: string[]; rows: string[][] }
  | { type: 'chart'; id: string; title: string; alt: string; spec: Record<string, unknown> };

export interface Section {
  id: string;
  /** 1 for a chapter, 2 and 3 below it: Word heading levels. */
  level: 1 | 2 | 3;
  number: string;
  title: string;
  blocks: Block[];
}

export interface ReviewDocument {
  title: string;
  organisation: { id: string; name: string; board?: string };
  year: number;
  version: number;
  corrects?: string;
  diaryNumber?: string;
  status: ReviewStatus;
  /** Every export of a draft is watermarked as such. */
  draft: boolean;
  /** When the facts were read: the adoption time for a snapshot. */
  compiledAt: string;
  adoption?: { by: string; at: string; decisions: ReviewDecisionItem[]; conclusion?: ReviewConclusion };
  sections: Section[];
}
