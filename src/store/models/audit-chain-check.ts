import { Schema, type Connection, type Model } from 'mongoose';

/**
 * How far an organisation's audit chain has been verified: every event up to `seq` links and
 * hashes correctly (or `ok` is false and `problems` say where not). A view verifies only the
 * events after `seq`, from `hash` on; `fullCheckAt` is the last time someone had the whole
 * chain verified from its first event, which is what finds an old event edited in place.
 */
export interface AuditChainCheckDoc {
  _id: string;
  seq: number;
  hash: string;
  events: number;
  ok: boolean;
  problems: { seq: number; kind: string; detail: string }[];
  checkedAt: Date;
  fullCheckAt?: Date;
}

const schema = new Schema<AuditChainCheckDoc>(
  {
    _id: { type: String, required: true },
    seq: { type: Number, required: true },
    hash: { type: String, required: true },
    events: { type: Number, required: true },
    ok: { type: Boolean, required: true },
    problems: { type: Schema.Types.Mixed, default: [] },
    checkedAt: { type: Date, required: true },
    fullCheckAt: { type: Date },
  },
  { collection: 'audit_chain_checks', versionKey: false, minimize: false },
);

export function auditChainCheckModel(conn: Connection): Model<AuditChainCheckDoc> {
  return conn.models.AuditChainCheck ?? conn.model<AuditChainCheckDoc>('AuditChainCheck', schema);
}
