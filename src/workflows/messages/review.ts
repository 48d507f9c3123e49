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

/**
 * A change as the Update carries it: as for an activity (ChangeMessage), `workflowId` binds the
 * sealed request to the one review version it is meant for, and `withoutState` asks for an answer
 * without the state, which the history would keep with every answer (up to REVIEW_LIMITS.stateSize).
 */
export type ReviewChangeMessage = ReviewChangeRequest & { workflowId: string; withoutState?: boolean };

export interface ReviewChangeResult {
  revision: number;
  duplicate: boolean;
  /** Absent when the request asked withoutState. */
  state?: ReviewState;
}

export const reviewChangeUpdate = defineUpdate<ReviewChangeResult, [ReviewChangeMessage]>('reviewChange');
export const reviewStateQuery = defineQuery<ReviewState>('reviewState');

export function reviewWorkflowId(orgId: string, year: number, version: number): string {
  return `review.${orgId}.${year}.v${version}`;
}

