import { activityId } from '../../domain/activity';
import type { ActivityState } from '../../domain/activity';
import type { NewActivity } from '../../domain/new-activity';
import type { Principal } from '../../domain/principal';
import { awaitProjection } from '../../store/await-projection';
import { stateQuery } from '../../workflows/messages/activity';
import { COORDINATOR, requireRole } from '../people/access';
import { findMember } from '../people/members';
import { startActivityWorkflow } from '../plans/start-activity';
import { Problem } from '../problem';
import type { ChangeDeps } from './change';

export type ActivityInput = Omit<NewActivity, 'orgId'>;

/**
 * A coordinator creates one activity, blank or from a template: the API's POST and the web
 * UI's form both come here. Its area must be one of the organisation's; an id that runs or
 * ran already is a 409, never a second workflow. Answered, like a change, once the read model
 * has it (or the bounded wait runs out: `projected` says which).
 */
export async function createActivity(deps: ChangeDeps, p: Principal, orgId: string, input: ActivityInput): Promise<{ state: ActivityState; projected: boolean }> {
  requireRole(p, orgId, [COORDINATOR], 'samordnare');
  const org = await deps.models.organisations.findById(orgId).select({ areas: 1 }).lean();
  if (!org) throw Problem.notFound(`Organisationen ${orgId} finns inte.`);
  if (!org.areas.some((a) => a.id === input.area)) throw Problem.badRequest([{ field: 'body.area', message: `unknown area ${input.area}` }]);
  // A person as owner must be a member, like every assignment; the name is the member record's.
  const owner = input.owner.userId ? { role: input.owner.role, ...(await findMember(deps.models, orgId, input.owner.userId, 'body.owner.userId')) } : { role: input.owner.role };
  const { started } = await startActivityWorkflow(deps.client, deps.config.temporal.taskQueue, {
    activity: { ...input, owner, orgId },
    timeZone: deps.config.planTimeZone,
  });
  const id = activityId(orgId, input.year, input.key);
  if (!started) throw new Problem(409, 'conflict', 'Finns redan', `Aktiviteten ${id} finns redan.`);
  const state = await deps.client.workflow.getHandle(id).query(stateQuery);
  const projected = await awaitProjection(() => deps.models.activities.findById(id).select({ version: 1 }).lean().then((d) => d?.version), state.version);
  return { state, projected };
}
