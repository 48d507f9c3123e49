import { randomUUID } from 'node:crypto';
import type { Outbox } from './delivery-state';

/**
 * Two deliveries of the same notification at once (a Temporal retry overtaking a slow attempt)
 * must not both send. A delivery first claims the document in one conditional update
 * (unclaimed, or the claim expired): MongoDB applies it to one caller only. The claim is
 * removed when the delivery ends and taken over once it has expired (a crashed holder).
 */

const HEARTBEAT_MS = 5_000;

export interface ClaimOptions {
  /** How long one delivery may hold a notification; longer than the SMTP timeouts of one run. */
  leaseMs: number;
  /** Tells Temporal the attempt is alive, at each renewal of the claim. */
  heartbeat?: () => void;
}

/**
 * Runs `work` while this call holds the claim on notification `id`; `held-elsewhere` when
 * another delivery holds it. While the attempt lives, it says so to Temporal and keeps its
 * claim; once its worker dies, both lapse and the retry on another worker takes over.
 */
export async function whileClaimed<T>(outbox: Outbox, id: string, opts: ClaimOptions, work: () => Promise<T>): Promise<T | 'held-elsewhere'> {
  const token = randomUUID();
  const now = new Date();
  const claimed = await outbox.findOneAndUpdate(
    { _id: id, $or: [{ claim: { $exists: false } }, { 'claim.until': { $lte: now } }] },
    { $set: { claim: { token, until: new Date(now.getTime() + opts.leaseMs) } } },
    { projection: { _id: 1 } },
  );
  if (claimed === null) return 'held-elsewhere';
  const alive = setInterval(() => {
    opts.heartbeat?.();
    outbox.updateOne({ _id: id, 'claim.token': token }, { $set: { 'claim.until': new Date(Date.now() + opts.leaseMs) } }).catch(() => undefined);
  }, Math.min(HEARTBEAT_MS, opts.leaseMs / 2));
  try {
    return await work();
  } finally {
    clearInterval(alive);
    // A claim left behind by a failed write only delays a retry until it expires.
    await outbox.updateOne({ _id: id, 'claim.token': token }, { $unset: { claim: '' } }).catch(() => undefined);
  }
}
