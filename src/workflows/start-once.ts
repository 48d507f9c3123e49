import { ParentClosePolicy, WorkflowIdReusePolicy, log, startChild, type Workflow } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';

/**
 * Starts a workflow that outlives this one, under a business id that is never reused: if it
 * runs or ran already, that one stands.
 */
export async function startOnce<W extends Workflow>(workflow: W, workflowId: string, args: Parameters<W>): Promise<void> {
  try {
    await startChild(workflow, {
      workflowId,
      args,
      parentClosePolicy: ParentClosePolicy.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    } as never);
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    log.info('workflow already started', { workflowId });
  }
}
