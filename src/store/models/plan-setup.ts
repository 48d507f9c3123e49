import { Schema, type Connection, type Model } from 'mongoose';

/**
 * The activities a plan load or import started in an organisation that are not yet in the
 * read model. A workflow projects its activity moments after it starts; until then the pages
 * say how many are still being set up. The ids leave the list as they appear in the read model.
 */
export interface PlanSetupDoc {
  _id: string;
  pending: string[];
  since: Date;
  /** When an id last joined or left the list; a setup with none for long has stalled. */
  progressAt?: Date;
}

const schema = new Schema<PlanSetupDoc>(
  {
    _id: { type: String, required: true },
    pending: { type: [String], default: [] },
    since: { type: Date, required: true },
    progressAt: { type: Date },
  },
  { collection: 'plan_setups', versionKey: false },
);

export function planSetupModel(conn: Connection): Model<PlanSetupDoc> {
  return conn.models.PlanSetup ?? conn.model<PlanSetupDoc>('PlanSetup', schema);
}
