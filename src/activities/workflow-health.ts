import { Context } from '@temporalio/activity';
import type { Models } from '../store/models';
import { checkWorkflowHealth } from '../services/workflow-health/check';

/** The periodic workflow health check, run for every organisation on the worker's own task queue. */
export function createWorkflowHealthActivities(models: Models) {
  return {
    async checkWorkflows(): Promise<{ checked: number; problems: number; found: number; cleared: number }> {
      const { client, info } = Context.current();
      const report = await checkWorkflowHealth(client, models, { taskQueue: info.taskQueue });
      return { checked: report.checked.length, problems: report.problems.length, found: report.found.length, cleared: report.cleared.length };
    },
  };
}
