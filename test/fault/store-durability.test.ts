import { verifyOrganisationChain } from '../../src/services/audit/store';
import { bearerFor } from '../support/api';
import { thisYear } from '../support/calendar';
import { eventually } from '../support/eventually';
import { changeUntilAccepted, startActivities, startFaultRig, type Attempts, type FaultRig } from './rig';
import { emptySections, type ReviewState } from '../../src/domain/review';

/**
 * kill -9 of the store right after the API's answers arrive: every write the store
 * acknowledged is there when it comes back (the activities' projections, the audit chain,
 * users, KPI values, an adopted review's frozen snapshot), and the chain verifies. A store that
 * acknowledges before its journal reaches the disk loses the last of them.
 */
describe('the store killed (SIGKILL) after acknowledged writes', () => {
  let rig: FaultRig;
  beforeAll(async () => {
    rig = await startFaultRig('varaktighet', { owners: 2 });
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('keeps every acknowledged write: activities, audit chain, users, KPIs and the adopted review', async () => {
    const YEAR = thisYear();
    const org = rig.orgId;
    await rig.models.organisations.create({ _id: org, name: 'Varaktiga förvaltningen', plan: { startYear: YEAR, endYear: YEAR + 2 }, areas: [{ id: 'styrning', name: 'Styrning' }], goals: [], updatedAt: new Date() });
    const coordinator = await bearerFor(rig.models, { id: `${org}-samordnare`, name: 'Sara Samordnare', memberships: [{ orgId: org, roles: ['security-coordinator', 'admin'] }] });
    const head = await bearerFor(rig.models, { id: `${org}-chef`, name: 'Hanna Chef', memberships: [{ orgId: org, roles: ['head-of-administration'] }] });
    const call = async (token: string, method: string, path: string, body: unknown = {}) => {
      const res = await fetch(`${rig.stack.apiUrl}/api/v1${path}`, { method, headers: { authorization: token, 'content-type': 'application/json' }, ...(method === 'GET' ? {} : { body: JSON.stringify(body) }) });
      const answer = await res.json();
      if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(answer)}`);
      return answer as Record<string, unknown>;
    };

    const ids = await startActivities(rig, 4, 2, 'varaktig');
    const attempts: Attempts = { statuses: [], withoutRetryAfter: 0, networkErrors: 0 };
    const versions = await Promise.all(ids.map((id, i) => changeUntilAccepted(rig, rig.owners[i % 2]!, `/api/v1/activities/${id}/tasks/uppgift-1/complete`, `${id}-1`, attempts)));
    const R = `/organisations/${org}/reviews/${YEAR}`;
    await call(coordinator, 'POST', R);
    // Ready to submit as the review's rules ask: every unfinished activity carried over, every
    // section written or marked as having nothing to report.
    await call(coordinator, 'POST', `${R}/carry-over`, { choices: ids.map((id) => ({ activityId: id, choice: 'drop', reason: 'Provet avslutas.' })) });
    const { review } = (await call(coordinator, 'GET', R, undefined)) as { review: ReviewState };
    for (const section of emptySections(review)) await call(coordinator, 'POST', `${R}/sections/${section}/nothing-to-report`, { value: true });
    await call(coordinator, 'POST', `${R}/submit`);
    await call(head, 'POST', `${R}/adopt`, { decisions: ['Genomgången antas.'], conclusion: { suitable: true, adequate: true, effective: true, comment: 'Ledningssystemet fungerar.' } });
    // The worker's writes for these answers (audit events, the review's snapshot) land after
    // the answers; the test waits for them, then writes through the API to the last moment.
    // Per activity its start and the completion; the review's creation, submission and adoption.
    const events = ids.length * 2 + 3;
    await eventually(async () => ((await rig.models.auditEvents.countDocuments({ orgId: org })) >= events ? true : undefined), 'the audit events written');
    await eventually(async () => ((await rig.models.reviewSnapshots.countDocuments({ orgId: org })) === 1 ? true : undefined), 'the review snapshot written');
    const members = Array.from({ length: 5 }, (_, i) => `${org}-ny-${i}`);
    await Promise.all(members.map((userId, i) => call(coordinator, 'PUT', `/organisations/${org}/users/${userId}`, { name: `Ny Medarbetare ${i}`, email: `ny-${i}@${org}.example.se`, roles: ['activity-owner'] })));
    // Figures that double from year to year are saved only when confirmed as such.
    await Promise.all([YEAR - 2, YEAR - 1, YEAR].map((year, i) => call(coordinator, 'PUT', `/organisations/${org}/kpis/utbildade/${year}`, { value: 10 * (i + 1), name: 'Andel utbildade', unit: '%', confirmOutlier: true })));

    // What the store holds when it dies; the workflows may write on (a reminder due in five days).
    const auditedBeforeKill = await rig.models.auditEvents.countDocuments({ orgId: org });
    await rig.stack.store.process.kill();
    await rig.stack.startStore();

    const reread = async <T>(read: () => Promise<T>) => eventually(async () => (await read().catch(() => undefined)) ?? undefined, 'the store back');
    const activities = await reread(() => rig.models.activities.find({ _id: { $in: ids } }).lean());
    for (const [i, id] of ids.entries()) expect({ id, atLeastAcknowledged: activities.find((a) => a._id === id)!.version >= versions[i]!.version }).toEqual({ id, atLeastAcknowledged: true });
    expect(activities.every((a) => a.tasks.find((t) => t.id === 'uppgift-1')?.done)).toBe(true);
    const chain = await verifyOrganisationChain(rig.models.auditEvents, org);
    expect(chain.ok).toBe(true);
    expect(chain.events).toBeGreaterThanOrEqual(Math.max(events, auditedBeforeKill));
    expect(await rig.models.reviewSnapshots.countDocuments({ orgId: org, year: YEAR })).toBe(1);
    const users = await rig.models.users.find({ _id: { $in: members } }).lean();
    expect(users.map((u) => [u._id, u.memberships])).toEqual(members.map((id) => [id, [{ orgId: org, roles: ['activity-owner'] }]]));
    const kpis = await rig.models.kpiValues.find({ orgId: org, seriesId: 'utbildade' }).sort({ year: 1 }).lean();
    expect(kpis.map((k) => [k.year, k.value])).toEqual([[YEAR - 2, 10], [YEAR - 1, 20], [YEAR, 30]]);
    expect(attempts.withoutRetryAfter).toBe(0);
  });
});
