import { randomUUID } from 'node:crypto';
import type { Models } from '../../store/models';
import type { PlanImportJobDoc } from '../../store/models/plan-import-job';

/**
 * The progress of a confirmed import, kept in the store: one running or unseen import per
 * person (a new one replaces the old), read by the status page on any API process.
 */
export async function openImportJob(models: Models, orgId: string, userId: string, total: number): Promise<PlanImportJobDoc> {
  await models.planImportJobs.deleteMany({ userId });
  const job = { _id: randomUUID(), orgId, userId, done: 0, total, createdAt: new Date() };
  await models.planImportJobs.create(job);
  return job;
}

/** Progress is advisory: a lost update only delays the bar, so failures are not the import's. */
export function recordProgress(models: Models, jobId: string, done: number, total: number): void {
  void models.planImportJobs.updateOne({ _id: jobId, done: { $lt: done } }, { $set: { done, total } }).catch(() => undefined);
}

export async function finishImportJob(models: Models, jobId: string, outcome: { result: string } | { error: string }): Promise<void> {
  await models.planImportJobs.updateOne({ _id: jobId }, { $set: outcome });
}

/** The person's own job; a finished one is removed once read, so its outcome is shown once. */
export async function readImportJob(models: Models, jobId: string, userId: string): Promise<PlanImportJobDoc | null> {
  const job = await models.planImportJobs.findOne({ _id: jobId, userId }).lean();
  if (job && (job.result !== undefined || job.error !== undefined)) await models.planImportJobs.deleteOne({ _id: jobId });
  return job;
}
