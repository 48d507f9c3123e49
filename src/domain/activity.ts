import { z } from 'zod';
import { IsoDate, Name, Slug, Text, Year } from './common';
import { RoleName } from './roles';
import { ACTIVITY_STATUSES } from './activity-status';
import { TemplateId } from './template-ids';

/**
 * One improvement activity (förbättringsaktivitet) as its workflow holds it. The workflow is
 * the single writer; the read model is a projection of this state.
 */

export { ACTIVITY_STATUSES, OPEN_STATUSES, TERMINAL_STATUSES, UNFINISHED_STATUSES, activityId, overdueAt } from './activity-status';

/** An activity's business id, `<organisation>.<year>.<key>`, as activityId() makes it. */
export const ActivityId = z.string().regex(/^[a-z0-9-]+\.\d{4}\.[a-z0-9-]+$/, 'an activity id such as sodermalm.2026.riskanalys');
export const ActivityParams = z.object({ activityId: ActivityId });
export const ActivityStatus = z.enum(ACTIVITY_STATUSES);
export type ActivityStatus = z.infer<typeof ActivityStatus>;

export const STATUS_LABELS: Record<ActivityStatus, string> = {
  planned: 'Planerad',
  'in-progress': 'Pågår',
  'awaiting-approval': 'Väntar på godkännande',
  'changes-requested': 'Åter för komplettering',
  done: 'Genomförd',
  verified: 'Verifierad',
  blocked: 'Blockerad',
  deferred: 'Uppskjuten',
  cancelled: 'Avbruten',
};

export const PersonRef = z.object({ userId: Text(100), name: Text(200) });
export type PersonRef = z.infer<typeof PersonRef>;

/** Who may sign for whom, between which dates (delegationsordning). */
export const DelegationGrant = z.object({
  id: Text(100),
  from: PersonRef,
  role: RoleName,
  validFrom: IsoDate,
  validTo: IsoDate,
});
export type DelegationGrant = z.infer<typeof DelegationGrant>;

/**
 * The person making a change, as the API resolved them: their roles in this organisation and
 * the delegations they hold. Rights come from here, never from the client.
 */
export const Actor = PersonRef.extend({
  roles: z.array(RoleName),
  delegations: z.array(DelegationGrant).default([]),
});
export type Actor = z.infer<typeof Actor>;

export const Task = z.object({
  id: Slug,
  title: Text(400),
  milestoneId: Slug,
  done: z.boolean(),
  doneAt: z.string().optional(),
  doneBy: PersonRef.optional(),
  /** For training tasks: the participation figure that shows the effect. */
  kpi: z.object({ name: Text(160), target: z.number().finite().optional() }).optional(),
});
export type Task = z.infer<typeof Task>;

export const ApproverStep = z.object({ role: RoleName, userId: Text(100).optional(), name: Text(200).optional() });
export type ApproverStep = z.infer<typeof ApproverStep>;

export const Decision = z.object({
  round: z.number().int().min(1),
  step: z.number().int().min(0),
  decision: z.enum(['approved', 'rejected']),
  by: PersonRef,
  /** Set when the decision was made under a delegation. */
  onBehalfOf: PersonRef.extend({ delegationId: Text(100) }).optional(),
  at: z.string(),
  comment: Text(2000).optional(),
});
export type Decision = z.infer<typeof Decision>;

export const Milestone = z.object({
  id: Slug,
  title: Text(300),
  /** Approving the final milestone makes the activity done. */
  final: z.boolean(),
  /** An ordered approval chain: step n may decide only after steps before it approved. */
  approvers: z.array(ApproverStep).min(1),
  status: z.enum(['open', 'submitted', 'approved', 'rejected']),
  round: z.number().int().min(0),
  submittedAt: z.string().optional(),
  submittedBy: PersonRef.optional(),
  decisions: z.array(Decision),
});
export type Milestone = z.infer<typeof Milestone>;

/** No folder and not `.` or `..`: the name is shown, and offered as the download's name. */
const isPlainFileName = (n: string) => !/[/\\]|^\.\.?$/.test(n);

