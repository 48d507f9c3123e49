import { ReviewCommand } from '../../src/domain/review-schema';
import { Problem } from '../../src/services/problem';
import { REVIEW_COMMANDS, REVIEW_COMMAND_TYPES, reviewCommandRequest, toReviewCommand } from '../../src/services/reviews/command-table';

/**
 * The review's command table derives every request from the domain's ReviewCommand schema:
 * these check that no command is left without a route, that a path id or a field the service
 * fills in never lands in the body, and that a refusal names the field at fault.
 */
describe('the review command table', () => {
  it('has a route for every review command of the domain', () => {
    expect([...REVIEW_COMMAND_TYPES].sort()).toEqual(ReviewCommand.options.map((o) => o.shape.type.value).sort());
  });

  it('takes the ids the path names from the path, and the rest of the command from the body', () => {
    const request = reviewCommandRequest('edit-section');
    expect(REVIEW_COMMANDS['edit-section'].api).toBe('/sections/:sectionId');
    expect(Object.keys(request.ids)).toEqual(['sectionId']);
    expect(Object.keys(request.body.shape)).toEqual(['text']);
    expect(request.ids.sectionId?.safeParse('inte-ett-avsnitt').success).toBe(false);
    expect(request.ids.sectionId?.safeParse('sammanfattning').success).toBe(true);
  });

  it('leaves the figures of a submission to the service', () => {
    const { body } = reviewCommandRequest('submit');
    expect(body.safeParse({}).success).toBe(true);
    expect(body.safeParse({ figures: { asOf: '2026-12-01', total: 1, done: 1, unfinished: 0, deferred: 0, cancelled: 0, late: 0 } }).success).toBe(false);
  });

  it('holds new requests to the domain rules for free text', () => {
    const { body } = reviewCommandRequest('set-diary-number');
    expect(body.safeParse({ diaryNumber: '   ' }).success).toBe(false);
    expect(body.parse({ diaryNumber: ' SDF 2026/1 ' })).toEqual({ diaryNumber: 'SDF 2026/1' });
  });

  it('builds the command from the path and the body, and names the field a refusal is about', () => {
    expect(toReviewCommand('set-nothing-to-report', { sectionId: 'risker' }, { value: true })).toEqual({ type: 'set-nothing-to-report', sectionId: 'risker', value: true });
    const refusal = refusalOf(() => toReviewCommand('set-carry-over', {}, { choices: [{ activityId: 'a', choice: 'carry', title: 'Ny titel', due: '2026-02-30' }] }));
    expect(refusal.status).toBe(400);
    expect(refusal.extra.errors).toEqual([{ field: 'body.choices.0.due', message: expect.any(String) }]);
  });
});

function refusalOf(f: () => unknown): Problem {
  try {
    f();
  } catch (err) {
    if (err instanceof Problem) return err;
    throw err;
  }
  throw new Error('the request was not refused');
}
