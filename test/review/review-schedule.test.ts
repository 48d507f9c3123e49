import { ScheduleNotFoundError } from '@temporalio/client';
import { loadConfig } from '../../src/config';
import { dateInZone } from '../../src/domain/deadlines';
import { startReview } from '../../src/review/service';
import { ensureReviewSchedule, reviewScheduleId } from '../../src/temporal/review-schedule';
import { settles } from '../support/eventually';
import { startTestStack, type TestStack } from '../support/stack';

/** The yearly Schedule on the real Temporal server: ensured, updated, triggered, removed. */
describe('the yearly review schedule', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
    await stack.models.organisations.create(
      ['schema-a', 'schema-b'].map((id) => ({ _id: id, name: `Förvaltning ${id}`, plan: { startYear: 2026, endYear: 2028 }, areas: [], goals: [], updatedAt: new Date() })),
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
    const year = Number(dateInZone(Date.now(), 'Europe/Stockholm').slice(0, 4));
    const temporal = { client, taskQueue };
    await startReview(temporal, stack.models, { orgId: 'schema-a', year, diaryNumber: 'A 1' });
    await handle.trigger();
    const reviews = await settles(async () => {
      const docs = await stack.models.reviews.find({ orgId: { $in: ['schema-a', 'schema-b'] } }).sort({ _id: 1 }).lean();
      expect(docs.map((d) => d._id)).toEqual([`schema-a.${year}.v1`, `schema-b.${year}.v1`]);
      return docs;
    });
    expect(reviews[0]).toMatchObject({ diaryNumber: 'A 1', status: 'draft' });
    expect(reviews[1]!.narrative.inledning).toContain('Förvaltning schema-b');

    await ensureReviewSchedule(client, configFor('off'));
    await expect(handle.describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
  });

  it('refuses a date that is not MM-DD with one line naming the variable', () => {
    expect(() => loadConfig({ REVIEW_START_DATE: '2026-11-01' })).toThrow(/REVIEW_START_DATE: must be MM-DD, e\.g\. 11-01, or off/);
    expect(() => loadConfig({ REVIEW_START_DATE: '13-01' })).toThrow(/REVIEW_START_DATE/);
  });
});
