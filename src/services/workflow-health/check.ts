import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { TERMINAL_STATUSES } from '../../domain/activity-status';
import { reviewAuditSubject } from '../../domain/review';
import { SYSTEM_ACTOR, type ChangeEvent } from '../../domain/change-event';
import { classifyWorkflow, workflowSubject, type WorkflowExecutionFacts, type WorkflowHealth, type WorkflowSubject } from '../../domain/workflow-health';
import { inParallel } from '../../platform/in-parallel';
import type { Models } from '../../store/models';
import type { WorkflowProblemDoc } from '../../store/models/workflow-problem';
import { ACTIVITY_WORKFLOW } from '../../workflows/messages/activity';
import { REVIEW_WORKFLOW } from '../../workflows/messages/review';
import { appendAuditEvents } from '../audit/store';

/** Workflows described at once: enough to check thousands in minutes without crowding Temporal. */
const DESCRIBE_AT_ONCE = 8;
/** Temporal's reasons can be long (a stack trace); the problem keeps their start. */
const REASON_CHARS = 1000;

export interface WorkflowHealthScope {
  /** The deployment's task queue: two deployments sharing a namespace check their own workflows. */
  taskQueue: string;
  /** One organisation's workflows; without it, every organisation's. */
  orgId?: string;
}

export interface WorkflowHealthReport {
  /** Workflow ids looked at (those Temporal no longer knows are left out). */
  checked: string[];
  /** Workflow ids with a problem now. */
  problems: string[];
  /** Problems seen for the first time (each written to the audit trail). */
  found: string[];
  /** Problems that went away: the workflow is healthy again. */
  cleared: string[];
}

/**
 * Finds the lisplan workflows that cannot continue and records them. It lists the running and
 * abnormally ended activity and review workflows through Temporal's visibility, reads what it
 * needs of each (the pending workflow task's attempt, the last event's reason), classifies it
 * against the read model, and keeps workflow_problems in line: a new problem is recorded and
 * audited once, a lasting one refreshed, and one whose workflow is healthy again removed.
 */
export async function checkWorkflowHealth(client: Client, models: Models, scope: WorkflowHealthScope, now = new Date()): Promise<WorkflowHealthReport> {
  const inScope = (s: WorkflowSubject | undefined): s is WorkflowSubject => s !== undefined && (scope.orgId === undefined || s.orgId === scope.orgId);
  const listed = new Set<string>();
  for await (const execution of client.workflow.list({ query: visibilityQuery(scope) })) {
    if (inScope(workflowSubject(execution.workflowId))) listed.add(execution.workflowId);
  }
  // A recorded problem whose workflow left the list (completed after a reset, say) is looked at again.
  const recorded = await models.workflowProblems.find({ taskQueue: scope.taskQueue, ...(scope.orgId ? { orgId: scope.orgId } : {}) }).lean();
  const ids = [...new Set([...listed, ...recorded.map((p) => p._id)])];
  const previous = new Map(recorded.map((p) => [p._id, p]));

  const report: WorkflowHealthReport = { checked: [], problems: [], found: [], cleared: [] };
  await inParallel(ids, DESCRIBE_AT_ONCE, async (workflowId) => {
    const subject = workflowSubject(workflowId)!;
    const seen = await inspect(client, models, workflowId, subject);
    // Gone from Temporal (past its retention): what was recorded stays, nothing says it is well.
    if (!seen) return;
    report.checked.push(workflowId);
    const before = previous.get(workflowId);
    if (seen.health.kind === 'healthy') {
      if (before) {
        await models.workflowProblems.deleteOne({ _id: workflowId, lastSeenAt: before.lastSeenAt });
        report.cleared.push(workflowId);
      }
      return;
    }
    report.problems.push(workflowId);
    const problem = await recordProblem(models, { workflowId, subject, runId: seen.runId, status: seen.status, health: seen.health, taskQueue: scope.taskQueue, before, now });
    if (!problem.auditedAt) {
      await appendAuditEvents(models.auditEvents, [problemEvent(problem, now)]);
      await models.workflowProblems.updateOne({ _id: workflowId, firstSeenAt: problem.firstSeenAt }, { $set: { auditedAt: now } });
      report.found.push(workflowId);
    }
  });
  return report;
}

/** Activity and review workflows that are running, or ended in a way that may have left their work undone. */
function visibilityQuery(scope: WorkflowHealthScope): string {
  const org = scope.orgId ? ` AND (WorkflowId STARTS_WITH ${quoted(`${scope.orgId}.`)} OR WorkflowId STARTS_WITH ${quoted(`review.${scope.orgId}.`)})` : '';
  return (
    `WorkflowType IN (${quoted(ACTIVITY_WORKFLOW)}, ${quoted(REVIEW_WORKFLOW)}) AND TaskQueue = ${quoted(scope.taskQueue)}` +
    ` AND ExecutionStatus IN ('Running', 'Terminated', 'Failed', 'TimedOut', 'Canceled')${org}`
  );
}

