import { z } from 'zod';
import { chainState } from '../../services/audit/chain-check';
import { auditEventsAfter } from '../../services/audit/trail';
import { requireRead } from '../../services/people/access';
import { PersonName, Slug, Text, Year } from '../../domain/common';
import { DelegationRequest } from '../../domain/delegation';
import { KpiKind } from '../../domain/kpi';
import { RoleName } from '../../domain/roles';
import type { ApiDeps } from '../../http/deps';
import type { ApiRoutes } from '../openapi/route';
import { OrgParams } from '../schemas';
import { ActivityParams } from '../../domain/activity';
import { activitiesNeedingNewOwner } from '../../services/people/owners';
import { removalOf, removeMember, type Leaving as LeavingMember } from '../../services/people/removal';
import { activityAudit, createDelegation, endDelegation, listDelegations, listKpis, listMembers, setKpiValue, setMemberRoles } from '../../services/people/org-data';

const KpiSeries = z
  .object({
    id: z.string(),
    name: z.string(),
    unit: z.string().optional(),
    kind: KpiKind,
    values: z.array(z.object({ year: z.number().int(), value: z.number(), source: z.string().optional(), partial: z.boolean().optional() })),
  })
  .openapi('KpiSeries');

const AuditEvent = z
  .object({
    seq: z.number().int(),
    activityId: z.string(),
    version: z.number().int(),
    action: z.string(),
    actor: z.object({ userId: z.string(), name: z.string() }),
    at: z.string(),
    requestId: z.string(),
    changes: z.array(z.object({ field: z.string(), before: z.string(), after: z.string() })),
    prevHash: z.string(),
    hash: z.string(),
  })
  .openapi('AuditEvent');

const OwnerGone = z
  .object({ id: z.string(), title: z.string(), dueDate: z.string(), owner: z.object({ userId: z.string(), name: z.string().optional() }) })
  .openapi('ActivityNeedingNewOwner');

const ChainReport = z
  .object({
    ok: z.boolean(),
    events: z.number().int(),
    lastHash: z.string(),
    problems: z.array(z.object({ seq: z.number().int(), kind: z.string(), detail: z.string() })),
    // Both audits verify the events new since the last look; fullCheckAt is when the whole chain was last read, on demand (Aktivitet).
    fullCheckAt: z.string().optional(),
  })
  .openapi('ChainVerification');

const Delegation = z
  .object({
    id: z.string(),
    orgId: z.string(),
    from: z.object({ userId: z.string(), name: z.string() }),
    to: z.object({ userId: z.string(), name: z.string() }),
    role: z.string(),
    validFrom: z.string(),
    validTo: z.string(),
    ended: z.boolean(),
  })
  .openapi('Delegation');

const Leaving = z
  .object({
    userId: z.string(),
    name: z.string(),
    roles: z.array(z.string()),
    activities: z.array(z.object({ id: z.string(), title: z.string(), status: z.string(), dueDate: z.string() })),
  })
  .openapi('LeavingMember');

const Member = z.object({ userId: z.string(), name: z.string(), email: z.string(), roles: z.array(z.string()) }).openapi('Member');

