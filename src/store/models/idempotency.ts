import { Schema, type Connection, type Model } from 'mongoose';

/**
 * A write with an Idempotency-Key: claimed by the request that runs it, then its first response,
 * replayed for repeats of that key. A record without a response is a claim: its request is
 * running, and renews `claimedUntil` while it does.
 */
export interface IdempotencyDoc {
  _id: string;
  /** Hash of method, path and body: the same key with another request is refused. */
  requestHash: string;
  /** The response, once there is one. */
  status?: number;
  body?: string;
  /** The response's headers (e.g. ETag), as JSON. */
  headers?: string;
  /** Who holds the claim, and until when unless renewed: a lapsed claim is taken over. */
  claim?: string;
  claimedUntil?: Date;
  createdAt: Date;
}

const schema = new Schema<IdempotencyDoc>(
  {
    _id: { type: String, required: true },
    requestHash: { type: String, required: true },
    status: { type: Number },
    body: { type: String },
    headers: { type: String },
    claim: { type: String },
    claimedUntil: { type: Date },
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
  return conn.models.Idempotency ?? conn.model<IdempotencyDoc>('Idempotency', schema);
}
