import { decide } from '../../src/domain/changes';
import type { ActivityState, Actor } from '../../src/domain/activity';
import type { Command } from '../../src/domain/commands';
import { newActivityState } from '../../src/domain/new-activity';

/** The coordinator's edits of an activity's plan (issue 20), through the one rulebook. */
const coordinator: Actor = { userId: 'sara', name: 'Sara', roles: ['security-coordinator'], delegations: [] };
const owner: Actor = { userId: 'olle', name: 'Olle', roles: ['it-coordinator'], delegations: [] };
const CTX = { now: '2000-06-01T10:00:00.000Z', timeZone: 'Europe/Stockholm' };

const base = (): ActivityState =>
  newActivityState({ orgId: 'org', key: 'a', year: 2000, title: 'Rutiner', area: 'ai', owner: { role: 'it-coordinator' }, template: 'delegation', dueDate: '2000-10-31' }, CTX.now);

function act(state: ActivityState, actor: Actor, command: Command) {
  return decide(state, { requestId: 'r', actor, command }, CTX);
}

describe('plan edits', () => {
  it('changes only the fields that differ, and keeps a new due date in the history', () => {
    const d = act(base(), coordinator, { type: 'edit-details', title: 'Rutiner', area: 'styrning', dueDate: '2000-11-30', estimatedCost: 1000 });
    expect(d.ok && { area: d.state.area, due: d.state.dueDate, cost: d.state.estimatedCost, history: d.state.deadlineHistory.map((h) => [h.from, h.to]), title: d.state.title }).toEqual({ area: 'styrning', due: '2000-11-30', cost: 1000, history: [['2000-10-31', '2000-11-30']], title: 'Rutiner' });
  });

  it('refuses an edit that changes nothing, a start after the due date, and an owner', () => {
    expect(act(base(), coordinator, { type: 'edit-details', title: 'Rutiner' })).toMatchObject({ ok: false, rejection: { kind: 'invalid' } });
    expect(act(base(), coordinator, { type: 'edit-details', startDate: '2000-12-01' })).toMatchObject({ ok: false, rejection: { kind: 'invalid' } });
    expect(act(base(), owner, { type: 'edit-details', title: 'Annat' })).toMatchObject({ ok: false, rejection: { kind: 'forbidden' } });
  });

  it('adds a milestone before the final one, and not once the final one is sent in', () => {
    const d = act(base(), coordinator, { type: 'add-milestone', title: 'Underlag klart' });
    if (!d.ok) throw new Error(d.rejection.reason);
    expect(d.state.milestones.map((m) => [m.title, m.final])).toEqual([...base().milestones.filter((m) => !m.final).map((m) => [m.title, false]), ['Underlag klart', false], [expect.any(String), true]]);
    expect(act({ ...base(), status: 'awaiting-approval' }, coordinator, { type: 'add-milestone', title: 'Sent' })).toMatchObject({ ok: false, rejection: { kind: 'illegal-transition' } });
  });

  it('renames an open task for its owner, not one of a submitted milestone', () => {
    const s = base();
    const task = s.tasks[0]!;
    const d = act(s, owner, { type: 'rename-task', taskId: task.id, title: 'Nytt namn' });
    expect(d.ok && d.state.tasks[0]!.title).toBe('Nytt namn');
    const submitted = { ...s, milestones: s.milestones.map((m) => (m.id === task.milestoneId ? { ...m, status: 'submitted' as const } : m)) };
    expect(act(submitted, owner, { type: 'rename-task', taskId: task.id, title: 'Nytt namn' })).toMatchObject({ ok: false, rejection: { kind: 'illegal-transition' } });
    expect(act(s, owner, { type: 'rename-milestone', milestoneId: s.milestones[0]!.id, title: 'X' })).toMatchObject({ ok: false, rejection: { kind: 'forbidden' } });
  });

  it('keeps an unblocking reason as a comment', () => {
    const blocked = act(base(), owner, { type: 'block', reason: 'Väntar' });
    if (!blocked.ok) throw new Error(blocked.rejection.reason);
    const d = act(blocked.state, owner, { type: 'unblock', reason: 'Avtalet klart' });
    expect(d.ok && [d.state.status, d.state.entries.at(-1)?.text]).toEqual(['planned', 'Avtalet klart']);
  });
});
