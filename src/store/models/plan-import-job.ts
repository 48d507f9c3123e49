import { Schema, type Connection, type Model } from 'mongoose';

/**
 * A confirmed plan import while its activities start, and its outcome until the person has
 * seen it. In the store rather than in the API process, so the status page answers from
 * whichever API process the load balancer picks.
 */
export interface PlanImportJobDoc {
  _id: string;
  orgId: string;
  userId: string;
  done: number;
  total: number;
  /** The outcome, once there is one: a Swedish sentence for the person. */
  result?: string;
  error?: string;
  createdAt: Date;
}

const schema = new Schema<PlanImportJobDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    userId: { type: String, required: true },
    done: { type: Number, required: true },
    total: { type: Number, required: true },
    result: { type: String },
    error: { type: String },
    createdAt: { type: Date, required: true },
  },
  { collection: 'plan_import_jobs', versionKey: false },
);
schema.index({ userId: 1 });
// An import that nobody came back to is forgotten after a day.
schema.index({ createdAt: 1 }, { expireAfterSeconds: 24 * 3600 });

export function planImportJobModel(conn: Connection): Model<PlanImportJobDoc> {
  return conn.models.PlanImportJob ?? conn.model<PlanImportJobDoc>('PlanImportJob', schema);
}
