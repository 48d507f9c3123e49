import { createHash } from 'node:crypto';

/**
 * The audit trail is append-only and hash-chained per organisation: event n holds the hash of
 * event n-1, and its own hash covers all its fields. Editing, removing or reordering an event
 * breaks the chain where it happened.
 */

export interface ChainedEvent {
  orgId: string;
  seq: number;
  prevHash: string;
  hash: string;
  [field: string]: unknown;
}

export const GENESIS_HASH = '0'.repeat(64);

export function eventHash(event: Omit<ChainedEvent, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(event)).digest('hex');
}

export type ChainProblem =
  | { seq: number; kind: 'tampered'; detail: string }
  | { seq: number; kind: 'broken-link'; detail: string }
  | { seq: number; kind: 'missing'; detail: string };

export interface ChainReport {
  ok: boolean;
  events: number;
  lastHash: string;
  /** The seq of the last event read (from.seq when none): where a later check continues. */
  lastSeq: number;
  problems: ChainProblem[];
}

/**
 * Checks one organisation's events, given in seq order, from the first event on, or from the
 * event after `from` (already verified) when only the chain's newer part is read.
 */
export function verifyChain(events: ChainedEvent[], from: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH }): ChainReport {
  const problems: ChainProblem[] = [];
  let expectedSeq = from.seq + 1;
  let prevHash = from.hash;
  for (const e of events) {
    if (e.seq !== expectedSeq) {
      problems.push({ seq: expectedSeq, kind: 'missing', detail: `events ${expectedSeq}–${e.seq - 1} are missing` });
    }
    if (e.prevHash !== prevHash) {
      problems.push({ seq: e.seq, kind: 'broken-link', detail: 'prevHash does not match the hash of the event before' });
    }
    const { hash, ...rest } = e;
    if (eventHash(rest) !== hash) {
      problems.push({ seq: e.seq, kind: 'tampered', detail: 'the content does not match its hash' });
    }
    prevHash = hash;
    expectedSeq = e.seq + 1;
  }
  return { ok: problems.length === 0, events: events.length, lastHash: prevHash, lastSeq: expectedSeq - 1, problems };
}

/** JSON with object keys sorted at every level, so that equal content hashes equally. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
