import path from 'node:path';
import request from 'supertest';
import { Client, Connection } from '@temporalio/client';
import { createApp } from '../../src/app';
import { bearerFor } from '../support/api';
import { connectStore } from '../../src/store/connection';
import { createModels } from '../../src/store/models';
import { createLogger } from '../../src/platform/logger';
import { serverBinaries } from '../../src/stack/binaries';
import { startStore } from '../../src/stack/embedded-servers';
import { freePort } from '../../src/stack/free-port';
import { testConfig } from '../support/stack';
import { quietDueDate, thisYear } from '../support/calendar';

const logger = createLogger({ logLevel: 'silent' }, 'test');
const YEAR = thisYear();

/** A server that goes away gives 503 with Retry-After and names what is down; never 500. */
describe('when a backing server is unreachable', () => {
  it('answers 503 naming the store when the store dies, and recovers when it is back', async () => {
    const port = await freePort();
    const dir = path.join(process.env.LISPLAN_TEST_DIR!, `store-${port}`);
    const opts = { binaries: serverBinaries(), port, dataDir: dir, logFile: `${dir}.log` };
    let embedded = await startStore(opts);
    const config = testConfig({ MONGODB_URI: embedded.uri });
    const store = await connectStore(config.mongo);
    const temporal = await Connection.connect({ address: config.temporal.address });
    const app = createApp({
      config,
      logger,
      client: new Client({ connection: temporal }),
      store,
      models: createModels(store),
    });
    try {
      await request(app).get('/readyz').expect(200);
      const auth = await bearerFor(createModels(store), { id: 'u1', name: 'U', memberships: [{ orgId: 'sodermalm', roles: ['viewer'] }] });
      await embedded.process.kill();

      const ready = await request(app).get('/readyz').expect(503);
      expect(ready.headers['retry-after']).toBe('5');
      expect(ready.body).toEqual({
        status: 'unavailable',
        checks: { temporal: 'up', store: 'down' },
        down: ['store'],
      });
      const read = await request(app).get(`/api/v1/activities/sodermalm.${YEAR}.nagon`).set('authorization', auth).expect(503);
      expect(read.headers['retry-after']).toBeDefined();
      expect(read.body).toMatchObject({ status: 503, type: 'https://lisplan.se/problems/unavailable' });

      embedded = await startStore(opts);
      await waitFor(async () => (await request(app).get('/readyz')).status === 200);
    } finally {
      await store.close(true);
      await temporal.close();
      await embedded.process.stop();
    }
  });

  it('answers 503 naming Temporal when nothing listens at TEMPORAL_ADDRESS', async () => {
    const config = testConfig({ TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` });
    const store = await connectStore(config.mongo);
    const connection = Connection.lazy({ address: config.temporal.address, connectTimeout: 1_000 });
    const app = createApp({ config, logger, client: new Client({ connection }), store, models: createModels(store) });
    try {
      const ready = await request(app).get('/readyz').expect(503);
      expect(ready.body.down).toEqual(['temporal']);
      const models = createModels(store);
      const auth = await bearerFor(models, { id: 'u2', name: 'U', memberships: [{ orgId: 'sodermalm', roles: ['security-coordinator'] }] });
      // The organisation is in the store, so only Temporal stands between the request and a 201.
      await models.organisations.create({ _id: 'sodermalm', name: 'Södermalm', plan: { startYear: YEAR, endYear: YEAR + 2 }, areas: [{ id: 'ai', name: 'AI' }], goals: [], updatedAt: new Date() });
      const write = await request(app)
        .post('/api/v1/organisations/sodermalm/activities')
        .set('authorization', auth)
        .send({ key: 'utan-temporal', year: YEAR, dueDate: quietDueDate(), title: 'Hej', area: 'ai', owner: { role: 'it-coordinator' } })
        .expect(503);
      expect(write.headers['retry-after']).toBeDefined();
      expect(write.body.detail).toBe('The workflow engine is unreachable or did not answer in time.');
    } finally {
      await store.dropDatabase().catch(() => undefined);
      await store.close(true);
    }
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 250));
  }
}
