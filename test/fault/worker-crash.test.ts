import { completeAll, expectConsistent, failures, startActivities, startFaultRig, waitForCompletions, type FaultRig } from './rig';

/**
 * The worker dies with kill -9 while owners complete 500 tasks at once, and comes back. The
 * workflows hold every accepted change; the projection and the audit trail, which the dead
 * worker may have half written, are completed once by the new worker.
 */
describe('the worker is killed during 500 concurrent task completions', () => {
  let rig: FaultRig;
  beforeAll(async () => {
    rig = await startFaultRig('worker');
  });
  afterAll(() => rig?.close());

  it('loses nothing and applies nothing twice', async () => {
    const ids = await startActivities(rig, 50, 10);
    const load = completeAll(rig, ids, 10);
    // Kill the worker once the first changes have been accepted and are being projected.
    await waitForCompletions(rig, 60);
    await rig.stack.worker.kill();
    // Deliveries the kill cut short still hold their claim; each may resend one message.
    rig.resendsAllowed = await rig.models.notifications.countDocuments({ orgId: rig.orgId, 'claim.until': { $gt: new Date() } } as never);
    await new Promise((r) => setTimeout(r, 3_000));
    await rig.stack.startWorker();

    const [attempts, results] = [load.attempts, await load.done];
    expect(failures(attempts)).toEqual([]);
    expect(results).toHaveLength(500);
    await expectConsistent(rig, [ids, 10]);
  });
});
