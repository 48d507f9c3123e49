import type { Principal } from '../../domain/principal';
import type { RoleName } from '../../domain/roles';
import type { Models } from '../../store/models';
import type { ActivityDoc } from '../../store/models/activity';
import { membershipsOf } from '../../store/models/user';
import { appendAuditEvents } from '../audit/store';
import { Problem } from '../problem';
import { ADMIN, COORDINATOR, HEAD, forbidden, requireRole, rolesIn } from './access';
import { unfinishedOwnedBy } from './owners';

/**
 * Removing a person from an organisation: their membership there ends, the delegations they
 * gave or hold there end with it, and the change goes into the organisation's audit chain. Their
 * unfinished activities keep them as owner until handed over; activitiesNeedingNewOwner (owners.ts)
 * flags those from the memberships, and the coordinator hands them over on /overlamna. The API
 * and the web UI both come here.
 */

const WHO = 'administratörer och samordnare';

/**
 * Roles whose holders only an administrator may remove: roles are given by administrators, and
 * a coordinator who could remove the förvaltningschef or an administrator could take away the
 * oversight of their own work.
 */
const ADMINISTRATOR_ONLY: readonly RoleName[] = [ADMIN, HEAD];

export interface Leaving {
  userId: string;
  name: string;
  roles: RoleName[];
  /** The unfinished activities they own: shown before the removal, flagged for a new owner after it. */
  activities: ActivityDoc[];
  /** Their roles come from the identity provider's groups: the removal is refused, and the confirmation says why instead. */
  fromIdentityProvider: boolean;
}

async function memberWithRoles(models: Models, orgId: string, userId: string) {
  const u = await models.users.findOne({ _id: userId, 'memberships.orgId': orgId }).select({ name: 1, memberships: 1, oidcSubject: 1 }).lean();
  if (!u) throw Problem.notFound(`${userId} är inte medlem i ${orgId}.`);
  return { userId: u._id, name: u.name, roles: membershipsOf(u).find((m) => m.orgId === orgId)?.roles ?? [], fromIdentityProvider: u.oidcSubject != null };
}

/**
 * A person who logs in through the OpenID provider gets their memberships from its groups at every
 * login and bearer request (identities.ts), so a removal here would be undone by their next request.
 */
function fromIdentityProvider(): Problem {
  return Problem.conflict('Personens roller kommer från identitetsleverantören och skrivs tillbaka vid nästa inloggning. Ta bort personen ur gruppen där.');
}

/** Nobody locks the organisation out of its own administration by mistake: another does it. */
export function refuseRemovingOneself(p: Principal, userId: string): void {
  if (userId === p.userId) throw Problem.badRequest([{ field: 'params.userId', message: 'you cannot remove yourself; another coordinator or administrator can' }]);
}

/** What removing the person would touch, for the confirmation that comes first. */
export async function removalOf(models: Models, p: Principal, orgId: string, userId: string): Promise<Leaving> {
  requireRole(p, orgId, [ADMIN, COORDINATOR], WHO);
  const person = await memberWithRoles(models, orgId, userId);
  return { ...person, activities: await unfinishedOwnedBy(models, orgId, userId) };
}

/**
 * Ends the person's membership of the organisation. The steps that can be repeated come first and
 * the membership last: a removal the store broke off midway is still a member, so trying again
 * ends their delegations and finds its audit event (keyed on the request id) instead of a 404.
 * Someone removed meanwhile is 404, so a repeated removal is audited once.
 */
export async function removeMember(models: Models, p: Principal, orgId: string, userId: string, requestId: string): Promise<Leaving & { delegationsEnded: number }> {
  requireRole(p, orgId, [ADMIN, COORDINATOR], WHO);
  refuseRemovingOneself(p, userId);
  const person = await memberWithRoles(models, orgId, userId);
  if (person.fromIdentityProvider) throw fromIdentityProvider();
  const byAdministrator = rolesIn(p, orgId).includes(ADMIN);
  if (!byAdministrator && person.roles.some((r) => ADMINISTRATOR_ONLY.includes(r))) throw administratorOnly();
  const now = new Date();
  const ended = await models.delegations.updateMany(
    { orgId, endedAt: { $exists: false }, $or: [{ 'from.userId': userId }, { 'to.userId': userId }] },
    { $set: { endedAt: now }, $unset: { inForce: '' } },
  );
  // The person's entry in the chain, numbered like an activity's versions. A retry of this request
  // finds its own entry; two removals at once take the same number, and the chain keeps one.
  const subject = `member:${userId}`;
  const earlier = await models.auditEvents.findOne({ orgId, activityId: subject, requestId }).select({ version: 1 }).lean();
  const version = earlier?.version ?? (await models.auditEvents.countDocuments({ orgId, activityId: subject })) + 1;
  await appendAuditEvents(
    models.auditEvents,
    [
      {
        activityId: subject,
        orgId,
        version,
        action: 'remove-member',
        actor: { userId: p.userId, name: p.name },
        at: now.toISOString(),
        requestId,
        changes: [{ field: 'roles', before: JSON.stringify(person.roles), after: '[]' }],
      },
    ],
    { mayRepeat: true },
  );
  // The role check is part of the write, so a role given meanwhile is not removed past it.
  const membership = byAdministrator ? { 'memberships.orgId': orgId } : { memberships: { $elemMatch: { orgId, roles: { $nin: ADMINISTRATOR_ONLY } } } };
  const pulled = await models.users.updateOne({ _id: userId, oidcSubject: null, ...membership }, { $pull: { memberships: { orgId } } });
  if (pulled.matchedCount === 0) {
    const current = await memberWithRoles(models, orgId, userId);
    throw current.fromIdentityProvider ? fromIdentityProvider() : administratorOnly();
  }
  return { ...person, activities: await unfinishedOwnedBy(models, orgId, userId), delegationsEnded: ended.modifiedCount };
}

function administratorOnly(): Problem {
  return forbidden('Bara en administratör får ta bort en administratör eller förvaltningschefen ur organisationen.');
}
