import os from 'node:os';
import mongoose, { type Connection } from 'mongoose';
import type { Config } from '../platform/config';
import { redact } from '../platform/config';
import { OperatorError } from '../platform/errors';
import { StoreUnavailableError } from './errors';

/**
 * How long the API lets a request wait for an absent store before it answers 503 with
 * Retry-After. The driver's default of ten seconds per operation stacked up within one request
 * (the projection wait, then the idempotency record), so a client saw a hanging request instead
 * of being told to come back.
 */
export const API_STORE_WAIT_MS = 3_000;

/**
 * The driver finds the `os` module with a dynamic import unless it is handed one; where that
 * import fails (jest's module sandbox) it sends an empty client document in its handshake, and
 * a real mongod refuses the connection ("Missing required sub-document 'driver'").
 */
export const storeRuntime = { runtimeAdapters: { os } };

/**
 * One connection per process. Commands are not buffered while the store is away, so that a
 * request fails at once (and the API answers 503) instead of hanging.
 */
export async function connectStore(mongo: Config['mongo'], opts: { timeoutMs?: number } = {}): Promise<Connection> {
  const conn = mongoose.createConnection(mongo.uri, {
    dbName: mongo.dbName,
    serverSelectionTimeoutMS: opts.timeoutMs ?? 10_000,
    bufferCommands: false,
    autoIndex: true,
    ...storeRuntime,
  });
  try {
    await conn.asPromise();
  } catch (err) {
    await conn.close(true).catch(() => undefined);
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new StoreUnreachableError(`cannot reach the store at ${redact(mongo.uri)} (MONGODB_URI): ${reason}`);
  }
  return conn;
}

export class StoreUnreachableError extends OperatorError {
  override readonly name = 'StoreUnreachableError';
}

/** Resolves when the store answers a ping within `timeoutMs`. */
export async function pingStore(conn: Connection, timeoutMs = 2_000): Promise<void> {
  if (!conn.db) throw new StoreUnavailableError('not connected');
  await withTimeout(conn.db.admin().ping(), timeoutMs, 'store ping timed out');
}

/** A call bounded in time; for a store call (the default) running out is the store being unavailable. */
export function withTimeout<T>(p: Promise<T>, ms: number, message: string, timedOut: (message: string) => Error = (m) => new StoreUnavailableError(m)): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(timedOut(message)), ms);
    }),
  ]);
}
