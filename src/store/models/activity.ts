import { Schema, type Connection, type Model } from 'mongoose';
import type { ActivityState } from '../../domain/activity';
import type { RoleName } from '../../domain/roles';

/**
 * The read model of one activity: its workflow state as of `version`, plus the fields that
 * lists filter on. Written only by the projection activity, idempotently by (id, version).
 */
export interface ActivityDoc extends Omit<ActivityState, 'id'> {
  _id: string;
  /** End of the due day in the plan's zone: overdue = open and deadlineAt < now. */
  deadlineAt: Date;
  openTaskCount: number;
  /** Who a submitted milestone waits for, flattened for /me/approvals. */
  waitingFor: { milestoneId: string; role: RoleName; userId?: string }[];
  projectedAt: Date;
}

const mixed = { type: Schema.Types.Mixed, default: [] };

const schema = new Schema<ActivityDoc>(
  {
    _id: { type: String, required: true },
    orgId: { type: String, required: true },
    planYear: { type: Number, required: true },
    key: { type: String, required: true },
    title: { type: String, required: true },
    area: { type: String, required: true },
    status: { type: String, required: true },
    owner: { type: Schema.Types.Mixed, required: true },
    dueDate: { type: String, required: true },
    deadlineAt: { type: Date, required: true },
    version: { type: Number, required: true },
    openTaskCount: { type: Number, required: true },
    waitingFor: mixed,
    tasks: mixed,
    milestones: mixed,
    entries: mixed,
    extensions: mixed,
    deadlineHistory: mixed,
    dependsOn: { type: [String], default: [] },
    annexAControls: { type: [String], default: [] },
    nis2Measures: { type: [String], default: [] },
    projectedAt: { type: Date, required: true },
  },
  { collection: 'activities', versionKey: false, strict: false, minimize: false },
);
schema.index({ orgId: 1, planYear: 1, area: 1, status: 1 });
schema.index({ orgId: 1, status: 1, deadlineAt: 1 });
schema.index({ orgId: 1, 'owner.userId': 1, deadlineAt: 1 });
schema.index({ orgId: 1, 'owner.role': 1, deadlineAt: 1 });
// /me/approvals: partial indexes hold only the activities that wait for a decision, so the
// query reads those and not the organisation's whole plan.
schema.index({ orgId: 1, deadlineAt: 1 }, { name: 'awaiting_sign_off', partialFilterExpression: { 'waitingFor.0': { $exists: true } } });
schema.index({ orgId: 1, deadlineAt: 1, 'extensions.status': 1 }, { name: 'awaiting_extension_decision', partialFilterExpression: { 'extensions.status': 'pending' } });

export function activityModel(conn: Connection): Model<ActivityDoc> {
  return conn.models.Activity ?? conn.model<ActivityDoc>('Activity', schema);
}
