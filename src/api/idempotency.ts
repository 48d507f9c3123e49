import { createHash } from 'node:crypto';
import type { Models } from '../db/models';
import { Problem } from './problem';

/**
 * Replays the first response to a write with the same Idempotency-Key (per user). The
 * workflow itself also refuses a second effect for the same request id, so a lost cache
 * (the store being away) still cannot apply a change twice.
 */
export async function withIdempotency(
  models: Models,
  key: { userId: string; idempotencyKey?: string; method: string; path: string; body: unknown },
  run: () => Promise<{ status: number; body: unknown; headers?: Record<string, string> }>,
): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
  if (!key.idempotencyKey) return run();
  const id = sha256(`${key.userId}\u0000${key.idempotencyKey}`);
  const requestHash = sha256(`${key.method} ${key.path} ${JSON.stringify(key.body ?? null)}`);
  const cached = await models.idempotencyKeys.findById(id).lean().catch(() => null);
  if (cached) {
    if (cached.requestHash !== requestHash) {
      throw new Problem(422, 'idempotency-key-reused', 'Idempotency-Key återanvänd', 'The Idempotency-Key was used before for another request.');
    }
    return { status: cached.status, body: JSON.parse(cached.body), headers: { 'Idempotent-Replayed': 'true' } };
  }
  const out = await run();
  await models.idempotencyKeys
    .updateOne({ _id: id }, { $setOnInsert: { requestHash, status: out.status, body: JSON.stringify(out.body), createdAt: new Date() } }, { upsert: true })
    .catch(() => undefined);
  return out;
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}
