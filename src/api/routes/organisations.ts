import { z } from 'zod';
import type { OrganisationDoc } from '../../store/models/organisation';
import { allOrganisations, createOrganisation, organisationOr404, updateOrganisation } from '../../services/organisations/directory';
import { ADMIN, COORDINATOR, readableOrgIds, requireRead, requireRole, forbidden } from '../../services/people/access';
import type { ApiDeps } from '../../http/deps';
import type { ApiRoutes } from '../openapi/route';
import { OrgParams, Organisation, OrganisationCreate, OrganisationUpdate } from '../schemas';

export function organisationRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const { models } = deps;

  routes.add(
    { method: 'get', path: '/organisations', summary: 'Organisationer jag får läsa', tags: ['Organisationer'], responses: { 200: { description: 'Lista', schema: z.array(Organisation) } } },
    async ({ principal }) => {
      const all = await allOrganisations(models);
      const readable = new Set(readableOrgIds(principal, all.map((o) => o._id)));
      return { body: all.filter((o) => readable.has(o._id)).map(view) };
    },
  );

  routes.add(
    { method: 'get', path: '/organisations/:orgId', summary: 'En organisation med plan, områden och mål', tags: ['Organisationer'], params: OrgParams, responses: { 200: { description: 'Organisationen', schema: Organisation } } },
    async ({ params, principal }) => {
      requireRead(principal, params.orgId);
      return { body: view(await organisationOr404(models, params.orgId)) };
    },
  );

  routes.add(
    { method: 'post', path: '/organisations', summary: 'Skapa en organisation (administratör)', tags: ['Organisationer'], body: OrganisationCreate, responses: { 201: { description: 'Skapad', schema: Organisation } } },
    async ({ body, principal }) => {
      // Only an administrator of some organisation may add another; the new one starts empty.
      if (!principal.memberships.some((m) => m.roles.includes(ADMIN))) {
        throw forbidden('Bara administratörer får skapa organisationer.');
      }
      await createOrganisation(models, body.id, { name: body.name, board: body.board, plan: body.plan, areas: body.areas, goals: body.goals });
      return { status: 201, body: view(await organisationOr404(models, body.id)) };
    },
  );

  routes.add(
    { method: 'patch', path: '/organisations/:orgId', summary: 'Ändra organisationens namn, plan, områden eller mål', tags: ['Organisationer'], params: OrgParams, body: OrganisationUpdate, responses: { 200: { description: 'Ändrad', schema: Organisation } } },
    async ({ params, body, principal }) => {
      requireRole(principal, params.orgId, [COORDINATOR, ADMIN], 'samordnare och administratörer');
      await organisationOr404(models, params.orgId);
      await updateOrganisation(models, params.orgId, body);
      return { body: view(await organisationOr404(models, params.orgId)) };
    },
  );
}

function view(o: OrganisationDoc) {
  return { id: o._id, name: o.name, ...(o.board ? { board: o.board } : {}), plan: o.plan, areas: o.areas, goals: o.goals };
}

