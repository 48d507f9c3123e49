import { Schema, type Connection, type Model } from 'mongoose';

/** The first response to a write with an Idempotency-Key, replayed for repeats of that key. */
export interface IdempotencyDoc {
  _id: string;
  /** Hash of method, path and body: the same key with another request is refused. */
  requestHash: string;
  status: number;
  body: string;
  createdAt: Date;
}

const schema = new Schema(
  {
    _id: { type: String, required: true },
    requestHash: { type: String, required: true },
    status: { type: Number, required: true },
    body: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'idempotency_keys', versionKey: false },
);
/**
 * A key is replayed for a day, then removed by the store (a TTL index): a client retries
 * within minutes, and the collection does not grow with every write ever made. The workflow's
 * own request ids still refuse a second effect after that.
 */
export const IDEMPOTENCY_KEY_SECONDS = 24 * 3600;
schema.index({ createdAt: 1 }, { expireAfterSeconds: IDEMPOTENCY_KEY_SECONDS });

export function idempotencyModel(conn: Connection): Model<IdempotencyDoc> {
  return conn.models.Idempotency ?? conn.model<IdempotencyDoc>('Idempotency', schema as unknown as Schema<IdempotencyDoc>);
}
