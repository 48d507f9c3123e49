import { z } from 'zod';
import type { OrganisationDoc } from '../../store/models/organisation';
import { isDuplicateKey } from '../../store/errors';
import { ADMIN, COORDINATOR, readableOrgIds, requireRead, requireRole, forbidden } from '../../services/people/access';
import type { ApiDeps } from '../../http/deps';
import type { ApiRoutes } from '../openapi/route';
import { Problem } from '../../services/problem';
import { OrgParams, Organisation, OrganisationCreate, OrganisationUpdate } from '../schemas';
import { withoutUndefined } from '../../domain/defined';

export function organisationRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const { models } = deps;

  routes.add(
    { method: 'get', path: '/organisations', summary: 'Organisationer jag får läsa', tags: ['Organisationer'], responses: { 200: { description: 'Lista', schema: z.array(Organisation) } } },
    async ({ principal }) => {
      const all = await models.organisations.find({}).sort({ _id: 1 }).lean();
      const readable = new Set(readableOrgIds(principal, all.map((o) => o._id)));
      return { body: all.filter((o) => readable.has(o._id)).map(view) };
    },
  );

  routes.add(
    { method: 'get', path: '/organisations/:orgId', summary: 'En organisation med plan, områden och mål', tags: ['Organisationer'], params: OrgParams, responses: { 200: { description: 'Organisationen', schema: Organisation } } },
    async ({ params, principal }) => {
      requireRead(principal, params.orgId);
      return { body: view(await find(deps, params.orgId)) };
    },
  );

  routes.add(
    { method: 'post', path: '/organisations', summary: 'Skapa en organisation (administratör)', tags: ['Organisationer'], body: OrganisationCreate, responses: { 201: { description: 'Skapad', schema: Organisation } } },
    async ({ body, principal }) => {
      // Only an administrator of some organisation may add another; the new one starts empty.
      if (!principal.memberships.some((m) => m.roles.includes(ADMIN))) {
        throw forbidden('Bara administratörer får skapa organisationer.');
      }
      try {
        await models.organisations.create({ _id: body.id, name: body.name, board: body.board, plan: body.plan, areas: body.areas, goals: body.goals, updatedAt: new Date() });
      } catch (err) {
        if (isDuplicateKey(err)) throw new Problem(409, 'conflict', 'Finns redan', `Organisationen ${body.id} finns redan.`);
        throw err;
      }
      return { status: 201, body: view(await find(deps, body.id)) };
    },
  );

  routes.add(
    { method: 'patch', path: '/organisations/:orgId', summary: 'Ändra organisationens namn, plan, områden eller mål', tags: ['Organisationer'], params: OrgParams, body: OrganisationUpdate, responses: { 200: { description: 'Ändrad', schema: Organisation } } },
    async ({ params, body, principal }) => {
      requireRole(principal, params.orgId, [COORDINATOR, ADMIN], 'samordnare och administratörer');
      await find(deps, params.orgId);
      await models.organisations.updateOne({ _id: params.orgId }, { $set: { ...withoutUndefined(body), updatedAt: new Date() } });
      return { body: view(await find(deps, params.orgId)) };
    },
  );
}

export async function find(deps: ApiDeps, orgId: string): Promise<OrganisationDoc> {
  const org = await deps.models.organisations.findById(orgId).lean();
  if (!org) throw Problem.notFound(`Organisationen ${orgId} finns inte.`);
  return org;
}

function view(o: OrganisationDoc) {
  return { id: o._id, name: o.name, ...(o.board ? { board: o.board } : {}), plan: o.plan, areas: o.areas, goals: o.goals };
}

