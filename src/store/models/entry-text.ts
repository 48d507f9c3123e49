import { Schema, type Connection, type Model } from 'mongoose';

/**
 * The text of a comment or of evidence (underlag). The activity's workflow keeps only its
 * reference (id, sha256, length); the projection joins the text into the read model. The _id
 * comes from the change's request id, so a retried request writes the same document once.
 */
export interface EntryTextDoc {
  _id: string;
  orgId: string;
  activityId: string;
  sha256: string;
  text: string;
  createdAt: Date;
}

const schema = new Schema<EntryTextDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    activityId: { type: String, required: true },
    sha256: { type: String, required: true },
    text: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'entry_texts', versionKey: false },
);

export function entryTextModel(conn: Connection): Model<EntryTextDoc> {
  return conn.models.EntryText ?? conn.model<EntryTextDoc>('EntryText', schema);
}
