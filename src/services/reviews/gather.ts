import { dateInZone } from '../../domain/deadlines';
import { REGISTER_KINDS } from '../../domain/registers';
import type { Models } from '../../store/models';
import type { ReviewState } from '../../domain/review';
import type { ReviewActivity, ReviewInputs } from './document';
import { isLate } from './figures';
import { registerRows } from './registers';

/** The window a review looks at: its year, and the three-year plan after it. */
const PLAN_YEARS_AHEAD = 3;

/** Reads what the review of `year` is compiled from. The only I/O of a review's content. */
export async function gatherReviewInputs(models: Models, orgId: string, year: number, now: string, timeZone: string): Promise<ReviewInputs> {
  const organisation = await models.organisations.findById(orgId).lean();
  if (!organisation) throw new Error(`organisation ${orgId} not found`);
  const [activities, kpiValues, incidents, registers] = await Promise.all([
    models.activities
      .find({ orgId, planYear: { $gte: year, $lte: year + PLAN_YEARS_AHEAD } })
      .sort({ planYear: 1, _id: 1 })
      .lean(),
    models.kpiValues.find({ orgId }).sort({ seriesId: 1, year: 1 }).lean(),
    models.incidentCounts.find({ orgId, year: { $gte: year - 1, $lte: year } }).lean(),
    Promise.all(REGISTER_KINDS.map(async (kind) => [kind, await registerRows(models, orgId, kind)] as const)),
  ]);
  const today = dateInZone(now, timeZone);

  const kpis = new Map<string, ReviewInputs['kpis'][number]>();
  for (const v of kpiValues) {
    const series = kpis.get(v.seriesId) ?? { id: v.seriesId, name: v.name, ...(v.unit ? { unit: v.unit } : {}), values: [] };
    series.values.push({ year: v.year, value: v.value, ...(v.partial ? { partial: true } : {}) });
    kpis.set(v.seriesId, series);
  }

  return {
    organisation: { id: organisation._id, name: organisation.name, ...(organisation.board ? { board: organisation.board } : {}), areas: organisation.areas.map((a) => ({ id: a.id, name: a.name })) },
    year,
    activities: activities.map(
      (a): ReviewActivity => ({
        id: a._id,
        key: a.key,
        planYear: a.planYear,
        title: a.title,
        area: a.area,
        status: a.status,
        owner: a.owner,
        dueDate: a.dueDate,
        tasks: a.tasks,
        milestones: a.milestones,
        extensions: a.extensions,
        entries: a.entries,
        nis2Measures: a.nis2Measures,
        ...(a.continues ? { continues: a.continues } : {}),
        ...(a.deferral ? { deferral: a.deferral } : {}),
        ...(a.blockedReason ? { blockedReason: a.blockedReason } : {}),
        ...(a.resources ? { resources: a.resources } : {}),
        ...(a.startDate ? { startDate: a.startDate } : {}),
        ...(a.goal ? { goal: a.goal } : {}),
        ...(a.expectedResult ? { expectedResult: a.expectedResult } : {}),
        ...(a.estimatedCost !== undefined ? { estimatedCost: a.estimatedCost } : {}),
        ...(a.cancellation ? { cancellation: a.cancellation } : {}),
        ...(a.template ? { template: a.template } : {}),
        ...(a.description ? { description: a.description } : {}),
        priority: a.priority,
        late: isLate(a, today),
      }),
    ),
    kpis: [...kpis.values()],
    incidents: incidents.map((i) => ({ year: i.year, category: i.category, count: i.count })),
    goals: (organisation.goals ?? []).map((g) => ({ id: g.id, kind: g.kind, title: g.title, expectedResults: g.expectedResults ?? [] })),
    registers: Object.fromEntries(registers),
  };
}

/**
 * The facts one version is compiled from, and the moment they describe. A correction keeps the
 * facts its adopted original was frozen with: since then the adoption has carried the unfinished
 * work over, and live facts would contradict the version it corrects.
 */
export async function factsOfVersion(models: Models, review: ReviewState, now: string, timeZone: string): Promise<{ inputs: ReviewInputs; asOf: string }> {
  if (review.corrects) {
    const original = await models.reviewSnapshots.findById(review.corrects).select({ inputs: 1, adoptedAt: 1 }).lean();
    if (original?.inputs) return { inputs: JSON.parse(original.inputs) as ReviewInputs, asOf: original.adoptedAt };
  }
  return { inputs: await gatherReviewInputs(models, review.orgId, review.year, now, timeZone), asOf: now };
}
