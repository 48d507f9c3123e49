import { Context } from '@temporalio/activity';
import { OPEN_STATUSES, type ActivityState } from '../domain/activity';
import type { ChangeEvent } from '../domain/change-event';
import { deadlineInstant, type ScheduledNotification } from '../domain/deadlines';
import { waitingStep } from '../domain/changes';
import { notificationId } from '../domain/notification-id';
import { appendAuditEvents } from '../audit/store';
import { isDuplicateKey } from '../db/errors';
import type { Models } from '../db/models';
import type { ActivityDoc } from '../db/models/activity';

/**
 * The activity workflow's I/O: its projection into the read model, its audit trail and the
 * notifications it owes. Every operation is idempotent, because Temporal retries an activity
 * until it succeeds: while the store is down the workflow waits and loses nothing.
 */
export function createActivityStoreActivities(models: Models, opts: { timeZone: string }) {
  return {
    async persistActivityChange(input: { snapshot: ActivityState; events: ChangeEvent[] }): Promise<void> {
      await appendAuditEvents(models.auditEvents, input.events, { mayRepeat: isRetry() });
      await projectActivity(models, toActivityDoc(input.snapshot, opts.timeZone));
    },

    async recordNotification(input: {
      activity: Pick<ActivityState, 'id' | 'orgId' | 'title' | 'owner'>;
      point: ScheduledNotification;
    }): Promise<void> {
      const { activity, point } = input;
      const toOwner = point.recipientRole === 'activity-owner';
      await models.notifications.updateOne(
        { _id: notificationId(activity.id, point.key) },
        {
          $setOnInsert: {
            orgId: activity.orgId,
            activityId: activity.id,
            activityTitle: activity.title,
            kind: point.kind,
            dueDate: point.dueDate,
            offsetDays: point.offsetDays,
            recipientRole: toOwner ? activity.owner.role : point.recipientRole,
            ...(toOwner && activity.owner.userId ? { recipientUserId: activity.owner.userId } : {}),
            dueAt: new Date(point.at),
            createdAt: new Date(),
            status: 'pending',
            attempts: 0,
          },
        },
        { upsert: true },
      );
    },
  };
}

/**
 * Whether this call may repeat one that already wrote: a later attempt of the same activity
 * (the first may have written and then died). A first attempt carries events the workflow has
 * never handed out before. Outside an activity (a script), assume the worst.
 */
function isRetry(): boolean {
  try {
    return Context.current().info.attempt > 1;
  } catch {
    return true;
  }
}

const PROJECTION_TRIES = 5;

/**
 * Writes `doc` unless the store already holds this or a later version, and succeeds only once
 * the store is seen to hold it. A conditional upsert alone is not enough: on FerretDB v1 a
 * filter can miss the stored document, and the insert that follows then collides on _id, which
 * would look like "a newer version is stored" and silently lose this one.
 */
async function projectActivity(models: Models, doc: ActivityDoc): Promise<void> {
  const { _id, ...fields } = doc;
  let stored: number | undefined;
  for (let attempt = 1; attempt <= PROJECTION_TRIES; attempt++) {
    try {
      await models.activities.updateOne({ _id, version: { $lt: doc.version } }, { $set: fields }, { upsert: true });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
    }
    stored = (await models.activities.findById(_id).select({ version: 1 }).lean())?.version;
    if (stored !== undefined && stored >= doc.version) return;
    await new Promise((r) => setTimeout(r, 20 * attempt));
  }
  // Temporal retries the activity; the workflow keeps the change meanwhile.
  throw new Error(`projection of ${_id} at version ${doc.version} did not take (the store holds ${stored ?? 'nothing'})`);
}

export function toActivityDoc(s: ActivityState, timeZone: string): ActivityDoc {
  const { id, ...rest } = s;
  return {
    ...rest,
    _id: id,
    deadlineAt: new Date(deadlineInstant(s.dueDate, timeZone)),
    openTaskCount: OPEN_STATUSES.includes(s.status) ? s.tasks.filter((t) => !t.done).length : 0,
    waitingFor: s.milestones.flatMap((m) => {
      const w = waitingStep(m);
      return w ? [{ milestoneId: m.id, role: w.approver.role, ...(w.approver.userId ? { userId: w.approver.userId } : {}) }] : [];
    }),
    projectedAt: new Date(),
  };
}
