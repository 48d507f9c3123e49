import { Schema, type Connection, type Model } from 'mongoose';
import type { ChangeEvent } from '../../domain/change-event';

/**
 * One entry of an organisation's hash-chained audit trail. (orgId, seq) is unique, which is
 * what serialises concurrent appends without transactions; eventKey makes a retried append a
 * no-op.
 */
export interface AuditEventDoc extends ChangeEvent {
  _id: string;
  eventKey: string;
  seq: number;
  prevHash: string;
  hash: string;
}

const schema = new Schema<AuditEventDoc>(
  {
    _id: { type: String, required: true },
    eventKey: { type: String, required: true },
    orgId: { type: String, required: true },
    seq: { type: Number, required: true },
    activityId: { type: String, required: true },
    version: { type: Number, required: true },
    action: { type: String, required: true },
    actor: { type: Schema.Types.Mixed, required: true },
    at: { type: String, required: true },
    requestId: { type: String, required: true },
    changes: { type: Schema.Types.Mixed, default: [] },
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
  },
  { collection: 'audit_events', versionKey: false, minimize: false },
);
schema.index({ eventKey: 1 }, { unique: true });
// The chain's head (findOne sorted by seq descending) and its verification (ascending).
schema.index({ orgId: 1, seq: -1 }, { unique: true });
schema.index({ activityId: 1, version: 1 });

export function auditEventModel(conn: Connection): Model<AuditEventDoc> {
  return conn.models.AuditEvent ?? conn.model<AuditEventDoc>('AuditEvent', schema);
}
