import { Schema, type Connection, type Model } from 'mongoose';

/**
 * A notification owed to someone: a reminder, an overdue notice or an escalation. Its _id is
 * (activity, kind, due date, offset, recipient), so recording it twice stores it once.
 * Delivery (email, digest) works from the `status` field.
 */
export interface NotificationDoc {
  _id: string;
  orgId: string;
  activityId: string;
  activityTitle: string;
  kind: 'reminder' | 'overdue' | 'escalation';
  dueDate: string;
  offsetDays: number;
  recipientRole: string;
  recipientUserId?: string;
  dueAt: Date;
  createdAt: Date;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  lastError?: string;
}

const schema = new Schema<NotificationDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    activityId: { type: String, required: true },
    activityTitle: { type: String, required: true },
    kind: { type: String, required: true },
    dueDate: { type: String, required: true },
    offsetDays: { type: Number, required: true },
    recipientRole: { type: String, required: true },
    recipientUserId: { type: String },
    dueAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
    status: { type: String, required: true },
    attempts: { type: Number, required: true },
    lastError: { type: String },
  },
  { collection: 'notifications', versionKey: false },
);
schema.index({ activityId: 1, dueAt: 1 });
schema.index({ status: 1, dueAt: 1 });

export function notificationModel(conn: Connection): Model<NotificationDoc> {
  return conn.models.Notification ?? conn.model<NotificationDoc>('Notification', schema);
}
