import { randomUUID } from 'node:crypto';
import type { Actor } from '../../domain/activity';
import type { Command } from '../../domain/changes';
import { awaitProjection } from '../../store/await-projection';
import { changeUpdate, stateQuery } from '../../workflows/messages/activity';
import { actorFor, orgOfActivity } from '../people/access';
import type { Principal } from '../../domain/principal';
import type { Client } from '@temporalio/client';
import type { Config } from '../../platform/config';
import type { Models } from '../../store/models';
import { updateProblem } from './update-problem';
import { findMember } from '../people/members';
import { Problem } from '../problem';
import { sendUpdate } from '../unavailable';
import { stateAfterChange } from '../state-after-change';
import { activityView } from './view';
import { forgetEntryText, storeEntryText, withEntryTexts } from './entry-texts';

/** What a change needs: the engine to send it to, the store to wait on, the deadline to keep. */
export interface ChangeDeps {
  client: Client;
  models: Models;
  config: Pick<Config, 'temporal' | 'planTimeZone'>;
}

export type ChangeResult = Awaited<ReturnType<typeof applyChangeAs>>;

/**
 * The one write path to an activity, for the API and the web UI alike: the caller's actor is
 * resolved here (roles and delegations), the workflow's Update decides. A refused change
 * becomes the Problem its domain reason calls for. An accepted one is answered once the read
 * model has it (or the bounded wait runs out), so the caller's next read shows it; `projected`
 * says which, and when it is false the answer's state is the only view of the change yet.
 */
export async function applyChange(
  deps: ChangeDeps,
  principal: Principal,
  activityId: string,
  command: Command,
  opts: { requestId?: string; expectedVersion?: number } = {},
) {
  return applyChangeAs(deps, await actorFor(deps.models, principal, orgOfActivity(activityId), deps.config.planTimeZone), activityId, command, opts);
}

/** The same, for a caller that resolved the actor already (the API does, before its idempotency cache). */
export async function applyChangeAs(
  deps: ChangeDeps,
  actor: Actor,
  activityId: string,
  command: Command,
  opts: { requestId?: string; expectedVersion?: number } = {},
) {
  if (command.type === 'edit-details' && command.area) await requireArea(deps.models, orgOfActivity(activityId), command.area);
  // An owner is one of the organisation's people (reminders carry its titles to them), named as
  // the store knows them, whatever name the request carried.
  if (command.type === 'assign-owner') command = { ...command, name: (await findMember(deps.models, orgOfActivity(activityId), command.userId, 'body.userId')).name };
  const handle = deps.client.workflow.getHandle(activityId);
  const deadline = () => Date.now() + deps.config.temporal.updateTimeoutMs;
  const requestId = opts.requestId ?? randomUUID();
  // A comment's or evidence's text goes to the store before the Update, which carries its reference.
  const { command: sent, stored } = await storeEntryText(deps.models, activityId, requestId, command);
  let result;
  try {
    // Without a deadline the SDK polls for an Update's outcome for ever, and a change nobody
    // processes (no worker, a stuck workflow task) hangs its request. At the deadline the caller
    // gets 503 and retries; the workflow applies a request id once.
    const request = { workflowId: activityId, requestId, actor, command: sent, withoutState: true, ...(opts.expectedVersion ? { expectedVersion: opts.expectedVersion } : {}) };
    result = await sendUpdate(deps.client, deadline(), () => handle.executeUpdate(changeUpdate, { args: [request] }));
  } catch (err) {
    const refused = updateProblem(err, `Aktiviteten ${activityId}`);
    // A refused change refers to nothing; one that timed out may still be applied and keeps its
    // text. Removing it is tidying: the refusal is the answer even if the store fails it.
    if (refused && stored) await forgetEntryText(deps.models, stored).catch(() => undefined);
    throw refused ?? err;
  }
  // A workflow that waited for its projection says so; otherwise (it could not, or it began
  // before it waited) the caller waits here, briefly.
  const projected =
    result.projected === true || (await awaitProjection(() => deps.models.activities.findById(activityId).select({ version: 1 }).lean().then((d) => d?.version), result.version));
  const { version } = result;
  const fromStore = () => deps.models.activities.findById(activityId).lean().then((doc) => (doc && doc.version >= version ? activityView(doc, new Date()) : undefined));
  // Runs that began before withoutState was honoured still answer with the state.
  const fromWorkflow = () => handle.query(stateQuery).then((s) => withEntryTexts(deps.models, s));
  const state =
    (result.state && (await withEntryTexts(deps.models, result.state))) ??
    (await stateAfterChange(deps.client, { projected, fromStore, fromWorkflow, deadline: deadline() }, `The change to ${activityId} is applied (version ${version})`));
  return { ...result, state, projected };
}

/** The workflow knows no organisation's areas: an activity moved to another area must move to one that exists. */
async function requireArea(models: Models, orgId: string, area: string): Promise<void> {
  const org = await models.organisations.findById(orgId).select({ areas: 1 }).lean();
  if (!org?.areas.some((a) => a.id === area)) throw Problem.badRequest([{ field: 'body.area', message: `unknown area ${area}` }]);
}
