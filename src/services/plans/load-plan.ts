import type { Client } from '@temporalio/client';
import type { Models } from '../../store/models';
import type { PlanFile } from '../../domain/plan-file';
import { inParallel } from '../../platform/in-parallel';
import { seedRegisters } from '../reviews/registers';
import { startActivityWorkflow } from './start-activity';

export interface LoadSummary {
  orgId: string;
  activities: number;
  started: number;
  existing: number;
  byYear: { year: number; activities: number }[];
  kpiValues: number;
  /** Register rows written by this load (0 when they were there already). */
  registerRows: number;
}

const PARALLEL_STARTS = 8;

/**
 * Loads an organisation's plan: its organisation record and KPI history (idempotent upserts)
 * and one workflow per activity (idempotent starts). Loading the same plan twice changes
 * nothing; a changed plan adds its new activities and leaves running ones to their workflows.
 */
export async function loadPlan(
  deps: { client: Client; taskQueue: string; models: Models; timeZone: string },
  plan: PlanFile,
  onProgress: (done: number, total: number) => void = () => undefined,
): Promise<LoadSummary> {
  const orgId = plan.organisation.id;
  await deps.models.organisations.updateOne(
    { _id: orgId },
    {
      $set: {
        name: plan.organisation.name,
        ...(plan.organisation.board ? { board: plan.organisation.board } : {}),
        plan: plan.plan,
        areas: plan.areas,
        goals: plan.goals,
        updatedAt: new Date(),
      },
    },
    { upsert: true },
  );

  const kpiValues = plan.kpis.flatMap((series) =>
    series.values.map((v) => ({
      _id: `${orgId}:${series.id}:${v.year}`,
      orgId,
      seriesId: series.id,
      name: series.name,
      ...(series.unit ? { unit: series.unit } : {}),
      year: v.year,
      value: v.value,
      ...(v.source ? { source: v.source } : {}),
      ...(v.partial ? { partial: true } : {}),
    })),
  );
  for (const { _id, ...value } of kpiValues) {
    await deps.models.kpiValues.updateOne({ _id }, { $set: { ...value, updatedAt: new Date() } }, { upsert: true });
  }

  const registerRows = await seedRegisters(deps.models, orgId, plan.registers);

  let started = 0;
  let done = 0;
  onProgress(0, plan.activities.length);
  await inParallel(plan.activities, PARALLEL_STARTS, async (a) => {
    const result = await startActivityWorkflow(deps.client, deps.taskQueue, { activity: { ...a, orgId }, timeZone: deps.timeZone });
    if (result.started) started++;
    onProgress(++done, plan.activities.length);
  });

  const years = [...new Set(plan.activities.map((a) => a.year))].sort();
  return {
    orgId,
    activities: plan.activities.length,
    started,
    existing: plan.activities.length - started,
    byYear: years.map((year) => ({ year, activities: plan.activities.filter((a) => a.year === year).length })),
    kpiValues: kpiValues.length,
    registerRows,
  };
}
