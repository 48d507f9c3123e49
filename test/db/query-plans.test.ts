import type { Connection } from 'mongoose';
import { connectStore } from '../../src/store/connection';
import { createModels, type Models } from '../../src/store/models';
import { benchActivityDoc } from '../../bench/read-model-docs';
import { planOf, readModelQueries } from '../../bench/read-model-queries';
import { testConfig } from '../support/stack';

/**
 * The read model's queries, as the API and the pages issue them, are served by an index on
 * the embedded store, which is MongoDB itself: its explain() names the plan. A query that
 * loses its index (a new filter, a dropped index) scans the collection, and this fails.
 */
const ORGS = 10;
const ORG = 'plan-01';
const docId = (i: number) => `plan-${String(1 + (i % ORGS)).padStart(2, '0')}.${2026 + (i % 3)}.a-${i}`;

describe('query plans of the read model', () => {
  let store: Connection;
  let models: Models;

  beforeAll(async () => {
    const config = testConfig();
    store = await connectStore(config.mongo);
    models = createModels(store);
    await models.activities.init();
    const createdAt = new Date().toISOString();
    const docs = Array.from({ length: 2_000 }, (_, i) => ({ ...benchActivityDoc(i, `plan-${String(1 + (i % ORGS)).padStart(2, '0')}`, config.planTimeZone, createdAt), _id: docId(i) }));
    await models.activities.insertMany(docs);
  });
  afterAll(async () => {
    await store?.dropDatabase();
    await store?.close();
  });

  it.each(Object.keys(readModelQueries({} as Models, ORG, docId)))('%s uses an index and reads few documents', async (name) => {
    const query = readModelQueries(models, ORG, docId)[name]!;
    const { plan, examined } = await planOf(query());
    expect(plan).not.toMatch(/COLLSCAN/);
    expect(plan).toMatch(/IXSCAN|IDHACK|EXPRESS/);
    // A tenth of the 2,000 documents are the organisation's; the index keeps the reads within them.
    expect(examined).toBeLessThanOrEqual(200);
  });
});
