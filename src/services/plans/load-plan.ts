import type { Client } from '@temporalio/client';
import type { Models } from '../../store/models';
import { activityId } from '../../domain/activity';
import type { PlanFile } from '../../domain/plan-file';
import { inParallel } from '../../platform/in-parallel';
import { seedRegisters } from '../reviews/registers';
import { findMember, type Member } from '../people/members';
import { forgetSetup, recordSetup } from './setup-state';
import { startActivityWorkflow } from './start-activity';
import { saveKpiValue } from '../kpis/values';

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
  // Checked before anything is written: a plan that names a non-member loads nothing.
  const activities = await withNamedOwners(deps.models, orgId, plan.activities);
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
      orgId,
      seriesId: series.id,
      name: series.name,
      ...(series.unit ? { unit: series.unit } : {}),
      ...(series.kind ? { kind: series.kind } : {}),
      year: v.year,
      value: v.value,
      ...(v.source ? { source: v.source } : {}),
      ...(v.partial ? { partial: true } : {}),
    })),
  );
  for (const value of kpiValues) await saveKpiValue(deps.models, value);

  const registerRows = await seedRegisters(deps.models, orgId, plan.registers);

  // Before the first start, so that pages count the plan's activities as being set up from the outset.
  const ids = activities.map((a) => activityId(orgId, a.year, a.key));
  await recordSetup(deps.models, orgId, ids);
  let started = 0;
  let done = 0;
  const begun = new Set<string>();
  onProgress(0, activities.length);
  try {
    await inParallel(activities, PARALLEL_STARTS, async (a) => {
      const result = await startActivityWorkflow(deps.client, deps.taskQueue, { activity: { ...a, orgId }, timeZone: deps.timeZone });
      begun.add(result.id);
      if (result.started) started++;
      onProgress(++done, activities.length);
    });
  } catch (err) {
    // What never started will not arrive: the pages must not wait for it.
    await forgetSetup(deps.models, orgId, ids.filter((id) => !begun.has(id))).catch(() => undefined);
    throw err;
  }

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

/**
 * An owner named as a person must be a member of the organisation (the rule every assignment
 * follows); the name shown and mailed is the member record's, not the file's.
 */
async function withNamedOwners(models: Models, orgId: string, activities: PlanFile['activities']): Promise<PlanFile['activities']> {
  const people = new Map<string, Member>();
  for (const [i, a] of activities.entries()) {
    const userId = a.owner.userId;
    if (userId && !people.has(userId)) people.set(userId, await findMember(models, orgId, userId, `activities.${i}.owner.userId`));
  }
  return activities.map((a) => (a.owner.userId ? { ...a, owner: { role: a.owner.role, userId: a.owner.userId, name: people.get(a.owner.userId)!.name } } : a));
}
