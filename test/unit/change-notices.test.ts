import type { ActivityState } from '../../src/domain/activity';
import { changeNotices } from '../../src/domain/change-notices';
import { decide, type Command } from '../../src/domain/changes';
import { newActivityState } from '../../src/domain/new-activity';
import { coordinator, head, owner } from '../support/actors';

const ctx = { now: '2026-05-04T08:00:00Z', timeZone: 'Europe/Stockholm' };

function apply(state: ActivityState, actor: typeof owner, command: Command): ActivityState {
  const d = decide(state, { requestId: `r-${state.version}`, actor, command }, ctx);
  if (!d.ok) throw new Error(d.rejection.reason);
  return d.state;
}

describe('changeNotices', () => {
  let s: ActivityState;
  beforeEach(() => {
    s = newActivityState({ orgId: 'sodermalm', key: 'a1', year: 2026, dueDate: '2026-12-31', title: 'Klassa e-tjänsterna', area: 'ai', owner: { role: 'it-coordinator' } }, ctx.now);
    s = apply(s, coordinator, { type: 'assign-owner', userId: owner.userId, name: owner.name });
    s = apply(s, owner, { type: 'complete-task', taskId: 'genomfor' });
  });

  it('asks the waiting approver to sign off a handed-in milestone', () => {
    const command: Command = { type: 'submit-milestone', milestoneId: 'slutford' };
    s = apply(s, owner, command);
    expect(changeNotices(s, command, owner)).toEqual([
      { key: `v${s.version}-att-godkanna-slutford`, kind: 'approval-requested', recipient: { role: 'head-of-administration' }, details: { milestoneTitle: expect.any(String), submittedBy: owner.name } },
    ]);
  });

  it('tells the owner of an approval and of a milestone sent back, with the comment', () => {
    s = apply(s, owner, { type: 'submit-milestone', milestoneId: 'slutford' });
    const back: Command = { type: 'reject-milestone', milestoneId: 'slutford', comment: 'Bifoga klassningen.' };
    const rejected = apply(s, head, back);
    expect(changeNotices(rejected, back, head)).toEqual([
      expect.objectContaining({ kind: 'decision', recipient: { role: 'it-coordinator', userId: owner.userId }, details: expect.objectContaining({ outcome: 'sent-back', decidedBy: head.name, comment: 'Bifoga klassningen.' }) }),
    ]);
    const ok: Command = { type: 'approve-milestone', milestoneId: 'slutford' };
    const approved = apply(s, head, ok);
    expect(changeNotices(approved, ok, head).map((n) => [n.kind, n.details.outcome])).toEqual([['decision', 'approved']]);
  });

  it('tells the owner an extension was granted with the date that now applies, or refused', () => {
    s = apply(s, owner, { type: 'request-extension', proposedDueDate: '2027-03-31', reason: 'Upphandling' });
    const grant: Command = { type: 'decide-extension', extensionId: 'forlangning-1', decision: 'grant' };
    const granted = apply(s, head, grant);
    expect(changeNotices(granted, grant, head)).toEqual([
      expect.objectContaining({ kind: 'decision', dueDate: '2027-03-31', details: expect.objectContaining({ outcome: 'extension-granted', proposedDueDate: '2027-03-31' }) }),
    ]);
    const refuse: Command = { type: 'decide-extension', extensionId: 'forlangning-1', decision: 'refuse' };
    const refused = apply(s, head, refuse);
    expect(changeNotices(refused, refuse, head)).toEqual([expect.objectContaining({ dueDate: '2026-12-31', details: expect.objectContaining({ outcome: 'extension-refused' }) })]);
  });

  it('gives no notice for work that nobody needs to hear of', () => {
    const command: Command = { type: 'add-comment', text: 'Status: pågår' };
    expect(changeNotices(apply(s, owner, command), command, owner)).toEqual([]);
  });
});
