import { z } from 'zod';
import { Slug } from '../../domain/common';
import { WORKFLOW_PROBLEM_KINDS } from '../../domain/workflow-health';
import { ADMIN, COORDINATOR, requireRole } from '../../services/people/access';
import { listWorkflowProblems } from '../../services/workflow-health/problems';
import type { ApiDeps } from '../../http/deps';
import type { ApiRoutes } from '../openapi/route';

const WorkflowProblem = z
  .object({
    workflowId: z.string(),
    subject: z.enum(['activity', 'review']),
    subjectId: z.string().describe('The activity’s id, or the review version’s'),
    orgId: z.string(),
    runId: z.string(),
    kind: z.enum(WORKFLOW_PROBLEM_KINDS).describe('stuck: running, but its workflow task keeps failing; ended-abnormally: terminated, failed, timed out or cancelled while its activity or review is open'),
    status: z.string().describe('Temporal’s execution status, e.g. TERMINATED'),
    reason: z.string().describe('What Temporal says: the reason of a termination, the message of a failure'),
    firstSeenAt: z.string(),
    lastSeenAt: z.string(),
  })
  .openapi('WorkflowProblem');

/** The workflows of an organisation that cannot continue, for its coordinators. */
export function workflowProblemRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  routes.add(
    {
      method: 'get',
      path: '/organisations/:orgId/workflow-problems',
      summary: 'Arbetsflöden som har stannat eller avslutats i förtid och inte tar emot ändringar',
      tags: ['Organisationer'],
      params: z.object({ orgId: Slug }),
      responses: { 200: { description: 'Problem, det äldsta först', schema: z.array(WorkflowProblem) } },
    },
    async ({ principal, params }) => {
      requireRole(principal, params.orgId, [COORDINATOR, ADMIN], 'samordnare och administratörer');
      const problems = await listWorkflowProblems(deps.models, params.orgId);
      return { body: problems.map((p) => ({ ...p, firstSeenAt: p.firstSeenAt.toISOString(), lastSeenAt: p.lastSeenAt.toISOString() })) };
    },
  );
}
