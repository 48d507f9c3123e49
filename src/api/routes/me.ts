import { z } from 'zod';
import { Slug, Text } from '../../domain/common';
import type { ApiDeps } from '../../http/deps';
import type { ApiRoutes } from '../openapi/route';
import { myApprovals, myTasks } from '../../services/activities/my-work';
import { createToken, listTokens, revokeToken } from '../../services/people/tokens';

const MyTask = z
  .object({
    activityId: z.string(),
    activityTitle: z.string(),
    orgId: z.string(),
    taskId: z.string(),
    title: z.string(),
    milestoneId: z.string(),
    dueDate: z.string(),
    overdue: z.boolean(),
    dueSoon: z.boolean(),
  })
  .openapi('MyTask');

const Approval = z
  .object({
    kind: z.enum(['milestone', 'extension']),
    activityId: z.string(),
    activityTitle: z.string(),
    orgId: z.string(),
    milestoneId: z.string().optional(),
    milestoneTitle: z.string().optional(),
    extensionId: z.string().optional(),
    proposedDueDate: z.string().optional(),
    onBehalfOf: z.object({ userId: z.string(), name: z.string(), delegationId: z.string() }).optional(),
    since: z.string().optional(),
  })
  .openapi('Approval');

const TokenView = z
  .object({ id: z.string(), name: z.string(), orgId: z.string(), createdAt: z.string(), expiresAt: z.string(), revoked: z.boolean() })
  .openapi('ApiToken');

export function meRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const { models } = deps;
  const tz = deps.config.planTimeZone;

  routes.add(
    {
      method: 'get',
      path: '/me',
      summary: 'Vem jag är och mina roller',
      tags: ['Mitt'],
      responses: {
        200: {
          description: 'Jag',
          schema: z.object({ userId: z.string(), name: z.string(), cityViewer: z.boolean(), memberships: z.array(z.object({ orgId: z.string(), roles: z.array(z.string()) })) }),
        },
      },
    },
    async ({ principal }) => ({ body: { userId: principal.userId, name: principal.name, cityViewer: principal.cityViewer, memberships: principal.memberships } }),
  );

  routes.add(
    { method: 'get', path: '/me/tasks', summary: 'Mina öppna uppgifter, efter slutdatum', tags: ['Mitt'], responses: { 200: { description: 'Uppgifter', schema: z.array(MyTask) } } },
    async ({ principal }) => ({ body: await myTasks(models, principal) }),
  );

  routes.add(
    { method: 'get', path: '/me/approvals', summary: 'Det som väntar på mitt godkännande eller beslut', tags: ['Mitt'], responses: { 200: { description: 'Att godkänna', schema: z.array(Approval) } } },
    async ({ principal }) => ({ body: await myApprovals(models, principal, tz) }),
  );

  routes.add(
    {
      method: 'post',
      path: '/me/tokens',
      summary: 'Skapa en personlig API-token (visas en gång)',
      tags: ['Mitt'],
      body: z.object({ name: Text(100), orgId: Slug, expiresInDays: z.number().int().min(1).max(365).default(90) }).strict(),
      responses: { 201: { description: 'Token; spara den, den visas inte igen', schema: TokenView.extend({ token: z.string() }) } },
    },
    async ({ body, principal }) => ({ status: 201, body: await createToken(models, principal, body) }),
  );

  routes.add(
    { method: 'get', path: '/me/tokens', summary: 'Mina API-tokens (utan hemligheter)', tags: ['Mitt'], responses: { 200: { description: 'Tokens', schema: z.array(TokenView) } } },
    async ({ principal }) => ({ body: await listTokens(models, principal) }),
  );

  routes.add(
    { method: 'delete', path: '/me/tokens/:tokenId', summary: 'Återkalla en API-token', tags: ['Mitt'], params: z.object({ tokenId: z.string().regex(/^[0-9a-f]{12}$/) }), responses: { 204: { description: 'Återkallad' } } },
    async ({ params, principal }) => {
      await revokeToken(models, principal, params.tokenId);
      return { status: 204 };
    },
  );

}
