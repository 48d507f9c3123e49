import { reviewId } from './review';

/**
 * Whether a lisplan workflow can still carry its activity or review. A workflow that Temporal
 * terminated (an oversized history or payload), that failed, or whose workflow task keeps
 * failing refuses every later change; this rule tells such a workflow from a healthy one so
 * that coordinators are told instead of meeting 409s.
 */

export const WORKFLOW_PROBLEM_KINDS = ['stuck', 'ended-abnormally'] as const;
export type WorkflowProblemKind = (typeof WORKFLOW_PROBLEM_KINDS)[number];

/** Failed attempts of one workflow task after which the workflow counts as stuck. */
export const STUCK_AFTER_ATTEMPTS = 3;

/** Temporal's execution statuses (the client's WorkflowExecutionStatusName). */
export type ExecutionStatus = 'UNSPECIFIED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'TERMINATED' | 'CONTINUED_AS_NEW' | 'TIMED_OUT' | 'PAUSED' | 'UNKNOWN';

/** What the check reads about one execution: its description, its last history event, and the read model. */
export interface WorkflowExecutionFacts {
  status: ExecutionStatus;
  /** The attempt of the pending workflow task (1 for the first try); absent when none is pending. */
  pendingTaskAttempt?: number;
  /** The type of the newest event in the history, e.g. 'WorkflowTaskFailed'. */
  lastEventType?: string;
  /** What Temporal says about the last event: a termination's reason, a failure's message. */
  lastEventReason?: string;
  /** The read model says the activity or review is closed: the workflow has nothing left to do. */
  subjectClosed: boolean;
}

export type WorkflowHealth = { kind: 'healthy' } | { kind: WorkflowProblemKind; reason: string };

/** Statuses in which the workflow is gone without having finished its work. */
const ABNORMAL_ENDS: Partial<Record<ExecutionStatus, string>> = {
  TERMINATED: 'terminated',
  FAILED: 'failed',
  TIMED_OUT: 'timed out',
  CANCELLED: 'cancelled',
};

export function classifyWorkflow(facts: WorkflowExecutionFacts): WorkflowHealth {
  if (facts.status === 'RUNNING') {
    const attempts = facts.pendingTaskAttempt ?? 0;
    if (attempts >= STUCK_AFTER_ATTEMPTS || facts.lastEventType === 'WorkflowTaskFailed') {
      const tries = attempts > 0 ? `workflow task attempt ${attempts}` : 'workflow task failed';
      return { kind: 'stuck', reason: facts.lastEventReason ? `${tries}: ${facts.lastEventReason}` : tries };
    }
    return { kind: 'healthy' };
  }
  const ended = ABNORMAL_ENDS[facts.status];
  // A closed activity's workflow has nothing left to carry, however it ended.
  if (ended && !facts.subjectClosed) return { kind: 'ended-abnormally', reason: facts.lastEventReason ? `${ended}: ${facts.lastEventReason}` : ended };
  return { kind: 'healthy' };
}

/** What a lisplan workflow carries, read from its id: an activity (`org.year.key`) or a review version (`review.org.year.vN`). */
export interface WorkflowSubject {
  subject: 'activity' | 'review';
  orgId: string;
  /** The read model's id: the activity's id, or the review version's (`org.year.vN`). */
  subjectId: string;
}

export function workflowSubject(workflowId: string): WorkflowSubject | undefined {
  const review = /^review\.([a-z0-9-]+)\.(\d{4})\.v(\d+)$/.exec(workflowId);
  if (review) return { subject: 'review', orgId: review[1]!, subjectId: reviewId(review[1]!, Number(review[2]), Number(review[3])) };
  const activity = /^([a-z0-9-]+)\.\d{4}\.[a-z0-9-]+$/.exec(workflowId);
  if (activity) return { subject: 'activity', orgId: activity[1]!, subjectId: workflowId };
  return undefined;
}
