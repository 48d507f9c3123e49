import type { ActivityState, ApproverStep } from './activity';
import type { Command } from './changes';
import { waitingStep } from './changes';

/**
 * The notices a change gives rise to: a milestone now waiting for someone's sign-off, and a
 * decision the owner should hear of. Pure, so the workflow can compute them inside its Update
 * handler; the key includes the version of the change, so each is recorded once.
 */
export interface ChangeNotice {
  /** Unique within the activity: becomes part of the outbox id. */
  key: string;
  kind: 'approval-requested' | 'decision';
  recipient: { role: string; userId?: string };
  /** For a decision on an extension: the due date that now applies. */
  dueDate?: string;
  details: {
    milestoneTitle?: string;
    submittedBy?: string;
    outcome?: 'approved' | 'sent-back' | 'extension-granted' | 'extension-refused';
    decidedBy?: string;
    comment?: string;
    proposedDueDate?: string;
  };
}

export function changeNotices(after: ActivityState, command: Command, by: { name: string }): ChangeNotice[] {
  const v = after.version;
  const owner = recipientOf(after.owner);
  switch (command.type) {
    case 'submit-milestone':
    case 'approve-milestone':
    case 'reject-milestone': {
      const m = after.milestones.find((x) => x.id === command.milestoneId);
      if (!m) return [];
      const waiting = waitingStep(m);
      if (waiting) {
        return [
          {
            key: `v${v}-att-godkanna-${m.id}`,
            kind: 'approval-requested',
            recipient: recipientOf(waiting.approver),
            details: { milestoneTitle: m.title, ...(m.submittedBy ? { submittedBy: m.submittedBy.name } : {}) },
          },
        ];
      }
      if (command.type === 'submit-milestone') return [];
      const outcome = m.status === 'approved' ? 'approved' : 'sent-back';
      return [
        {
          key: `v${v}-beslut-${m.id}`,
          kind: 'decision',
          recipient: owner,
          details: { outcome, milestoneTitle: m.title, decidedBy: by.name, ...(command.comment ? { comment: command.comment } : {}) },
        },
      ];
    }
    case 'decide-extension': {
      const ext = after.extensions.find((e) => e.id === command.extensionId);
      if (!ext || ext.status === 'pending') return [];
      return [
        {
          key: `v${v}-beslut-${ext.id}`,
          kind: 'decision',
          recipient: owner,
          dueDate: after.dueDate,
          details: {
            outcome: ext.status === 'granted' ? 'extension-granted' : 'extension-refused',
            decidedBy: by.name,
            proposedDueDate: ext.proposedDueDate,
            ...(command.comment ? { comment: command.comment } : {}),
          },
        },
      ];
    }
    default:
      return [];
  }
}

function recipientOf(p: Pick<ApproverStep, 'role' | 'userId'>): { role: string; userId?: string } {
  return p.userId ? { role: p.role, userId: p.userId } : { role: p.role };
}
