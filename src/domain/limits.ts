/**
 * Bounds on what a workflow's state may hold, shared by activities and reviews. A workflow
 * carries its whole state in every workflow task, in the inputs of its projections (kept in its
 * history) and across continue-as-new, where Temporal refuses more than 2 MB and terminates the
 * workflow. So each growing list has a count, and the state as a whole a size.
 */

export interface LimitBreach<N extends string = string> {
  limit: { name: N; max: number };
  reason: string;
}

export interface Bounds<S, N extends string> {
  /** Who the reason speaks of: "En aktivitet". */
  subject: string;
  limits: Record<N, number>;
  counts: readonly { name: N; count: (s: S) => number; what: string }[];
  /** The size bound on JSON.stringify(state).length; absent for a change that may pass it. */
  size?: { name: N; reason: (max: number) => string };
}

/**
 * The limit a change would take the state past, if any. Only growth is refused: a state that is
 * over a limit already (created so, or from before the limits) can still be worked on, just not
 * grown in that respect.
 */
export function limitPassed<S, N extends string>(bounds: Bounds<S, N>, before: S, after: S): LimitBreach<N> | undefined {
  for (const { name, count, what } of bounds.counts) {
    const max = bounds.limits[name];
    const n = count(after);
    if (n > max && n > count(before)) return { limit: { name, max }, reason: `${bounds.subject} kan ha högst ${max} ${what} (gränsen ${name}).` };
  }
  if (!bounds.size) return undefined;
  const { name, reason } = bounds.size;
  const max = bounds.limits[name];
  const size = JSON.stringify(after).length;
  return size > max && size > JSON.stringify(before).length ? { limit: { name, max }, reason: reason(max) } : undefined;
}
