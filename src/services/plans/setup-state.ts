import type { Models } from '../../store/models';

/** Notes the activities a plan load is about to start, before it starts them. */
export async function recordSetup(models: Models, orgId: string, activityIds: string[]): Promise<void> {
  if (activityIds.length === 0) return;
  const now = new Date();
  await models.planSetups.updateOne({ _id: orgId }, { $addToSet: { pending: { $each: activityIds } }, $set: { since: now, progressAt: now } }, { upsert: true });
}

/** Takes back ids whose start failed. */
export async function forgetSetup(models: Models, orgId: string, activityIds: string[]): Promise<void> {
  if (activityIds.length) await models.planSetups.updateOne({ _id: orgId }, { $pull: { pending: { $in: activityIds } } });
}

/**
 * A workflow projects its activity moments after it starts. When none has arrived for this long,
 * setting up has stalled (a stopped worker, an unreachable store) and waiting will not help.
 */
export const SETUP_STALL_MS = 15 * 60_000;

export interface SetupState {
  /** Loaded activities not yet in the read model. */
  waiting: number;
  /** Some have waited SETUP_STALL_MS without any arriving: the page says whom to tell instead of "reload in a moment". */
  stalledSince?: Date;
}

/**
 * How many of the organisations' loaded activities are not yet in the read model, and whether
 * that has stalled by `now` (the caller's clock). Those that are in leave the list here, so once
 * all are in, a page reads one small document per organisation.
 */
export async function activitiesBeingSetUp(models: Models, orgIds: string[], now: Date): Promise<SetupState> {
  const setups = await models.planSetups.find({ _id: { $in: orgIds }, 'pending.0': { $exists: true } }).lean();
  const state: SetupState = { waiting: 0 };
  for (const s of setups) {
    const arrived = (await models.activities.find({ _id: { $in: s.pending } }).select({ _id: 1 }).lean()).map((a) => a._id);
    // $pull, not a rewrite: a load running now may be adding ids at the same time.
    if (arrived.length) await models.planSetups.updateOne({ _id: s._id }, { $pull: { pending: { $in: arrived } }, $set: { progressAt: now } });
    const left = s.pending.length - arrived.length;
    state.waiting += left;
    const lastProgress = arrived.length ? now : (s.progressAt ?? s.since);
    if (left > 0 && now.getTime() - lastProgress.getTime() > SETUP_STALL_MS && (!state.stalledSince || lastProgress < state.stalledSince)) state.stalledSince = lastProgress;
  }
  return state;
}
