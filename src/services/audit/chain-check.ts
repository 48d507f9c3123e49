import type { Models } from '../../store/models';
import type { AuditChainCheckDoc } from '../../store/models/audit-chain-check';
import { isDuplicateKey } from '../../store/errors';
import { GENESIS_HASH, verifyChain, type ChainedEvent, type ChainReport } from './chain';
import { verifyOrganisationChain } from './store';

/** Most events one page view verifies: a chain that grew by more is caught up over several views. */
const STEP = 5_000;

export interface ChainState extends Omit<ChainReport, 'lastSeq'> {
  /** When the whole chain was last verified from its first event, if ever. */
  fullCheckAt?: Date;
}

const stateOf = (d: Pick<AuditChainCheckDoc, 'ok' | 'events' | 'hash' | 'problems' | 'fullCheckAt'>): ChainState => ({
  ok: d.ok,
  events: d.events,
  lastHash: d.hash,
  problems: d.problems as ChainReport['problems'],
  ...(d.fullCheckAt ? { fullCheckAt: d.fullCheckAt } : {}),
});

/**
 * The organisation's chain as far as it has been verified, after verifying the events appended
 * since the last look (and only those): a page shows it without reading the whole chain. A chain
 * found broken stays reported broken until a full check finds it whole.
 */
export async function chainState(models: Models, orgId: string): Promise<ChainState> {
  const stored = await models.auditChainChecks.findById(orgId).lean();
  const from = stored ?? { seq: 0, hash: GENESIS_HASH, events: 0, ok: true, problems: [] };
  if (!from.ok) return stateOf(from);
  const newer = await models.auditEvents.find({ orgId, seq: { $gt: from.seq } }).sort({ seq: 1 }).limit(STEP).select({ _id: 0 }).lean();
  if (newer.length === 0) return stateOf(from);
  const report = verifyChain(newer as unknown as ChainedEvent[], from);
  const next = { seq: report.lastSeq, hash: report.lastHash, events: from.events + report.events, ok: report.ok, problems: report.problems, checkedAt: new Date() };
  await advance(models, orgId, from.seq, next);
  return stateOf({ ...next, ...(stored?.fullCheckAt ? { fullCheckAt: stored.fullCheckAt } : {}) });
}

/** Verifies the whole chain from its first event (on demand: it reads every event) and stores the result. */
export async function verifyWholeChain(models: Models, orgId: string): Promise<ChainState> {
  const report = await verifyOrganisationChain(models.auditEvents, orgId);
  const now = new Date();
  const state = { seq: report.lastSeq, hash: report.lastHash, events: report.events, ok: report.ok, problems: report.problems, checkedAt: now, fullCheckAt: now };
  await models.auditChainChecks.replaceOne({ _id: orgId }, state, { upsert: true });
  return stateOf(state);
}

/** Moves the stored point on only from where this check started: a concurrent check that got further wins. */
async function advance(models: Models, orgId: string, fromSeq: number, next: Omit<AuditChainCheckDoc, '_id' | 'fullCheckAt'>): Promise<void> {
  try {
    await models.auditChainChecks.updateOne({ _id: orgId, seq: fromSeq }, { $set: next }, { upsert: true });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}
