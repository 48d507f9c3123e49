import type { Actor } from '../../src/domain/activity';
import { decideReview, newReviewState, type ReviewState } from '../../src/domain/review';
import { TEMPLATES, instantiateTemplate } from '../../src/domain/templates';
import { compileReview } from '../../src/services/reviews/compile';
import { choiceText } from '../../src/services/reviews/carry-over';
import type { Block, ReviewDocument, ReviewInputs } from '../../src/services/reviews/document';
import { prefillNarrative } from '../../src/services/reviews/prefill';
import { draftNotice, titleLines } from '../../src/reports/text';
import { reviewActivity } from '../support/review-activity';

/**
 * The review's Swedish as a registrator would read it (issue 16, item 9): dates in running text
 * as "den 4 december 2026", an adopted document in the past tense, trends only between two years
 * that both have whole-year figures, agreement with the count, every status in the counts, no
 * ".:" after a title, and NIS2 articles cited "artikel 21.2 a". Pure: the document builders only.
 */

const activity = reviewActivity;

const nis2Tasks = TEMPLATES.nis2.milestones.flatMap((m) => m.tasks.map((t) => ({ id: t.id, title: t.title, milestoneId: m.id, done: false })));

const base: ReviewInputs = {
  organisation: { id: 'org', name: 'Testförvaltningen', areas: [{ id: 'styrning', name: 'Styrning' }] },
  year: 2026,
  activities: [
    activity('klar', {
      title: 'Ta fram rutin för loggar.',
      status: 'verified',
      milestones: [
        { id: 'm', title: 'Rutinen beslutad.', final: true, approvers: [{ role: 'head-of-administration' }], status: 'approved', round: 1, decisions: [{ round: 1, step: 0, decision: 'approved', by: { userId: 'h', name: 'Hanna Chef' }, at: '2026-05-04T10:00:00Z' }] },
      ],
    }),
    activity('pagar', { title: 'Genomföra riskanalys', status: 'in-progress', dueDate: '2026-06-30' }),
    activity('nis2', { title: 'Implementera cybersäkerhetslagen.', status: 'in-progress', template: 'nis2', tasks: nis2Tasks }),
    activity('avbruten', { title: 'Byta system', status: 'cancelled', cancellation: { by: { userId: 'c', name: 'Cecilia' }, at: '2026-03-01T08:00:00Z', comment: 'Ersatt av stadens tjänst' } }),
  ],
  kpis: [
    { id: 'klassningar', name: 'Antal informationsklassningar.', values: [{ year: 2024, value: 74 }, { year: 2025, value: 98 }] },
    { id: 'utbildade', name: 'Utbildade medarbetare', values: [{ year: 2025, value: 200 }, { year: 2026, value: 250 }] },
    { id: 'larm', name: 'Larm', values: [{ year: 2025, value: 880 }, { year: 2026, value: 773, partial: true }] },
  ],
  incidents: [{ year: 2025, category: 'skadlig-kod', count: 13 }],
};

const DRAFT_AT = '2026-11-20T09:00:00.000Z';
const ADOPTED_AT = '2026-12-04T13:00:00.000Z';
const coordinator: Actor = { userId: 'c', name: 'Cecilia', roles: ['security-coordinator'], delegations: [] };
const head: Actor = { userId: 'h', name: 'Hanna Chef', roles: ['head-of-administration'], delegations: [] };

function step(state: ReviewState, actor: Actor, command: Parameters<typeof decideReview>[1]['command'], at: string): ReviewState {
  const d = decideReview(state, { requestId: `r-${command.type}`, actor, command }, at);
  if (!d.ok) throw new Error(d.rejection.reason);
  return d.state;
}

function draft(inputs: ReviewInputs = base): ReviewState {
  return newReviewState({ orgId: 'org', year: 2026, version: 1, narrative: prefillNarrative(inputs) }, DRAFT_AT);
}

function adopted(inputs: ReviewInputs = base): ReviewState {
  const submitted = step(draft(inputs), coordinator, { type: 'submit' }, DRAFT_AT);
  return step(
    submitted,
    head,
    {
      type: 'adopt',
      decisions: [{ text: 'Riskanalysen slutförs.', owner: 'security-coordinator', due: '2027-03-31' }],
      conclusion: { suitable: true, adequate: true, effective: false, comment: 'Effektiviteten mäts inte ännu.' },
    },
    ADOPTED_AT,
  );
}

const blocksOf = (doc: ReviewDocument, id: string): Block[] => doc.sections.find((s) => s.id === id)!.blocks;
const textOf = (doc: ReviewDocument, id: string) => blocksOf(doc, id).map((b) => ('text' in b ? b.text : b.type === 'bullets' ? b.items.join(' ') : '')).filter(Boolean).join(' ');
const tableOf = (doc: ReviewDocument, id: string, caption?: string) =>
  blocksOf(doc, id).find((b): b is Extract<Block, { type: 'table' }> => b.type === 'table' && (!caption || b.caption === caption))!;
