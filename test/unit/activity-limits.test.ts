import type { ActivityState } from '../../src/domain/activity';
import { ACTIVITY_LIMITS, limitBreached } from '../../src/domain/activity-limits';
import { newActivityState } from '../../src/domain/new-activity';

const base = newActivityState({ orgId: 'sodermalm', key: 'k', year: 2026, title: 'T', area: 'ai', owner: { role: 'it-coordinator' } }, '2026-01-01T00:00:00.000Z');
const by = { userId: 'u', name: 'U' };
const comments = (n: number, text = 'x'): ActivityState['entries'] => Array.from({ length: n }, (_, i) => ({ id: `kommentar-${i + 1}`, kind: 'comment' as const, text, by, at: '2026-01-02T00:00:00.000Z' }));

describe('limitBreached', () => {
  it('allows a list up to its limit and refuses one more, naming the limit', () => {
    const full = { ...base, entries: comments(ACTIVITY_LIMITS.comments) };
    expect(limitBreached(base, full, 'add-comment')).toBeUndefined();
    const past = { ...full, entries: comments(ACTIVITY_LIMITS.comments + 1) };
    expect(limitBreached(full, past, 'add-comment')).toEqual({ limit: { name: 'comments', max: ACTIVITY_LIMITS.comments }, reason: expect.stringContaining('(gränsen comments)') });
  });

  it('refuses only growth: an activity over a limit already can still change in other ways', () => {
    const over = { ...base, entries: comments(ACTIVITY_LIMITS.comments + 5) };
    expect(limitBreached(over, { ...over, status: 'in-progress' }, 'start')).toBeUndefined();
  });

  it('bounds the text kept in the store by its length, which the entries’ references carry', () => {
    const stored = (n: number): ActivityState['entries'] =>
      Array.from({ length: n }, (_, i) => ({ id: `kommentar-${i + 1}`, kind: 'comment' as const, textRef: { id: `text-${i}`, sha256: 'a'.repeat(64), length: 4000 }, by, at: '2026-01-02T00:00:00.000Z' }));
    const full = { ...base, entries: stored(ACTIVITY_LIMITS.entryText / 4000) };
    expect(limitBreached(base, full, 'add-comment')).toBeUndefined();
    const past = { ...full, entries: stored(ACTIVITY_LIMITS.entryText / 4000 + 1) };
    expect(limitBreached(full, past, 'add-comment')).toEqual({ limit: { name: 'entryText', max: ACTIVITY_LIMITS.entryText }, reason: expect.stringContaining('(gränsen entryText)') });
  });

  it('bounds the whole state by size, except for the commands that close an activity', () => {
    const big = { ...base, entries: comments(99, 'å'.repeat(4000)) };
    const bigger = { ...big, entries: comments(101, 'å'.repeat(4000)) };
    expect(limitBreached(big, bigger, 'add-comment')?.limit).toEqual({ name: 'stateSize', max: ACTIVITY_LIMITS.stateSize });
    expect(limitBreached(bigger, { ...bigger, status: 'cancelled' }, 'cancel')).toBeUndefined();
  });
});
