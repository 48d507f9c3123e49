import { temporal } from '@temporalio/proto';
import { DEFAULT_REMINDER_POLICY, notificationSchedule } from '../src/domain/deadlines';
import { startActivityWorkflow } from '../src/services/plans/start-activity';
import { bearerFor } from '../test/support/api';
import { api, type BenchContext } from './scenarios';

/**
 * What one activity's year costs each server: the figures docs/capacity.md is computed from
 * (scripts/capacity.ts). The year is the one an owner, a coordinator and the förvaltningschef
 * give an activity of the AI template through the API: both tasks done, status notes, the
 * milestone handed in and approved, the effect verified.
 */

const ORG = 'matt-ar';
const YEAR_OF_CHANGES = (id: string) => {
  const a = `/api/v1/activities/${id}`;
  return [
    { who: 'owner', path: `${a}/start`, body: {} },
    { who: 'owner', path: `${a}/comments`, body: { text: 'Arbetet har börjat; första utkastet till rutinen är skrivet.' } },
    { who: 'owner', path: `${a}/tasks/rutin-anvandning/complete`, body: {} },
    { who: 'owner', path: `${a}/comments`, body: { text: 'Rutinen för användning är beslutad i ledningsgruppen.' } },
    { who: 'owner', path: `${a}/evidence`, body: { text: 'Beslutad rutin', link: 'https://intranat.example.se/rutiner/ai-anvandning' } },
    { who: 'owner', path: `${a}/tasks/rutin-utveckling/complete`, body: {} },
    { who: 'owner', path: `${a}/comments`, body: { text: 'Båda rutinerna är klara och publicerade.' } },
    { who: 'owner', path: `${a}/milestones/slutford/submit`, body: { comment: 'Klart för godkännande.' } },
    { who: 'head', path: `${a}/milestones/slutford/approve`, body: { comment: 'Godkänns.' } },
    { who: 'coordinator', path: `${a}/verify`, body: { comment: 'Rutinerna används i två verksamheter.' } },
  ] as const;
};

/** History events that Temporal Cloud bills as actions (one each). */
const BILLED_EVENTS = new Set([
  'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED',
  'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED',
  'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED',
  'EVENT_TYPE_MARKER_RECORDED', // local activities; patch markers are counted too, which overstates
  'EVENT_TYPE_TIMER_STARTED',
  'EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED',
  'EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED',
  'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED',
  'EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW',
]);

/**
 * Per reminder point the activity workflow starts a timer, records the notice (an activity) and
 * starts a delivery workflow, which runs one delivery activity: four actions. The year above
 * happens within seconds, so its history holds none of them; they are added from the schedule.
 */
const ACTIONS_PER_REMINDER = 4;

export async function footprint(ctx: BenchContext): Promise<void> {
  ctx.log('footprint: one activity’s year through the API, and the store’s bytes per document');
  const people = {
    owner: await bearerFor(ctx.models, { id: 'matt-agare', name: 'Ägare Årsson', memberships: [{ orgId: ORG, roles: ['it-coordinator'] }] }),
    head: await bearerFor(ctx.models, { id: 'matt-chef', name: 'Chef Årsson', memberships: [{ orgId: ORG, roles: ['head-of-administration'] }] }),
    coordinator: await bearerFor(ctx.models, { id: 'matt-samordnare', name: 'Samordnare Årsson', memberships: [{ orgId: ORG, roles: ['security-coordinator'] }] }),
  };
  const year = new Date().getUTCFullYear();
  const dueDate = `${year}-12-31`;
  const { id } = await startActivityWorkflow(ctx.client, ctx.config.temporal.taskQueue, {
    activity: { orgId: ORG, key: 'ar-i-livet', year, dueDate, title: 'Ta fram lokala rutiner för AI', area: 'ai', owner: { role: 'it-coordinator' }, template: 'ai-routines' } as never,
    timeZone: ctx.config.planTimeZone,
  });
  const changes = YEAR_OF_CHANGES(id);
  // As a client does: a 503 while the plan load's backlog drains is retried after its Retry-After.
  for (const change of changes) await api(ctx, 'POST', change.path, people[change.who], change.body);
  const history = await ctx.client.workflow.getHandle(id).fetchHistory();
  const events = history.events ?? [];
  const historyBytes = temporal.api.history.v1.History.encode(history).finish().length;
  const typeOf = (e: (typeof events)[number]) => (typeof e.eventType === 'number' ? temporal.api.enums.v1.EventType[e.eventType] : String(e.eventType));
  const billed = events.filter((e) => BILLED_EVENTS.has(typeOf(e))).length;
  const reminders = notificationSchedule(dueDate, DEFAULT_REMINDER_POLICY, ctx.config.planTimeZone).length;
  const auditEvents = await ctx.models.auditEvents.countDocuments({ activityId: id });
  ctx.rows.push({
    section: 'footprint',
    name: 'one activity’s year (Temporal)',
    value: `${changes.length} changes: ${events.length} history events, ${(historyBytes / 1024).toFixed(1)} KiB; ${billed} actions + ${reminders} reminders × ${ACTIONS_PER_REMINDER}`,
    metrics: { changesPerYear: changes.length, historyEvents: events.length, historyBytes, actionsInHistory: billed, reminderPoints: reminders, actionsPerReminder: ACTIONS_PER_REMINDER, auditEventsPerYear: auditEvents },
  });

  for (const [collection, label] of [
    ['activities', 'read-model activity'],
    ['audit_events', 'audit event'],
  ] as const) {
    const [stats] = (await ctx.models.activities.db.collection(collection).aggregate([{ $collStats: { storageStats: {} } }]).toArray()) as {
      storageStats: { count: number; size: number; storageSize: number; totalIndexSize: number };
    }[];
    const s = stats!.storageStats;
    ctx.rows.push({
      section: 'footprint',
      name: `store bytes per ${label}`,
      value: `${s.count} documents: ${Math.round(s.size / s.count)} B each, ${Math.round(s.storageSize / s.count)} B on disk, indexes ${Math.round(s.totalIndexSize / s.count)} B`,
      metrics: { documents: s.count, bytesPerDocument: s.size / s.count, diskBytesPerDocument: s.storageSize / s.count, indexBytesPerDocument: s.totalIndexSize / s.count },
    });
  }
}
