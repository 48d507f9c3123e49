import { Schema, type Connection, type Model } from 'mongoose';

/** The foundation's wiring proof: a note written by a workflow's activity and read by the API. */
export interface SmokeNote {
  _id: string;
  message: string;
  recordedAt: Date;
}

const schema = new Schema<SmokeNote>(
  {
    _id: { type: String, required: true },
    message: { type: String, required: true },
    recordedAt: { type: Date, required: true },
  },
  { collection: 'smoke_notes', versionKey: false },
);

export function smokeNoteModel(conn: Connection): Model<SmokeNote> {
  return conn.models.SmokeNote ?? conn.model<SmokeNote>('SmokeNote', schema);
}
