import type { ActivityState } from '../../domain/activity';
import type { CarryOverChoice, ReviewState } from '../../domain/review';
import type { Models } from '../../store/models';
import type { ReviewSnapshotDoc } from '../../store/models/review-snapshot';
import { isDuplicateKey } from '../../store/errors';
import { CARRIED_OVER_STATUSES } from './carry-over';

/**
 * What the review workflow's steps keep in the store: the projected review, the snapshot its
 * adoption freezes once, and what the carry-over step reads of the plan.
 */

/** Writes the review's state unless the store already holds this revision or a later one. */
export async function projectReview(models: Models, state: ReviewState): Promise<void> {
  const current = await models.reviews.findById(state.id).select({ revision: 1 }).lean();
  if (!current || current.revision < state.revision) {
    const { id, ...rest } = state;
    await models.reviews.replaceOne({ _id: id }, { ...rest, projectedAt: new Date() }, { upsert: true });
  }
}

/** The content hash of the review version's snapshot, when it was frozen already. */
export async function frozenContentHash(models: Models, reviewId: string): Promise<string | undefined> {
  return (await models.reviewSnapshots.findById(reviewId).select({ contentHash: 1 }).lean())?.contentHash;
}

/**
 * Writes the snapshot once: when another attempt froze it first, that one stands and its hash
 * is the answer.
 */
export async function freezeSnapshot(models: Models, snapshot: Omit<ReviewSnapshotDoc, 'createdAt'>): Promise<string> {
  try {
    await models.reviewSnapshots.create({ ...snapshot, createdAt: new Date() });
    return snapshot.contentHash;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return (await frozenContentHash(models, snapshot._id))!;
  }
}

/** The frozen versions of the year's review: which version, its hash and when it was adopted. */
export function adoptedSnapshots(models: Models, orgId: string, year: number) {
  return models.reviewSnapshots.find({ orgId, year }).select({ version: 1, contentHash: 1, adoptedAt: 1 }).lean();
}

/** What the coordinator chose for each unfinished activity of the review's year. */
export async function carryOverChoices(models: Models, reviewId: string): Promise<CarryOverChoice[]> {
  return (await models.reviews.findById(reviewId).select({ carryOver: 1 }).lean())?.carryOver ?? [];
}

/** The year's activities that adoption carries over or closes, in id order. */
export async function unfinishedActivities(models: Models, orgId: string, year: number): Promise<(ActivityState & { _id: string })[]> {
  return (await models.activities
    .find({ orgId, planYear: year, status: { $in: [...CARRIED_OVER_STATUSES] } })
    .sort({ _id: 1 })
    .lean()) as unknown as (ActivityState & { _id: string })[];
}

/** The keys of a year's plan and what each continues: where a carried-over activity may already be. */
export function planKeys(models: Models, orgId: string, year: number) {
  return models.activities.find({ orgId, planYear: year }).select({ key: 1, continues: 1 }).lean();
}
