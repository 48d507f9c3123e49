import { completeAll, expectConsistent, failures, startActivities, type FaultRig } from '../fault/rig';
import type { AppCluster } from '../../src/stack/app-cluster';
import { startClusterRig, updatesPerApi, workflowWorkerPids } from './support/rig';

/**
 * The fault rig's consistency check on the production topology, with nothing broken: owners
 * complete 200 tasks at once through both APIs, and each accepted change is once in its
 * workflow, in the read model and in the audit chain, which verifies; each reminder went once.
 */
describe('the cluster: two workers and two APIs on the Temporal server on PostgreSQL', () => {
  let rig: FaultRig<AppCluster>;
  beforeAll(async () => {
    rig = await startClusterRig('konsistens');
  });
  afterAll(() => rig?.close());

  it('keeps every accepted change once in the workflow, the read model and the audit chain', async () => {
    const ids = await startActivities(rig, 20, 10);
    const load = completeAll(rig, ids, 10);
    const results = await load.done;
    expect(failures(load.attempts)).toEqual([]);
    expect(results).toHaveLength(200);
    await expectConsistent(rig, [ids, 10]);
    // Both APIs took changes, and both workers ran workflow tasks.
    expect((await updatesPerApi(rig.stack)).every((n) => n > 0)).toBe(true);
    expect(await workflowWorkerPids(rig, ids)).toEqual(rig.stack.workers.map((w) => w.pid).sort((a, b) => a! - b!));
  });
});
