import type { Connection } from 'mongoose';
import { activityModel } from './models/activity';
import { apiTokenModel } from './models/api-token';
import { auditChainCheckModel } from './models/audit-chain-check';
import { auditEventModel } from './models/audit-event';
import { calendarTokenModel } from './models/calendar-token';
import { delegationModel } from './models/delegation';
import { entryTextModel } from './models/entry-text';
import { evidenceFileModel } from './models/evidence-file';
import { idempotencyModel } from './models/idempotency';
import { incidentCountModel } from './models/incident-count';
import { kpiValueModel } from './models/kpi';
import { notificationModel } from './models/notification';
import { organisationModel } from './models/organisation';
import { planImportJobModel } from './models/plan-import-job';
import { planSetupModel } from './models/plan-setup';
import { registerRowModel } from './models/register-row';
import { reviewModel } from './models/review';
import { reviewSnapshotModel } from './models/review-snapshot';
import { userModel } from './models/user';
import { workflowProblemModel } from './models/workflow-problem';

/** Every model bound to one connection, handed to activities and routes as a dependency. */
export function createModels(conn: Connection) {
  return {
    activities: activityModel(conn),
    auditEvents: auditEventModel(conn),
    auditChainChecks: auditChainCheckModel(conn),
    notifications: notificationModel(conn),
    organisations: organisationModel(conn),
    kpiValues: kpiValueModel(conn),
    users: userModel(conn),
    apiTokens: apiTokenModel(conn),
    delegations: delegationModel(conn),
    idempotencyKeys: idempotencyModel(conn),
    evidenceFiles: evidenceFileModel(conn),
    entryTexts: entryTextModel(conn),
    calendarTokens: calendarTokenModel(conn),
    incidentCounts: incidentCountModel(conn),
    reviews: reviewModel(conn),
    reviewSnapshots: reviewSnapshotModel(conn),
    registerRows: registerRowModel(conn),
    planImportJobs: planImportJobModel(conn),
    planSetups: planSetupModel(conn),
    workflowProblems: workflowProblemModel(conn),
  };
}

export type Models = ReturnType<typeof createModels>;
