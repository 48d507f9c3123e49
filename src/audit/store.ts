import type { Model } from 'mongoose';
import type { ChangeEvent } from '../domain/change-event';
import type { AuditEventDoc } from '../db/models/audit-event';
import { eventHash, GENESIS_HASH, verifyChain, type ChainedEvent, type ChainReport } from './chain';
import { isDuplicateKey } from '../db/errors';

/**
 * Appends change events to their organisation's chain. The _id `${orgId}:${seq}` makes two
 * concurrent appenders collide instead of forking the chain: the loser reads the new head and
 * tries again. The unique eventKey makes a retried append (after a crash) a no-op.
 */
export async function appendAuditEvents(model: Model<AuditEventDoc>, events: ChangeEvent[]): Promise<void> {
  for (const event of events) {
    const eventKey = `${event.activityId}@${event.version}`;
    for (let attempt = 1; ; attempt++) {
      if (await model.exists({ eventKey })) break;
      const head = await model.findOne({ orgId: event.orgId }).sort({ seq: -1 }).select({ seq: 1, hash: 1 }).lean();
      const body = { ...event, eventKey, seq: (head?.seq ?? 0) + 1, prevHash: head?.hash ?? GENESIS_HASH };
      const hash = eventHash(body);
      try {
        await model.create({ _id: `${event.orgId}:${body.seq}`, ...body, hash });
        break;
      } catch (err) {
        if (!isDuplicateKey(err) || attempt >= 50) throw err;
        // Another appender took this seq. Back off with jitter so that many appenders to one
        // organisation (a plan load) spread out instead of colliding again in lock-step.
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(2 ** attempt, 64) * 5));
      }
    }
  }
}

/** Reads an organisation's whole chain in order and checks every link and hash. */
export async function verifyOrganisationChain(model: Model<AuditEventDoc>, orgId: string): Promise<ChainReport> {
  const docs = await model.find({ orgId }).sort({ seq: 1 }).select({ _id: 0 }).lean();
  return verifyChain(docs as unknown as ChainedEvent[]);
}
