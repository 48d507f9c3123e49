import { DEFAULT_NOTIFICATION_PREFERENCE, membershipsOf } from '../../store/models/user';
import type { Models } from '../../store/models';
import { recordOnce } from './outbox';
import { approvalsOf, openTasksOf, ownedOpenActivities } from '../activities/personal';
import { renderDigest } from './digest-message';

/** Deadlines this far ahead are "coming" in the digest; overdue ones are listed too. */
const COMING_DAYS = 30;

/**
 * The weekly digest's activities. A digest is recorded in the outbox under (user, week) with
 * its message rendered then, and delivered like any notification: exactly once, and the same
 * message if a crash makes it go out again.
 */
export function createDigestActivities(deps: { models: Models; publicUrl: string; timeZone: string; mailing: boolean }) {
  const { models, publicUrl, timeZone } = deps;
  return {
    /** Everyone with an address who wants the digest, in a stable order; nobody without SMTP. */
    async listDigestRecipients(): Promise<string[]> {
      if (!deps.mailing) return [];
      const users = await models.users.find({}, { email: 1, notificationPreference: 1 }).sort({ _id: 1 }).lean();
      return users.filter((u) => u.email?.trim() && (u.notificationPreference ?? DEFAULT_NOTIFICATION_PREFERENCE) !== 'immediate').map((u) => u._id);
    },

    /** Records this week's digest for the user; null when nothing waits (then no email). */
    async recordDigest(input: { userId: string; week: string; at: string }): Promise<string | null> {
      const id = `digest|${input.userId}|${input.week}`;
      if (await models.notifications.exists({ _id: id })) return id;
      const user = await models.users.findById(input.userId).lean();
      if (!user?.email) return null;
      const person = { userId: user._id, name: user.name, memberships: membershipsOf(user) };
      const now = Date.parse(input.at);
      const [tasks, approvals, owned] = await Promise.all([openTasksOf(models, person, now), approvalsOf(models, person, timeZone, now), ownedOpenActivities(models, person)]);
      const coming = owned.filter((a) => a.deadlineAt.getTime() < now + COMING_DAYS * 86_400_000);
      const ids = [...new Set([...tasks.map((t) => t.activityId), ...approvals.map((a) => a.activityId), ...coming.map((a) => a._id)])];
      const secret = new Set((await models.activities.find({ _id: { $in: ids }, secrecy: 'osl-18-8' }, { _id: 1 }).lean()).map((a) => a._id));
      const message = renderDigest({
        recipientName: user.name,
        publicUrl,
        openTasks: tasks.map((t) => ({ activityId: t.activityId, activityTitle: t.activityTitle, taskTitle: t.title, confidential: secret.has(t.activityId) })),
        comingDeadlines: coming.map((a) => ({ activityId: a._id, activityTitle: a.title, dueDate: a.dueDate, confidential: secret.has(a._id) })),
        waitingApprovals: approvals.map((a) => ({
          activityId: a.activityId,
          activityTitle: a.activityTitle,
          milestoneTitle: a.milestoneTitle ?? (a.proposedDueDate ? `Förlängning till ${a.proposedDueDate}` : 'Förlängning'),
          confidential: secret.has(a.activityId),
        })),
      });
      if (!message) return null;
      await recordOnce(models, id, {
        orgId: person.memberships[0]?.orgId ?? 'stad',
        kind: 'digest',
        message,
        recipientRole: person.memberships[0]?.roles[0] ?? 'viewer',
        recipientUserId: user._id,
        dueAt: new Date(input.at),
      });
      return id;
    },
  };
}
