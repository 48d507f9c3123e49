import type { Models } from '../store/models';
import type { IdempotencyDoc } from '../store/models/idempotency';
import { isDuplicateKey } from '../store/errors';

/**
 * The records behind Idempotency-Key: one per user and key, claimed by the request that runs
 * and holding its answer once it has one. The API's withIdempotency decides when to call which.
 */

type StoredAnswer = Required<Pick<IdempotencyDoc, 'status' | 'body' | 'headers'>>;

export function findIdempotencyRecord(models: Models, id: string): Promise<IdempotencyDoc | null> {
  return models.idempotencyKeys.findById(id).lean<IdempotencyDoc>().exec();
}

/** True when this request inserted the record and so holds the key (the unique _id decides a race). */
export async function claimNewKey(models: Models, id: string, requestHash: string, token: string, claimedUntil: Date): Promise<boolean> {
  try {
    const res = await models.idempotencyKeys.updateOne({ _id: id }, { $setOnInsert: { requestHash, claim: token, claimedUntil, createdAt: new Date() } }, { upsert: true });
    return res.upsertedCount === 1;
  } catch (err) {
    if (isDuplicateKey(err)) return false;
    throw err;
  }
}

/** True when this request took over a claim whose holder stopped renewing it, and no other did first. */
export async function takeOverLapsedClaim(models: Models, id: string, lapsed: string, token: string, claimedUntil: Date): Promise<boolean> {
  const res = await models.idempotencyKeys.updateOne(
    { _id: id, body: { $exists: false }, claim: lapsed, claimedUntil: { $lte: new Date() } },
    { $set: { claim: token, claimedUntil } },
  );
  return res.modifiedCount === 1;
}

export async function renewClaim(models: Models, id: string, token: string, claimedUntil: Date): Promise<void> {
  await models.idempotencyKeys.updateOne({ _id: id, claim: token }, { $set: { claimedUntil } });
}

/** Gives the key back after a failure: the record goes unless it has an answer or another holder. */
export async function releaseClaim(models: Models, id: string, token: string): Promise<void> {
  await models.idempotencyKeys.deleteOne({ _id: id, claim: token, body: { $exists: false } });
}

/** True when the answer is now the record's; false when another request's answer was there first. */
export async function storeIdempotentAnswer(models: Models, id: string, answer: StoredAnswer): Promise<boolean> {
  const before = await models.idempotencyKeys.findOneAndUpdate({ _id: id, body: { $exists: false } }, { $set: answer, $unset: { claim: '', claimedUntil: '' } }).lean();
  return before !== null;
}
