import { Schema, type Connection, type Model } from 'mongoose';
import type { RegisterKind } from '../../domain/registers';

/**
 * One row of one of an organisation's review registers (src/domain/registers.ts). The row's
 * fields are validated by the register's schema before they are written; the store keeps them
 * as one document so that every register shares this collection, its index and its limit.
 */
export interface RegisterRowDoc {
  /** `${orgId}:${kind}:${rowId}` */
  _id: string;
  orgId: string;
  kind: RegisterKind;
  rowId: string;
  data: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}

const schema = new Schema<RegisterRowDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    kind: { type: String, required: true },
    rowId: { type: String, required: true },
    data: { type: Schema.Types.Mixed, required: true },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'register_rows', versionKey: false, minimize: false },
);
schema.index({ orgId: 1, kind: 1, createdAt: 1 });

export function registerRowModel(conn: Connection): Model<RegisterRowDoc> {
  return conn.models.RegisterRow ?? conn.model<RegisterRowDoc>('RegisterRow', schema);
}
