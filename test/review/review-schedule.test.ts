import { ScheduleNotFoundError } from '@temporalio/client';
import { loadConfig } from '../../src/platform/config';
import { startReview } from '../../src/services/reviews/service';
import { ensureReviewSchedule, reviewScheduleId } from '../../src/temporal/review-schedule';
import { settles } from '../support/eventually';
import { startTestStack, type TestStack } from '../support/stack';
import { thisYear } from '../support/calendar';

const YEAR = thisYear();

/** The yearly Schedule on the real Temporal server: ensured, updated, triggered, removed. */
describe('the yearly review schedule', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
    await stack.models.organisations.create(
      ['schema-a', 'schema-b'].map((id) => ({ _id: id, name: `Förvaltning ${id}`, plan: { startYear: YEAR, endYear: YEAR + 2 }, areas: [], goals: [], updatedAt: new Date() })),
    );
  });
  afterAll(() => stack?.close());

  it('is created from REVIEW_START_DATE, updated when it changes, and opens every organisation’s review once', async () => {
    const taskQueue = stack.config.temporal.taskQueue;
    const client = stack.env.client;
    const configFor = (date: string) => {
      const c = loadConfig({ REVIEW_START_DATE: date });
      return { taskQueue, reviewStart: c.reviewStart, planTimeZone: c.planTimeZone };
    };
    await ensureReviewSchedule(client, configFor('11-01'));
    await ensureReviewSchedule(client, configFor('11-01'));
    const handle = client.schedule.getHandle(reviewScheduleId(taskQueue));
    expect((await handle.describe()).spec).toMatchObject({ calendars: [{ month: [{ start: 'NOVEMBER' }], dayOfMonth: [{ start: 1 }], hour: [{ start: 6 }] }], timezone: 'Europe/Stockholm' });
    await ensureReviewSchedule(client, configFor('10-15'));
    expect((await handle.describe()).spec).toMatchObject({ calendars: [{ month: [{ start: 'OCTOBER' }], dayOfMonth: [{ start: 15 }] }] });

    // A review the coordinator started already stands; the other organisation's is opened.
    const year = YEAR;
    const temporal = { client, taskQueue };
    await startReview(temporal, stack.models, { orgId: 'schema-a', year, diaryNumber: 'A 1' });
    await handle.trigger();
    const kickoff = await settles(async () => {
      for await (const run of client.workflow.list({ query: `WorkflowType = 'yearlyReviewWorkflow' AND TaskQueue = '${taskQueue}'` })) return run;
      throw new Error('the schedule has not started its workflow yet');
    }, 600_000);
    expect(await client.workflow.getHandle(kickoff.workflowId, kickoff.runId).result()).toEqual({ year, organisations: ['schema-a', 'schema-b'] });
    const reviews = await settles(async () => {
      const docs = await stack.models.reviews.find({ orgId: { $in: ['schema-a', 'schema-b'] } }).sort({ _id: 1 }).lean();
      expect(docs.map((d) => d._id)).toEqual([`schema-a.${year}.v1`, `schema-b.${year}.v1`]);
      return docs;
    }, 600_000);
    expect(reviews[0]).toMatchObject({ diaryNumber: 'A 1', status: 'draft' });
    expect(reviews[1]!.narrative.inledning).toContain('Förvaltning schema-b');

    await ensureReviewSchedule(client, configFor('off'));
    await expect(handle.describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
  });

  it('refuses a date that is not MM-DD with one line naming the variable', () => {
    const fullDate = `${YEAR}-11-01`;
    expect(() => loadConfig({ REVIEW_START_DATE: fullDate })).toThrow(`config: REVIEW_START_DATE must be MM-DD, e.g. 11-01, or off (got "${fullDate}")`);
    expect(() => loadConfig({ REVIEW_START_DATE: '13-01' })).toThrow(/REVIEW_START_DATE/);
  });
});
