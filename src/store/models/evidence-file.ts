import { Schema, type Connection, type Model } from 'mongoose';

/** A small file of evidence (underlag), kept in the store; activities refer to it by id. */
export interface EvidenceFileDoc {
  _id: string;
  orgId: string;
  activityId: string;
  name: string;
  contentType: string;
  size: number;
  sha256: string;
  data: Buffer;
  uploadedBy: string;
  uploadedAt: Date;
  /**
   * Set while no activity's evidence refers to the file: the store removes it then (TTL index),
   * so an upload never attached does not stay for ever. Unset once the evidence is recorded.
   */
  unattachedUntil?: Date;
  /**
   * Which of its uploader's MAX_UNATTACHED_PER_PERSON places the file holds while unattached;
   * unique per person, so concurrent uploads cannot pass the cap. Unset with unattachedUntil.
   */
  unattachedSlot?: number;
}

const schema = new Schema<EvidenceFileDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    activityId: { type: String, required: true },
    name: { type: String, required: true },
    contentType: { type: String, required: true },
    size: { type: Number, required: true },
    sha256: { type: String, required: true },
    data: { type: Buffer, required: true },
    uploadedBy: { type: String, required: true },
    uploadedAt: { type: Date, required: true },
    unattachedUntil: { type: Date },
    unattachedSlot: { type: Number },
  },
  { collection: 'evidence_files', versionKey: false },
);
// A TTL index rather than a sweep: the store's own monitor removes what is due (about once a
// minute), on every replica, with nothing of ours to schedule; attached files have no date.
schema.index({ unattachedUntil: 1 }, { expireAfterSeconds: 0 });
// Only unattached files are counted per person and looked up per activity; attached ones, the
// many, stay out of these indexes.
const unattached = { partialFilterExpression: { unattachedUntil: { $exists: true } } };
schema.index({ uploadedBy: 1 }, unattached);
schema.index({ activityId: 1 }, unattached);
schema.index({ uploadedBy: 1, unattachedSlot: 1 }, { unique: true, partialFilterExpression: { unattachedSlot: { $exists: true } } });

export function evidenceFileModel(conn: Connection): Model<EvidenceFileDoc> {
  return conn.models.EvidenceFile ?? conn.model<EvidenceFileDoc>('EvidenceFile', schema);
}
