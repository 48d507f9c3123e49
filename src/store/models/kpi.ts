import { Schema, type Connection, type Model } from 'mongoose';
import { KPI_KINDS, type KpiKind } from '../../domain/kpi';

/** One yearly figure of one KPI series (nyckeltal) of an organisation. */
export interface KpiValueDoc {
  _id: string;
  orgId: string;
  seriesId: string;
  name: string;
  unit?: string;
  /** Absent on figures stored before kinds: then inferred from the name and unit (inferKpiKind). */
  kind?: KpiKind;
  year: number;
  value: number;
  source?: string;
  /** A figure for part of the year only. */
  partial?: boolean;
  updatedAt: Date;
}

const schema = new Schema<KpiValueDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    seriesId: { type: String, required: true },
    name: { type: String, required: true },
    unit: { type: String },
    kind: { type: String, enum: KPI_KINDS },
    year: { type: Number, required: true },
    value: { type: Number, required: true },
    source: { type: String },
    partial: { type: Boolean },
    updatedAt: { type: Date, required: true },
  },
  { collection: 'kpi_values', versionKey: false },
);
schema.index({ orgId: 1, seriesId: 1, year: 1 });

export function kpiValueModel(conn: Connection): Model<KpiValueDoc> {
  return conn.models.KpiValue ?? conn.model<KpiValueDoc>('KpiValue', schema);
}
