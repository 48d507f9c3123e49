import { INCIDENT_CATEGORIES, type IncidentCategory } from '../../domain/incidents';
import type { Models } from '../../store/models';

/** The number of incidents per category and year that the coordinator enters for the review. */

/** Every category's count for the year, 0 where none was entered. */
export async function incidentCountsOf(models: Models, orgId: string, year: number) {
  const docs = await models.incidentCounts.find({ orgId, year }).lean();
  return { year, counts: Object.fromEntries(INCIDENT_CATEGORIES.map((c) => [c.id, docs.find((d) => d.category === c.id)?.count ?? 0])) };
}

/** Replaces the year's count of each category given; the others stay as they are. */
export async function recordIncidentCounts(models: Models, orgId: string, year: number, counts: Partial<Record<IncidentCategory, number>>): Promise<void> {
  const now = new Date();
  for (const [category, count] of Object.entries(counts)) {
    await models.incidentCounts.replaceOne({ _id: `${orgId}.${year}.${category}` }, { orgId, year, category, count: count, updatedAt: now }, { upsert: true });
  }
}
