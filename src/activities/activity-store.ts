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
import type { NotificationDoc } from '../db/models/notification';
import type { ChangeNotice } from '../domain/change-notices';

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
      await recordOnce(models, notificationId(activity.id, point.key), {
        orgId: activity.orgId,
        activityId: activity.id,
        activityTitle: activity.title,
        kind: point.kind,
        dueDate: point.dueDate,
        offsetDays: point.offsetDays,
        recipientRole: toOwner ? activity.owner.role : point.recipientRole,
        ...(toOwner && activity.owner.userId ? { recipientUserId: activity.owner.userId } : {}),
        dueAt: new Date(point.at),
      });
    },

    /** A milestone waiting for sign-off or a decision made; returns the outbox id. */
    async recordChangeNotification(input: {
      activity: Pick<ActivityState, 'id' | 'orgId' | 'title'>;
      notice: ChangeNotice;
      at: string;
    }): Promise<string> {
      const { activity, notice } = input;
      const id = notificationId(activity.id, notice.key);
      await recordOnce(models, id, {
        orgId: activity.orgId,
        activityId: activity.id,
        activityTitle: activity.title,
        kind: notice.kind,
        ...(notice.dueDate ? { dueDate: notice.dueDate } : {}),
        details: notice.details,
        recipientRole: notice.recipient.role,
        ...(notice.recipient.userId ? { recipientUserId: notice.recipient.userId } : {}),
        dueAt: new Date(input.at),
      });
      return id;
    },

    recordReviewNotification: (input: ReviewNotificationInput) => recordReviewNotification(models, input),
  };
}

export interface ReviewNotificationInput {
  orgId: string;
  /** Looked up when not given. */
  orgName?: string;
  /** The plan year the review covers. */
  year: number;
  /** Which version, and which submission of it: each submission asks for a decision anew. */
  version: number;
  submission: number;
  /** When it became ready for adoption (ISO instant; workflow time). */
  at: string;
}

/**
 * Records that a year's management review waits for the förvaltningschef to adopt it, once
 * per submission (a review sent back and submitted again asks again), and returns the outbox id to hand to deliveryWorkflow (the
 * review workflow does that through notifyReviewAwaitingAdoption in src/workflows/notify.ts).
 */
export async function recordReviewNotification(models: Models, input: ReviewNotificationInput): Promise<string> {
  const id = `review.${input.orgId}.${input.year}.v${input.version}.${input.submission}|att-faststalla`;
  await recordOnce(models, id, {
    orgId: input.orgId,
    kind: 'review-adoption',
    details: { orgName: input.orgName ?? (await models.organisations.findById(input.orgId).select({ name: 1 }).lean())?.name ?? input.orgId, year: input.year },
    recipientRole: 'head-of-administration',
    dueAt: new Date(input.at),
  });
  return id;
}

/** Inserts the outbox document unless it is there: recording is idempotent, as retries need. */
export async function recordOnce(
  models: Models,
  id: string,
  fields: Omit<NotificationDoc, '_id' | 'createdAt' | 'status' | 'attempts'>,
): Promise<void> {
  try {
    await models.notifications.updateOne(
      { _id: id },
      { $setOnInsert: { ...fields, createdAt: new Date(), status: 'pending', attempts: 0 } },
      { upsert: true },
    );
  } catch (err) {
    // Two recordings at once: the other one's insert won, which is the point.
    if (!isDuplicateKey(err)) throw err;
  }
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

/**
 * Writes `doc` unless the store already holds this or a later version, in one conditional
 * write: the filter matches only an older version, and the upsert inserts a first one. When
 * a later version is there the filter matches nothing, the insert meets the unique _id, and
 * the duplicate key says exactly that (a retried attempt racing its successor).
 */
async function projectActivity(models: Models, doc: ActivityDoc): Promise<void> {
  const { _id, ...fields } = doc;
  try {
    await models.activities.updateOne({ _id, version: { $lt: doc.version } }, { $set: fields }, { upsert: true });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
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