function quoted(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The latest run of one workflow, classified; undefined when Temporal no longer knows it. */
async function inspect(client: Client, models: Models, workflowId: string, subject: WorkflowSubject): Promise<{ runId: string; status: string; health: WorkflowHealth } | undefined> {
  let description;
  try {
    description = await client.workflow.getHandle(workflowId).describe();
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return undefined;
    throw err;
  }
  const status = description.status.name;
  const attempt = description.raw.pendingWorkflowTask?.attempt ?? undefined;
  // The last event matters for a workflow that ended abnormally (its reason) or whose task is on a
  // retry: after a failed workflow task Temporal schedules the next attempt (2 and up) at once, so
  // a running workflow with no retry pending has no unanswered failure and costs no second call.
  const needsLastEvent = status !== 'RUNNING' ? status !== 'COMPLETED' && status !== 'CONTINUED_AS_NEW' : (attempt ?? 0) > 1;
  const last = needsLastEvent ? await lastEvent(client, workflowId, description.runId) : undefined;
  const facts: WorkflowExecutionFacts = {
    status,
    ...(attempt ? { pendingTaskAttempt: attempt } : {}),
    ...(last ?? {}),
    subjectClosed: status === 'RUNNING' ? false : await subjectClosed(models, subject),
  };
  return { runId: description.runId, status, health: classifyWorkflow(facts) };
}

async function subjectClosed(models: Models, subject: WorkflowSubject): Promise<boolean> {
  if (subject.subject === 'review') return (await models.reviews.findById(subject.subjectId, { status: 1 }).lean())?.status === 'adopted';
  const activity = await models.activities.findById(subject.subjectId, { status: 1 }).lean();
  return activity !== null && TERMINAL_STATUSES.includes(activity.status);
}

const { EventType } = temporal.api.enums.v1;

/** The newest event of a run's history, with what Temporal says about it. */
async function lastEvent(client: Client, workflowId: string, runId: string): Promise<Pick<WorkflowExecutionFacts, 'lastEventType' | 'lastEventReason'> | undefined> {
  const { history } = await client.workflowService.getWorkflowExecutionHistoryReverse({
    namespace: client.options.namespace,
    execution: { workflowId, runId },
    maximumPageSize: 1,
  });
  const event = history?.events?.[0];
  if (!event?.eventType) return undefined;
  const reason =
    event.workflowTaskFailedEventAttributes?.failure?.message ||
    event.workflowExecutionTerminatedEventAttributes?.reason ||
    event.workflowExecutionFailedEventAttributes?.failure?.message ||
    undefined;
  return { lastEventType: eventTypeName(event.eventType), ...(reason ? { lastEventReason: reason.slice(0, REASON_CHARS) } : {}) };
}

/** EVENT_TYPE_WORKFLOW_TASK_FAILED → WorkflowTaskFailed, the name Temporal's UI and docs use. */
function eventTypeName(type: temporal.api.enums.v1.EventType): string {
  return (EventType[type] ?? '')
    .replace(/^EVENT_TYPE_/, '')
    .toLowerCase()
    .replace(/(^|_)([a-z])/g, (_m, _sep: string, c: string) => c.toUpperCase());
}

/** Upserts the problem; a new one, or one of another kind than before, starts afresh and is audited. */
async function recordProblem(
  models: Models,
  input: { workflowId: string; subject: WorkflowSubject; runId: string; status: string; health: Exclude<WorkflowHealth, { kind: 'healthy' }>; taskQueue: string; before?: WorkflowProblemDoc; now: Date },
): Promise<WorkflowProblemDoc> {
  const same = input.before?.kind === input.health.kind;
  const fields = { ...input.subject, runId: input.runId, taskQueue: input.taskQueue, kind: input.health.kind, status: input.status, reason: input.health.reason.slice(0, REASON_CHARS), lastSeenAt: input.now };
  const doc = await models.workflowProblems
    .findOneAndUpdate(
      { _id: input.workflowId },
      same ? { $set: fields } : { $set: { ...fields, firstSeenAt: input.now }, $unset: { auditedAt: 1 } },
      { upsert: true, returnDocument: 'after' },
    )
    .lean();
  return doc;
}

/**
 * The audit trail's record of a new problem, filed under the activity or review the workflow
 * carries, so its trail shows it beside the changes it stopped. Its version is the problem's first
 * sighting: apart from the workflow's own versions (counted from 1), and once per problem.
 */
function problemEvent(problem: WorkflowProblemDoc, now: Date): ChangeEvent {
  return {
    activityId: problem.subject === 'review' ? reviewAuditSubject(problem.subjectId) : problem.subjectId,
    orgId: problem.orgId,
    version: problem.firstSeenAt.getTime(),
    action: 'workflow-problem',
    actor: SYSTEM_ACTOR,
    at: now.toISOString(),
    requestId: `workflow-health:${problem._id}:${problem.firstSeenAt.getTime()}`,
    changes: [{ field: 'workflow', before: 'null', after: JSON.stringify({ kind: problem.kind, status: problem.status, reason: problem.reason, workflowId: problem._id }) }],
  };
}
