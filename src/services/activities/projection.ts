import { OPEN_STATUSES, type ActivityState } from '../../domain/activity';
import { waitingStep } from '../../domain/changes';
import { deadlineInstant } from '../../domain/deadlines';
import { isDuplicateKey } from '../../store/errors';
import type { Models } from '../../store/models';
import type { ActivityDoc } from '../../store/models/activity';

/** The activity's read model: the workflow's state as the document lists and pages query. */

/**
 * Writes `doc` unless the store already holds this or a later version, in one conditional
 * write: the filter matches only an older version, and the upsert inserts a first one. When
 * a later version is there the filter matches nothing, the insert meets the unique _id, and
 * the duplicate key says exactly that (a retried attempt racing its successor).
 */
export async function projectActivity(models: Models, doc: ActivityDoc): Promise<void> {
  const { _id, ...fields } = doc;
  try {
    await models.activities.updateOne({ _id, version: { $lt: doc.version } }, { $set: fields }, { upsert: true });
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
}

export function toActivityDoc(s: ActivityState, timeZone: string): ActivityDoc {
  const { id, ...rest } = s;
  return {
    ...rest,
    _id: id,
    deadlineAt: new Date(deadlineInstant(s.dueDate, timeZone)),
    openTaskCount: OPEN_STATUSES.includes(s.status) ? s.tasks.filter((t) => !t.done).length : 0,
    waitingFor: s.milestones.flatMap((m) => {
      const w = waitingStep(m);
      return w ? [{ milestoneId: m.id, role: w.approver.role, ...(w.approver.userId ? { userId: w.approver.userId } : {}) }] : [];
    }),
    projectedAt: new Date(),
  };
}
