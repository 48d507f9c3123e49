import { Schema, type Connection, type Model } from 'mongoose';
import type { DecisionOutcome, RenderedMessage } from '../../domain/notification';

/** The outbox kinds: the activity's timers, its decisions, the review, and the weekly digest. */
export type NotificationKind = 'reminder' | 'overdue' | 'escalation' | 'approval-requested' | 'decision' | 'review-adoption' | 'digest';

/** What a message needs beyond the outbox fields, kept as it was when the notification arose. */
export interface NotificationDetails {
  milestoneTitle?: string;
  submittedBy?: string;
  outcome?: DecisionOutcome;
  decidedBy?: string;
  comment?: string;
  proposedDueDate?: string;
  orgName?: string;
  year?: number;
}

/**
 * A notification owed to someone. Its _id names what it is about and who gets it (for an
 * activity's timers: activity, kind, due date, offset, recipient; for a digest: user and week),
 * so recording it twice stores it once. Delivery (email) works from `status`; `skipped` means
 * every recipient chose the weekly digest over immediate email. The in-app list reads the same
 * documents; `readBy` holds who has read it (a role-addressed notice reaches several people).
 */
export interface NotificationDoc {
  _id: string;
  orgId: string;
  kind: NotificationKind;
  /** Absent for the review and the digest. */
  activityId?: string;
  activityTitle?: string;
  /** The deadline in question; for a decision on an extension, the date that now applies. */
  dueDate?: string;
  offsetDays?: number;
  details?: NotificationDetails;
  /** A digest is rendered when it is recorded, so that a resend after a crash is the same message. */
  message?: RenderedMessage;
  recipientRole: string;
  recipientUserId?: string;
  dueAt: Date;
  createdAt: Date;
  status: 'pending' | 'sent' | 'failed' | 'skipped';
  attempts: number;
  lastError?: string;
  readBy?: string[];
}

const schema = new Schema<NotificationDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    kind: { type: String, required: true },
    activityId: { type: String },
    activityTitle: { type: String },
    dueDate: { type: String },
    offsetDays: { type: Number },
    details: { type: Schema.Types.Mixed },
    message: { type: Schema.Types.Mixed },
    recipientRole: { type: String, required: true },
    recipientUserId: { type: String },
    dueAt: { type: Date, required: true },
    createdAt: { type: Date, required: true },
    status: { type: String, required: true },
    attempts: { type: Number, required: true },
    lastError: { type: String },
    readBy: { type: [String], default: undefined },
  },
  { collection: 'notifications', versionKey: false },
);
schema.index({ activityId: 1, dueAt: 1 });
schema.index({ status: 1, dueAt: 1 });
schema.index({ recipientUserId: 1, createdAt: -1 });
schema.index({ orgId: 1, recipientRole: 1, createdAt: -1 });

export function notificationModel(conn: Connection): Model<NotificationDoc> {
  return conn.models.Notification ?? conn.model<NotificationDoc>('Notification', schema);
}
