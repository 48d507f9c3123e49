/** Deterministic ids for the items of an activity: `prefix-n` for the first n not in use (replays give the same ids). */
export function freshId(prefix: string, used: string[]): string {
  for (let n = used.length + 1; ; n++) {
    const id = `${prefix}-${n}`;
    if (!used.includes(id)) return id;
  }
}
