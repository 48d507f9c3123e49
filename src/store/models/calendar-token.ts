import { Schema, type Connection, type Model } from 'mongoose';

/**
 * The secret of a calendar feed URL. A person has at most one per feed (`feed`: their own
 * deadlines, or one organisation's): the document's _id is the person and the feed, so making a
 * new secret replaces the old one in a single update, and a leaked URL is revoked by rotating or
 * deleting it, however many rotations run at once. Only the secret's SHA-256 is stored.
 */
export interface CalendarTokenDoc {
  /** `calendarTokenId(userId, feed)`; on documents from before it, the token's hash. */
  _id: string;
  /** The SHA-256 of the secret. Absent on documents from before it, whose _id is that hash. */
  tokenHash?: string;
  userId: string;
  /** `me`, `me:<orgId>` (made with a personal token for that organisation) or `org:<orgId>`. */
  feed: string;
  createdAt: Date;
}

/** The one document of a person's feed. */
export function calendarTokenId(userId: string, feed: string): string {
  return `${userId}|${feed}`;
}

const schema = new Schema<CalendarTokenDoc>(
  {
    _id: { type: String, required: true },
    tokenHash: { type: String },
    userId: { type: String, required: true },
    feed: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'calendar_tokens', versionKey: false },
);
schema.index({ userId: 1, feed: 1 });
schema.index({ tokenHash: 1 }, { unique: true, partialFilterExpression: { tokenHash: { $exists: true } } });

export function calendarTokenModel(conn: Connection): Model<CalendarTokenDoc> {
  return conn.models.CalendarToken ?? conn.model<CalendarTokenDoc>('CalendarToken', schema);
}
