import { overdueAt } from '../../domain/activity';
import type { ActivityDoc } from '../../store/models/activity';

/** The API's view of a projected activity: its state plus what is derived from time. */
export function activityView(doc: ActivityDoc, now: Date) {
  const { _id, projectedAt: _p, deadlineAt, ...state } = doc;
  return {
    ...state,
    id: _id,
    deadlineAt: deadlineAt.toISOString(),
    overdue: overdueAt(doc.status, deadlineAt, now),
  };
}
