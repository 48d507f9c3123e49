import type { ActivityState, ActivityStatus, Actor, Milestone, PersonRef } from './activity';
import { TERMINAL_STATUSES } from './activity-status';
import type { ChangeRequest, CommandOf, CommandType } from './commands';
import { dateInZone } from './deadlines';
import { approvalRight, isCoordinator, mayManage, mayWork } from './permissions';
import { freshId } from './fresh-id';
import { decideEdit } from './plan-edits';
import { withoutUndefined } from './defined';
import { limitBreached, type LimitBreach } from './activity-limits';

/**
 * Every change to an activity, as a command. `decide` is the whole rulebook: it checks what
 * every change needs (a valid request, the version the client saw, an activity still open),
 * then the command's own decider in DECIDERS checks the actor's right and the state, and
 * returns the next state or a reason. The workflow's Update validator and handler both call
 * it, so a rejected command never reaches the history.
 */

export type { ChangeRequest, Command, CommandType } from './commands';

/**
 * The command schemas, loaded on the first decision rather than with this module: a workflow
 * that never receives a change (most of a plan, most of the time) never builds them.
 */
function commandSchemas(): typeof import('./commands') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./commands') as typeof import('./commands');
}

export type RejectionKind = 'forbidden' | 'illegal-transition' | 'not-found' | 'invalid' | 'stale' | 'limit';
export interface Rejection {
  kind: RejectionKind;
  reason: string;
  /** For kind 'limit': which bound the change would pass. */
  limit?: LimitBreach['limit'];
}

export type Decision = { ok: true; state: ActivityState } | { ok: false; rejection: Rejection };

export interface DecideContext {
  /** ISO instant of the change (workflow time). */
  now: string;
  timeZone: string;
  /**
   * Whether sign-off keeps duties apart (see separateDuties). Unset means yes; a workflow run
   * that began before the rule passes false and keeps deciding as it recorded.
   */
  separateDuties?: boolean;
  /** Whether the activity's lists and size are bounded (ACTIVITY_LIMITS); the same: unset means yes. */
  limits?: boolean;
}

/** The next state after `request`, or why it is refused. Pure: `state` is not modified. */
export function decide(state: ActivityState, request: ChangeRequest, ctx: DecideContext): Decision {
  const parsed = commandSchemas().ChangeRequest.safeParse(request);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    return reject('invalid', `${i.path.join('.')}: ${i.message}`);
  }
  const { actor, command, expectedVersion } = parsed.data;
  if (expectedVersion !== undefined && expectedVersion !== state.version) {
    return reject('stale', `Aktiviteten har ändrats (version ${state.version}, inte ${expectedVersion}). Läs om den och försök igen.`);
  }
  if (TERMINAL_STATUSES.includes(state.status)) {
    return reject('illegal-transition', `Aktiviteten är ${statusWord(state.status)} och kan inte ändras.`);
  }
  const change: Change = {
    state,
    actor,
    by: { userId: actor.userId, name: actor.name },
    ctx,
    next: (patch) => {
      const after = { ...state, ...patch, version: state.version + 1, updatedAt: ctx.now };
      const breach = ctx.limits === false ? undefined : limitBreached(state, after, command.type);
      return breach ? { ok: false, rejection: { kind: 'limit', reason: breach.reason, limit: breach.limit } } : { ok: true, state: after };
    },
  };
  return decideCommand(command.type, command, change);
}

/** What a decider works from: a valid request on an activity that is not closed. */
interface Change {
  state: ActivityState;
  actor: Actor;
  /** The actor as the state records who did what. */
  by: PersonRef;
  ctx: DecideContext;
  /** The state after `patch`, one version on, unless it would pass one of the activity's limits. */
  next: (patch: Partial<ActivityState>) => Decision;
}

type Decider<T extends CommandType> = (command: CommandOf<T>, change: Change) => Decision;

