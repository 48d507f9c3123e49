import { Schema, type Connection, type Model } from 'mongoose';
import type { RoleName } from '../../domain/roles';

/** A delegation (delegationsordning): `to` may sign as `from` in `role` between two dates. */
export interface DelegationDoc {
  _id: string;
  orgId: string;
  from: { userId: string; name: string };
  to: { userId: string; name: string };
  role: RoleName;
  validFrom: string;
  validTo: string;
  createdBy: string;
  createdAt: Date;
  /** Ended early: the delegation is valid through the day before. */
  endedAt?: Date;
  /**
   * While the delegation is in force (not ended): who, for whom, which role and which dates, as
   * one string. Unique, so the same delegation cannot be in force twice, however many requests
   * make it at once; ending it removes the field. Absent on delegations made before it existed.
   */
  inForce?: string;
}

/** The `inForce` value of a delegation: the same one twice collides on its unique index. */
export function delegationInForceKey(d: { orgId: string; from: { userId: string }; to: { userId: string }; role: string; validFrom: string; validTo: string }): string {
  return JSON.stringify([d.orgId, d.from.userId, d.to.userId, d.role, d.validFrom, d.validTo]);
}

const schema = new Schema<DelegationDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    from: { type: Schema.Types.Mixed, required: true },
    to: { type: Schema.Types.Mixed, required: true },
    role: { type: String, required: true },
    validFrom: { type: String, required: true },
    validTo: { type: String, required: true },
    createdBy: { type: String, required: true },
    createdAt: { type: Date, required: true },
    endedAt: { type: Date },
    inForce: { type: String },
  },
  { collection: 'delegations', versionKey: false },
);
schema.index({ orgId: 1, 'to.userId': 1 });
schema.index({ inForce: 1 }, { unique: true, partialFilterExpression: { inForce: { $exists: true } } });

export function delegationModel(conn: Connection): Model<DelegationDoc> {
  return conn.models.Delegation ?? conn.model<DelegationDoc>('Delegation', schema);
}
