import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  sleep,
  CancellationScope,
  isCancellation,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { Activities } from '../activities';
import type { ActivityState } from '../domain/activity';
import { OPEN_STATUSES, TERMINAL_STATUSES, overdueAt } from '../domain/activity-status';
import { decide, type Rejection } from '../domain/changes';
import { diffActivity, SYSTEM_ACTOR, type ChangeEvent } from '../domain/change-event';
import {
  DEFAULT_REMINDER_POLICY,
  deadlineInstant,
  duePoints,
  nextPointAt,
  notificationSchedule,
  type ReminderPolicy,
} from '../domain/deadlines';
import { newActivityState, nextYearInstance } from '../domain/new-activity';
import { notificationId } from '../domain/notification';
import { changeNotices, type ChangeNotice } from '../domain/change-notices';
import { startDelivery } from './notify';
import { startOnce } from './start-once';
import { REJECTION_TYPES, changeUpdate, stateQuery, type ActivityView, type ActivityWorkflowInput } from './messages/activity';
import { isForeign } from './messages/payload-origin';
import { refusedOrigin } from './change-origin';

/**
 * One improvement activity from plan to verification. The workflow is the single writer of
 * the activity: every change is an Update whose validator applies the domain rules, so an
 * illegal or unauthorised change is refused before it enters the history. The read model and
 * the audit trail follow through an activity that retries until the store answers, so an
 * outage delays the projection and loses nothing.
 */

const REMEMBERED_REQUESTS = 1_000;
/** Events per projection call: keeps the activity's input well under Temporal's payload limits. */
const MAX_EVENTS_PER_PERSIST = 50;
const DEFAULT_MAX_CHANGES_PER_RUN = 500;

