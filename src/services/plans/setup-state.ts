import type { Models } from '../../store/models';

/** Notes the activities a plan load is about to start, before it starts them. */
export async function recordSetup(models: Models, orgId: string, activityIds: string[]): Promise<void> {
  if (activityIds.length === 0) return;
  await models.planSetups.updateOne({ _id: orgId }, { $addToSet: { pending: { $each: activityIds } }, $set: { since: new Date() } }, { upsert: true });
}

/** Takes back ids whose start failed. */
export async function forgetSetup(models: Models, orgId: string, activityIds: string[]): Promise<void> {
  if (activityIds.length) await models.planSetups.updateOne({ _id: orgId }, { $pull: { pending: { $in: activityIds } } });
}

/**
 * How many of the organisations' loaded activities are not yet in the read model. Those that
 * are leave the list here, so once all are in, a page reads one small document per organisation.
 */
export async function activitiesBeingSetUp(models: Models, orgIds: string[]): Promise<number> {
  const setups = await models.planSetups.find({ _id: { $in: orgIds }, 'pending.0': { $exists: true } }).lean();
  let waiting = 0;
  for (const s of setups) {
    const arrived = (await models.activities.find({ _id: { $in: s.pending } }).select({ _id: 1 }).lean()).map((a) => a._id);
    // $pull, not a rewrite: a load running now may be adding ids at the same time.
    if (arrived.length) await models.planSetups.updateOne({ _id: s._id }, { $pull: { pending: { $in: arrived } } });
    waiting += s.pending.length - arrived.length;
  }
  return waiting;
}
