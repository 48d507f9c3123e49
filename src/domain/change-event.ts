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

export function diffActivity(before: ActivityState | undefined, after: ActivityState): ChangeEvent['changes'] {
  const fields = new Set([...Object.keys(before ?? {}), ...Object.keys(after)]);
  const changes: ChangeEvent['changes'] = [];
  for (const field of [...fields].sort()) {
    if (IGNORED.has(field)) continue;
    const b = before ? JSON.stringify((before as Record<string, unknown>)[field] ?? null) : 'null';
    const a = JSON.stringify((after as Record<string, unknown>)[field] ?? null);
    if (a !== b) changes.push({ field, before: b, after: a });
  }
  return changes;
}

export const SYSTEM_ACTOR: PersonRef = { userId: 'system', name: 'lisplan' };
