import { Schema, type Connection, type Model } from 'mongoose';
import type { PlanFile } from '../../domain/plan-file';

/** An administration with its plan window, focus areas and goals. */
export interface OrganisationDoc {
  _id: string;
  name: string;
  board?: string;
  plan: PlanFile['plan'];
  areas: PlanFile['areas'];
  goals: PlanFile['goals'];
  updatedAt: Date;
}

const schema = new Schema<OrganisationDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    board: { type: String },
    plan: { type: Schema.Types.Mixed, required: true },
    areas: { type: Schema.Types.Mixed, default: [] },
    goals: { type: Schema.Types.Mixed, default: [] },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'organisations', versionKey: false, minimize: false },
);

export function organisationModel(conn: Connection): Model<OrganisationDoc> {
  return conn.models.Organisation ?? conn.model<OrganisationDoc>('Organisation', schema);
}
