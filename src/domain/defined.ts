/**
 * The object without its `undefined` fields. Payloads and documents carry none: Temporal's
 * converter and the store treat a field set to undefined differently from a missing one.
 */
export function withoutUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
