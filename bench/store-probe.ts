import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { connectStore } from '../src/store/connection';
import { createModels, type Models } from '../src/store/models';
import type { ActivityDoc } from '../src/store/models/activity';
import { runMain } from '../src/platform/main-guard';
import { serverBinaries } from '../src/stack/binaries';
import { startStore } from '../src/stack/embedded-servers';
import { freePort } from '../src/stack/free-port';
import { closedLoop, sequential, type Figures } from './measure';
import { planOf, readModelQueries } from './read-model-queries';
import { benchActivityDoc } from './read-model-docs';

/**
 * `node dist/bench/store-probe.js [store-uri]`: what a candidate store does with lisplan's
 * own read-model queries, the measurement behind docs/decisions/0001-embedded-store.md. It
 * seeds realistic activity documents (1,000, then 10,000), and for each query prints latency
 * and the plan the store chose (IXSCAN or COLLSCAN, documents examined); then 40 concurrent
 * `$set`s of different fields on one document, and how many survived. Without a URI it starts
 * the embedded store in a throw-away folder. One JSON row per line on stdout.
 */
const ORGS = 10;
const ORG = 'probe-01';
const SIZES = (process.env.PROBE_SIZES ?? "1000,10000").split(",").map(Number);
const RUNS = Number(process.env.PROBE_RUNS ?? 30);
const WRITERS = 40;
const TIME_ZONE = 'Europe/Stockholm';

interface Row {
  section: string;
  name: string;
  size?: number;
  figures?: Figures;
  value?: number | string;
  plan?: string;
  examined?: number;
}

runMain('lisplan-store-probe', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lisplan-store-probe-'));
  const given = process.argv[2];
  const embedded = given ? undefined : await startStore({ binaries: serverBinaries(), port: await freePort(), dataDir: path.join(dir, 'data'), logFile: path.join(dir, 'store.log') });
  const store = await connectStore({ uri: given ?? embedded!.uri, dbName: 'lisplan_store_probe', embedded: false, dataDir: dir });
  const print = (row: Row) => process.stdout.write(`${JSON.stringify(row)}\n`);
  try {
    await store.dropDatabase();
    const models = createModels(store);
    await models.activities.init();
    const build = await store.db!.admin().command({ buildInfo: 1 }).catch(() => ({ version: 'unknown' }));
    print({ section: 'store', name: 'version', value: String(build.version) });
    let seeded = 0;
    for (const size of SIZES) {
      await seed(models, seeded, size);
      seeded = size;
      for (const [name, query] of Object.entries(readModelQueries(models, ORG, docId))) {
        await sequential(3, () => query().then(() => undefined));
        const figures = await sequential(RUNS, () => query().then(() => undefined));
        print({ section: 'read', name, size, figures, ...(await planOf(query())) });
      }
      const ids = Array.from({ length: RUNS }, (_, i) => docId(i * 7));
      const projection = await sequential(RUNS, async (i) => {
        await models.activities.updateOne({ _id: ids[i]!, version: { $lt: 1_000 + i } }, { $set: { version: 1_000 + i, projectedAt: new Date() } });
      });
      print({ section: 'write', name: 'conditional projection update', size, figures: projection });
    }
    print({ section: 'atomicity', name: `${WRITERS} concurrent $set of different fields on one document: kept`, value: await concurrentSets(models) });
  } finally {
    await store.close();
    await embedded?.process.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

const docId = (i: number) => `probe-${String(1 + (i % ORGS)).padStart(2, '0')}.${2026 + (i % 3)}.a-${i}`;

async function seed(models: Models, from: number, to: number): Promise<void> {
  const createdAt = new Date().toISOString();
  for (let start = from; start < to; start += 1_000) {
    const docs: ActivityDoc[] = [];
    for (let i = start; i < Math.min(start + 1_000, to); i++) {
      const doc = benchActivityDoc(i, `probe-${String(1 + (i % ORGS)).padStart(2, '0')}`, TIME_ZONE, createdAt);
      docs.push({ ...doc, _id: docId(i) });
    }
    await models.activities.insertMany(docs, { ordered: false });
  }
}

async function concurrentSets(models: Models): Promise<number> {
  const id = docId(1);
  await closedLoop(WRITERS, 1, (writer) => models.activities.updateOne({ _id: id }, { $set: { [`probe.f${writer}`]: writer } }).then(() => undefined));
  const doc = (await models.activities.findById(id).lean()) as unknown as { probe?: Record<string, number> };
  return Object.keys(doc.probe ?? {}).length;
}
