import type { Connection } from 'mongoose';
import { connectStore } from '../../src/store/connection';
import { createModels } from '../../src/store/models';
import { IDEMPOTENCY_KEY_SECONDS } from '../../src/store/models/idempotency';
import { uiSession } from '../../src/ui/session';
import { eventually } from '../support/eventually';
import { testConfig } from '../support/stack';

/**
 * What nobody deletes by hand expires in the store itself: UI sessions and Idempotency-Key
 * records carry TTL indexes, which the embedded store (MongoDB) and production build alike.
 */
describe('expiry in the store', () => {
  let store: Connection;
  beforeAll(async () => {
    const config = testConfig();
    store = await connectStore(config.mongo);
    await createModels(store).idempotencyKeys.init();
    uiSession({ config, store });
  });
  afterAll(async () => {
    await store?.dropDatabase();
    await store?.close();
  });

  const ttlOf = async (collection: string) => {
    const indexes = await store.db!.collection(collection).indexes().catch(() => []);
    return indexes.filter((i) => i.expireAfterSeconds !== undefined).map((i) => ({ key: i.key, expireAfterSeconds: i.expireAfterSeconds }));
  };

  it('removes Idempotency-Key records after a day', async () => {
    await expect(ttlOf('idempotency_keys')).resolves.toEqual([{ key: { createdAt: 1 }, expireAfterSeconds: IDEMPOTENCY_KEY_SECONDS }]);
  });

  it('removes UI sessions when they expire', async () => {
    // connect-mongo creates its index when the store is made, in the background.
    const ttl = await eventually(async () => ((await ttlOf('ui_sessions')).length ? ttlOf('ui_sessions') : undefined), 'the sessions index');
    expect(ttl).toEqual([{ key: { expires: 1 }, expireAfterSeconds: 0 }]);
  });
});
