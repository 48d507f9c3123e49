import { OPEN_STATUSES } from '../../domain/activity';
import { dateInZone } from '../../domain/deadlines';
import { approvalRight } from '../../domain/permissions';
import type { ActivityDoc } from '../../db/models/activity';
import type { Models } from '../../db/models';
import { COORDINATOR, HEAD, delegationsHeldBy } from '../access';
import type { Principal } from '../auth/principal';

/** What a person has to do and decide, for /me/tasks, /me/approvals and the web UI's pages. */

export const DUE_SOON_DAYS = 14;

export interface MyTask {
  activityId: string;
  activityTitle: string;
  orgId: string;
  taskId: string;
  title: string;
  milestoneId: string;
  dueDate: string;
  overdue: boolean;
  dueSoon: boolean;
}

export interface Approval {
  kind: 'milestone' | 'extension';
  activityId: string;
  activityTitle: string;
  orgId: string;
  milestoneId?: string;
  milestoneTitle?: string;
  extensionId?: string;
  proposedDueDate?: string;
  onBehalfOf?: { userId: string; name: string; delegationId: string };
  since?: string;
}

function reachableMemberships(principal: Principal) {
  return principal.memberships.filter((m) => !principal.tokenOrgId || m.orgId === principal.tokenOrgId);
}

/** The open activities the person owns (by name, or by role while nobody is named). */
export async function myOpenActivities(models: Models, principal: Principal): Promise<ActivityDoc[]> {
  const orgs = reachableMemberships(principal);
  if (orgs.length === 0) return [];
  return models.activities
    .find({
      status: { $in: [...OPEN_STATUSES] },
      $or: orgs.flatMap((m) => [
        { orgId: m.orgId, 'owner.userId': principal.userId },
        { orgId: m.orgId, 'owner.userId': { $exists: false }, 'owner.role': { $in: m.roles } },
      ]),
    } as never)
    .sort({ deadlineAt: 1, _id: 1 })
    .limit(500)
    .lean();
}

/** Open tasks of those activities, by due date; tasks of a milestone already sent in are not open. */
export function openTasks(docs: ActivityDoc[], now: number): MyTask[] {
  return docs.flatMap((d) =>
    d.tasks
      .filter((t) => !t.done)
      .filter((t) => !d.milestones.some((m) => m.id === t.milestoneId && (m.status === 'submitted' || m.status === 'approved')))
      .map((t) => ({
        activityId: d._id,
        activityTitle: d.title,
        orgId: d.orgId,
        taskId: t.id,
        title: t.title,
        milestoneId: t.milestoneId,
        dueDate: d.dueDate,
        overdue: d.deadlineAt.getTime() < now,
        dueSoon: d.deadlineAt.getTime() >= now && d.deadlineAt.getTime() < now + DUE_SOON_DAYS * 24 * 3600 * 1000,
      })),
  );
}

export async function myTasks(models: Models, principal: Principal): Promise<MyTask[]> {
  return openTasks(await myOpenActivities(models, principal), Date.now());
}

/** Milestones waiting for the person's decision (directly or by delegation), and extension requests for those who decide them. */
export async function myApprovals(models: Models, principal: Principal, timeZone: string): Promise<Approval[]> {
  const today = dateInZone(Date.now(), timeZone);
  const out: Approval[] = [];
  for (const m of reachableMemberships(principal)) {
    const actor = { userId: principal.userId, name: principal.name, roles: m.roles, delegations: await delegationsHeldBy(models, principal.userId, m.orgId, timeZone) };
    const decides = m.roles.includes(HEAD) || m.roles.includes(COORDINATOR);
    const docs = await models.activities
      .find({ orgId: m.orgId, $or: [{ 'waitingFor.0': { $exists: true } }, ...(decides ? [{ 'extensions.status': 'pending' }] : [])] } as never)
      .sort({ deadlineAt: 1 })
      .lean();
    for (const d of docs) {
      for (const w of d.waitingFor) {
        const right = approvalRight(actor, { role: w.role as never, ...(w.userId ? { userId: w.userId } : {}) }, today);
        const milestone = d.milestones.find((x) => x.id === w.milestoneId);
        if (right.allowed && milestone) {
          out.push({
            kind: 'milestone',
            activityId: d._id,
            activityTitle: d.title,
            orgId: d.orgId,
            milestoneId: milestone.id,
            milestoneTitle: milestone.title,
            ...(milestone.submittedAt ? { since: milestone.submittedAt } : {}),
            ...(right.delegation ? { onBehalfOf: { ...right.delegation.from, delegationId: right.delegation.id } } : {}),
          });
        }
      }
      if (decides) {
        for (const e of d.extensions.filter((x) => x.status === 'pending' && x.requestedBy.userId !== principal.userId)) {
          out.push({ kind: 'extension', activityId: d._id, activityTitle: d.title, orgId: d.orgId, extensionId: e.id, proposedDueDate: e.proposedDueDate, since: e.requestedAt });
        }
      }
    }
  }
  return out;
}
