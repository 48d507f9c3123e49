import { Schema, type Connection, type Model } from 'mongoose';

/** How many incidents of one category an organisation had in one year. */
export interface IncidentCountDoc {
  /** `${orgId}.${year}.${category}` */
  _id: string;
  orgId: string;
  year: number;
  category: string;
  count: number;
  updatedAt: Date;
}

const schema = new Schema<IncidentCountDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    year: { type: Number, required: true },
    category: { type: String, required: true },
    count: { type: Number, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'incident_counts', versionKey: false },
);
schema.index({ orgId: 1, year: 1 });

export function incidentCountModel(conn: Connection): Model<IncidentCountDoc> {
  return conn.models.IncidentCount ?? conn.model<IncidentCountDoc>('IncidentCount', schema);
}
