import type { Models } from '../../store/models';
import type { NotificationDoc } from '../../store/models/notification';
import { outboxOf } from './delivery-state';

export interface FailedDelivery {
  id: string;
  activityId?: string;
  activityTitle?: string;
  kind: NotificationDoc['kind'];
  dueDate?: string;
  recipientRole: string;
  recipientUserId?: string;
  attempts: number;
  lastError?: string;
  failedAt?: Date;
  /** Addresses the mail server refused, for the coordinator to correct. */
  failedRecipients: { email: string; error: string }[];
  deliveredTo: string[];
}

/** The notifications of an organisation that could not be delivered, newest due first. */
export async function listFailedDeliveries(models: Models, orgId: string, limit = 200): Promise<FailedDelivery[]> {
  const docs = await outboxOf(models).find({ orgId, status: 'failed' }).sort({ dueAt: -1, _id: 1 }).limit(limit).toArray();
  return docs.map((d) => ({
    id: d._id,
    ...(d.activityId ? { activityId: d.activityId, activityTitle: d.activityTitle ?? '' } : {}),
    kind: d.kind,
    ...(d.dueDate ? { dueDate: d.dueDate } : {}),
    recipientRole: d.recipientRole,
    ...(d.recipientUserId ? { recipientUserId: d.recipientUserId } : {}),
    attempts: d.attempts,
    ...(d.lastError ? { lastError: d.lastError } : {}),
    ...(d.failedAt ? { failedAt: d.failedAt } : {}),
    failedRecipients: d.failedRecipients ?? [],
    deliveredTo: d.deliveredTo ?? [],
  }));
}
