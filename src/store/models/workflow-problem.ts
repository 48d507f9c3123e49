import { Schema, type Connection, type Model } from 'mongoose';
import type { WorkflowProblemKind, WorkflowSubject } from '../../domain/workflow-health';

/**
 * A lisplan workflow that cannot continue, as the last health check found it: one document per
 * workflow id, kept while the problem lasts and removed when the workflow is healthy again.
 */
export interface WorkflowProblemDoc extends WorkflowSubject {
  /** The workflow id. */
  _id: string;
  runId: string;
  /** The task queue of the deployment that runs the workflow: a check sees its own only. */
  taskQueue: string;
  kind: WorkflowProblemKind;
  /** Temporal's execution status when last seen, e.g. TERMINATED. */
  status: string;
  /** What Temporal says: a termination's reason, a failure's message, the attempt of a failing task. */
  reason: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  /** Set once the audit trail records this problem, so that a retried check records it once. */
  auditedAt?: Date;
}

const schema = new Schema<WorkflowProblemDoc>(
  {
    _id: { type: String, required: true },
    subject: { type: String, required: true },
    orgId: { type: String, required: true },
    subjectId: { type: String, required: true },
    runId: { type: String, required: true },
    taskQueue: { type: String, required: true },
    kind: { type: String, required: true },
    status: { type: String, required: true },
    reason: { type: String, required: true },
    firstSeenAt: { type: Date, required: true },
    lastSeenAt: { type: Date, required: true },
    auditedAt: { type: Date },
  },
  { collection: 'workflow_problems', versionKey: false },
);
schema.index({ orgId: 1, firstSeenAt: 1 });
schema.index({ subjectId: 1 });

export function workflowProblemModel(conn: Connection): Model<WorkflowProblemDoc> {
  return conn.models.WorkflowProblem ?? conn.model<WorkflowProblemDoc>('WorkflowProblem', schema);
}
