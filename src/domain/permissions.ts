import type { ActivityState, Actor, ApproverStep, DelegationGrant } from './activity';

/**
 * Who may do what to an activity. Rights come from the actor's roles in the organisation and
 * from delegations (delegationsordning) that are valid on the day of the act.
 */

export function isCoordinator(actor: Actor): boolean {
  return actor.roles.includes('security-coordinator');
}

export function isHead(actor: Actor): boolean {
  return actor.roles.includes('head-of-administration');
}

/** The assigned owner, or anyone holding the owner role while no person is assigned. */
export function isOwner(actor: Actor, activity: Pick<ActivityState, 'owner'>): boolean {
  return activity.owner.userId ? activity.owner.userId === actor.userId : actor.roles.includes(activity.owner.role);
}

/** Owners do the work; coordinators run the plan and may act for them. */
export function mayWork(actor: Actor, activity: Pick<ActivityState, 'owner'>): boolean {
  return isOwner(actor, activity) || isCoordinator(actor);
}

/** Defer, cancel and decide extensions: the förvaltningschef or a coordinator. */
export function mayManage(actor: Actor): boolean {
  return isCoordinator(actor) || isHead(actor);
}

export function delegationValidOn(grant: DelegationGrant, date: string): boolean {
  return grant.validFrom <= date && date <= grant.validTo;
}

export type ApprovalRight =
  | { allowed: true; delegation?: DelegationGrant }
  | { allowed: false; reason: string };

/**
 * May `actor` decide `step` on `date` (YYYY-MM-DD, local)? Directly, by holding the role (or
 * being the named approver), or as a delegate of such a person whose delegation covers the date.
 */
export function approvalRight(actor: Actor, step: ApproverStep, date: string): ApprovalRight {
  const direct = step.userId ? actor.userId === step.userId : actor.roles.includes(step.role);
  if (direct) return { allowed: true };
  const grants = actor.delegations.filter(
    (g) => g.role === step.role && (step.userId === undefined || g.from.userId === step.userId),
  );
  const valid = grants.find((g) => delegationValidOn(g, date));
  if (valid) return { allowed: true, delegation: valid };
  if (grants.length > 0) {
    const g = grants[0]!;
    return { allowed: false, reason: `Delegationen från ${g.from.name} gäller ${g.validFrom}–${g.validTo}, inte ${date}.` };
  }
  return { allowed: false, reason: 'Du är inte godkännare för detta steg och har ingen delegation för det.' };
}
