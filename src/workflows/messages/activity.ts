import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ActivityState } from '../../domain/activity';
import type { ChangeEvent } from '../../domain/change-event';
import type { ChangeNotice } from '../../domain/change-notices';
import type { ChangeRequest, RejectionKind } from '../../domain/changes';
import type { ReminderPolicy } from '../../domain/deadlines';
import type { NewActivity } from '../../domain/new-activity';

/**
 * The activity workflow's contract: its input, its Update and Query, and the failure types of a
 * refused change. The workflow, the services that call it and the tests import it from here;
 * nothing outside src/workflows imports the workflow itself.
 */

/** The workflow type's registered name (the function's name in src/workflows/activity.ts). */
export const ACTIVITY_WORKFLOW = 'activityWorkflow';

export interface ActivityWorkflowInput {
  activity: NewActivity;
  timeZone?: string;
  policy?: ReminderPolicy;
  /** Changes per run before continue-as-new; well below the history's 2,000-Update limit. */
  maxChangesPerRun?: number;
  /** Carried across continue-as-new. */
  carried?: Carried;
}

export interface Carried {
  state: ActivityState;
  recentRequests: { requestId: string; version: number }[];
  handledNotifications: string[];
  unpersisted: ChangeEvent[];
  projectedVersion: number;
  nextYearStarted: boolean;
  /** Absent in runs carried over before change notices existed. */
  pendingNotices?: ChangeNotice[];
}

export type ActivityView = ActivityState & { overdue: boolean; deadlineAt: string };

/**
 * A change as the Update carries it. `workflowId` names the workflow the change is meant for:
 * the payload key seals the request, so a sealed request copied out of one activity's history
 * cannot be sent to another one (the validator refuses it). `withoutState` asks for an answer
 * without the state: every Update's answer is kept in the workflow's history, and an activity's
 * state can be large (see ACTIVITY_LIMITS); the caller reads it with stateQuery, which the
 * history does not keep.
 */
export type ChangeMessage = ChangeRequest & { workflowId: string; withoutState?: boolean };

export interface ChangeResult {
  version: number;
  /** True when this request id was applied before; nothing changed this time. */
  duplicate: boolean;
  /** Absent when the request asked withoutState (and the run honours it). */
  state?: ActivityView;
  /**
   * True when the read model and the audit trail held this version before the answer, so the
   * caller reads its own write without waiting. Absent from runs that answer before projecting.
   */
  projected?: boolean;
}

export const changeUpdate = defineUpdate<ChangeResult, [ChangeMessage]>('change');
export const stateQuery = defineQuery<ActivityView>('state');

/** The failure types a refused change carries, for the API to map to HTTP statuses. */
export const REJECTION_TYPES: Record<RejectionKind, string> = {
  forbidden: 'Forbidden',
  'illegal-transition': 'IllegalTransition',
  'not-found': 'NotFound',
  invalid: 'Invalid',
  stale: 'StaleVersion',
  limit: 'LimitReached',
};

