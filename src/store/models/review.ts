import { Schema, type Connection, type Model } from 'mongoose';
import type { ReviewState } from '../../domain/review';

/** The read model of one review version, as its workflow last projected it. */
export interface ReviewDoc extends Omit<ReviewState, 'id'> {
  _id: string;
  projectedAt: Date;
}

const schema = new Schema<ReviewDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    year: { type: Number, required: true },
    version: { type: Number, required: true },
    status: { type: String, required: true },
    revision: { type: Number, required: true },
    narrative: { type: Schema.Types.Mixed, default: {} },
    projectedAt: { type: Date, required: true },
  },
  { collection: 'reviews', versionKey: false, strict: false, minimize: false },
);
schema.index({ orgId: 1, year: 1, version: -1 });

export function reviewModel(conn: Connection): Model<ReviewDoc> {
  return conn.models.Review ?? conn.model<ReviewDoc>('Review', schema);
}
