import type { Models } from '../../store/models';
import { Problem } from '../problem';

export interface Member {
  userId: string;
  name: string;
}

/**
 * A person with a role in the organisation. An activity's owner is chosen among them, so a
 * person the organisation does not have (or no longer has) is refused by name of the field.
 */
export async function findMember(models: Models, orgId: string, userId: string, field = 'body.userId'): Promise<Member> {
  const u = await models.users.findOne({ _id: userId, memberships: { $elemMatch: { orgId, 'roles.0': { $exists: true } } } }).select({ name: 1 }).lean();
  if (!u) throw Problem.badRequest([{ field, message: `${userId} is not a member of ${orgId}` }]);
  return { userId: u._id, name: u.name };
}

/** The organisation's people with a role, by name: whom an activity can be given to. Bounded by the organisation's size. */
export async function membersOf(models: Models, orgId: string): Promise<Member[]> {
  const users = await models.users.find({ memberships: { $elemMatch: { orgId, 'roles.0': { $exists: true } } } }).select({ name: 1 }).sort({ name: 1 }).limit(2000).lean();
  return users.map((u) => ({ userId: u._id, name: u.name }));
}

/** Whether the person has a membership in the organisation, with or without roles. */
export async function hasMembership(models: Models, orgId: string, userId: string): Promise<boolean> {
  return (await models.users.exists({ _id: userId, 'memberships.orgId': orgId })) !== null;
}
