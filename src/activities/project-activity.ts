import { Context } from '@temporalio/activity';
import type { ActivityState } from '../domain/activity';
import type { ChangeEvent } from '../domain/change-event';
import type { ScheduledNotification } from '../domain/deadlines';
import { notificationId } from '../domain/notification';
import { projectActivity, toActivityDoc } from '../services/activities/projection';
import { appendAuditEvents } from '../services/audit/store';
import { keepAttachedFiles } from '../services/activities/uploads';
import { withEntryTexts } from '../services/activities/entry-texts';
import { recordOnce, recordReviewNotification, type ReviewNotificationInput } from '../services/notifications/outbox';
import type { Models } from '../store/models';
import type { ChangeNotice } from '../domain/change-notices';

/**
 * The activity workflow's I/O: its projection into the read model, its audit trail and the
 * notifications it owes. Every operation is idempotent, because Temporal retries an activity
 * until it succeeds: while the store is down the workflow waits and loses nothing.
 */
export function createProjectionActivities(models: Models, opts: { timeZone: string }) {
  return {
    async persistActivityChange(input: { snapshot: ActivityState; events: ChangeEvent[] }): Promise<void> {
      await appendAuditEvents(models.auditEvents, input.events, { mayRepeat: isRetry() });
      await projectActivity(models, toActivityDoc(await withEntryTexts(models, input.snapshot), opts.timeZone));
      await keepAttachedFiles(models, input.snapshot);
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

