import type { Model } from 'mongoose';
import type { ChangeEvent } from '../domain/change-event';
import type { AuditEventDoc } from '../db/models/audit-event';
import { eventHash, GENESIS_HASH, verifyChain, type ChainedEvent, type ChainReport } from './chain';
import { isDuplicateKey } from '../db/errors';

/** Enough for every worker of an organisation appending at once; more means something is wrong. */
const APPEND_TRIES = 50;

/**
 * Appends change events to their organisation's chain. The _id `${orgId}:${seq}` makes two
 * appenders collide instead of forking the chain: the loser reads the new head (the
 * {orgId, seq} index) and tries again. The unique eventKey makes an event that is already in
 * the chain (a retried call after a crash, or its racing predecessor) a no-op; `mayRepeat`
 * says whether to look for it before appending.
 */
export async function appendAuditEvents(model: Model<AuditEventDoc>, events: ChangeEvent[], opts: { mayRepeat?: boolean } = { mayRepeat: true }): Promise<void> {
  for (const event of events) await appendOne(model, event, opts.mayRepeat ?? true);
}

async function appendOne(model: Model<AuditEventDoc>, event: ChangeEvent, mayRepeat: boolean): Promise<void> {
  const eventKey = `${event.activityId}@${event.version}`;
  if (mayRepeat && (await model.exists({ eventKey }))) return;
  for (let attempt = 1; ; attempt++) {
    const head = await headOf(model, event.orgId);
    const body = { ...event, eventKey, seq: head.seq + 1, prevHash: head.hash };
    try {
      await model.create({ _id: `${event.orgId}:${body.seq}`, ...body, hash: eventHash(body) });
      return;
    } catch (err) {
      if (!isDuplicateKey(err) || attempt >= APPEND_TRIES) throw err;
      if (await model.exists({ eventKey })) return;
      // Jitter, so that appenders that collided do not collide again in step.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(2 ** attempt, 64)));
    }
  }
}

async function headOf(model: Model<AuditEventDoc>, orgId: string): Promise<{ seq: number; hash: string }> {
  const head = await model.findOne({ orgId }).sort({ seq: -1 }).select({ seq: 1, hash: 1 }).lean();
  return { seq: head?.seq ?? 0, hash: head?.hash ?? GENESIS_HASH };
}

/** Reads an organisation's whole chain in order and checks every link and hash. */
export async function verifyOrganisationChain(model: Model<AuditEventDoc>, orgId: string): Promise<ChainReport> {
  const docs = await model.find({ orgId }).sort({ seq: 1 }).select({ _id: 0 }).lean();
  return verifyChain(docs as unknown as ChainedEvent[]);
}
