import type { ActivityDoc } from '../../store/models/activity';
import { OPEN_STATUSES } from '../../domain/activity';
import { dateInZone } from '../../domain/deadlines';
import { approvalRight } from '../../domain/permissions';
import { separateDuties } from '../../domain/changes';
import type { RoleName } from '../../domain/roles';
import { COORDINATOR, HEAD, delegationsHeldBy } from '../people/access';
import type { Models } from '../../store/models';

/**
 * What waits for one person: their open tasks and what waits for their sign-off. The API's
 * /me views and the weekly digest read the same queries, so the two never disagree.
 */

export const DUE_SOON_DAYS = 14;
const DAY_MS = 24 * 3600 * 1000;

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

export interface Person {
  userId: string;
  name: string;
  /** The organisations to look in (a personal token narrows them to one). */
  memberships: { orgId: string; roles: RoleName[] }[];
}

/** The open activities a person owns (by name, or by role when nobody is named), by deadline. */
export async function ownedOpenActivities(models: Models, person: Pick<Person, 'userId' | 'memberships'>) {
  if (person.memberships.length === 0) return [];
  return ownedOpenActivitiesQuery(models, person);
}

/** The query behind ownedOpenActivities, for a person with at least one membership. */
export function ownedOpenActivitiesQuery(models: Models, person: Pick<Person, 'userId' | 'memberships'>) {
  return models.activities
    .find({
      status: { $in: [...OPEN_STATUSES] },
      $or: person.memberships.flatMap((m) => [
        { orgId: m.orgId, 'owner.userId': person.userId },
        { orgId: m.orgId, 'owner.userId': { $exists: false }, 'owner.role': { $in: m.roles } },
      ]),
    })
    .sort({ deadlineAt: 1, _id: 1 })
    .limit(500)
    .lean();
}

/** Open tasks of the activities a person owns, except those of milestones already handed in. */
export async function openTasksOf(models: Models, person: Pick<Person, 'userId' | 'memberships'>, now: number): Promise<MyTask[]> {
  return openTasksIn(await ownedOpenActivities(models, person), now);
}

/** The open tasks of these activities, except those of milestones already handed in. */
export function openTasksIn(docs: ActivityDoc[], now: number): MyTask[] {
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
        dueSoon: d.deadlineAt.getTime() >= now && d.deadlineAt.getTime() < now + DUE_SOON_DAYS * DAY_MS,
      })),
  );
}

/**
 * An organisation's activities with a milestone handed in for sign-off, and (for those who
 * decide them) a pending request for more time. Each branch has its partial index.
 */
export function awaitingDecisionQuery(models: Models, orgId: string, decidesExtensions: boolean) {
  return models.activities
    .find({ $or: [{ orgId, 'waitingFor.0': { $exists: true } }, ...(decidesExtensions ? [{ orgId, 'extensions.status': 'pending' as const }] : [])] })
    .sort({ deadlineAt: 1 })
    .lean();
}

/**
 * Milestones waiting for this person's sign-off (also under a delegation), and extensions to
 * decide. `fresher` may replace read-model documents with newer states the caller holds.
 * What the workflow would refuse them is not offered: a milestone they submitted or whose
 * activity they own (segregation of duties), an extension they asked for themselves.
 */
export async function approvalsOf(models: Models, person: Person, timeZone: string, now: number, fresher: (docs: ActivityDoc[]) => ActivityDoc[] = (d) => d): Promise<Approval[]> {
  const today = dateInZone(now, timeZone);
  const body: Approval[] = [];
  for (const m of person.memberships) {
    const actor = { userId: person.userId, name: person.name, roles: m.roles, delegations: await delegationsHeldBy(models, person.userId, m.orgId, timeZone) };
    const decides = m.roles.includes(HEAD) || m.roles.includes(COORDINATOR);
    const docs = fresher(await awaitingDecisionQuery(models, m.orgId, decides));
    for (const d of docs) {
      for (const w of d.waitingFor) {
        const right = approvalRight(actor, { role: w.role, ...(w.userId ? { userId: w.userId } : {}) }, today);
        const milestone = d.milestones.find((x) => x.id === w.milestoneId);
        if (right.allowed && milestone && !separateDuties(d, milestone, person.userId)) {
          body.push({
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
        for (const e of d.extensions.filter((x) => x.status === 'pending' && x.requestedBy.userId !== person.userId)) {
          body.push({ kind: 'extension', activityId: d._id, activityTitle: d.title, orgId: d.orgId, extensionId: e.id, proposedDueDate: e.proposedDueDate, since: e.requestedAt });
        }
      }
    }
  }
  return body;
}
