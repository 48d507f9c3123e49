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
  },
  { collection: 'evidence_files', versionKey: false },
);

export function evidenceFileModel(conn: Connection): Model<EvidenceFileDoc> {
  return conn.models.EvidenceFile ?? conn.model<EvidenceFileDoc>('EvidenceFile', schema);
}