/** The rule of each command: who may give it, in which status, and what it changes. */
const DECIDERS: { [T in CommandType]: Decider<T> } = {
  start: decideStart,
  block: decideBlock,
  unblock: decideUnblock,
  'add-task': decideAddTask,
  'complete-task': decideTaskDone,
  'reopen-task': decideTaskDone,
  'add-comment': decideEntry,
  'add-evidence': decideEntry,
  'submit-milestone': decideSubmitMilestone,
  'approve-milestone': decideApproval,
  'reject-milestone': decideApproval,
  'request-extension': decideRequestExtension,
  'decide-extension': decideExtension,
  'assign-owner': decideAssignOwner,
  defer: decideClosure,
  cancel: decideClosure,
  verify: decideVerify,
  'edit-details': decidePlanEdit,
  'add-milestone': decidePlanEdit,
  'rename-task': decidePlanEdit,
  'rename-milestone': decidePlanEdit,
};

/** Generic over the type, so that TypeScript pairs a command with its own decider without a cast. */
function decideCommand<T extends CommandType>(type: T, command: CommandOf<T>, change: Change): Decision {
  return DECIDERS[type](command, change);
}

/** The statuses in which the owner's work goes on: tasks, blocks and submissions. */
const WORKING_STATUSES: readonly ActivityStatus[] = ['planned', 'in-progress', 'changes-requested'];

function decideStart(_command: CommandOf<'start'>, { state, actor, next }: Change): Decision {
  if (!mayWork(actor, state)) return forbidden('Bara aktivitetsansvarig eller samordnare kan starta aktiviteten.');
  if (state.status !== 'planned') return illegal(state.status, 'starta');
  return next({ status: 'in-progress' });
}

function decideBlock(command: CommandOf<'block'>, { state, actor, next }: Change): Decision {
  if (!mayWork(actor, state)) return forbidden('Bara aktivitetsansvarig eller samordnare kan blockera aktiviteten.');
  if (!WORKING_STATUSES.includes(state.status)) return illegal(state.status, 'blockera');
  return next({ status: 'blocked', statusBeforeBlock: state.status, blockedReason: command.reason });
}

function decideUnblock(command: CommandOf<'unblock'>, { state, actor, by, ctx, next }: Change): Decision {
  if (!mayWork(actor, state)) return forbidden('Bara aktivitetsansvarig eller samordnare kan häva blockeringen.');
  if (state.status !== 'blocked') return illegal(state.status, 'häva blockering av');
  return next({
    status: state.statusBeforeBlock ?? 'in-progress',
    statusBeforeBlock: undefined,
    blockedReason: undefined,
    ...(command.reason ? { entries: [...state.entries, commentEntry(state, command.reason, by, ctx.now)] } : {}),
  });
}

function decideAddTask(command: CommandOf<'add-task'>, { state, actor, next }: Change): Decision {
  if (!mayWork(actor, state)) return forbidden('Bara aktivitetsansvarig eller samordnare kan lägga till uppgifter.');
  if (state.status === 'done') return illegal(state.status, 'lägga till uppgifter i');
  const milestone = command.milestoneId ? state.milestones.find((m) => m.id === command.milestoneId) : state.milestones.find((m) => m.final);
  if (!milestone) return notFound(`Milstolpen ${command.milestoneId} finns inte.`);
  if (milestone.status === 'approved' || milestone.status === 'submitted') {
    return reject('illegal-transition', `Milstolpen "${milestone.title}" är ${milestone.status === 'approved' ? 'godkänd' : 'inskickad'}.`);
  }
  const id = freshId('uppgift', state.tasks.map((t) => t.id));
  return next({ tasks: [...state.tasks, { id, title: command.title, milestoneId: milestone.id, done: false }] });
}

