import { Schema, type Connection, type Model } from 'mongoose';

/**
 * An adopted review, frozen: written once (insert on a fixed `_id`) and never updated. The
 * content hash covers the canonical JSON of `document`, so anyone can check it later.
 */
export interface ReviewSnapshotDoc {
  /** `${orgId}.${year}.v${version}` */
  _id: string;
  orgId: string;
  year: number;
  version: number;
  corrects?: string;
  contentHash: string;
  adoptedBy: { userId: string; name: string };
  adoptedAt: string;
  /** The compiled review (ReviewDocument) as canonical JSON text: Mixed would reorder nothing, but keys with dots would not survive the store. */
  document: string;
  /** The facts (ReviewInputs) the document was compiled from, as JSON: a correction is compiled from them again. */
  inputs?: string;
  createdAt: Date;
}

const schema = new Schema<ReviewSnapshotDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    year: { type: Number, required: true },
    version: { type: Number, required: true },
    corrects: { type: String },
    contentHash: { type: String, required: true },
    adoptedBy: { type: Schema.Types.Mixed, required: true },
    adoptedAt: { type: String, required: true },
    document: { type: String, required: true },
    inputs: { type: String },
    createdAt: { type: Date, required: true },
  },
  { collection: 'review_snapshots', versionKey: false },
);
schema.index({ orgId: 1, year: 1, version: 1 });

export function reviewSnapshotModel(conn: Connection): Model<ReviewSnapshotDoc> {
  return conn.models.ReviewSnapshot ?? conn.model<ReviewSnapshotDoc>('ReviewSnapshot', schema);
}
