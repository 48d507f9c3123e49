import { ACTIVITY_STATUSES, UNFINISHED_STATUSES, type ActivityStatus } from '../../domain/activity';
import type { Models } from '../../store/models';

/** Where one part of the plan stands: its activities of the year by status and the ones needing attention. */
export interface SummaryRow {
  key: string;
  total: number;
  byStatus: Record<ActivityStatus, number>;
  late: number;
  awaitingSignOff: number;
  dueIn30Days: number;
  /** Unfinished and behind: late, blocked, sent back, or fewer tasks done than the time gone would need. */
  atRisk: number;
}

export interface SummaryScope {
  orgIds: string[];
  year: number;
  now: Date;
  /** Today in the plan's zone, YYYY-MM-DD. */
  today: string;
  /** By organisation (the city's page) or by area of the organisations (the coordinator's). */
  by: 'orgId' | 'area';
}

const DAY_MS = 86_400_000;

/**
 * One aggregation over the read model, grouped in the store: a page's summary costs one query
 * whatever the plan's size, and only the counts cross the wire. The forecast compares the share
 * of an activity's tasks done with the share of its time (start, or 1 January, to its due date)
 * gone: a plan is judged by its own dates, not by a guessed pace.
 */
export async function planSummary(models: Models, scope: SummaryScope): Promise<SummaryRow[]> {
  const unfinished = [...UNFINISHED_STATUSES];
  const in30 = isoDay(Date.parse(`${scope.today}T00:00:00Z`) + 30 * DAY_MS);
  const yearStart = `${scope.year}-01-01`;
  const isUnfinished = { $in: ['$status', unfinished] };
  const rows = await models.activities.aggregate<{ _id: { key: string; status: ActivityStatus }; n: number; late: number; due30: number; atRisk: number }>([
    { $match: { orgId: { $in: scope.orgIds }, planYear: scope.year } },
    {
      $project: {
        key: `$${scope.by}`,
        status: 1,
        late: { $and: [isUnfinished, { $lt: ['$deadlineAt', scope.now] }] },
        due30: { $and: [isUnfinished, { $gte: ['$dueDate', scope.today] }, { $lte: ['$dueDate', in30] }] },
        tasksDone: { $size: { $filter: { input: '$tasks', cond: '$$this.done' } } },
        tasks: { $size: '$tasks' },
        // The share of the activity's time gone, 0–1, from day strings (no time-zone arithmetic in the store).
        timeGone: {
          $let: {
            vars: { s: { $dateFromString: { dateString: { $ifNull: ['$startDate', yearStart] } } }, d: { $dateFromString: { dateString: '$dueDate' } }, t: { $dateFromString: { dateString: scope.today } } },
            in: { $cond: [{ $lte: ['$$d', '$$s'] }, 1, { $min: [1, { $max: [0, { $divide: [{ $subtract: ['$$t', '$$s'] }, { $subtract: ['$$d', '$$s'] }] }] }] }] },
          },
        },
      },
    },
    {
      $project: {
        key: 1,
        status: 1,
        late: 1,
        due30: 1,
        atRisk: {
          $and: [
            isUnfinished,
            { $or: ['$late', { $in: ['$status', ['blocked', 'changes-requested']] }, { $lt: [{ $cond: [{ $eq: ['$tasks', 0] }, 0, { $divide: ['$tasksDone', '$tasks'] }] }, { $subtract: ['$timeGone', 0.25] }] }] },
          ],
        },
      },
    },
    {
      $group: {
        _id: { key: '$key', status: '$status' },
        n: { $sum: 1 },
        late: { $sum: { $cond: ['$late', 1, 0] } },
        due30: { $sum: { $cond: ['$due30', 1, 0] } },
        atRisk: { $sum: { $cond: ['$atRisk', 1, 0] } },
      },
    },
  ]);
  const out = new Map<string, SummaryRow>();
  for (const r of rows) {
    const row = out.get(r._id.key) ?? emptyRow(r._id.key);
    row.total += r.n;
    row.byStatus[r._id.status] = (row.byStatus[r._id.status] ?? 0) + r.n;
    row.late += r.late;
    row.dueIn30Days += r.due30;
    row.atRisk += r.atRisk;
    if (r._id.status === 'awaiting-approval') row.awaitingSignOff += r.n;
    out.set(r._id.key, row);
  }
  return [...out.values()];
}

export function emptyRow(key: string): SummaryRow {
  return { key, total: 0, byStatus: Object.fromEntries(ACTIVITY_STATUSES.map((s) => [s, 0])) as Record<ActivityStatus, number>, late: 0, awaitingSignOff: 0, dueIn30Days: 0, atRisk: 0 };
}

/** The rows added up: the organisation's or the city's total line. */
export function totalOf(rows: SummaryRow[], key = 'total'): SummaryRow {
  const sum = emptyRow(key);
  for (const r of rows) {
    sum.total += r.total;
    for (const s of ACTIVITY_STATUSES) sum.byStatus[s] += r.byStatus[s];
    sum.late += r.late;
    sum.awaitingSignOff += r.awaitingSignOff;
    sum.dueIn30Days += r.dueIn30Days;
    sum.atRisk += r.atRisk;
  }
  return sum;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
