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

export function idempotencyModel(conn: Connection): Model<IdempotencyDoc> {
  return conn.models.Idempotency ?? conn.model<IdempotencyDoc>('Idempotency', schema as unknown as Schema<IdempotencyDoc>);
}