function decideTaskDone(command: CommandOf<'complete-task' | 'reopen-task'>, { state, actor, by, ctx, next }: Change): Decision {
  if (!mayWork(actor, state)) return forbidden('Bara aktivitetsansvarig eller samordnare kan ändra uppgifter.');
  if (!WORKING_STATUSES.includes(state.status)) return illegal(state.status, 'ändra uppgifter i');
  const task = state.tasks.find((t) => t.id === command.taskId);
  if (!task) return notFound(`Uppgiften ${command.taskId} finns inte.`);
  const milestone = state.milestones.find((m) => m.id === task.milestoneId)!;
  if (milestone.status === 'submitted' || milestone.status === 'approved') {
    return reject('illegal-transition', `Uppgiften hör till milstolpen "${milestone.title}", som redan är inskickad eller godkänd.`);
  }
  const done = command.type === 'complete-task';
  if (task.done === done) return reject('illegal-transition', `Uppgiften är redan ${done ? 'klar' : 'öppen'}.`);
  const tasks = state.tasks.map((t) => (t.id === task.id ? (done ? { ...t, done: true, doneAt: ctx.now, doneBy: by } : withoutDone(t)) : t));
  // Work on a planned activity starts it.
  return next({ tasks, status: state.status === 'planned' ? 'in-progress' : state.status });
}

function decideEntry(command: CommandOf<'add-comment' | 'add-evidence'>, { state, actor, by, ctx, next }: Change): Decision {
  if (!mayWork(actor, state)) return forbidden('Bara aktivitetsansvarig eller samordnare kan lägga till kommentarer och underlag.');
  const kind: 'comment' | 'evidence' = command.type === 'add-comment' ? 'comment' : 'evidence';
  const id = freshId(kind === 'comment' ? 'kommentar' : 'underlag', state.entries.map((e) => e.id));
  // The entry keeps what the command carries: the text in recorded histories, else the store's
  // reference to it. The keys keep their order, so a recorded history replays to the same state.
  const entry =
    command.type === 'add-comment'
      ? { id, kind, text: command.text, textRef: command.textRef, by, at: ctx.now }
      : { id, kind, text: command.text, textRef: command.textRef, link: command.link, file: command.file, by, at: ctx.now };
  return next({ entries: [...state.entries, withoutUndefined(entry)] });
}

function decideSubmitMilestone(command: CommandOf<'submit-milestone'>, { state, actor, by, ctx, next }: Change): Decision {
  if (!mayWork(actor, state)) return forbidden('Bara aktivitetsansvarig eller samordnare kan skicka in en milstolpe.');
  const m = state.milestones.find((x) => x.id === command.milestoneId);
  if (!m) return notFound(`Milstolpen ${command.milestoneId} finns inte.`);
  if (!WORKING_STATUSES.includes(state.status)) return illegal(state.status, 'skicka in milstolpar i');
  if (m.status !== 'open' && m.status !== 'rejected') {
    return reject('illegal-transition', `Milstolpen "${m.title}" är redan ${m.status === 'approved' ? 'godkänd' : 'inskickad'}.`);
  }
  const openTasks = state.tasks.filter((t) => t.milestoneId === m.id && !t.done);
  if (openTasks.length > 0) {
    return reject('illegal-transition', `${openTasks.length} uppgift(er) i milstolpen är inte klara: ${openTasks.map((t) => t.title).join('; ')}.`);
  }
  if (m.final) {
    const pending = state.milestones.filter((x) => !x.final && x.status !== 'approved');
    if (pending.length > 0) {
      return reject('illegal-transition', `Milstolparna före den sista måste vara godkända: ${pending.map((x) => x.title).join('; ')}.`);
    }
  }
  const milestones = replaceMilestone(state, { ...m, status: 'submitted', round: m.round + 1, submittedAt: ctx.now, submittedBy: by });
  const entries = command.comment ? [...state.entries, commentEntry(state, command.comment, by, ctx.now)] : state.entries;
  return next({ milestones, entries, status: m.final ? 'awaiting-approval' : state.status === 'planned' ? 'in-progress' : state.status });
}

