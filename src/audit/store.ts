import type { Model } from 'mongoose';
import type { ChangeEvent } from '../domain/change-event';
import type { AuditEventDoc } from '../db/models/audit-event';
import { eventHash, GENESIS_HASH, verifyChain, type ChainedEvent, type ChainReport } from './chain';
import { isDuplicateKey } from '../db/errors';

interface Head {
  seq: number;
  hash: string;
}

/** Per store model: each organisation's known chain head, and the tail of its append queue. */
const heads = new WeakMap<Model<AuditEventDoc>, Map<string, Head>>();
const queues = new WeakMap<Model<AuditEventDoc>, Map<string, Promise<unknown>>>();

/**
 * Appends change events to their organisation's chain. The _id `${orgId}:${seq}` makes two
 * appenders collide instead of forking the chain: the loser finds the new head and tries again.
 *
 * The store finds documents fast only by _id (FerretDB v1 scans the collection for any other
 * filter, see the bench notes), so the hot path uses nothing else: appends to one organisation
 * queue up in this process instead of colliding, and the head is remembered and, after a
 * collision with another process, found by probing the next _ids. `mayRepeat` is for a retried
 * call, which may find its events already appended (a crash after the write): only then is the
 * unique eventKey looked up, which scans.
 */
export function appendAuditEvents(model: Model<AuditEventDoc>, events: ChangeEvent[], opts: { mayRepeat?: boolean } = { mayRepeat: true }): Promise<void> {
  const byOrg = new Map<string, ChangeEvent[]>();
  for (const e of events) byOrg.set(e.orgId, [...(byOrg.get(e.orgId) ?? []), e]);
  return Promise.all([...byOrg].map(([orgId, own]) => queued(model, orgId, () => appendToChain(model, orgId, own, opts.mayRepeat ?? true)))).then(() => undefined);
}

function queued<T>(model: Model<AuditEventDoc>, orgId: string, work: () => Promise<T>): Promise<T> {
  const byOrg = queues.get(model) ?? new Map<string, Promise<unknown>>();
  queues.set(model, byOrg);
  const run = (byOrg.get(orgId) ?? Promise.resolve()).catch(() => undefined).then(work);
  byOrg.set(orgId, run);
  void run.finally(() => byOrg.get(orgId) === run && byOrg.delete(orgId)).catch(() => undefined);
  return run;
}

async function appendToChain(model: Model<AuditEventDoc>, orgId: string, events: ChangeEvent[], mayRepeat: boolean): Promise<void> {
  const known = heads.get(model) ?? new Map<string, Head>();
  heads.set(model, known);
  for (const event of events) {
    const eventKey = `${event.activityId}@${event.version}`;
    if (mayRepeat && (await model.exists({ eventKey }))) continue;
    let head = known.get(orgId) ?? (await scanHead(model, orgId));
    for (let attempt = 1; ; attempt++) {
      const body = { ...event, eventKey, seq: head.seq + 1, prevHash: head.hash };
      const hash = eventHash(body);
      try {
        await model.create({ _id: `${orgId}:${body.seq}`, ...body, hash });
        known.set(orgId, { seq: body.seq, hash });
        break;
      } catch (err) {
        known.delete(orgId);
        if (!isDuplicateKey(err) || attempt >= 50) throw err;
        // Another process appended this event meanwhile (a retried call racing its predecessor).
        if (await model.exists({ eventKey })) break;
        head = await probeHead(model, orgId, head);
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(2 ** attempt, 64) * 5));
      }
    }
  }
}

async function scanHead(model: Model<AuditEventDoc>, orgId: string): Promise<Head> {
  const head = await model.findOne({ orgId }).sort({ seq: -1 }).select({ seq: 1, hash: 1 }).lean();
  return { seq: head?.seq ?? 0, hash: head?.hash ?? GENESIS_HASH };
}

/** The head after `from`, found by _id: the chain's seqs have no gaps. */
async function probeHead(model: Model<AuditEventDoc>, orgId: string, from: Head): Promise<Head> {
  let head = from;
  for (;;) {
    const next = await model.findById(`${orgId}:${head.seq + 1}`).select({ seq: 1, hash: 1 }).lean();
    if (!next) return head;
    head = { seq: next.seq, hash: next.hash };
  }
}

/** Reads an organisation's whole chain in order and checks every link and hash. */
export async function verifyOrganisationChain(model: Model<AuditEventDoc>, orgId: string): Promise<ChainReport> {
  const docs = await model.find({ orgId }).sort({ seq: 1 }).select({ _id: 0 }).lean();
  return verifyChain(docs as unknown as ChainedEvent[]);
}