/** Everything the builders wrote, leaving out the narrative people write (and may write as they like). */
const generated = (doc: ReviewDocument) =>
  doc.sections.flatMap((s) => [s.title, ...s.blocks.flatMap((b) => (b.type === 'paragraph' ? [b.text] : b.type === 'bullets' ? b.items : b.type === 'table' ? [b.caption, ...b.columns, ...b.rows.flat()] : []))]);

describe('the review’s Swedish', () => {
  const draftDoc = compileReview(base, draft(), DRAFT_AT);
  const adoptedDoc = compileReview(base, adopted(), ADOPTED_AT);

  it('writes dates in running text as "den 4 december 2026"', () => {
    expect(textOf(draftDoc, 'sammanfattning')).toContain('försenad den 20 november 2026, det vill säga');
    expect(textOf(adoptedDoc, 'beslut')).toContain('Förvaltningschefen Hanna Chef antog genomgången den 4 december 2026.');
    expect(titleLines(adoptedDoc)).toContain('Antagen av förvaltningschefen den 4 december 2026');
    expect(titleLines(draftDoc)).toContain('Sammanställd den 20 november 2026');
    expect(draftNotice(draftDoc)).toBe('UTKAST – inte antaget. Uppgifterna är hämtade den 20 november 2026 och kan ändras fram till antagandet.');
    expect(choiceText({ activityId: 'org.2026.pagar', choice: 'carry', title: 'Genomföra riskanalys', due: '2027-05-31' }, 2027)).toBe('Förs över till 2027 som ”Genomföra riskanalys”, klar senast den 31 maj 2027');
    // The pre-filled narrative too: "inte klar vid slutdatum den 30 juni 2026", not an ISO date.
    const late = { ...base, activities: [activity('sen', { title: 'Genomföra riskanalys', status: 'in-progress', dueDate: '2026-06-30', late: true })] };
    expect(prefillNarrative(late)['omrade:styrning:utmaningar']).toBe('Genomföra riskanalys: inte klar vid slutdatum den 30 juni 2026.');
  });

  it('counts every status, cancelled ones too, with agreement in number, alike in the summary and input a)', () => {
    const counts = 'Planen för 2026 omfattar 4 aktiviteter: 1 är genomförd (varav 1 verifierad), 2 är inte avslutade, 0 är uppskjutna och 1 är avbruten.';
    expect(textOf(draftDoc, 'sammanfattning')).toContain(counts);
    expect(textOf(draftDoc, 'underlag-a')).toContain(counts);
    expect(textOf(draftDoc, 'underlag-a')).toContain('1 aktivitet är försenad den 20 november 2026, det vill säga inte klar vid sitt slutdatum.');
  });

  it('puts an adopted document in the past tense: the year that was, not the year that is', () => {
    expect(textOf(adoptedDoc, 'sammanfattning')).toContain('Planen för 2026 omfattade 4 aktiviteter: 1 var genomförd (varav 1 verifierad), 2 var inte avslutade, 0 var uppskjutna och 1 var avbruten.');
    expect(textOf(adoptedDoc, 'sammanfattning')).toContain('1 aktivitet var försenad den 4 december 2026');
    expect(textOf(adoptedDoc, 'sammanfattning')).toContain('Prognos vid genomgången: i dåvarande takt skulle ytterligare 1 aktivitet inte bli klar till sitt slutdatum');
    expect(tableOf(adoptedDoc, 'uppfoljning').rows.map((r) => r[3])).toEqual(['Verifierad', 'Pågick, försenad', 'Pågick', 'Avbruten: Ersatt av stadens tjänst']);
    expect(textOf(adoptedDoc, 'avvikelser')).toBe('Avvikelser och korrigerande åtgärder: inga uppgifter var registrerade.');
    expect(textOf(adoptedDoc, 'cybersakerhetslagen')).toContain('10 av 10 åtgärder hade en aktivitet eller en uppgift');
    expect(textOf(adoptedDoc, 'nis2-ledningens-utbildning')).toContain('Inget deltagandetal var registrerat för 2026');
    // Nothing the builders wrote says "är", "pågår", "finns" or "har" of the year; the law's duties keep their present.
    const word = (w: string) => new RegExp(`(?<!\\p{L})${w}(?!\\p{L})`, 'iu');
    const present = generated(adoptedDoc).filter((t) => ['är', 'pågår', 'finns'].some((w) => word(w).test(t)) || (word('har').test(t) && !t.includes('Om rutinen har övats')));
    expect(present).toEqual([]);
    // A draft describes the year as it stands.
    expect(tableOf(draftDoc, 'uppfoljning').rows.map((r) => r[3])).toEqual(['Verifierad', 'Pågår, försenad', 'Pågår', 'Avbruten: Ersatt av stadens tjänst']);
    expect(textOf(draftDoc, 'avvikelser')).toBe('Avvikelser och korrigerande åtgärder: inga uppgifter är registrerade.');
    // A correction's draft is compiled from the facts the adopted version was frozen with: it looks back too.
    const correction = compileReview(base, { ...draft(), version: 2 }, ADOPTED_AT);
    expect(tableOf(correction, 'uppfoljning').rows.map((r) => r[3])).toEqual(['Verifierad', 'Pågick, försenad', 'Pågick', 'Avbruten: Ersatt av stadens tjänst']);
    expect(correction.draft).toBe(true);
  });

  it('writes a trend only between two years that both have figures, and marks a part of a year as such', () => {
    const trends = blocksOf(draftDoc, 'sammanfattning').find((b): b is Extract<Block, { type: 'bullets' }> => b.type === 'bullets')!.items;
    // Klassningar has 2024 and 2025 but nothing for 2026: no 2024–2025 trend in the 2026 review.
    expect(trends).toEqual(['Utbildade medarbetare: från 200 (2025) till 250 (2026) (+25 %).', 'Larm: från 880 (2025) till 773 (2026, delår).']);
    const kpis = tableOf(draftDoc, 'nyckeltal');
    expect(kpis.rows.find((r) => r[0] === 'Larm')).toEqual(['Larm', '–', '880', '773 (delår)', '–']);
    // Incidents: 13 in 2025 and none entered for 2026 is no change of −13.
    expect(textOf(draftDoc, 'incidenter')).toBe('För 2026 är inga incidenter registrerade. Under 2025 rapporterades 13 informationssäkerhetsincidenter.');
    expect(tableOf(draftDoc, 'incidenter').rows.at(-1)).toEqual(['Totalt', '13', '0', '–']);
    // A part-year incident figure is compared with nothing.
    const partial: ReviewInputs = {
      ...base,
      kpis: [{ id: 'incidenter', name: 'Rapporterade informationssäkerhetsincidenter', values: [{ year: 2025, value: 13 }, { year: 2026, value: 1, partial: true }] }],
    };
    const doc = compileReview(partial, draft(partial), DRAFT_AT);
    expect(textOf(doc, 'incidenter')).toBe('Under 2026 rapporterades 1 informationssäkerhetsincident, mot 13 under 2025. Minst ett av åren avser bara en del av året (delår), så förändringen redovisas inte.');
    expect(tableOf(doc, 'incidenter')).toMatchObject({ columns: ['Kategori', '2025', '2026 (delår)', 'Förändring'] });
    expect(tableOf(doc, 'incidenter').rows.at(-1)).toEqual(['Totalt', '13', '1', '–']);
  });

  it('never prints ".:" after a title that ends in a full stop', () => {
    const all = generated(draftDoc).concat(Object.values(prefillNarrative(base)));
    expect(all.filter((t) => t.includes('.:'))).toEqual([]);
    expect(tableOf(draftDoc, 'uppfoljning').rows[0]![4]).toBe('Rutinen beslutad: godkänd 2026-05-04 av Hanna Chef');
    expect(tableOf(draftDoc, 'cybersakerhetslagen').rows[0]![1]).toBe('Implementera cybersäkerhetslagen: uppgiften för 21.2 a (2026, inte klar)');
  });

  it('cites NIS2 as "artikel 21.2 a", also in the nis2 template’s task titles', () => {
    const titles = TEMPLATES.nis2.milestones.flatMap((m) => m.tasks.map((t) => t.title));
    expect(titles).toContain('Artikel 21.2 a: Riskanalys och säkerhetspolicyer för informationssystem');
    expect(titles.filter((t) => /\d+\.\d+\.[a-j]\b/.test(t))).toEqual([]);
    expect(generated(draftDoc).filter((t) => /\d+\.\d+\.[a-j]\b/.test(t))).toEqual([]);
  });

  it('keeps the old NIS2 task titles for an activity whose workflow began before (same task ids)', () => {
    const now = instantiateTemplate('nis2');
    const before = instantiateTemplate('nis2', [], { legacyTaskTitles: true });
    expect(before.tasks.map((t) => t.id)).toEqual(now.tasks.map((t) => t.id));
    expect(before.tasks.find((t) => t.id === 'nis2-21-2-a')?.title).toBe('21.2.a: Riskanalys och säkerhetspolicyer för informationssystem');
    expect(now.tasks.find((t) => t.id === 'nis2-21-2-a')?.title).toBe('Artikel 21.2 a: Riskanalys och säkerhetspolicyer för informationssystem');
    // Only the NIS2 measures' titles differ.
    expect(before.tasks.filter((t, i) => t.title !== now.tasks[i]!.title)).toHaveLength(10);
  });
});
