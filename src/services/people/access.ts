import type { Actor, DelegationGrant } from '../../domain/activity';
import { dateInZone } from '../../domain/deadlines';
import type { RoleName } from '../../domain/roles';
import type { Models } from '../../store/models';
import type { Principal } from '../../domain/principal';
import { Problem } from '../problem';

/**
 * Authorisation per organisation. Reading needs a membership (any role) or the city-level
 * viewer flag; a personal token reaches only its own organisation. Rights over an activity
 * are decided by the workflow from the Actor built here.
 */

export const COORDINATOR: RoleName = 'security-coordinator';
export const HEAD: RoleName = 'head-of-administration';
export const ADMIN: RoleName = 'admin';

export function rolesIn(p: Principal, orgId: string): RoleName[] {
  return p.memberships.find((m) => m.orgId === orgId)?.roles ?? [];
}

export function readableOrgIds(p: Principal, allOrgIds: string[]): string[] {
  if (p.tokenOrgId) return allOrgIds.filter((o) => o === p.tokenOrgId && rolesIn(p, o).length > 0);
  return p.cityViewer ? allOrgIds : allOrgIds.filter((o) => rolesIn(p, o).length > 0);
}

export function canRead(p: Principal, orgId: string): boolean {
  if (p.tokenOrgId && p.tokenOrgId !== orgId) return false;
  return rolesIn(p, orgId).length > 0 || (p.cityViewer && !p.tokenOrgId);
}

export function requireRead(p: Principal, orgId: string): void {
  if (!canRead(p, orgId)) throw forbidden(`Du har ingen behörighet i organisationen ${orgId}.`);
}

/** Needs one of `roles` in the organisation (and a token for it, if a token is used). */
export function requireRole(p: Principal, orgId: string, roles: RoleName[], what: string): void {
  requireRead(p, orgId);
  if (!rolesIn(p, orgId).some((r) => roles.includes(r))) throw forbidden(`Bara ${what} får göra detta.`);
}

/** A member of the organisation may act on its activities; the workflow decides the rest. */
export async function actorFor(models: Models, p: Principal, orgId: string, timeZone: string): Promise<Actor> {
  requireRead(p, orgId);
  const roles = rolesIn(p, orgId);
  if (roles.length === 0) throw forbidden('Stadsövergripande läsare kan inte ändra aktiviteter.');
  return { userId: p.userId, name: p.name, roles, delegations: await delegationsHeldBy(models, p.userId, orgId, timeZone) };
}

/** Delegations the user holds in the organisation, ended ones cut at the day before they ended. */
export async function delegationsHeldBy(models: Models, userId: string, orgId: string, timeZone: string): Promise<DelegationGrant[]> {
  const docs = await models.delegations.find({ orgId, 'to.userId': userId }).lean();
  return docs.flatMap((d) => {
    const validTo = d.endedAt ? minDate(d.validTo, dateInZone(d.endedAt.getTime() - 24 * 3600 * 1000, timeZone)) : d.validTo;
    return validTo < d.validFrom ? [] : [{ id: d._id, from: d.from, role: d.role, validFrom: d.validFrom, validTo }];
  });
}

export function orgOfActivity(activityId: string): string {
  return activityId.split('.')[0]!;
}

export function forbidden(detail: string): Problem {
  return new Problem(403, 'forbidden', 'Åtkomst nekad', detail);
}

function minDate(a: string, b: string): string {
  return a < b ? a : b;
}
