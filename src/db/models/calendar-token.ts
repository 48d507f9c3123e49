import { Schema, type Connection, type Model } from 'mongoose';

/**
 * The secret of a calendar feed URL. Only its SHA-256 is stored (as _id). A person has at most
 * one per feed (`feed`: their own deadlines, or one organisation's): making a new one replaces
 * the old, so a leaked URL is revoked by rotating or deleting it.
 */
export interface CalendarTokenDoc {
  _id: string;
  userId: string;
  /** `me`, `me:<orgId>` (made with a personal token for that organisation) or `org:<orgId>`. */
  feed: string;
  createdAt: Date;
}

const schema = new Schema(
  {
    _id: { type: String, required: true },
    userId: { type: String, required: true },
    feed: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'calendar_tokens', versionKey: false },
);
schema.index({ userId: 1, feed: 1 });

export function calendarTokenModel(conn: Connection): Model<CalendarTokenDoc> {
  return conn.models.CalendarToken ?? conn.model<CalendarTokenDoc>('CalendarToken', schema as unknown as Schema<CalendarTokenDoc>);
}
