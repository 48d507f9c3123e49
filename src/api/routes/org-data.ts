import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { verifyOrganisationChain } from '../../audit/store';
import { IsoDate, Slug, Text, Year } from '../../domain/common';
import { RoleName } from '../../domain/roles';
import { ADMIN, COORDINATOR, forbidden, orgOfActivity, requireRead, requireRole, rolesIn } from '../access';
import type { ApiDeps } from '../deps';
import type { ApiRoutes } from '../openapi/route';
import { Problem } from '../problem';
import { ActivityParams, OrgParams } from '../schemas';
import { find } from './organisations';

const KpiSeries = z
  .object({ id: z.string(), name: z.string(), unit: z.string().optional(), values: z.array(z.object({ year: z.number().int(), value: z.number(), source: z.string().optional() })) })
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

const ChainReport = z
  .object({ ok: z.boolean(), events: z.number().int(), lastHash: z.string(), problems: z.array(z.object({ seq: z.number().int(), kind: z.string(), detail: z.string() })) })
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

const Member = z.object({ userId: z.string(), name: z.string(), email: z.string(), roles: z.array(z.string()) }).openapi('Member');

export function orgDataRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const { models } = deps;

  routes.add(
    { method: 'get', path: '/organisations/:orgId/kpis', summary: 'Nyckeltal per år', tags: ['Nyckeltal'], params: OrgParams, responses: { 200: { description: 'Serier', schema: z.array(KpiSeries) } } },
    async ({ params, principal }) => {
      requireRead(principal, params.orgId);
      const values = await models.kpiValues.find({ orgId: params.orgId }).sort({ seriesId: 1, year: 1 }).lean();
      const series = new Map<string, z.infer<typeof KpiSeries>>();
      for (const v of values) {
        const s = series.get(v.seriesId) ?? { id: v.seriesId, name: v.name, ...(v.unit ? { unit: v.unit } : {}), values: [] };
        s.values.push({ year: v.year, value: v.value, ...(v.source ? { source: v.source } : {}) });
        series.set(v.seriesId, s);
      }
      return { body: [...series.values()] };
    },
  );

  routes.add(
    {
      method: 'put',
      path: '/organisations/:orgId/kpis/:seriesId/:year',
      summary: 'Ange ett års värde för ett nyckeltal (samordnare)',
      tags: ['Nyckeltal'],
      params: OrgParams.extend({ seriesId: Slug, year: z.coerce.number().pipe(Year) }),
      body: z.object({ value: z.number().finite(), name: Text(160).optional(), unit: Text(40).optional(), source: Text(200).optional() }).strict(),
      responses: { 200: { description: 'Sparat', schema: z.object({ seriesId: z.string(), year: z.number().int(), value: z.number() }) } },
    },
    async ({ params, body, principal }) => {
      requireRole(principal, params.orgId, [COORDINATOR], 'samordnare');
      await find(deps, params.orgId);
      const existing = await models.kpiValues.findOne({ orgId: params.orgId, seriesId: params.seriesId }).lean();
      const name = body.name ?? existing?.name;
      if (!name) throw Problem.badRequest([{ field: 'body.name', message: 'is required for a new series' }]);
      await models.kpiValues.updateOne(
        { _id: `${params.orgId}:${params.seriesId}:${params.year}` },
        { $set: { orgId: params.orgId, seriesId: params.seriesId, year: params.year, value: body.value, name, ...(body.unit ?? existing?.unit ? { unit: body.unit ?? existing?.unit } : {}), ...(body.source ? { source: body.source } : {}), updatedAt: new Date() } },
        { upsert: true },
      );
      return { body: { seriesId: params.seriesId, year: params.year, value: body.value } };
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
    async ({ params, principal }) => {
      const orgId = orgOfActivity(params.activityId);
      requireRead(principal, orgId);
      const events = await models.auditEvents.find({ activityId: params.activityId }).sort({ seq: 1 }).select({ _id: 0, eventKey: 0, orgId: 0 }).lean();
      return { body: { events, verification: await verifyOrganisationChain(models.auditEvents, orgId) } };
    },
  );

  routes.add(
    {
      method: 'get',
      path: '/organisations/:orgId/audit',
      summary: 'Organisationens granskningslogg och verifiering av hela kedjan',
      tags: ['Granskningslogg'],
      params: OrgParams,
      query: z.object({ afterSeq: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(500).default(100) }).strict(),
      responses: { 200: { description: 'Händelser', schema: z.object({ events: z.array(AuditEvent), verification: ChainReport }) } },
    },
    async ({ params, query, principal }) => {
      requireRead(principal, params.orgId);
      const events = await models.auditEvents.find({ orgId: params.orgId, seq: { $gt: query.afterSeq } }).sort({ seq: 1 }).limit(query.limit).select({ _id: 0, eventKey: 0, orgId: 0 }).lean();
      return { body: { events, verification: await verifyOrganisationChain(models.auditEvents, params.orgId) } };
    },
  );

  routes.add(
    { method: 'get', path: '/organisations/:orgId/delegations', summary: 'Delegationer', tags: ['Delegationer'], params: OrgParams, responses: { 200: { description: 'Delegationer', schema: z.array(Delegation) } } },
    async ({ params, principal }) => {
      requireRead(principal, params.orgId);
      return { body: (await models.delegations.find({ orgId: params.orgId }).sort({ validFrom: 1 }).lean()).map(delegationView) };
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/organisations/:orgId/delegations',
      summary: 'Delegera rätten att godkänna för en roll mellan två datum',
      tags: ['Delegationer'],
      params: OrgParams,
      body: z.object({ fromUserId: Text(100), toUserId: Text(100), role: RoleName, validFrom: IsoDate, validTo: IsoDate }).strict().refine((b) => b.validFrom <= b.validTo, { path: ['validTo'], message: 'must not be before validFrom' }),
      responses: { 201: { description: 'Skapad', schema: Delegation } },
    },
    async ({ params, body, principal }) => {
      requireRead(principal, params.orgId);
      // A person delegates their own role; an administrator may record it for them.
      const self = body.fromUserId === principal.userId && rolesIn(principal, params.orgId).includes(body.role);
      if (!self && !rolesIn(principal, params.orgId).includes(ADMIN)) throw forbidden('Du kan bara delegera en roll du själv har.');
      const [from, to] = await Promise.all([member(deps, params.orgId, body.fromUserId), models.users.findById(body.toUserId).lean()]);
      if (!from.roles.includes(body.role)) throw Problem.badRequest([{ field: 'body.role', message: `${from.name} does not hold ${body.role}` }]);
      if (!to) throw Problem.badRequest([{ field: 'body.toUserId', message: 'unknown user' }]);
      const doc = { _id: `delegering-${randomUUID().slice(0, 8)}`, orgId: params.orgId, from: { userId: from.userId, name: from.name }, to: { userId: to._id, name: to.name }, role: body.role, validFrom: body.validFrom, validTo: body.validTo, createdBy: principal.userId, createdAt: new Date() };
      await models.delegations.create(doc);
      return { status: 201, body: delegationView(doc) };
    },
  );

  routes.add(
    { method: 'post', path: '/organisations/:orgId/delegations/:delegationId/end', summary: 'Avsluta en delegation i förtid', tags: ['Delegationer'], params: OrgParams.extend({ delegationId: z.string().regex(/^delegering-[0-9a-f]{8}$/) }), responses: { 200: { description: 'Avslutad', schema: Delegation } } },
    async ({ params, principal }) => {
      requireRead(principal, params.orgId);
      const d = await models.delegations.findOne({ _id: params.delegationId, orgId: params.orgId }).lean();
      if (!d) throw Problem.notFound('Ingen sådan delegation.');
      if (d.from.userId !== principal.userId && !rolesIn(principal, params.orgId).includes(ADMIN)) throw forbidden('Bara den som delegerat eller en administratör kan avsluta delegationen.');
      await models.delegations.updateOne({ _id: d._id, endedAt: { $exists: false } }, { $set: { endedAt: new Date() } });
      return { body: delegationView({ ...d, endedAt: d.endedAt ?? new Date() }) };
    },
  );

  routes.add(
    { method: 'get', path: '/organisations/:orgId/users', summary: 'Användare och roller (administratör)', tags: ['Administration'], params: OrgParams, responses: { 200: { description: 'Medlemmar', schema: z.array(Member) } } },
    async ({ params, principal }) => {
      requireRole(principal, params.orgId, [ADMIN, COORDINATOR], 'administratörer och samordnare');
      const users = await models.users.find({ 'memberships.orgId': params.orgId }).sort({ name: 1 }).lean();
      return { body: users.map((u) => ({ userId: u._id, name: u.name, email: u.email, roles: u.memberships.find((m) => m.orgId === params.orgId)?.roles ?? [] })) };
    },
  );

  routes.add(
    {
      method: 'put',
      path: '/organisations/:orgId/users/:userId',
      summary: 'Ge en användare roller i organisationen (administratör); en ny användare skapas',
      tags: ['Administration'],
      params: OrgParams.extend({ userId: z.string().regex(/^[A-Za-z0-9._-]{1,100}$/) }),
      body: z.object({ name: Text(200).optional(), email: z.email().max(200).optional(), roles: z.array(RoleName).max(20) }).strict(),
      responses: { 200: { description: 'Medlemmen', schema: Member } },
    },
    async ({ params, body, principal }) => {
      requireRole(principal, params.orgId, [ADMIN], 'administratörer');
      const existing = await models.users.findById(params.userId).lean();
      if (!existing && (!body.name || !body.email)) throw Problem.badRequest([{ field: 'body.name', message: 'name and email are required for a new user' }]);
      const memberships = [...(existing?.memberships ?? []).filter((m) => m.orgId !== params.orgId), ...(body.roles.length ? [{ orgId: params.orgId, roles: [...new Set(body.roles)] }] : [])];
      await models.users.updateOne(
        { _id: params.userId },
        { $set: { memberships, ...(body.name ? { name: body.name } : {}), ...(body.email ? { email: body.email } : {}) }, $setOnInsert: { cityViewer: false, demo: false } },
        { upsert: true },
      );
      const u = (await models.users.findById(params.userId).lean())!;
      return { body: { userId: u._id, name: u.name, email: u.email, roles: [...new Set(body.roles)] } };
    },
  );
}

async function member(deps: ApiDeps, orgId: string, userId: string) {
  const u = await deps.models.users.findById(userId).lean();
  const roles = u?.memberships.find((m) => m.orgId === orgId)?.roles;
  if (!u || !roles) throw Problem.badRequest([{ field: 'body.fromUserId', message: 'not a member of the organisation' }]);
  return { userId: u._id, name: u.name, roles };
}

function delegationView(d: { _id: string; orgId: string; from: { userId: string; name: string }; to: { userId: string; name: string }; role: string; validFrom: string; validTo: string; endedAt?: Date }) {
  return { id: d._id, orgId: d.orgId, from: d.from, to: d.to, role: d.role, validFrom: d.validFrom, validTo: d.validTo, ended: Boolean(d.endedAt) };
}