export const FileRef = z.object({
  id: Text(100),
  name: Text(200).refine(isPlainFileName, 'must be a plain file name'),
  size: z.number().int().min(0).max(5 * 1024 * 1024),
  contentType: Text(100),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

/** The name of a file being uploaded or attached: a plain name without bidirectional controls. */
export const FileName = Name(200).refine(isPlainFileName, 'must be a plain file name');

/**
 * A file reference as a request carries it. The stricter name is checked here, at the door,
 * and not in FileRef: FileRef is part of the workflow's commands and state, and a history
 * recorded before the rule must replay to the same state.
 */
export const NewFileRef = FileRef.extend({ name: FileName });

/**
 * A comment's or evidence's text as the workflow keeps it: where the store holds the text, its
 * hash and its length. The text itself stays out of the workflow's state and history, which
 * Temporal carries in every task and across continue-as-new; the projection joins it back.
 */
export const EntryTextRef = z.object({
  id: Text(200),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  length: z.number().int().min(1).max(4000),
});
export type EntryTextRef = z.infer<typeof EntryTextRef>;

export const Entry = z.object({
  id: Slug,
  kind: z.enum(['comment', 'evidence']),
  /** Inline in entries recorded before the texts moved to the store (and short comments of other changes). */
  text: Text(4000).optional(),
  textRef: EntryTextRef.optional(),
  link: z.url({ protocol: /^https?$/ }).max(2000).optional(),
  file: FileRef.optional(),
  by: PersonRef,
  at: z.string(),
});
export type Entry = z.infer<typeof Entry>;

export const Extension = z.object({
  id: Slug,
  requestedBy: PersonRef,
  requestedAt: z.string(),
  currentDueDate: IsoDate,
  proposedDueDate: IsoDate,
  reason: Text(2000),
  status: z.enum(['pending', 'granted', 'refused']),
  decidedBy: PersonRef.optional(),
  decidedAt: z.string().optional(),
  comment: Text(2000).optional(),
});
export type Extension = z.infer<typeof Extension>;

export const DeadlineChange = z.object({
  from: IsoDate,
  to: IsoDate,
  at: z.string(),
  by: PersonRef,
  extensionId: Slug.optional(),
});

export const Closure = z.object({ by: PersonRef, at: z.string(), comment: Text(2000) });

export const ActivityState = z.object({
  /** `${orgId}.${planYear}.${key}`: also the workflow id. */
  id: z.string(),
  orgId: Slug,
  planYear: Year,
  key: Slug,
  title: Text(400),
  description: Text(4000).optional(),
  area: Slug,
  goal: Slug.optional(),
  expectedResult: Text(400).optional(),
  priority: z.enum(['hög', 'medel', 'låg']),
  resources: Text(400).optional(),
  estimatedCost: z.number().finite().min(0).optional(),
  owner: z.object({ role: RoleName, userId: Text(100).optional(), name: Text(200).optional() }),
  startDate: IsoDate.optional(),
  dueDate: IsoDate,
  dependsOn: z.array(z.string()),
  template: TemplateId.optional(),
  recurrence: z.enum(['none', 'yearly']),
  annexAControls: z.array(z.string()),
  nis2Measures: z.array(z.string()),
  secrecy: z.enum(['none', 'osl-18-8']),
  sourceSection: Text(20).optional(),
  /** The activity of an earlier year that this one continues (carried over or recurring). */
  continues: z.string().optional(),
  status: ActivityStatus,
  /** Where an unblocked activity returns to. */
  statusBeforeBlock: ActivityStatus.optional(),
  blockedReason: Text(2000).optional(),
  tasks: z.array(Task),
  milestones: z.array(Milestone),
  entries: z.array(Entry),
  extensions: z.array(Extension),
  deadlineHistory: z.array(DeadlineChange),
  verification: Closure.optional(),
  deferral: Closure.optional(),
  cancellation: Closure.optional(),
  version: z.number().int().min(1),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type ActivityState = z.infer<typeof ActivityState>;

