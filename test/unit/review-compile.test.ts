import type { Actor } from '../../src/domain/activity';
import { decideReview, newReviewState, type ReviewState } from '../../src/domain/review';
import { compileReview } from '../../src/services/reviews/compile';
import type { ReviewActivity, ReviewInputs } from '../../src/services/reviews/document';
import { prefillNarrative } from '../../src/services/reviews/prefill';
import { renderMarkdown } from '../../src/reports/markdown';
import { reviewActivity } from '../support/review-activity';

const activity = (over: Partial<ReviewActivity>): ReviewActivity => reviewActivity(over.key ?? 'a', { title: 'Aktivitet', area: 'riskanalys', ...over });

const inputs: ReviewInputs = {
  organisation: { id: 'org', name: 'Testförvaltningen', areas: [{ id: 'riskanalys', name: 'Riskanalys' }, { id: 'ai', name: 'AI' }, { id: 'tom', name: 'Tomt område' }] },
  year: 2026,
  activities: [
    activity({
      key: 'risk',
      title: 'Genomföra riskanalys',
      status: 'in-progress',
      late: true,
      nis2Measures: ['21.2.a'],
      resources: 'Konsultstöd 200 timmar',
      tasks: [
        { id: 't1', title: 'Workshop', milestoneId: 'm', done: true },
        { id: 't2', title: 'Rapport', milestoneId: 'm', done: false },
      ],
      extensions: [{ id: 'x1', requestedBy: { userId: 'u', name: 'Olle Ägare' }, requestedAt: '2026-10-02T08:00:00Z', currentDueDate: '2026-12-31', proposedDueDate: '2027-03-31', reason: 'Konsulten är upptagen.', status: 'pending' }],
      entries: [{ id: 'e1', kind: 'comment', text: 'Workshop hålls i december.', by: { userId: 'u', name: 'Olle Ägare' }, at: '2026-10-01T08:00:00Z' }] }),
    activity({
      key: 'ai-rutin',
      title: 'Ta fram rutin för AI',
      area: 'ai',
      status: 'done',
      milestones: [
        { id: 'm', title: 'Rutin beslutad', final: true, approvers: [{ role: 'head-of-administration' }], status: 'approved', round: 1, decisions: [{ round: 1, step: 0, decision: 'approved', by: { userId: 'h', name: 'Hanna Chef' }, at: '2026-05-04T10:00:00Z' }] },
      ],
    }),
    activity({ id: 'org.2027.nis2', key: 'nis2', planYear: 2027, title: 'Införa NIS2-krav', area: 'ai', nis2Measures: ['21.2.b'] }),
  ],
  kpis: [{ id: 'k', name: 'Antal informationsklassningar', unit: 'st', values: [{ year: 2024, value: 74 }, { year: 2025, value: 98 }] }],
  incidents: [
    { year: 2025, category: 'skadlig-kod', count: 2 },
    { year: 2026, category: 'skadlig-kod', count: 5 },
  ],
};

const AT = '2026-11-20T09:00:00.000Z';
const coordinator: Actor = { userId: 'c', name: 'Cecilia', roles: ['security-coordinator'], delegations: [] };
const head: Actor = { userId: 'h', name: 'Hanna Chef', roles: ['head-of-administration'], delegations: [] };

function review(): ReviewState {
  return newReviewState({ orgId: 'org', year: 2026, version: 1, narrative: prefillNarrative(inputs) }, AT);
}

