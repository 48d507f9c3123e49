import type { Principal } from '../../domain/principal';
import type { ActivityDoc } from '../../store/models/activity';
import { COORDINATOR, requireRole } from '../people/access';
import { findMember } from '../people/members';
import { unfinishedOwnedBy } from '../people/owners';
import { Problem } from '../problem';
import { applyChange, type ChangeDeps } from './change';

/** The unfinished activities a person owns in the organisation, by due date: what a handover moves. */
export async function openActivitiesOf(deps: ChangeDeps, p: Principal, orgId: string, userId: string): Promise<ActivityDoc[]> {
  requireRole(p, orgId, [COORDINATOR], 'samordnare');
  return unfinishedOwnedBy(deps.models, orgId, userId);
}

export interface Handover {
  moved: string[];
  refused: { id: string; title: string; reason: string }[];
}

/**
 * Gives every unfinished activity of one person to another member, each through the same
 * assign-owner change as one at a time (so each is audited and notified). One that cannot
 * move (it finished meanwhile) is reported, and the rest still move.
 */
export async function handOver(deps: ChangeDeps, p: Principal, orgId: string, fromUserId: string, toUserId: string): Promise<Handover> {
  const to = await findMember(deps.models, orgId, toUserId, 'body.to');
  const activities = await openActivitiesOf(deps, p, orgId, fromUserId);
  const out: Handover = { moved: [], refused: [] };
  for (const a of activities) {
    try {
      await applyChange(deps, p, a._id, { type: 'assign-owner', userId: to.userId, name: to.name });
      out.moved.push(a._id);
    } catch (err) {
      // A refusal (the activity finished or changed meanwhile) is this one's; an outage is everyone's.
      if (!(err instanceof Problem) || err.status >= 500) throw err;
      out.refused.push({ id: a._id, title: a.title, reason: err.detail ?? err.title });
    }
  }
  return out;
}
