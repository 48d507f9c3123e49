import type { Actor } from '../../src/domain/activity';
import { MAX_CARRY_OVER_CHOICES, decideReview, newReviewState, type CarryOverChoice, type ReviewState } from '../../src/domain/review';
import { ReviewCommand } from '../../src/domain/review-schema';
import { carryOverItems, choiceText, titleWithoutYear, undecided } from '../../src/services/reviews/carry-over';
import { compileReview } from '../../src/services/reviews/compile';
import type { ReviewActivity, ReviewInputs } from '../../src/services/reviews/document';
import { reviewActivity } from '../support/review-activity';

/** The coordinator's choice per unfinished activity (issue 16, item 5): suggested, recorded, printed. */

const activity = (key: string, over: Partial<ReviewActivity>): ReviewActivity =>
  reviewActivity(key, { area: 'ai', status: 'in-progress', owner: { role: 'it-coordinator' }, priority: 'hög', ...over });

const inputs: ReviewInputs = {
  organisation: { id: 'org', name: 'Testförvaltningen', areas: [{ id: 'ai', name: 'AI' }] },
  year: 2026,
  activities: [
    activity('utbildning', { title: 'Genomföra utbildning under 2026', dueDate: '2026-06-30', goal: 'mal-1', expectedResult: 'Alla chefer utbildade', estimatedCost: 50000 }),
    activity('loggar', { title: 'Rutin för loggar', status: 'blocked' }),
    activity('gammal', { title: 'Inventera system (2026)', status: 'deferred' }),
    activity('klar', { title: 'Klar aktivitet', status: 'done' }),
    activity('avbruten', { title: 'Avbruten aktivitet', status: 'cancelled', cancellation: { by: { userId: 'h', name: 'Hanna' }, at: '2026-05-01T00:00:00Z', comment: 'Ersatt av stadens gemensamma tjänst' } }),
  ],
  kpis: [],
  incidents: [],
  goals: [{ id: 'mal-1', kind: 'nämndmål', title: 'Informationssäkerheten stärks', expectedResults: [] }],
};

const AT = '2026-11-20T09:00:00.000Z';
const coordinator: Actor = { userId: 'c', name: 'Cecilia', roles: ['security-coordinator'], delegations: [] };
const review = (): ReviewState => newReviewState({ orgId: 'org', year: 2026, version: 1, narrative: {} }, AT);

function choose(state: ReviewState, choices: CarryOverChoice[]): ReviewState {
  const d = decideReview(state, { requestId: 'x', actor: coordinator, command: { type: 'set-carry-over', choices } }, AT);
  if (!d.ok) throw new Error(d.rejection.reason);
  return d.state;
}