const { persistActivityChange, recordNotification, recordChangeNotification } = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  // No attempt limit: the store coming back is a matter of time, and the work is idempotent.
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * A change's projection as its Update waits for it: two short attempts. When both fail the
 * store is slow or away, the Update answers that the change is not projected yet, and the
 * retrying projection above carries it (a bounded wait without a timer in every change's history).
 */
const { persistActivityChange: persistBeforeAnswer } = proxyActivities<Activities>({
  startToCloseTimeout: '3 seconds',
  retry: { initialInterval: '200 milliseconds', maximumAttempts: 2 },
});

export async function activityWorkflow(input: ActivityWorkflowInput): Promise<ActivityView> {
  const timeZone = input.timeZone ?? 'Europe/Stockholm';
  const policy = input.policy ?? DEFAULT_REMINDER_POLICY;
  const maxChanges = input.maxChangesPerRun ?? DEFAULT_MAX_CHANGES_PER_RUN;
  const now = () => new Date().toISOString();

  // Added after the first histories were recorded: compact audit diffs and bounded projection
  // batches, without which a large activity changed quickly outgrew the 4 MB gRPC limit and its
  // workflow task failed for good. Runs that recorded the old way replay it unchanged.
  const boundedPayloads = patched('bounded-payloads');
  // Added later: an Update answers once its change is projected (or the store is found away), so
  // the API need not poll the read model; and the reminder timer lives until it fires instead of
  // being started anew by every change. Runs that began before keep the way they recorded.
  const answerWhenProjected = patched('answer-when-projected');
  // Added later: the submitter or owner of a milestone cannot approve it. A run that began
  // before may have accepted such an approval, and replays deciding as it did then.
  const separateDuties = patched('separate-duties');
  // And: bounded lists and size (ACTIVITY_LIMITS); an older run may hold and accept more.
  const limits = patched('activity-limits');
  // Started past lisplan (an input not sealed with the payload key, see the Update's validator):
  // the run ends before it projects anything. patched() only on that path, so every other
  // history stays as it was; a run that began before the key replays without the marker.
  if (isForeign(input) && patched('sealed-input')) {
    throw ApplicationFailure.create({ message: 'the activity was not started by lisplan (its input is not sealed with the payload key)', type: REJECTION_TYPES.forbidden, nonRetryable: true });
  }
  // The store failed a projection's short attempts; a successful projection clears it.
  let storeAway = false;
  // What the main loop is doing: an Update waits for its projection only while the loop is idle
  // or projecting; while it awaits other work (a reminder, a child start) the answer does not wait.
  let loopAt: 'idle' | 'projecting' | 'busy' = 'busy';
  let reminderTimer: { at: number; scope: CancellationScope; fired: boolean } | undefined;
  const carried = input.carried;
  // Added later: the NIS2 template's tasks name their article ("Artikel 21.2 a: …"). A run that
  // began before rebuilds its first state on replay with the titles it started with.
  let state: ActivityState = carried?.state ?? newActivityState(input.activity, workflowInfo().startTime.toISOString(), { legacyTaskTitles: !patched('article-task-titles') });
  const recentRequests = carried?.recentRequests ?? [];
  const handled = new Set(carried?.handledNotifications ?? []);
  const unpersisted: ChangeEvent[] = carried?.unpersisted ?? [
    { activityId: state.id, orgId: state.orgId, version: 1, action: 'created', actor: SYSTEM_ACTOR, at: state.createdAt, requestId: `created:${state.id}`, changes: diffActivity(undefined, state) },
  ];
  let projectedVersion = carried?.projectedVersion ?? 0;
  let nextYearStarted = carried?.nextYearStarted ?? false;
  // Sign-offs and decisions to tell people about, once the change is projected.
  const pendingNotices: ChangeNotice[] = carried?.pendingNotices ?? [];
  let changesThisRun = 0;

  /** The read model or the audit trail lacks a change this run has accepted. */
  const unprojected = () => unpersisted.length > 0 || projectedVersion < state.version;

  /** Writes every unprojected event and the latest state, in bounded batches. */
  async function persistPending(persist: typeof persistActivityChange): Promise<void> {
    while (unprojected()) {
      const snapshot = state;
      const events = unpersisted.slice(0, boundedPayloads ? MAX_EVENTS_PER_PERSIST : undefined);
      await persist({ snapshot, events });
      unpersisted.splice(0, events.length);
      projectedVersion = snapshot.version;
    }
  }

  const view = (): ActivityView => ({
    ...state,
    overdue: overdueAt(state.status, deadlineInstant(state.dueDate, timeZone), Date.now()),
    deadlineAt: deadlineInstant(state.dueDate, timeZone),
  });

  // A limit's name and size travel as the failure's details, for the API's problem to name it.
  const refuse = ({ kind, reason, limit }: Rejection) => ApplicationFailure.create({ message: reason, type: REJECTION_TYPES[kind], nonRetryable: true, ...(limit ? { details: [limit] } : {}) });

  setHandler(stateQuery, view);
  setHandler(
    changeUpdate,
    async (request) => {
      // The flag is part of the request and so of the history: replay answers as it answered.
      const withState = () => (request.withoutState ? {} : { state: view() });
      const first = recentRequests.find((r) => r.requestId === request.requestId);
      if (first) return { version: first.version, duplicate: true, ...withState(), ...(answerWhenProjected ? { projected: projectedVersion >= first.version } : {}) };
      const decision = decide(state, request, { now: now(), timeZone, separateDuties, limits });
      if (!decision.ok) throw refuse(decision.rejection);
      const before = state;
      state = decision.state;
      unpersisted.push({
        activityId: state.id,
        orgId: state.orgId,
        version: state.version,
        action: request.command.type,
        actor: { userId: request.actor.userId, name: request.actor.name },
        at: state.updatedAt,
        requestId: request.requestId,
        changes: diffActivity(before, state, { byElement: boundedPayloads }),
      });
      pendingNotices.push(...changeNotices(state, request.command, request.actor));
      recentRequests.push({ requestId: request.requestId, version: state.version });
      if (recentRequests.length > REMEMBERED_REQUESTS) recentRequests.shift();
      changesThisRun++;
      if (!answerWhenProjected) return { version: state.version, duplicate: false, state: view() };
      // The answer is this change's state, even if another one lands while it waits.
      const answer = { version: state.version, duplicate: false, ...withState() };
      await condition(() => projectedVersion >= answer.version || storeAway || loopAt === 'busy');
      return { ...answer, projected: projectedVersion >= answer.version };
    },
    {
      validator: (request) => {
        const refused = refusedOrigin(request);
        if (refused) throw refuse({ kind: 'forbidden', reason: refused });
        if (recentRequests.some((r) => r.requestId === request?.requestId)) return;
        const decision = decide(state, request, { now: now(), timeZone, separateDuties, limits });
        if (!decision.ok) throw refuse(decision.rejection);
      },
    },
  );

  for (;;) {
    loopAt = 'busy';
    if (unprojected()) {
      loopAt = 'projecting';
      if (answerWhenProjected && !storeAway) {
        try {
          await persistPending(persistBeforeAnswer);
          continue;
        } catch (err) {
          if (isCancellation(err)) throw err;
          storeAway = true;
        }
      }
      await persistPending(persistActivityChange);
      storeAway = false;
      continue;
    }

    if (pendingNotices.length > 0) {
      const notices = pendingNotices.splice(0);
      // Added after the first histories were recorded: running workflows replay without it.
      if (patched('change-notifications')) {
        for (const notice of notices) {
          const id = await recordChangeNotification({ activity: { id: state.id, orgId: state.orgId, title: state.title }, notice, at: now() });
          await startDelivery(id);
        }
      }
    }

    const schedule = OPEN_STATUSES.includes(state.status) ? notificationSchedule(state.dueDate, policy, timeZone) : [];
    const { send, skip } = duePoints(schedule, handled, Date.now());
    skip.forEach((p) => handled.add(p.key));
    for (const point of send) {
      await recordNotification({ activity: { id: state.id, orgId: state.orgId, title: state.title, owner: state.owner }, point });
      // Added after the first histories were recorded: running workflows replay without it.
      if (patched('notification-delivery')) await startDelivery(notificationId(state.id, point.key));
      handled.add(point.key);
    }

    if (state.recurrence === 'yearly' && !nextYearStarted && (state.status === 'done' || state.status === 'verified')) {
      await startNextYear(state, { timeZone, policy });
      nextYearStarted = true;
    }

    if (TERMINAL_STATUSES.includes(state.status)) {
      // A closing change (cancel, defer, verify) accepted while this pass awaited an activity
      // or a child start was not yet projected: the old code closed the run without it.
      const owed = unprojected() || pendingNotices.length > 0;
      if (owed && patched('persist-before-close')) continue;
      break;
    }

    if (changesThisRun >= maxChanges || workflowInfo().continueAsNewSuggested) {
      // Updates wait for their projection, so waiting for them must stop when one is owed
      // (also one accepted during the wait) and go back to project it.
      if (answerWhenProjected) {
        loopAt = 'idle';
        await condition(() => allHandlersFinished() || unprojected());
        if (unprojected()) continue;
      } else {
        await condition(allHandlersFinished);
      }
      if (!unprojected() && pendingNotices.length === 0) {
        return continueAsNew<typeof activityWorkflow>({
          ...input,
          carried: { state, recentRequests, handledNotifications: [...handled], unpersisted, projectedVersion, nextYearStarted, pendingNotices },
        });
      }
      continue;
    }

    const seen = state.version;
    const nextAt = nextPointAt(schedule, handled);
    // A change accepted while this pass awaited an activity is already counted in `seen`; waking
    // only on newer versions left it unprojected until the next timer. Running workflows that
    // recorded the old wait replay it unchanged.
    const wakeOnUnpersisted = patched('wake-on-unpersisted');
    const changed = () => state.version !== seen || (wakeOnUnpersisted && unpersisted.length > 0);
    if (!answerWhenProjected) {
      if (nextAt === undefined) await condition(changed);
      else await condition(changed, Math.max(nextAt - Date.now(), 1));
      continue;
    }
    if (reminderTimer && reminderTimer.at !== nextAt) {
      reminderTimer.scope.cancel();
      reminderTimer = undefined;
    }
    if (!reminderTimer && nextAt !== undefined) reminderTimer = startReminderTimer(nextAt);
    loopAt = 'idle';
    await condition(() => changed() || reminderTimer?.fired === true);
    if (reminderTimer?.fired) reminderTimer = undefined;
  }

  // Let accepted Updates finish before the run closes; later ones find the workflow closed.
  await condition(allHandlersFinished);
  return view();
}

/** A timer for the next reminder that wakes the main loop when it fires; cancelled when the reminder moves. */
function startReminderTimer(at: number): { at: number; scope: CancellationScope; fired: boolean } {
  const timer = { at, scope: new CancellationScope(), fired: false };
  timer.scope
    .run(() => sleep(Math.max(at - Date.now(), 1)))
    .then(
      () => (timer.fired = true),
      (err: unknown) => {
        if (!isCancellation(err)) throw err;
      },
    );
  return timer;
}

/** Starts next year's instance; if the plan already started it, that one stands. */
function startNextYear(state: ActivityState, opts: { timeZone: string; policy: ReminderPolicy }): Promise<void> {
  const next = nextYearInstance(state);
  return startOnce(activityWorkflow, `${next.orgId}.${next.year}.${next.key}`, [{ activity: next, timeZone: opts.timeZone, policy: opts.policy }]);
}
