import path from 'node:path';
import { Connection, Client } from '@temporalio/client';
import { SingleBar, Presets } from 'cli-progress';
import { loadConfig } from '../platform/config';
import { clientDataConverter, connectionOptions } from '../temporal/connection';
import { connectStore } from '../store/connection';
import { createModels } from '../store/models';
import { OperatorError } from '../platform/errors';
import { extractPlan } from '../services/plans/import/review-text';
import { readReviewFile } from '../services/plans/import/read-review';
import { upsertDemoUsers } from '../services/plans/demo-users';
import { loadPlan, type LoadSummary } from '../services/plans/load-plan';
import { readPlanFile } from '../services/plans/read-plan-file';
import { projectRoot } from '../platform/project-root';

export const SEED_PLANS = ['plans/fastighetskontoret.yaml', 'plans/sodermalm.yaml'];

/** Loads plan files in order; every file is validated before anything starts. */
export async function planLoad(files: string[], opts: { demoUsers?: boolean } = {}): Promise<void> {
  const plans = files.map((f) => readPlanFile(f));
  const config = loadConfig();
  const store = await connectStore(config.mongo, { timeoutMs: 5_000 });
  const connection = await Connection.connect({ ...connectionOptions(config.temporal), connectTimeout: 5_000 }).catch((err: Error) => {
    throw new OperatorError(`cannot reach Temporal at ${config.temporal.address} (TEMPORAL_ADDRESS): ${err.message}`);
  });
  try {
    const models = createModels(store);
    const client = new Client({ connection, namespace: config.temporal.namespace, dataConverter: clientDataConverter(config.temporal) });
    for (const plan of plans) {
      const bar = process.stdout.isTTY
        ? new SingleBar({ format: `${plan.organisation.name} [{bar}] {value}/{total} aktiviteter`, hideCursor: true }, Presets.shades_classic)
        : undefined;
      const summary = await loadPlan(
        { client, taskQueue: config.temporal.taskQueue, models, timeZone: config.planTimeZone },
        plan,
        (done, total) => (done === 0 ? bar?.start(total, 0) : bar?.update(done)),
      );
      bar?.stop();
      process.stdout.write(formatSummary(plan.organisation.name, summary));
    }
    if (opts.demoUsers) {
      process.stdout.write(`Demoanvändare: ${await upsertDemoUsers(models)} (en per roll och organisation, och en stadsövergripande läsare)\n`);
    }
  } finally {
    await connection.close();
    await store.close();
  }
}

export function seedDemo(): Promise<void> {
  const root = projectRoot();
  return planLoad(SEED_PLANS.map((p) => path.join(root, p)), { demoUsers: true });
}

export function formatSummary(name: string, s: LoadSummary): string {
  return [
    `${name} (${s.orgId}): ${s.activities} aktiviteter, ${s.started} startade, ${s.existing} fanns redan`,
    `  per år: ${s.byYear.map((y) => `${y.year}: ${y.activities}`).join(', ')}`,
    `  nyckeltal: ${s.kpiValues} värden`,
    '',
  ].join('\n');
}

/** Prints what a previous review proposes; KPI figures are candidates for a person to confirm. */
export async function planExtract(file: string): Promise<void> {
  process.stdout.write(JSON.stringify(extractPlan(await readReviewFile(file)), null, 2) + '\n');
}