describe('carry-over choices', () => {
  it('suggests a title without the old year and the due date a year on', () => {
    expect(titleWithoutYear('Genomföra utbildning under 2026', 2026)).toBe('Genomföra utbildning');
    expect(titleWithoutYear('Inventera system (2026)', 2026)).toBe('Inventera system');
    expect(titleWithoutYear('Plan 2026–2028 för 2026', 2026)).toBe('Plan –2028');
    expect(titleWithoutYear('2026', 2026)).toBe('2026');
    expect(titleWithoutYear('Riskanalys 2025', 2026)).toBe('Riskanalys 2025');
    const items = carryOverItems(inputs, review());
    expect(items.map((i) => [i.activity.key, i.suggestion])).toEqual([
      ['utbildning', { title: 'Genomföra utbildning', due: '2027-06-30' }],
      ['loggar', { title: 'Rutin för loggar', due: '2027-12-31' }],
      ['gammal', { title: 'Inventera system', due: '2027-12-31' }],
    ]);
    expect(undecided(items)).toHaveLength(3);
  });

  it('records a choice per activity, a later one replacing the earlier, bounded', () => {
    let state = choose(review(), [{ activityId: 'org.2026.loggar', choice: 'carry', title: 'Rutin för loggar', due: '2027-03-31' }]);
    state = choose(state, [{ activityId: 'org.2026.loggar', choice: 'drop', reason: 'Leverantören sköter loggarna' }]);
    expect(state.carryOver).toEqual([{ activityId: 'org.2026.loggar', choice: 'drop', reason: 'Leverantören sköter loggarna' }]);
    const many = Array.from({ length: MAX_CARRY_OVER_CHOICES }, (_, i): CarryOverChoice => ({ activityId: `org.2026.a${i}`, choice: 'drop', reason: 'x' }));
    const full = choose(review(), many);
    const over = decideReview(full, { requestId: 'y', actor: coordinator, command: { type: 'set-carry-over', choices: [{ activityId: 'org.2026.extra', choice: 'drop', reason: 'x' }] } }, AT);
    expect(over).toMatchObject({ ok: false, rejection: { kind: 'invalid' } });
    const owner: Actor = { userId: 'o', name: 'Olle', roles: ['it-coordinator'], delegations: [] };
    expect(decideReview(review(), { requestId: 'z', actor: owner, command: { type: 'set-carry-over', choices: many.slice(0, 1) } }, AT)).toMatchObject({ ok: false, rejection: { kind: 'forbidden' } });
  });

  it('refuses a choice without its reason or with a bad date, field by field', () => {
    const parsed = ReviewCommand.safeParse({ type: 'set-carry-over', choices: [{ activityId: 'org.2026.a', choice: 'drop', reason: '' }, { activityId: 'org.2026.b', choice: 'carry', title: 'T', due: '2027-02-30' }] });
    expect(parsed.success).toBe(false);
    expect([...new Set(parsed.error!.issues.map((i) => i.path.join('.')))]).toEqual(['choices.0.reason', 'choices.1.due']);
  });

  it('prints each choice and reason in the follow-up chapter, and the carried ones in the plan in the MSB form', () => {
    const state = choose(review(), [
      { activityId: 'org.2026.utbildning', choice: 'carry', title: 'Genomföra utbildning för chefer', due: '2027-05-31' },
      { activityId: 'org.2026.loggar', choice: 'done-in-part', reason: 'Rutinen finns; granskningen återstår' },
      { activityId: 'org.2026.gammal', choice: 'drop', reason: 'Systemförteckningen förs centralt' },
    ]);
    const doc = compileReview(inputs, state, AT);
    const tables = doc.sections.find((s) => s.id === 'uppfoljning')!.blocks.filter((b) => b.type === 'table');
    expect(tables[0]).toMatchObject({ rows: expect.arrayContaining([['Avbruten aktivitet', 'It-samordnare', '2026-12-31', 'Avbruten: Ersatt av stadens gemensamma tjänst', '–']]) });
    expect(tables[1]).toMatchObject({
      caption: 'Ej avslutade aktiviteter: beslut om överföring till 2027',
      rows: [
        ['Genomföra utbildning under 2026', 'Pågår, försenad', 'Förs över till 2027 som ”Genomföra utbildning för chefer”, klar senast den 31 maj 2027'],
        ['Rutin för loggar', 'Blockerad', 'Avslutas som delvis genomförd: Rutinen finns; granskningen återstår'],
        ['Inventera system (2026)', 'Uppskjuten', 'Stryks: Systemförteckningen förs centralt'],
      ],
    });
    const plan = doc.sections.find((s) => s.id === 'trearsplan')!.blocks.find((b) => b.type === 'table' && b.caption === 'Handlingsplan 2027');
    expect(plan).toMatchObject({
      rows: [['Genomföra utbildning för chefer (överförs från 2026)', 'Informationssäkerheten stärks. Alla chefer utbildade', '–', 'hög', '50\u00a0000 kr', 'It-samordnare', '2027-01-01', '2027-05-31']],
    });
    expect(choiceText(undefined, 2027)).toBe('Inget val gjort');
  });
});
