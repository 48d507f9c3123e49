import { isDuplicateKey } from '../../store/errors';
import type { Models } from '../../store/models';
import type { NotificationDoc } from '../../store/models/notification';

/** The notification outbox: what is owed to whom is recorded once, then delivered by its own workflow. */

export interface ReviewNotificationInput {
  orgId: string;
  /** Looked up when not given. */
  orgName?: string;
  /** The plan year the review covers. */
  year: number;
  /** Which version, and which submission of it: each submission asks for a decision anew. */
  version: number;
  submission: number;
  /** When it became ready for adoption (ISO instant; workflow time). */
  at: string;
}

/**
 * Records that a year's management review waits for the förvaltningschef to adopt it, once
 * per submission (a review sent back and submitted again asks again), and returns the outbox id to hand to deliveryWorkflow (the
 * review workflow does that through notifyReviewAwaitingAdoption in src/workflows/notify.ts).
 */
export async function recordReviewNotification(models: Models, input: ReviewNotificationInput): Promise<string> {
  const id = `review.${input.orgId}.${input.year}.v${input.version}.${input.submission}|att-faststalla`;
  await recordOnce(models, id, {
    orgId: input.orgId,
    kind: 'review-adoption',
    details: { orgName: input.orgName ?? (await models.organisations.findById(input.orgId).select({ name: 1 }).lean())?.name ?? input.orgId, year: input.year },
    recipientRole: 'head-of-administration',
    dueAt: new Date(input.at),
  });
  return id;
}

/** Inserts the outbox document unless it is there: recording is idempotent, as retries need. */
export async function recordOnce(
  models: Models,
  id: string,
  fields: Omit<NotificationDoc, '_id' | 'createdAt' | 'status' | 'attempts'>,
): Promise<void> {
  try {
    await models.notifications.updateOne(
      { _id: id },
      { $setOnInsert: { ...fields, createdAt: new Date(), status: 'pending', attempts: 0 } },
      { upsert: true },
    );
  } catch (err) {
    // Two recordings at once: the other one's insert won, which is the point.
    if (!isDuplicateKey(err)) throw err;
  }
}