function decideApproval(command: CommandOf<'approve-milestone' | 'reject-milestone'>, { state, actor, by, ctx, next }: Change): Decision {
  const m = state.milestones.find((x) => x.id === command.milestoneId);
  if (!m) return notFound(`Milstolpen ${command.milestoneId} finns inte.`);
  if (m.status !== 'submitted') return reject('illegal-transition', `Milstolpen "${m.title}" väntar inte på godkännande.`);
  const step = nextApprovalStep(m);
  const right = approvalRight(actor, m.approvers[step]!, dateInZone(ctx.now, ctx.timeZone));
  if (!right.allowed) return forbidden(right.reason);
  const approve = command.type === 'approve-milestone';
  const conflict = approve && ctx.separateDuties !== false ? separateDuties(state, m, actor.userId) : undefined;
  if (conflict) return forbidden(conflict);
  const decision = withoutUndefined({
    round: m.round,
    step,
    decision: approve ? ('approved' as const) : ('rejected' as const),
    by,
    onBehalfOf: right.delegation ? { ...right.delegation.from, delegationId: right.delegation.id } : undefined,
    at: ctx.now,
    comment: command.comment,
  });
  const allApproved = approve && step === m.approvers.length - 1;
  const updated: Milestone = {
    ...m,
    decisions: [...m.decisions, decision],
    status: approve ? (allApproved ? 'approved' : 'submitted') : 'rejected',
  };
  let status: ActivityStatus = state.status;
  if (m.final && allApproved) status = 'done';
  if (m.final && !approve) status = 'changes-requested';
  return next({ milestones: replaceMilestone(state, updated), status });
}

function decideRequestExtension(command: CommandOf<'request-extension'>, { state, actor, by, ctx, next }: Change): Decision {
  if (!mayWork(actor, state)) return forbidden('Bara aktivitetsansvarig eller samordnare kan begära mer tid.');
  if (state.status === 'done') return illegal(state.status, 'begära mer tid för');
  if (state.extensions.some((e) => e.status === 'pending')) {
    return reject('illegal-transition', 'Det finns redan en obesvarad begäran om mer tid.');
  }
  if (command.proposedDueDate <= state.dueDate) {
    return reject('invalid', `Det nya slutdatumet måste vara senare än ${state.dueDate}.`);
  }
  const id = freshId('forlangning', state.extensions.map((e) => e.id));
  return next({
    extensions: [
      ...state.extensions,
      { id, requestedBy: by, requestedAt: ctx.now, currentDueDate: state.dueDate, proposedDueDate: command.proposedDueDate, reason: command.reason, status: 'pending' },
    ],
  });
}

function decideExtension(command: CommandOf<'decide-extension'>, { state, actor, by, ctx, next }: Change): Decision {
  if (!mayManage(actor)) return forbidden('Bara förvaltningschef eller samordnare kan besluta om mer tid.');
  const ext = state.extensions.find((e) => e.id === command.extensionId);
  if (!ext) return notFound(`Begäran ${command.extensionId} finns inte.`);
  if (ext.status !== 'pending') return reject('illegal-transition', 'Begäran är redan besvarad.');
  if (ext.requestedBy.userId === actor.userId) return forbidden('Den som begärt mer tid kan inte själv besluta om det.');
  const grant = command.decision === 'grant';
  const extensions = state.extensions.map((e) =>
    e.id === ext.id ? withoutUndefined({ ...e, status: grant ? ('granted' as const) : ('refused' as const), decidedBy: by, decidedAt: ctx.now, comment: command.comment }) : e,
  );
  if (!grant) return next({ extensions });
  return next({
    extensions,
    dueDate: ext.proposedDueDate,
    deadlineHistory: [...state.deadlineHistory, { from: state.dueDate, to: ext.proposedDueDate, at: ctx.now, by, extensionId: ext.id }],
  });
}

function decideAssignOwner(command: CommandOf<'assign-owner'>, { state, actor, next }: Change): Decision {
  if (!isCoordinator(actor)) return forbidden('Bara samordnare kan utse aktivitetsansvarig.');
  return next({ owner: { ...state.owner, userId: command.userId, name: command.name } });
}

function decideClosure(command: CommandOf<'defer' | 'cancel'>, { state, actor, by, ctx, next }: Change): Decision {
  if (!mayManage(actor)) return forbidden('Bara förvaltningschef eller samordnare kan skjuta upp eller avbryta en aktivitet.');
  const allowedFrom: ActivityStatus[] =
    command.type === 'defer' ? ['planned', 'in-progress', 'blocked', 'changes-requested'] : ['planned', 'in-progress', 'blocked', 'changes-requested', 'awaiting-approval'];
  if (!allowedFrom.includes(state.status)) return illegal(state.status, command.type === 'defer' ? 'skjuta upp' : 'avbryta');
  const closure = { by, at: ctx.now, comment: command.reason };
  return command.type === 'defer' ? next({ status: 'deferred', deferral: closure }) : next({ status: 'cancelled', cancellation: closure });
}