export function orgDataRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const { models } = deps;

  routes.add(
    { method: 'get', path: '/organisations/:orgId/kpis', summary: 'Nyckeltal per år', tags: ['Nyckeltal'], params: OrgParams, responses: { 200: { description: 'Serier', schema: z.array(KpiSeries) } } },
    async ({ params, principal }) => ({ body: await listKpis(models, principal, params.orgId) }),
  );

  routes.add(
    {
      method: 'put',
      path: '/organisations/:orgId/kpis/:seriesId/:year',
      summary: 'Ange ett års värde för ett nyckeltal (samordnare)',
      tags: ['Nyckeltal'],
      params: OrgParams.extend({ seriesId: Slug, year: z.coerce.number().pipe(Year) }),
      // A count must be whole (400 naming body.value); a value more than ±50 % from the previous year's needs confirmOutlier (422).
      body: z
        .object({ value: z.number().finite(), name: Text(160).optional(), unit: Text(40).optional(), kind: KpiKind.optional(), source: Text(200).optional(), confirmOutlier: z.boolean().optional() })
        .strict(),
      responses: { 200: { description: 'Sparat', schema: z.object({ seriesId: z.string(), year: z.number().int(), value: z.number(), kind: KpiKind }) } },
    },
    async ({ params, body, principal }) => {
      const saved = await setKpiValue(models, principal, { ...body, ...params });
      return { body: { seriesId: params.seriesId, year: params.year, value: body.value, kind: saved.kind } };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/activities/:activityId/audit',
      summary: 'En aktivitets granskningslogg, med verifiering av organisationens kedja',
      tags: ['Granskningslogg'],
      params: ActivityParams,
      responses: { 200: { description: 'Händelser', schema: z.object({ events: z.array(AuditEvent), verification: ChainReport }) } },
    },
    async ({ params, principal }) => ({ body: await activityAudit(models, principal, params.activityId) }),
  );

  routes.add(
    {
      method: 'get',
      path: '/organisations/:orgId/audit',
      summary: 'Organisationens granskningslogg och kedjans verifiering (nya händelser sedan senast verifierade punkt)',
      tags: ['Granskningslogg'],
      params: OrgParams,
      query: z.object({ afterSeq: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(500).default(100) }).strict(),
      responses: { 200: { description: 'Händelser', schema: z.object({ events: z.array(AuditEvent), verification: ChainReport }) } },
    },
    async ({ params, query, principal }) => {
      requireRead(principal, params.orgId);
      const events = await auditEventsAfter(models, params.orgId, query.afterSeq, query.limit);
      return { body: { events, verification: await chainState(models, params.orgId) } };
    },
  );

  routes.add(
    { method: 'get', path: '/organisations/:orgId/delegations', summary: 'Delegationer', tags: ['Delegationer'], params: OrgParams, responses: { 200: { description: 'Delegationer', schema: z.array(Delegation) } } },
    async ({ params, principal }) => ({ body: await listDelegations(models, principal, params.orgId) }),
  );

  routes.add(
    {
      method: 'post',
      path: '/organisations/:orgId/delegations',
      summary: 'Delegera rätten att godkänna för en roll mellan två datum (högst ett år, till en annan medlem)',
      tags: ['Delegationer'],
      params: OrgParams,
      body: DelegationRequest,
      responses: { 201: { description: 'Skapad', schema: Delegation } },
    },
    async ({ params, body, principal }) => ({ status: 201, body: await createDelegation(models, principal, params.orgId, body) }),
  );

  routes.add(
    { method: 'post', path: '/organisations/:orgId/delegations/:delegationId/end', summary: 'Avsluta en delegation i förtid', tags: ['Delegationer'], params: OrgParams.extend({ delegationId: z.string().regex(/^delegering-[0-9a-f]{8}$/) }), responses: { 200: { description: 'Avslutad', schema: Delegation } } },
    async ({ params, principal }) => ({ body: await endDelegation(models, principal, params.orgId, params.delegationId) }),
  );

  routes.add(
    { method: 'get', path: '/organisations/:orgId/users', summary: 'Användare och roller (administratör)', tags: ['Administration'], params: OrgParams, responses: { 200: { description: 'Medlemmar', schema: z.array(Member) } } },
    async ({ params, principal }) => ({ body: await listMembers(models, principal, params.orgId) }),
  );

  routes.add(
    {
      method: 'get',
      path: '/organisations/:orgId/activities-needing-new-owner',
      summary: 'Pågående aktiviteter vars ansvariga inte längre har någon roll i organisationen (samordnare)',
      tags: ['Administration'],
      params: OrgParams,
      responses: { 200: { description: 'Aktiviteterna, efter slutdatum', schema: z.array(OwnerGone) } },
    },
    async ({ params, principal }) => ({ body: await activitiesNeedingNewOwner(models, principal, params.orgId) }),
  );

  const PersonParams = OrgParams.extend({ userId: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/) });
  const leavingBody = (l: LeavingMember) => ({ userId: l.userId, name: l.name, roles: l.roles, activities: l.activities.map((a) => ({ id: a._id, title: a.title, status: a.status, dueDate: a.dueDate })) });

  routes.add(
    {
      method: 'get',
      path: '/organisations/:orgId/users/:userId/removal',
      summary: 'Vad som händer om personen tas bort ur organisationen: hens ej avslutade aktiviteter (administratör eller samordnare)',
      tags: ['Administration'],
      params: PersonParams,
      responses: { 200: { description: 'Personen och aktiviteterna', schema: Leaving } },
    },
    async ({ params, principal }) => ({ body: leavingBody(await removalOf(models, principal, params.orgId, params.userId)) }),
  );

  routes.add(
    {
      method: 'delete',
      path: '/organisations/:orgId/users/:userId',
      summary: 'Ta bort en person ur organisationen (administratör eller samordnare): medlemskapet och hens delegeringar där upphör, hens ej avslutade aktiviteter flaggas för ny ansvarig; en person vars roller kommer från identitetsleverantören är 409',
      tags: ['Administration'],
      params: PersonParams,
      responses: { 200: { description: 'Borttagen; aktiviteterna som behöver ny ansvarig', schema: Leaving.extend({ delegationsEnded: z.number().int() }) } },
    },
    async ({ params, principal, res }) => {
      const removed = await removeMember(models, principal, params.orgId, params.userId, res.locals.requestId as string);
      return { body: { ...leavingBody(removed), delegationsEnded: removed.delegationsEnded } };
    },
  );

  routes.add(
    {
      method: 'put',
      path: '/organisations/:orgId/users/:userId',
      summary: 'Ge en användare roller i organisationen (administratör); en ny användare skapas, och inga roller tar bort personen ur organisationen som DELETE gör',
      tags: ['Administration'],
      params: OrgParams.extend({ userId: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/) }),
      body: z.object({ name: PersonName.optional(), email: z.email().max(200).optional(), roles: z.array(RoleName).max(20) }).strict(),
      responses: { 200: { description: 'Medlemmen', schema: Member } },
    },
    async ({ params, body, principal, res }) => ({ body: await setMemberRoles(models, principal, params.orgId, params.userId, body, res.locals.requestId as string) }),
  );
}
