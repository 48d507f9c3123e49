import type { Models } from '../../store/models';
import type { KpiValueDoc } from '../../store/models/kpi';

/** KPI values: one document per organisation, series and year. */

/** Stores one year's value of a series, replacing what was there (the plan file or the operator said so). */
export async function saveKpiValue(models: Models, value: Omit<KpiValueDoc, '_id' | 'updatedAt'>): Promise<void> {
  await models.kpiValues.updateOne({ _id: `${value.orgId}:${value.seriesId}:${value.year}` }, { $set: { ...value, updatedAt: new Date() } }, { upsert: true });
}

/** At most 5,000: the city's organisations' values of one year, as the city page compares them. */
export function kpiValuesOfYear(models: Models, orgIds: string[], year: number) {
  return models.kpiValues.find({ orgId: { $in: orgIds }, year }).select({ orgId: 1, seriesId: 1, name: 1, value: 1, unit: 1 }).limit(5000).lean();
}
