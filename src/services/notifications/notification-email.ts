import type { NotificationDoc } from '../../store/models/notification';
import type { RenderedMessage } from '../../domain/notification';
import { renderMessage, type MessageInput } from './templates';
import { withoutUndefined } from '../../domain/defined';

/** The email for one outbox document. */
export function renderNotification(
  doc: Pick<NotificationDoc, 'kind' | 'orgId' | 'activityId' | 'activityTitle' | 'dueDate' | 'offsetDays' | 'recipientRole' | 'details' | 'message'>,
  opts: { publicUrl: string; recipientName?: string; confidential?: boolean; ownerName?: string },
): RenderedMessage {
  if (doc.kind === 'digest') {
    if (!doc.message) throw new Error('a digest notification carries its rendered message');
    return doc.message;
  }
  const activity = { id: doc.activityId ?? '', title: doc.activityTitle ?? '', confidential: opts.confidential ?? false };
  const common = { publicUrl: opts.publicUrl, ...(opts.recipientName ? { recipientName: opts.recipientName } : {}) };
  const d = doc.details ?? {};
  const dueDate = doc.dueDate ?? '';
  let input: MessageInput;
  switch (doc.kind) {
    case 'reminder':
      input = { ...common, type: 'reminder', activity, dueDate, daysLeft: Math.max(0, -(doc.offsetDays ?? 0)) };
      break;
    case 'overdue':
      input = { ...common, type: 'overdue', activity, dueDate };
      break;
    case 'escalation':
      input = {
        ...common,
        type: 'escalation',
        level: doc.recipientRole === 'head-of-administration' ? 'head' : 'coordinator',
        activity,
        dueDate,
        daysOverdue: doc.offsetDays ?? 0,
        ...(opts.ownerName ? { ownerName: opts.ownerName } : {}),
      };
      break;
    case 'approval-requested':
      input = { ...common, type: 'approval-requested', activity, milestoneTitle: d.milestoneTitle ?? '', ...withoutUndefined({ submittedBy: d.submittedBy }) };
      break;
    case 'decision':
      input = {
        ...common,
        type: 'decision',
        outcome: d.outcome ?? 'approved',
        activity,
        ...withoutUndefined({ milestoneTitle: d.milestoneTitle, decidedBy: d.decidedBy, comment: d.comment, dueDate: doc.dueDate, proposedDueDate: d.proposedDueDate }),
      };
      break;
    case 'review-adoption':
      input = { ...common, type: 'review-adoption', orgId: doc.orgId, orgName: d.orgName ?? doc.orgId, year: d.year ?? 0 };
      break;
  }
  return renderMessage(input);
}
