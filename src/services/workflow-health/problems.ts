import { WORKFLOW_PROBLEM_KINDS, type WorkflowProblemKind } from '../../domain/workflow-health';
import type { Models } from '../../store/models';
import type { WorkflowProblemDoc } from '../../store/models/workflow-problem';

export type WorkflowProblem = Omit<WorkflowProblemDoc, '_id' | 'taskQueue' | 'auditedAt'> & { workflowId: string };

/** An organisation's workflows that cannot continue, the longest-standing first. */
export async function listWorkflowProblems(models: Models, orgId: string): Promise<WorkflowProblem[]> {
  const docs = await models.workflowProblems.find({ orgId }).sort({ firstSeenAt: 1, _id: 1 }).lean();
  return docs.map(problemView);
}

/** The problem of the workflow that carries this activity or review version, if it has one. */
export async function workflowProblemOf(models: Models, subjectId: string): Promise<WorkflowProblem | undefined> {
  const doc = await models.workflowProblems.findOne({ subjectId }).lean();
  return doc ? problemView(doc) : undefined;
}

/** How many workflows have a problem, by kind, every kind named. */
export async function countWorkflowProblems(models: Models): Promise<Record<WorkflowProblemKind, number>> {
  const counts = await models.workflowProblems.aggregate<{ _id: WorkflowProblemKind; n: number }>([{ $group: { _id: '$kind', n: { $sum: 1 } } }]);
  const byKind = Object.fromEntries(WORKFLOW_PROBLEM_KINDS.map((k) => [k, 0])) as Record<WorkflowProblemKind, number>;
  for (const c of counts) if (c._id in byKind) byKind[c._id] = c.n;
  return byKind;
}

function problemView({ _id, taskQueue: _queue, auditedAt: _audited, ...rest }: WorkflowProblemDoc): WorkflowProblem {
  return { workflowId: _id, ...rest };
}
