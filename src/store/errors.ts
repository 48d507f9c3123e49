/** MongoDB's duplicate-key error. */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}

/** A duplicate key on the unique index that starts with `field` (the error's keyPattern names it). */
export function isDuplicateKeyOn(err: unknown, field: string): boolean {
  return isDuplicateKey(err) && (err as { keyPattern?: Record<string, unknown> }).keyPattern?.[field] !== undefined;
}

/**
 * The store did not give a usable answer: it timed out, or what it returned is not what was
 * stored (a reply without its cursor, a document without its required fields, as a
 * MongoDB-compatible server under load was seen to return). Callers get 503 and come back; it
 * is never the caller's fault and never a 500.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

/**
 * Errors of the driver and of BSON that mean the store's answer could not be had or read. Not
 * here: the duplicate key (a caller's conflict, handled where it can happen) and the driver's
 * argument and API errors, which are bugs in the calling code.
 */
export function isStoreFailure(err: unknown): boolean {
  const name = (err as { name?: unknown } | null)?.name;
  if (typeof name !== 'string') return false;
  if (name === 'StoreUnavailableError' || /^BSON\w*Error$/.test(name) || name === 'MongooseServerSelectionError') return true;
  if (name === 'MongooseError') return /not connected|buffering|connection|closed/i.test(String((err as Error).message));
  if (!name.startsWith('Mongo') || /^Mongo(InvalidArgument|API|Parse|MissingDependency|Compatibility|MissingCredentials)Error$/.test(name)) return false;
  return !isDuplicateKey(err);
}