describe('compileReview', () => {
  const doc = compileReview(inputs, review(), AT);
  const section = (id: string) => doc.sections.find((s) => s.id === id)!;

  it('numbers chapters, focus areas and their parts like Word headings, only areas with activities', () => {
    expect(doc.sections.filter((s) => s.level === 1).map((s) => `${s.number} ${s.title}`)).toEqual([
      '1 Sammanfattning',
      '2 Inledning',
      '3 Uppföljning av föregående års åtgärder',
      '4 Fokusområden',
      '5 Underlag för genomgången (ISO/IEC 27001:2022, 9.3.2)',
      '6 Cybersäkerhetslagen',
      '7 Treårsplan 2027–2029',
      '8 Slutsats och beslut',
    ]);
    expect(doc.sections.filter((s) => s.number.startsWith('4.')).map((s) => `${s.number} ${s.title}`)).toEqual([
      '4.1 Riskanalys',
      '4.1.1 Läget 2026',
      '4.1.2 Behov',
      '4.1.3 Utmaningar',
      '4.1.4 Förslag till åtgärder',
      '4.2 AI',
      '4.2.1 Läget 2026',
      '4.2.2 Behov',
      '4.2.3 Utmaningar',
      '4.2.4 Förslag till åtgärder',
    ]);
  });

  it('states the facts: done, late, KPI changes, sign-offs, incidents with the year before', () => {
    expect(JSON.stringify(section('sammanfattning'))).toContain('Planen för 2026 omfattar 2 aktiviteter: 1 är genomförd (varav 0 verifierade), 1 är inte avslutad, 0 är uppskjutna och 0 är avbrutna. Ingen aktivitet är försenad den 20 november 2026');
    // The KPI has no 2026 value: no 2024–2025 trend in the 2026 review.
    expect(JSON.stringify(section('sammanfattning'))).not.toContain('Antal informationsklassningar: från');
    const table = section('uppfoljning').blocks.find((b) => b.type === 'table');
    expect(table).toMatchObject({ rows: [['Genomföra riskanalys', 'Informationssäkerhetssamordnare', '2026-12-31', 'Pågår', '–'], ['Ta fram rutin för AI', 'Informationssäkerhetssamordnare', '2026-12-31', 'Genomförd', 'Rutin beslutad: godkänd 2026-05-04 av Hanna Chef']] });
    expect(section('incidenter').blocks.find((b) => b.type === 'table')).toMatchObject({ rows: [['Skadlig kod och nätfiske', '2', '5', '+3'], ['Totalt', '2', '5', '+3']] });
  });

  it('flags the NIS2 measures no activity covers, and marks the work to be carried over', () => {
    const nis2 = section('cybersakerhetslagen');
    expect(JSON.stringify(nis2)).toContain('2 av 10 åtgärder har en aktivitet eller en uppgift i planen');
    expect(JSON.stringify(nis2)).toContain('Åtgärder utan aktivitet, som bör få en i planen: artikel 21.2 c, artikel 21.2 d, artikel 21.2 e, artikel 21.2 f, artikel 21.2 g, artikel 21.2 h, artikel 21.2 i, artikel 21.2 j.');
    // The plan in the MSB handlingsplan's columns; unfinished work without a choice yet shows under the suggested title and date.
    const plan2027 = section('trearsplan').blocks.find((b) => b.type === 'table' && b.caption === 'Handlingsplan 2027');
    expect(plan2027).toMatchObject({
      columns: ['Aktivitet', 'Mål/syfte', 'Åtgärd', 'Prioritet', 'Kostnad/resurs', 'Ansvarig', 'Start', 'Slut'],
      rows: [
        ['Införa NIS2-krav', '–', '–', '–', '–', 'Informationssäkerhetssamordnare', '2027-01-01', '2026-12-31'],
        ['Genomföra riskanalys (överförs från 2026)', '–', 'Workshop; Rapport', '–', 'Konsultstöd 200 timmar', 'Informationssäkerhetssamordnare', '2027-01-01', '2027-12-31'],
      ],
    });
  });

  it('pre-fills the areas from the owners’ notes and the next year’s activities', () => {
    const narrative = prefillNarrative(inputs);
    expect(narrative['omrade:riskanalys:lage']).toBe('Genomföra riskanalys – pågår, försenad. ”Workshop hålls i december.” (Olle Ägare den 1 oktober 2026)');
    expect(narrative['omrade:riskanalys:behov']).toBe('Genomföra riskanalys: 1 av 2 uppgifter återstår; resurser: Konsultstöd 200 timmar; mer tid till den 31 mars 2027 har begärts (”Konsulten är upptagen”).');
    expect(narrative['omrade:ai:behov']).toBe('');
    expect(narrative['omrade:riskanalys:forslag']).toBe('Genomföra riskanalys (förs över från 2026).');
    expect(narrative['omrade:ai:forslag']).toBe('Införa NIS2-krav.');
    expect(narrative['omrade:tom:lage']).toBeUndefined();
  });

  it('gives the same document and the same Markdown for the same inputs', async () => {
    const again = compileReview(inputs, review(), AT);
    expect(JSON.stringify(again)).toBe(JSON.stringify(doc));
    expect(await renderMarkdown(again)).toBe(await renderMarkdown(doc));
  });

  it('keeps people’s text as text in Markdown', async () => {
    const edited = decideReview(review(), { requestId: 'r1', actor: coordinator, command: { type: 'edit-section', sectionId: 'omvarldsbevakning', text: '<script>alert(1)</script> **fet** | pipe' } }, AT);
    if (!edited.ok) throw new Error(edited.rejection.reason);
    const md = await renderMarkdown(compileReview(inputs, edited.state, AT));
    expect(md).toContain('\\<script\\>alert(1)\\</script\\> \\*\\*fet\\*\\* \\| pipe');
  });
});

describe('decideReview', () => {
  const edit = (s: ReviewState, actor = coordinator) => decideReview(s, { requestId: 'x', actor, command: { type: 'edit-section', sectionId: 'risker', text: 'Text' } }, AT);

  it('lets the coordinator write and submit, and the förvaltningschef send back or adopt', () => {
    const edited = edit(review());
    expect(edited).toMatchObject({ ok: true, state: { revision: 2, narrative: { risker: 'Text' }, revisions: [{ revision: 2, sectionId: 'risker', by: { userId: 'c' } }] } });
    expect(edit(review(), head)).toMatchObject({ ok: false, rejection: { kind: 'forbidden' } });
    const submitted = decideReview(review(), { requestId: 's', actor: coordinator, command: { type: 'submit' } }, AT);
    if (!submitted.ok) throw new Error('not submitted');
    expect(edit(submitted.state)).toMatchObject({ ok: false, rejection: { kind: 'illegal-transition' } });
    expect(decideReview(submitted.state, { requestId: 'a', actor: coordinator, command: { type: 'adopt', decisions: ['x'] } }, AT)).toMatchObject({ ok: false, rejection: { kind: 'forbidden' } });
    const adopted = decideReview(submitted.state, { requestId: 'a', actor: head, command: { type: 'adopt', decisions: ['Planen fastställs.'] } }, AT);
    expect(adopted).toMatchObject({ ok: true, state: { status: 'adopted', adoption: { by: { userId: 'h' }, decisions: ['Planen fastställs.'] } } });
    if (!adopted.ok) throw new Error('not adopted');
    for (const command of [{ type: 'submit' as const }, { type: 'request-changes' as const, comment: 'x' }, { type: 'adopt' as const, decisions: ['y'] }]) {
      expect(decideReview(adopted.state, { requestId: 'z', actor: { ...head, roles: ['head-of-administration', 'security-coordinator'] }, command }, AT)).toMatchObject({ ok: false, rejection: { kind: 'illegal-transition' } });
    }
  });

  it('refuses an edit based on an older revision', () => {
    expect(decideReview(review(), { requestId: 'x', actor: coordinator, command: { type: 'submit' }, expectedRevision: 7 }, AT)).toMatchObject({ ok: false, rejection: { kind: 'stale' } });
  });
});
