import type { Models } from '../../store/models';

/**
 * A page of the organisation's audit trail after a sequence number, in chain order, without
 * what only the chain itself needs (the event key, the organisation).
 */
export function auditEventsAfter(models: Models, orgId: string, afterSeq: number, limit: number) {
  return models.auditEvents.find({ orgId, seq: { $gt: afterSeq } }).sort({ seq: 1 }).limit(limit).select({ _id: 0, eventKey: 0, orgId: 0 }).lean();
}
