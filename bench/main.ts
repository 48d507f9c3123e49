import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../src/platform/config';
import { connectStore } from '../src/store/connection';
import { createModels } from '../src/store/models';
import { runMain } from '../src/platform/main-guard';
import { projectRoot } from '../src/platform/project-root';
import { LocalStack } from '../src/stack/local-stack';
import { clientDataConverter } from '../src/temporal/connection';
import { benchSizes, type BenchSection } from './sizes';
import { formatTable, type Row } from './report';
import { footprint } from './footprint';
import { completions, floor, listing, planLoad, review, soak, type BenchContext, type Floors } from './scenarios';
import { pages } from './pages';

/**
 * `npm run bench`: starts the embedded servers, the worker and the API on free ports in a
 * throw-away folder, measures the engine floor and lisplan on top of it in the same run,
 * prints a table and writes the figures as JSON under bench/results/.
 */
runMain('lisplan-bench', async () => {
  const sizes = benchSizes(process.env);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lisplan-bench-'));
  const log = (line: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
  log(`starting Temporal, mongod, worker and API under ${dir}`);
  const stack = await LocalStack.start({ dir, env: { RATE_LIMIT_PER_MINUTE: '1000000000' } });
  const interrupted = () => void stack.stop().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const config = loadConfig(stack.env);
  const store = await connectStore(config.mongo);
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const rows: Row[] = [];
  const resultsDir = path.join(projectRoot(), 'bench', 'results');
  fs.mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
  // Written after every section, so a run that is stopped or fails keeps what it measured.
  const save = (complete: boolean) =>
    fs.writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), complete, machine, sizes, rows, table: formatTable(rows).split('\n') }, null, 2));
  try {
    const models = createModels(store);
    await Promise.all(Object.values(models).map((m) => m.init()));
    const ctx: BenchContext = { stack, store, models, client: new Client({ connection, namespace: config.temporal.namespace, dataConverter: clientDataConverter(config.temporal) }), config, log, rows };

    // The floor is measured only for the sections that compare with it.
    let floors: Floors | undefined;
    const floorsOnce = async () => (floors ??= await floor(ctx, sizes));
    const sections: Record<BenchSection, () => Promise<void>> = {
      completions: async () => completions(ctx, sizes, await floorsOnce()),
      listing: () => listing(ctx, sizes),
      pages: () => pages(ctx, sizes),
      'plan-load': async () => planLoad(ctx, sizes, await floorsOnce()),
      footprint: () => footprint(ctx),
      review: () => review(ctx, sizes),
      soak: () => soak(ctx, sizes),
    };
    for (const name of sizes.BENCH_SECTIONS) {
      save(false);
      await sections[name]();
    }
    save(true);
  } finally {
    await connection.close();
    await store.close();
    await stack.stop();
  }

  process.stdout.write(`\n${formatTable(rows)}\n`);
  process.stdout.write(`\nFigures: ${path.relative(process.cwd(), file)}\n`);
  fs.rmSync(dir, { recursive: true, force: true });
});
