import { UNFINISHED_STATUSES } from '../../domain/activity';
import type { Principal } from '../../domain/principal';
import type { Models } from '../../store/models';
import type { ActivityDoc } from '../../store/models/activity';
import { COORDINATOR, requireRole } from './access';

/** An organisation's unfinished activities with a named owner are at most a few thousand. */
const MOST = 5000;

export interface OwnerGone {
  id: string;
  title: string;
  dueDate: string;
  owner: { userId: string; name?: string };
}

/**
 * The organisation's unfinished activities whose named owner has no role there any more (their
 * membership was removed, or their provider's groups changed): they need a new owner, and their
 * reminders meanwhile go to the owner role's holders (see resolveRecipients). Worked out from
 * memberships on each call rather than stored as a flag, so it can never go stale, whichever
 * way the membership went. For the coordinator's handover page, by due date.
 */
export async function activitiesNeedingNewOwner(models: Models, p: Principal, orgId: string): Promise<OwnerGone[]> {
  requireRole(p, orgId, [COORDINATOR], 'samordnare');
  const owned = await models.activities
    .find({ orgId, 'owner.userId': { $exists: true }, status: { $in: [...UNFINISHED_STATUSES] } })
    .select({ title: 1, dueDate: 1, owner: 1 })
    .sort({ dueDate: 1, _id: 1 })
    .limit(MOST)
    .lean();
  const ownerIds = [...new Set(owned.map((a) => a.owner.userId!))];
  const members = await models.users.find({ _id: { $in: ownerIds }, memberships: { $elemMatch: { orgId, 'roles.0': { $exists: true } } } }).select({ _id: 1 }).lean();
  const stillThere = new Set(members.map((u) => u._id));
  return owned
    .filter((a) => !stillThere.has(a.owner.userId!))
    .map((a) => ({ id: a._id, title: a.title, dueDate: a.dueDate, owner: { userId: a.owner.userId!, ...(a.owner.name ? { name: a.owner.name } : {}) } }));
}

/** The people behind activitiesNeedingNewOwner, each with how many of their activities wait for a new owner: what the coordinator's pages flag. */
export async function formerOwnersOf(models: Models, p: Principal, orgId: string): Promise<{ userId: string; name: string; activities: number }[]> {
  const byOwner = new Map<string, { userId: string; name: string; activities: number }>();
  for (const a of await activitiesNeedingNewOwner(models, p, orgId)) {
    const o = byOwner.get(a.owner.userId) ?? { userId: a.owner.userId, name: a.owner.name ?? a.owner.userId, activities: 0 };
    o.activities += 1;
    byOwner.set(o.userId, o);
  }
  return [...byOwner.values()].sort((a, b) => a.name.localeCompare(b.name, 'sv'));
}

/** One person's activities are at most a few hundred; a page lists them all before they move. */
const MOST_OF_ONE = 1000;

/** The unfinished activities a person owns in the organisation, by due date: what a handover moves. The caller checks the rights. */
export function unfinishedOwnedBy(models: Models, orgId: string, userId: string): Promise<ActivityDoc[]> {
  return models.activities
    .find({ orgId, 'owner.userId': userId, status: { $in: [...UNFINISHED_STATUSES] } })
    .sort({ dueDate: 1, _id: 1 })
    .limit(MOST_OF_ONE)
    .lean();
}
