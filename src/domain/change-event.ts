import type { ActivityState, PersonRef } from './activity';

/**
 * What one change did, for the audit trail: who, what, when, and before/after of each field
 * that changed. Values are JSON strings, so that no user-named key ever becomes a document key.
 */
export interface ChangeEvent {
  activityId: string;
  orgId: string;
  version: number;
  action: string;
  actor: PersonRef;
  at: string;
  requestId: string;
  changes: { field: string; before: string; after: string }[];
}

const IGNORED = new Set(['version', 'updatedAt']);

/**
 * The fields that changed. With `byElement`, a list of things with ids (tasks, milestones,
 * entries, extensions) is compared element by element, so that ticking one task of many records
 * that task and not the whole list twice: an event's size then does not grow with the activity,
 * which kept the workflow's payloads under Temporal's limits. Without it, the first events'
 * format, which running workflows recorded and replay.
 */
export function diffActivity(before: ActivityState | undefined, after: ActivityState, opts: { byElement?: boolean } = {}): ChangeEvent['changes'] {
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  const changes: ChangeEvent['changes'] = [];
  for (const field of [...fields].sort()) {
    if (IGNORED.has(field)) continue;
    const b = before ? JSON.stringify((before as Record<string, unknown>)[field] ?? null) : 'null';
    const a = JSON.stringify((after as Record<string, unknown>)[field] ?? null);
    if (a === b) continue;
    const elements = opts.byElement && before ? elementChanges(field, (before as Record<string, unknown>)[field], (after as Record<string, unknown>)[field]) : undefined;
    changes.push(...(elements ?? [{ field, before: b, after: a }]));
  }
  return changes;
}

/** Per-element changes of two lists of `{ id }`, or undefined when they are not such lists or were reordered. */
function elementChanges(field: string, before: unknown, after: unknown): ChangeEvent['changes'] | undefined {
  const b = byId(before);
  const a = byId(after);
  if (!b || !a) return undefined;
  const kept = [...b.keys()].filter((id) => a.has(id));
  const afterOrder = [...a.keys()].filter((id) => b.has(id));
  if (kept.some((id, i) => afterOrder[i] !== id)) return undefined;
  const changes: ChangeEvent['changes'] = [];
  for (const id of new Set([...b.keys(), ...a.keys()])) {
    const x = b.has(id) ? JSON.stringify(b.get(id)) : 'null';
    const y = a.has(id) ? JSON.stringify(a.get(id)) : 'null';
    if (x !== y) changes.push({ field: `${field}[${id}]`, before: x, after: y });
  }
  return changes;
}

function byId(list: unknown): Map<string, unknown> | undefined {
  if (!Array.isArray(list)) return undefined;
  const map = new Map<string, unknown>();
  for (const item of list) {
    const id = (item as { id?: unknown } | null)?.id;
    if (typeof id !== 'string' || map.has(id)) return undefined;
    map.set(id, item);
  }
  return map;
}

export const SYSTEM_ACTOR: PersonRef = { userId: 'system', name: 'lisplan' };