function decideVerify(command: CommandOf<'verify'>, { state, actor, by, ctx, next }: Change): Decision {
  if (!mayManage(actor)) return forbidden('Bara samordnare eller förvaltningschef kan verifiera effekten.');
  if (state.status !== 'done') return illegal(state.status, 'verifiera');
  return next({ status: 'verified', verification: { by, at: ctx.now, comment: command.comment } });
}

/** The coordinator's edits of what the plan says have their own rulebook (plan-edits.ts). */
function decidePlanEdit(command: CommandOf<'edit-details' | 'add-milestone' | 'rename-task' | 'rename-milestone'>, { state, actor, by, ctx, next }: Change): Decision {
  const edited = decideEdit(state, command, actor, by, ctx.now);
  return 'rejection' in edited ? reject(edited.rejection.kind, edited.rejection.reason) : next(edited.patch);
}

/** The index of the first approver step not yet approved in the current round. */
export function nextApprovalStep(m: Milestone): number {
  return m.decisions.filter((d) => d.round === m.round && d.decision === 'approved').length;
}

/** The approver step a submitted milestone waits for, if any. */
export function waitingStep(m: Milestone): { step: number; approver: Milestone['approvers'][number] } | undefined {
  if (m.status !== 'submitted') return undefined;
  const step = nextApprovalStep(m);
  return { step, approver: m.approvers[step]! };
}

function replaceMilestone(state: ActivityState, m: Milestone): Milestone[] {
  return state.milestones.map((x) => (x.id === m.id ? m : x));
}

/**
 * Segregation of duties (åtskillnad av arbetsuppgifter, ISO/IEC 27001 A 5.3): the person who
 * submitted a milestone, or who owns the activity, does not approve it, whichever right they
 * would approve with (their own role, a second role, a delegation). The reason names the rule.
 */
export function separateDuties(state: Pick<ActivityState, 'owner'>, m: Pick<Milestone, 'submittedBy'>, userId: string): string | undefined {
  const rule = 'Åtskilda arbetsuppgifter (A 5.3)';
  if (m.submittedBy?.userId === userId) return `${rule}: den som skickat in milstolpen kan inte godkänna den.`;
  if (state.owner.userId === userId) return `${rule}: aktivitetsansvarig kan inte godkänna milstolpar i sin egen aktivitet.`;
  return undefined;
}

function commentEntry(state: ActivityState, text: string, by: PersonRef, at: string) {
  return { id: freshId('kommentar', state.entries.map((e) => e.id)), kind: 'comment' as const, text, by, at };
}

function withoutDone<T extends { done: boolean; doneAt?: string; doneBy?: PersonRef }>(t: T): T {
  const { doneAt: _a, doneBy: _b, ...rest } = t;
  return { ...rest, done: false } as T;
}

const STATUS_WORDS: Record<ActivityStatus, string> = {
  planned: 'planerad',
  'in-progress': 'pågående',
  'awaiting-approval': 'inskickad för godkännande',
  'changes-requested': 'åter för komplettering',
  done: 'genomförd',
  verified: 'verifierad',
  blocked: 'blockerad',
  deferred: 'uppskjuten',
  cancelled: 'avbruten',
};

function statusWord(s: ActivityStatus): string {
  return STATUS_WORDS[s];
}

function reject(kind: RejectionKind, reason: string): Decision {
  return { ok: false, rejection: { kind, reason } };
}
function forbidden(reason: string): Decision {
  return reject('forbidden', reason);
}
function notFound(reason: string): Decision {
  return reject('not-found', reason);
}
function illegal(status: ActivityStatus, verb: string): Decision {
  return reject('illegal-transition', `Det går inte att ${verb} en aktivitet som är ${statusWord(status)}.`);
}
