import type { Query } from 'mongoose';
import { ActivityListQuery } from '../src/services/activities/list-query';
import { activityPageQuery } from '../src/services/activities/read';
import type { Models } from '../src/store/models';
import { awaitingDecisionQuery, ownedOpenActivitiesQuery } from '../src/services/activities/personal';
import { LISTER } from './read-model-docs';

/** The read model's queries as the API and the pages issue them. */
export function readModelQueries(models: Models, org: string, docId: (i: number) => string): Record<string, () => Query<unknown, unknown>> {
  const me = { userId: LISTER.userId, roles: ['activity-owner' as const] };
  const list = (q: Record<string, unknown>) => () => activityPageQuery(models, org, ActivityListQuery.parse(q), me, new Date());
  return {
    'findById': () => models.activities.findById(docId(70)).lean(),
    'list year+area by title': list({ year: '2026', area: 'area-2', sort: 'title', limit: '5' }),
    'list owner=me, open': list({ owner: 'me', status: 'planned,in-progress', limit: '50' }),
    '/me/tasks (open activities owned)': () => ownedOpenActivitiesQuery(models, { userId: LISTER.userId, memberships: [{ orgId: org, roles: ['activity-owner'] }] }),
    '/me/approvals (waiting in the org)': () => awaitingDecisionQuery(models, org, true),
  };
}

/** The winning plan's stages and the documents examined, as the store's explain tells them. */
export async function planOf(query: Query<unknown, unknown>): Promise<{ plan: string; examined?: number }> {
  try {
    const explained = (await query.explain('executionStats')) as Record<string, unknown>;
    const planner = explained.queryPlanner as { winningPlan?: unknown } | undefined;
    const stats = explained.executionStats as { totalDocsExamined?: number } | undefined;
    const stages: string[] = [];
    const walk = (node: unknown) => {
      if (!node || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (typeof n.stage === 'string') stages.push(n.stage + (typeof n.indexName === 'string' ? `(${n.indexName})` : ''));
      for (const key of ['inputStage', 'inputStages', 'queryPlan']) {
        const child = n[key];
        if (Array.isArray(child)) child.forEach(walk);
        else walk(child);
      }
    };
    walk(planner?.winningPlan);
    if (stages.length === 0) return { plan: `no plan stages; explain says ${JSON.stringify(explained).slice(0, 300)}` };
    return { plan: stages.join(' < '), ...(stats?.totalDocsExamined !== undefined ? { examined: stats.totalDocsExamined } : {}) };
  } catch (err) {
    return { plan: `explain failed: ${(err as Error).message}` };
  }
}

