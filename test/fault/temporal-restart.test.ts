import { acceptedAtLeast, changeUntilAccepted, completeAll, expectConsistent, failures, startActivities, startFaultRig, type Attempts, type FaultRig } from './rig';

/**
 * The Temporal server stops during load and starts again on its database file. Meanwhile the
 * API answers 503 with Retry-After, never 500, and a client that retries with the same
 * Idempotency-Key gets its change applied exactly once.
 */
describe('the Temporal server restarts during load', () => {
  let rig: FaultRig;
  beforeAll(async () => {
    rig = await startFaultRig('temporal');
  });
  afterAll(() => rig?.close());

  it('answers 503 with Retry-After during the gap and applies every retried change once', async () => {
    const ids = await startActivities(rig, 20, 5);
    const [probeId] = await startActivities(rig, 1, 1, 'prov');
    const load = completeAll(rig, ids, 5, { oneAtATime: true });
    await acceptedAtLeast(load, 20);
    await rig.stack.temporal.process.stop();

    const ready = await fetch(`${rig.stack.apiUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).toMatch(/^\d+$/);
    const gap: Attempts = { statuses: [], withoutRetryAfter: 0, networkErrors: 0 };
    const probe = changeUntilAccepted(rig, rig.owners[0]!, `/api/v1/activities/${probeId}/tasks/uppgift-1/complete`, 'under-avbrottet', gap);
    // Longer than the Temporal client's own retries (about half a minute), so that the API
    // has to give up and say so.
    await new Promise((r) => setTimeout(r, 45_000));
    await rig.stack.startTemporal();

    const attempts = load.attempts;
    await load.done;
    expect(await probe).toMatchObject({ version: 2 });
    expect(gap.statuses[0]).toBe(503);
    for (const a of [attempts, gap]) {
      expect(failures(a)).toEqual([]);
      expect(a.withoutRetryAfter).toBe(0);
    }
    await expectConsistent(rig, [ids, 5], [[probeId!], 1]);
  });
});
