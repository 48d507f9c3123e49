import { z } from 'zod';
import { Slug, Text } from '../../domain/common';
import { approvalsOf, openTasksOf } from '../../views/personal';
import { mintToken } from '../auth/api-tokens';
import type { Principal } from '../auth/principal';
import { forbidden, rolesIn } from '../access';
import type { ApiDeps } from '../deps';
import type { ApiRoutes } from '../openapi/route';
import { Problem } from '../problem';

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
    async ({ principal }) => ({ body: await openTasksOf(models, { userId: principal.userId, memberships: ownMemberships(principal) }, Date.now()) }),
  );

  routes.add(
    { method: 'get', path: '/me/approvals', summary: 'Det som väntar på mitt godkännande eller beslut', tags: ['Mitt'], responses: { 200: { description: 'Att godkänna', schema: z.array(Approval) } } },
    async ({ principal }) => ({ body: await approvalsOf(models, { userId: principal.userId, name: principal.name, memberships: ownMemberships(principal) }, tz, Date.now()) }),
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
    async ({ body, principal }) => {
      if (principal.via === 'token') throw forbidden('En API-token kan inte skapa nya tokens; logga in.');
      if (rolesIn(principal, body.orgId).length === 0) throw forbidden(`Du har ingen roll i ${body.orgId}.`);
      const { token, hash, tokenId } = mintToken();
      const doc = { _id: hash, tokenId, userId: principal.userId, orgId: body.orgId, name: body.name, createdAt: new Date(), expiresAt: new Date(Date.now() + body.expiresInDays * 86_400_000) };
      await models.apiTokens.create(doc);
      return { status: 201, body: { ...tokenView(doc), token } };
    },
  );

  routes.add(
    { method: 'get', path: '/me/tokens', summary: 'Mina API-tokens (utan hemligheter)', tags: ['Mitt'], responses: { 200: { description: 'Tokens', schema: z.array(TokenView) } } },
    async ({ principal }) => ({ body: (await models.apiTokens.find({ userId: principal.userId }).sort({ createdAt: 1 }).lean()).map(tokenView) }),
  );

  routes.add(
    { method: 'delete', path: '/me/tokens/:tokenId', summary: 'Återkalla en API-token', tags: ['Mitt'], params: z.object({ tokenId: z.string().regex(/^[0-9a-f]{12}$/) }), responses: { 204: { description: 'Återkallad' } } },
    async ({ params, principal }) => {
      const res = await models.apiTokens.updateOne({ tokenId: params.tokenId, userId: principal.userId }, { $set: { revokedAt: new Date() } });
      if (res.matchedCount === 0) throw Problem.notFound('Ingen sådan token.');
      return { status: 204 };
    },
  );

}

/** A personal token reaches only its own organisation. */
function ownMemberships(p: Principal) {
  return p.memberships.filter((m) => !p.tokenOrgId || m.orgId === p.tokenOrgId);
}

function tokenView(d: { tokenId: string; name: string; orgId: string; createdAt: Date; expiresAt: Date; revokedAt?: Date }) {
  return { id: d.tokenId, name: d.name, orgId: d.orgId, createdAt: d.createdAt.toISOString(), expiresAt: d.expiresAt.toISOString(), revoked: Boolean(d.revokedAt) };
}
