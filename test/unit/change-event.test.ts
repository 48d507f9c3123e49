import { diffActivity } from '../../src/domain/change-event';
import { newActivityState } from '../../src/domain/new-activity';

const base = newActivityState(
  { orgId: 'o', key: 'k', year: 2026, title: 'T', area: 'a', owner: { role: 'it-coordinator' }, extraTasks: ['Ett', 'Två', 'Tre'] } as never,
  '2026-01-01T00:00:00.000Z',
);
const tick = (id: string) => ({ ...base, version: 2, tasks: base.tasks.map((t) => (t.id === id ? { ...t, done: true } : t)) });

describe('diffActivity', () => {
  it('names the one element of a list that changed, by id', () => {
    const changes = diffActivity(base, tick('uppgift-2'), { byElement: true });
    expect(changes.map((c) => c.field)).toEqual(['tasks[uppgift-2]']);
    expect(JSON.parse(changes[0]!.before)).toMatchObject({ id: 'uppgift-2', done: false });
    expect(JSON.parse(changes[0]!.after)).toMatchObject({ id: 'uppgift-2', done: true });
  });

  it('records added and removed elements against null', () => {
    const added = { ...base, tasks: [...base.tasks, { id: 'ny', title: 'Ny', milestoneId: base.tasks[0]!.milestoneId, done: false }] };
    expect(diffActivity(base, added, { byElement: true }).map((c) => [c.field, c.before])).toEqual([['tasks[ny]', 'null']]);
    const removed = { ...base, tasks: base.tasks.slice(1) };
    expect(diffActivity(base, removed, { byElement: true }).map((c) => [c.field, c.after])).toEqual([[`tasks[${base.tasks[0]!.id}]`, 'null']]);
  });

  it('keeps the whole list when its order changed, and without byElement (the recorded format)', () => {
    const reordered = { ...base, tasks: [...base.tasks].reverse() };
    expect(diffActivity(base, reordered, { byElement: true }).map((c) => c.field)).toEqual(['tasks']);
    expect(diffActivity(base, tick('uppgift-2')).map((c) => c.field)).toEqual(['tasks']);
  });
});
