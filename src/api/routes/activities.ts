import { createActivity } from '../../services/activities/create';
import { orgOfActivity, requireRead, rolesIn } from '../../services/people/access';
import { findActivity, listActivities } from '../../services/activities/read';
import { activityView } from '../../services/activities/view';
import type { ApiDeps } from '../../http/deps';
import type { ApiRoutes } from '../openapi/route';
import { Problem } from '../../services/problem';
import { ActivityListQuery } from '../../services/activities/list-query';
import { ActivityCreate, ActivityPage, ActivityView, OrgParams } from '../schemas';
import { ActivityParams } from '../../domain/activity';

export function activityRoutes(routes: ApiRoutes, deps: ApiDeps): void {
  const { models } = deps;

  routes.add(
    {
      method: 'get',
      path: '/organisations/:orgId/activities',
      summary: 'Aktiviteter, filtrerade och sorterade, sida för sida',
      tags: ['Aktiviteter'],
      params: OrgParams,
      query: ActivityListQuery,
      responses: { 200: { description: 'En sida', schema: ActivityPage } },
    },
    async ({ params, query, principal }) => {
      requireRead(principal, params.orgId);
      const now = new Date();
      const { docs, next } = await listActivities(models, params.orgId, query, { userId: principal.userId, roles: rolesIn(principal, params.orgId) }, now);
      return { body: { items: docs.map((d) => activityView(d, now)), nextCursor: next } };
    },
  );

  routes.add(
    { method: 'get', path: '/activities/:activityId', summary: 'En aktivitet', tags: ['Aktiviteter'], params: ActivityParams, responses: { 200: { description: 'Aktiviteten', schema: ActivityView } } },
    async ({ params, principal }) => {
      requireRead(principal, orgOfActivity(params.activityId));
      const doc = await findActivity(models, params.activityId);
      if (!doc) throw Problem.notFound(`Aktiviteten ${params.activityId} finns inte.`);
      return { body: activityView(doc, new Date()), headers: { ETag: `"${doc.version}"` } };
    },
  );

  routes.add(
    {
      method: 'post',
      path: '/organisations/:orgId/activities',
      summary: 'Skapa en aktivitet (samordnare), gärna från en mall',
      tags: ['Aktiviteter'],
      params: OrgParams,
      body: ActivityCreate,
      responses: { 201: { description: 'Aktiviteten, startad', schema: ActivityView } },
    },
    async ({ params, body, principal }) => {
      const { state } = await createActivity(deps, principal, params.orgId, body);
      return { status: 201, body: state, headers: { Location: `/api/v1/activities/${state.id}`, ETag: `"${state.version}"` } };
    },
  );
}
