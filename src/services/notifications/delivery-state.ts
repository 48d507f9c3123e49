import type { mongo } from 'mongoose';
import type { Models } from '../../store/models';
import type { NotificationDoc } from '../../store/models/notification';

/**
 * What the outbox document records about its delivery, beyond NotificationDoc (the fields live
 * in the same document; the Mongoose schema does not declare them, so they are written through
 * the driver):
 * - deliveredTo: the addresses the SMTP server accepted the message for. Written right after
 *   each accepted message, before the document is marked sent, so a retry after a crash or a
 *   partial failure skips them; a store that is away at that moment is waited for. The window
 *   for a duplicate is a worker dying between the server's 250 and this write, or the store
 *   staying away longer than the delivery waits; the resend then carries the same Message-ID.
 * - failedRecipients: addresses the server refused for good (5xx), not tried again.
 * - sentAt, failedAt.
 * - claim: the delivery that holds the notification now ({token, until}; see delivery-claim.ts).
 */
export interface DeliveryState {
  deliveredTo?: string[];
  failedRecipients?: { email: string; error: string }[];
  sentAt?: Date;
  failedAt?: Date;
  claim?: { token: string; until: Date };
}
export type OutboxDoc = NotificationDoc & DeliveryState;
export type Outbox = mongo.Collection<OutboxDoc>;

/** The outbox as the driver sees it, with the delivery fields the schema does not declare. */
export function outboxOf(models: Models): Outbox {
  return models.notifications.collection as unknown as Outbox;
}

const MAX_ERROR_LENGTH = 1000;

/** An error as the outbox keeps it: bounded, so a chatty server cannot bloat the document. */
export function clipError(s: string): string {
  return s.length > MAX_ERROR_LENGTH ? `${s.slice(0, MAX_ERROR_LENGTH - 1)}…` : s;
}

/** Gives the notification up; one that was sent or marked meanwhile keeps its status. */
export async function markFailed(outbox: Outbox, id: string, lastError: string): Promise<void> {
  await outbox.updateOne({ _id: id, status: 'pending' }, { $set: { status: 'failed', failedAt: new Date(), lastError: clipError(lastError) } });
}
