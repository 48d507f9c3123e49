import { acceptedAtLeast, completeAll, expectConsistent, failures, startActivities, startFaultRig, type FaultRig } from './rig';

/**
 * The API process dies in the middle of requests and starts again. Clients whose connection
 * dropped retry with the same Idempotency-Key; a change the workflow had accepted before the
 * answer was lost is recognised by its request id and not applied again.
 */
describe('the API restarts in the middle of requests', () => {
  let rig: FaultRig;
  beforeAll(async () => {
    rig = await startFaultRig('api');
  });
  afterAll(() => rig?.close());

  it('loses no change and applies none twice', async () => {
    const ids = await startActivities(rig, 20, 5);
    const load = completeAll(rig, ids, 5, { oneAtATime: true });
    await acceptedAtLeast(load, 20);
    await rig.stack.api.kill();
    await rig.stack.startApi();

    const [attempts, results] = [load.attempts, await load.done];
    expect(attempts.networkErrors).toBeGreaterThan(0);
    expect(failures(attempts)).toEqual([]);
    expect(results).toHaveLength(100);
    await expectConsistent(rig, [ids, 5]);
  });
});
