import type { Models } from '../../store/models';
import type { ActivityDoc } from '../../store/models/activity';
import { approvalsOf, openTasksIn, openTasksOf, ownedOpenActivities, type Approval, type MyTask, type Person } from './personal';
import type { Principal } from '../../domain/principal';

/**
 * What the caller has to do and decide, for /me/tasks, /me/approvals and the web UI's pages:
 * the personal views (shared with the weekly digest) for the authenticated person.
 */

export type { Approval, MyTask };
export { openTasksIn as openTasks };

/** A personal token reaches only its own organisation. */
function personOf(principal: Principal): Person {
  return { userId: principal.userId, name: principal.name, memberships: principal.memberships.filter((m) => !principal.tokenOrgId || m.orgId === principal.tokenOrgId) };
}

export function myOpenActivities(models: Models, principal: Principal) {
  return ownedOpenActivities(models, personOf(principal));
}

export function myTasks(models: Models, principal: Principal): Promise<MyTask[]> {
  return openTasksOf(models, personOf(principal), Date.now());
}

export function myApprovals(models: Models, principal: Principal, timeZone: string, fresher?: (docs: ActivityDoc[]) => ActivityDoc[]): Promise<Approval[]> {
  return approvalsOf(models, personOf(principal), timeZone, Date.now(), fresher);
}
