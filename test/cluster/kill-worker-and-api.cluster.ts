import { acceptedAtLeast, completeAll, expectConsistent, failures, startActivities, type FaultRig } from '../fault/rig';
import type { AppCluster } from '../../src/stack/app-cluster';
import { startClusterRig } from './support/rig';

/**
 * One worker and one API of the two each die with kill -9 in the middle of a load and stay
 * dead: the other worker takes over the workflows (and the projections and deliveries the dead
 * one had in hand, after their timeouts), the clients of the dead API see their connection drop
 * and retry at the other with the same Idempotency-Key. Nothing is lost, nothing applied
 * twice, and no answer is a 5xx other than 503.
 */
describe('the cluster loses one worker and one API during load', () => {
  let rig: FaultRig<AppCluster>;
  beforeAll(async () => {
    rig = await startClusterRig('halva');
  });
  afterAll(() => rig?.close());

  it('loses nothing and applies nothing twice', async () => {
    const ids = await startActivities(rig, 30, 8);
    const load = completeAll(rig, ids, 8, { oneAtATime: true });
    await acceptedAtLeast(load, 40);
    await Promise.all([rig.stack.kill(rig.stack.workers[0]!), rig.stack.kill(rig.stack.apis[0]!)]);
    // Deliveries the kill cut short still hold their claim; each may send its message once more.
    rig.resendsAllowed = await rig.models.notifications.countDocuments({ orgId: rig.orgId, 'claim.until': { $gt: new Date() } } as never);

    const killedAt = Date.now();
    const results = await load.done;
    const seen: Record<number, number> = {};
    for (const s of load.attempts.statuses) seen[s] = (seen[s] ?? 0) + 1;
    console.log(`after the kill: all accepted in ${((Date.now() - killedAt) / 1000).toFixed(0)} s; answers ${JSON.stringify(seen)}, ${load.attempts.networkErrors} dropped connections`);
    const serverErrors = load.attempts.statuses.filter((s) => s >= 500 && s !== 503);
    expect(serverErrors).toEqual([]);
    expect(failures(load.attempts)).toEqual([]);
    expect(load.attempts.withoutRetryAfter).toBe(0);
    expect(results).toHaveLength(240);
    expect(rig.stack.running()).toHaveLength(2);
    await expectConsistent(rig, [ids, 8]);
  });
});
