import type { z } from 'zod';
import type { RoleName } from '../../domain/roles';
import type { Models } from '../../store/models';
import type { ActivityDoc } from '../../store/models/activity';
import { activityListQuery, nextCursor, type ActivityListQuery } from './list-query';

/**
 * What the API and the pages read of the activity read model: one activity, several by id,
 * and the filtered list page by page, with its counts. The adapters call these rather than the
 * collection, so the list's queries sit next to the filters that decide which index serves them.
 */

type ListQuery = z.infer<typeof ActivityListQuery>;
type Lister = { userId: string; roles: RoleName[] };

export function findActivity(models: Models, activityId: string): Promise<ActivityDoc | null> {
  return models.activities.findById(activityId).lean<ActivityDoc>().exec();
}

export function findActivities(models: Models, activityIds: string[]): Promise<ActivityDoc[]> {
  return models.activities.find({ _id: { $in: activityIds } }).lean<ActivityDoc[]>().exec();
}

/** One page of an activity list, unawaited so that a test can ask the store for its plan. */
export function activityPageQuery(models: Models, orgId: string, query: ListQuery, lister: Lister, now: Date) {
  const q = activityListQuery(orgId, query, lister, now);
  return models.activities.find(q.filter).sort(q.sort).limit(q.limit).lean();
}

/** One page of an activity list (keyset: page 40 costs what page 1 does) and the cursor of the next. */
export async function listActivities(models: Models, orgId: string, query: ListQuery, lister: Lister, now: Date): Promise<{ docs: ActivityDoc[]; next: string | null }> {
  const docs = await activityPageQuery(models, orgId, query, lister, now);
  return { docs, next: nextCursor(docs, query.sort, query.limit) };
}

/** How many the list holds in all (whatever the page), and per status whatever its status filter says. */
export async function countActivities(models: Models, orgId: string, query: ListQuery, lister: Lister, now: Date): Promise<{ total: number; byStatus: Record<string, number> }> {
  const { cursor: _cursor, ...whole } = query;
  const all = activityListQuery(orgId, whole, lister, now);
  const anyStatus = activityListQuery(orgId, { ...whole, status: undefined }, lister, now);
  const [total, counted] = await Promise.all([
    models.activities.countDocuments(all.filter),
    models.activities.aggregate<{ _id: string; n: number }>([{ $match: anyStatus.filter }, { $group: { _id: '$status', n: { $sum: 1 } } }]),
  ]);
  return { total, byStatus: Object.fromEntries(counted.map((c) => [c._id, c.n])) };
}
