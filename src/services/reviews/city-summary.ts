import { ACTIVITY_STATUSES, UNFINISHED_STATUSES, type ActivityStatus } from '../../domain/activity';
import type { Models } from '../../store/models';

/** The city-level roll-up: per organisation, its activities of the year by status, and the late ones. */
export interface CitySummary {
  year: number;
  organisations: {
    id: string;
    name: string;
    total: number;
    byStatus: Record<ActivityStatus, number>;
    late: { id: string; title: string; dueDate: string; owner: string }[];
  }[];
}

export async function citySummary(models: Models, orgIds: string[], year: number, now: Date): Promise<CitySummary> {
  const [orgs, activities] = await Promise.all([
    models.organisations.find({ _id: { $in: orgIds } }).select({ name: 1 }).sort({ _id: 1 }).lean(),
    models.activities.find({ orgId: { $in: orgIds }, planYear: year }).select({ orgId: 1, title: 1, status: 1, dueDate: 1, deadlineAt: 1, owner: 1 }).sort({ deadlineAt: 1 }).lean(),
  ]);
  return {
    year,
    organisations: orgs.map((o) => {
      const mine = activities.filter((a) => a.orgId === o._id);
      const byStatus = Object.fromEntries(ACTIVITY_STATUSES.map((s) => [s, mine.filter((a) => a.status === s).length])) as Record<ActivityStatus, number>;
      const late = mine
        .filter((a) => UNFINISHED_STATUSES.includes(a.status) && a.deadlineAt.getTime() < now.getTime())
        .map((a) => ({ id: a._id, title: a.title, dueDate: a.dueDate, owner: a.owner.name ?? a.owner.role }));
      return { id: o._id, name: o.name, total: mine.length, byStatus, late };
    }),
  };
}

/** Every version of the organisations' reviews of the year, newest first: the city page shows each one's latest status. */
export function reviewStatusesOfYear(models: Models, orgIds: string[], year: number) {
  return models.reviews.find({ orgId: { $in: orgIds }, year }).select({ orgId: 1, status: 1, version: 1 }).sort({ version: -1 }).lean();
}
