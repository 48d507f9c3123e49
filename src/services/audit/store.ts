import type { Model } from 'mongoose';
import type { ChangeEvent } from '../../domain/change-event';
import type { AuditEventDoc } from '../../store/models/audit-event';
import { eventHash, GENESIS_HASH, verifyChain, type ChainedEvent, type ChainReport } from './chain';
import { isDuplicateKey } from '../../store/errors';

/** Enough for every worker of an organisation appending at once; more means something is wrong. */
const APPEND_TRIES = 50;

/**
 * Appends change events to their organisation's chain. A hash chain is serial by nature: each
 * link names the one before. So within a process, each organisation has one appender that takes
 * every event waiting for that chain and writes them as one ordered batch after reading the head
 * once (group commit); 32 owners of one organisation cost a few round trips, not a storm of
 * collisions. Between processes the _id `${orgId}:${seq}` still makes two appenders collide
 * instead of forking the chain: the loser reads the new head and tries again. The unique
 * eventKey makes an event that is already in the chain (a retried call after a crash, or its
 * racing predecessor) a no-op; `mayRepeat` says whether to look for it before appending.
 */
export function appendAuditEvents(model: Model<AuditEventDoc>, events: ChangeEvent[], opts: { mayRepeat?: boolean } = { mayRepeat: true }): Promise<void> {
  if (events.length === 0) return Promise.resolve();
  const orgId = events[0]!.orgId;
  if (events.some((e) => e.orgId !== orgId)) {
    return Promise.all(events.map((e) => appendAuditEvents(model, [e], opts))).then(() => undefined);
  }
  return chainOf(model, orgId).append({ events, mayRepeat: opts.mayRepeat ?? true });
}

interface Waiting {
  events: ChangeEvent[];
  mayRepeat: boolean;
  done?: (err?: Error) => void;
}

/** One appender per (collection, organisation) in this process, alive while it has work. */
const appenders = new WeakMap<Model<AuditEventDoc>, Map<string, Appender>>();

function chainOf(model: Model<AuditEventDoc>, orgId: string): Appender {
  let byOrg = appenders.get(model);
  if (!byOrg) appenders.set(model, (byOrg = new Map()));
  let appender = byOrg.get(orgId);
  if (!appender) {
    appender = new Appender(model, orgId, () => byOrg.delete(orgId));
    byOrg.set(orgId, appender);
  }
  return appender;
}

/** Most events written in one insert: a bounded request however many callers wait. */
const BATCH_EVENTS = 200;

class Appender {
  private queue: Waiting[] = [];
  private running = false;

  constructor(
    private readonly model: Model<AuditEventDoc>,
    private readonly orgId: string,
    private readonly idle: () => void,
  ) {}

  append(waiting: Waiting): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ ...waiting, done: (err) => (err ? reject(err) : resolve()) });
      if (!this.running) void this.run();
    });
  }

  private async run(): Promise<void> {
    this.running = true;
    while (this.queue.length > 0) {
      const batch: Waiting[] = [];
      let count = 0;
      while (this.queue.length > 0 && (batch.length === 0 || count + this.queue[0]!.events.length <= BATCH_EVENTS)) {
        const next = this.queue.shift()!;
        batch.push(next);
        count += next.events.length;
      }
      try {
        await this.write(batch.flatMap((w) => w.events.map((event) => ({ event, mayRepeat: w.mayRepeat }))));
        batch.forEach((w) => w.done!());
      } catch (err) {
        batch.forEach((w) => w.done!(err instanceof Error ? err : new Error(String(err))));
      }
    }
    this.running = false;
    this.idle();
  }

  /** Writes the events in order, each once, linked to whatever head the chain has. */
  private async write(pending: { event: ChangeEvent; mayRepeat: boolean }[]): Promise<void> {
    // One of each event, in order: a retried projection may wait beside its first attempt.
    let todo = [...new Map(pending.map((p) => [keyOf(p.event), p])).values()];
    if (todo.some((p) => p.mayRepeat)) todo = await this.notYetIn(todo, todo.filter((p) => p.mayRepeat));
    for (let attempt = 1; todo.length > 0; attempt++) {
      let head = await headOf(this.model, this.orgId);
      const docs = todo.map(({ event }) => {
        const body = { ...event, eventKey: keyOf(event), seq: head.seq + 1, prevHash: head.hash };
        const hash = eventHash(body);
        head = { seq: body.seq, hash };
        return { _id: `${event.orgId}:${body.seq}`, ...body, hash };
      });
      try {
        await this.model.insertMany(docs, { ordered: true, lean: true });
        return;
      } catch (err) {
        if (!isDuplicateKey(err) || attempt >= APPEND_TRIES) throw err;
        // Another process took a seq, or an event is in already: keep what is not, link it anew.
        todo = await this.notYetIn(todo, todo);
        await new Promise((r) => setTimeout(r, Math.random() * Math.min(2 ** attempt, 64)));
      }
    }
  }

  private async notYetIn<T extends { event: ChangeEvent }>(todo: T[], suspects: T[]): Promise<T[]> {
    const keys = suspects.map((p) => keyOf(p.event));
    const found = new Set((await this.model.find({ eventKey: { $in: keys } }).select({ eventKey: 1 }).lean()).map((d) => d.eventKey));
    return todo.filter((p) => !found.has(keyOf(p.event)));
  }
}

/** The event's unique key in the chain: an activity's version is appended once. */
function keyOf(event: ChangeEvent): string {
  return `${event.activityId}@${event.version}`;
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
