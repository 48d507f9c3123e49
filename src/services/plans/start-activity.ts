import { WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy, type Client } from '@temporalio/client';
import { activityId } from '../../domain/activity';
import type { activityWorkflow } from '../../workflows/activity';
import { ACTIVITY_WORKFLOW, type ActivityWorkflowInput } from '../../workflows/messages/activity';

/**
 * Starts an activity's workflow under its business id. Idempotent: an activity that runs, or
 * ran and closed, is never started again, so loading the same plan twice creates nothing.
 */
export async function startActivityWorkflow(
  client: Client,
  taskQueue: string,
  input: ActivityWorkflowInput,
): Promise<{ id: string; started: boolean }> {
  const id = activityId(input.activity.orgId, input.activity.year, input.activity.key);
  try {
    await client.workflow.start<typeof activityWorkflow>(ACTIVITY_WORKFLOW, {
      workflowId: id,
      taskQueue,
      args: [input],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
    return { id, started: true };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { id, started: false };
    throw err;
  }
}
