import { createHash, randomUUID } from 'node:crypto';
import type { Models } from '../store/models';
import type { IdempotencyDoc } from '../store/models/idempotency';
import { Problem } from '../services/problem';
import { claimNewKey, findIdempotencyRecord, releaseClaim, renewClaim, storeIdempotentAnswer, takeOverLapsedClaim } from '../services/idempotency-records';

type Answer = { status: number; body: unknown; headers?: Record<string, string> };

/**
 * How long a claim holds without being renewed: after a crash of the API process that held it,
 * the next request with the key runs after at most this long.
 */
export const IDEMPOTENCY_CLAIM_MS = 10_000;
/** A request with a key that another is running waits this long for that one's answer at most. */
const WAIT_FOR_FIRST_MS = 45_000;
const FIRST_POLL_MS = 10;
const LONGEST_POLL_MS = 250;

/**
 * Replays the first response to a write with the same Idempotency-Key (per user). One request
 * per key runs: it claims the key by inserting its record (the unique _id decides between
 * requests that arrive together), and the others wait for its answer and replay it, so that
 * every request with the key gets the same answer. A request that fails gives the key back, and
 * the next one runs. The workflow itself also refuses a second effect for the same request id,
 * so a lost record (the store being away) still cannot apply a change twice.
 */
export async function withIdempotency(
  models: Models,
  key: { userId: string; idempotencyKey?: string; method: string; path: string; body: unknown },
  run: () => Promise<Answer>,
  opts: { claimMs?: number; waitMs?: number } = {},
): Promise<Answer> {
  if (!key.idempotencyKey) return run();
  const id = sha256(`${key.userId}\u0000${key.idempotencyKey}`);
  const requestHash = sha256(`${key.method} ${key.path} ${JSON.stringify(key.body ?? null)}`);
  const claimMs = opts.claimMs ?? IDEMPOTENCY_CLAIM_MS;
  const deadline = Date.now() + (opts.waitMs ?? WAIT_FOR_FIRST_MS);
  let pause = FIRST_POLL_MS;

  for (;;) {
    // Without the store there is no record to share; the workflow's request id still holds.
    const record = await findIdempotencyRecord(models, id).then(
      (r) => r,
      () => undefined,
    );
    if (record === undefined) return run();
    if (record && record.requestHash !== requestHash) {
      throw Problem.idempotencyKeyReused();
    }
    if (record?.body !== undefined) return replay(record);
    if (record && (record.claimedUntil?.getTime() ?? 0) > Date.now()) {
      // Another request with the key is running: its answer is this one's too.
      if (Date.now() > deadline) throw Problem.unavailable('A request with this Idempotency-Key is still in progress.', 1);
      await new Promise((r) => setTimeout(r, pause));
      pause = Math.min(pause * 2, LONGEST_POLL_MS);
      continue;
    }
    // No record, or a claim whose holder stopped renewing it (its process died): take it.
    const token = randomUUID();
    const claimed = await claim(models, id, requestHash, token, record?.claim, claimMs).catch(() => undefined);
    if (claimed === undefined) return run();
    if (claimed) return runClaimed(models, id, token, claimMs, run);
  }
}

/** True when this request now holds the key; undefined when the store did not answer. */
async function claim(models: Models, id: string, requestHash: string, token: string, lapsed: string | undefined, claimMs: number): Promise<boolean> {
  const claimedUntil = new Date(Date.now() + claimMs);
  return lapsed === undefined ? claimNewKey(models, id, requestHash, token, claimedUntil) : takeOverLapsedClaim(models, id, lapsed, token, claimedUntil);
}

async function runClaimed(models: Models, id: string, token: string, claimMs: number, run: () => Promise<Answer>): Promise<Answer> {
  const alive = setInterval(() => {
    renewClaim(models, id, token, new Date(Date.now() + claimMs)).catch(() => undefined);
  }, claimMs / 3);
  let out: Answer;
  try {
    out = await run();
  } catch (err) {
    // Failures are not replayed: the key is free for the next request (and those waiting).
    await releaseClaim(models, id, token).catch(() => undefined);
    throw err;
  } finally {
    clearInterval(alive);
  }
  const answer = { status: out.status, body: JSON.stringify(out.body), headers: JSON.stringify(out.headers ?? {}) };
  const stored = await storeIdempotentAnswer(models, id, answer).catch(() => undefined);
  // A request that took over a claim this one held too long answered first: that answer stands.
  if (stored === false) {
    const first = await findIdempotencyRecord(models, id).catch(() => null);
    if (first?.body !== undefined) return replay(first);
  }
  return out;
}

function replay(record: IdempotencyDoc): Answer {
  const headers = record.headers ? (JSON.parse(record.headers) as Record<string, string>) : {};
  return { status: record.status ?? 200, body: JSON.parse(record.body!), headers: { ...headers, 'Idempotent-Replayed': 'true' } };
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}
