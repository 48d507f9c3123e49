import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ChangeEvent } from '../../domain/change-event';
import type { ReviewChangeRequest, ReviewState } from '../../domain/review';

/** The review workflow's contract: its input, its Update and Query, and the id of one version's workflow. */

/** The workflow type's registered name (the function's name in src/workflows/review.ts). */
export const REVIEW_WORKFLOW = 'reviewWorkflow';

export interface ReviewWorkflowInput {
  orgId: string;
  year: number;
  version: number;
  /** The adopted snapshot a correction refers to. */
  corrects?: string;
  diaryNumber?: string;
  /** A correction starts from the adopted text; a first version is pre-filled from the year's facts. */
  narrative?: Record<string, string>;
  /** A correction keeps the sections its original marked "inget att redovisa", and its carry-over choices (printed again, not carried out again). */
  nothingToReport?: string[];
  carryOver?: ReviewState['carryOver'];
  /** Carried across continue-as-new: the state, the request ids applied with their revisions, and the events not yet persisted. */
  carried?: { state: ReviewState; applied: [string, number][]; pending: ReviewEvent[] };
}

/** A change of the review as its audit trail records it (persistReview's event). */
export type ReviewEvent = Omit<ChangeEvent, 'activityId' | 'orgId'>;

export interface ReviewChangeResult {
  revision: number;
  duplicate: boolean;
  state: ReviewState;
}

export const reviewChangeUpdate = defineUpdate<ReviewChangeResult, [ReviewChangeRequest]>('reviewChange');
export const reviewStateQuery = defineQuery<ReviewState>('reviewState');

export function reviewWorkflowId(orgId: string, year: number, version: number): string {
  return `review.${orgId}.${year}.v${version}`;
}

