import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities';

const { checkWorkflows } = proxyActivities<Activities>({
  // One pass describes every running activity workflow: minutes for a large city, not seconds.
  startToCloseTimeout: '15 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 3 },
});

/**
 * The workflow health check, started by its Temporal Schedule: finds the activity and review
 * workflows that cannot continue and records them for the coordinators. A failed pass is simply
 * followed by the next one.
 */
export async function workflowHealthWorkflow(): Promise<Awaited<ReturnType<Activities['checkWorkflows']>>> {
  return checkWorkflows();
}
