import type { Actor } from '../../src/domain/activity';
import { dateInZone } from '../../src/domain/deadlines';
import { decideReview, emptySections, newReviewState, REVIEW_RULES, type ReviewState } from '../../src/domain/review';
import { compileReview, NOTHING_TO_REPORT } from '../../src/services/reviews/compile';
import type { ReviewDocument } from '../../src/services/reviews/document';
import { seedInputs } from '../support/seed-review';
import { prefillNarrative } from '../../src/services/reviews/prefill';
import { renderMarkdown } from '../../src/reports/markdown';

/**
 * The seed organisations' reviews compiled from their plan files, with a year run through them:
 * every figure that the document prints more than once has one value, every 9.3.2 input has its
 * labelled section, and the adoption checks hold. The plan year is this year, and "now" is a
 * date computed from today, so that the test means the same on any day.
 */

const TZ = 'Europe/Stockholm';
const YEAR = Number(dateInZone(Date.now(), TZ).slice(0, 4));
const NOVEMBER = `${YEAR}-11-15T09:00:00.000Z`;
const YEAR_END = `${YEAR}-12-31T22:00:00.000Z`;
const coordinator: Actor = { userId: 'c', name: 'Cecilia Samordnare', roles: ['security-coordinator'], delegations: [] };
const head: Actor = { userId: 'h', name: 'Hanna Chef', roles: ['head-of-administration'], delegations: [] };

const text = (doc: ReviewDocument, id: string) => JSON.stringify(doc.sections.find((s) => s.id === id));
function table(doc: ReviewDocument, id: string, caption?: string) {
  const t = doc.sections.find((s) => s.id === id)?.blocks.find((b) => b.type === 'table' && (!caption || b.caption.startsWith(caption)));
  if (!t || t.type !== 'table') throw new Error(`no table in ${id}`);
  return t;
}

describe.each(['fastighetskontoret.yaml', 'sodermalm.yaml'])('the review of %s', (file) => {
  const inputs = seedInputs(file);
  const review = newReviewState({ orgId: inputs.organisation.id, year: YEAR, version: 1, narrative: prefillNarrative(inputs) }, NOVEMBER);
  const doc = compileReview(inputs, review, NOVEMBER);

  it('prints each incident figure with one value: Nyckeltal, Incidenter and its sentence agree', () => {
    const totals = table(doc, 'incidenter').rows.find((r) => r[0] === 'Totalt')!;
    expect(text(doc, 'incidenter')).toContain(`Under ${YEAR} rapporterades ${totals[2]} ${totals[2] === '1' ? 'informationssäkerhetsincident' : 'informationssäkerhetsincidenter'}, mot ${totals[1]} under ${YEAR - 1}`);
    const kpiTable = table(doc, 'nyckeltal');
    const incidentRow = kpiTable.rows.find((r) => r[0]!.startsWith('Rapporterade informationssäkerhetsincidenter'))!;
    for (const [col, y] of [[1, YEAR - 1], [2, YEAR]] as const) {
      const at = kpiTable.columns.indexOf(String(y));
      if (at >= 0 && incidentRow[at] !== '–') expect(incidentRow[at]).toBe(totals[col]);
    }
    // The seed's KPI total is larger than what the register holds by category: the rest is shown as such.
    expect(Number(totals[1])).toBeGreaterThanOrEqual(1);
  });

  it('counts the activities once: the summary, the follow-up table and the late marks agree', () => {
    const rows = table(doc, 'uppfoljning').rows;
    const status = (prefix: string) => rows.filter((r) => r[3]!.startsWith(prefix)).length;
    const done = status('Genomförd') + status('Verifierad');
    const late = rows.filter((r) => r[3]!.endsWith(', försenad')).length;
    const summary = text(doc, 'sammanfattning');
    const counts = summary.match(/(\d+) aktiviteter: (\d+) är genomförda? \(varav (\d+) verifierade?\), (\d+) är inte avslutade?, (\d+) är uppskjutn?[ea]n? och (\d+) är avbrutn?[ea]n?\./)!.slice(1).map(Number);
    expect(counts).toEqual([rows.length, done, status('Verifierad'), rows.length - done - status('Uppskjuten') - status('Avbruten'), status('Uppskjuten'), status('Avbruten')]);
    expect(late).toBeGreaterThan(0);
    expect(summary).toContain(`${late} ${late === 1 ? 'aktivitet är försenad' : 'aktiviteter är försenade'} den 15 november ${YEAR}`);
    expect(text(doc, 'underlag-a')).toContain(`${late} ${late === 1 ? 'aktivitet är försenad' : 'aktiviteter är försenade'} den 15 november ${YEAR}`);
  });

  it('forecasts before year end from the pace, and not at year end', () => {
    expect(text(doc, 'sammanfattning')).toMatch(/Prognos: i nuvarande takt blir ytterligare \d+ aktiviteter? inte klara? till/);
    const atYearEnd = compileReview(inputs, review, YEAR_END);
    expect(text(atYearEnd, 'sammanfattning')).not.toContain('Prognos');
  });

  it('prints the reasons of what was deferred or cancelled', () => {
    const rows = table(doc, 'uppfoljning').rows;
    expect(rows.some((r) => r[3] === 'Avbruten: Ersatt av stadens gemensamma arbete')).toBe(true);
    expect(rows.some((r) => r[3] === 'Uppskjuten: Väntar på upphandling')).toBe(true);
  });

  it('has every 9.3.2 input a–g as its own labelled section, with the registers as tables', () => {
    const titles = doc.sections.map((s) => s.title);
    for (const label of ['a) Status för åtgärder', 'b) Förändringar i externa och interna frågor', 'c) Intressenters behov', 'd) Återkoppling om informationssäkerhetens prestanda', 'e) Återkoppling från intressenter', 'f) Riskbedömning och riskbehandlingsplan', 'g) Möjligheter till ständig förbättring']) {
      expect(titles.some((t) => t.startsWith(label))).toBe(true);
    }
    expect(titles).toEqual(expect.arrayContaining(['Avvikelser och korrigerande åtgärder', 'Revisionsresultat och intern kontroll', 'Uppfyllelse av informationssäkerhetsmål', 'Slutsats och beslut']));
    const parties = inputs.registers!.intressenter!;
    expect(table(doc, 'intressenter').rows.map((r) => r[0])).toEqual(parties.map((p) => p.data.name));
    expect(table(doc, 'avvikelser').rows).toHaveLength(inputs.registers!.avvikelser!.length);
  });

  it('does not draw a trend from a part-year figure or from years the review is not about', async () => {
    const md = await renderMarkdown(doc);
    expect(md).not.toMatch(/\(\d{4}\) till [\d\s]+ \(delår\) \(\d{4}\) \([+−]/);
    for (const k of inputs.kpis.filter((x) => x.id !== 'incidenter')) {
      if (!k.values.some((v) => v.year === YEAR)) expect(text(doc, 'sammanfattning')).not.toContain(`${k.name}: från`);
    }
  });
});

describe('the seed registers', () => {
  it('hold Fastighetskontoret’s objectives, internal control, GDPR register review and RSA', () => {
    const doc = compileReview(seedInputs('fastighetskontoret.yaml'), newReviewState({ orgId: 'fastighetskontoret', year: YEAR, version: 1, narrative: {} }, NOVEMBER), NOVEMBER);
    const goals = table(doc, 'mal').rows;
    expect(goals.map((r) => r[0])).toEqual(['KF-mål: 3.5 Hög beredskap och stark rådighet ska råda i alla verksamhetsområden', 'Nämndmål: Informationssäkerhet i kontorets verksamhet']);
    expect(goals[1]![2]).not.toBe('Ingen aktivitet är kopplad till målet');
    expect(table(doc, 'revisioner').rows.map((r) => r[1])).toEqual(['Intern kontroll', 'Internrevision']);
    expect(table(doc, 'risker', 'Kvarstående').rows[0]![0]).toContain('saknar informationssäkerhetsperspektivet');
  });
});

describe('adoption checks', () => {
  const inputs = seedInputs('sodermalm.yaml');
  const fresh = () => newReviewState({ orgId: 'sodermalm', year: YEAR, version: 1, narrative: prefillNarrative(inputs) }, NOVEMBER);
  const apply = (s: ReviewState, actor: Actor, command: Parameters<typeof decideReview>[1]['command']) => {
    const d = decideReview(s, { requestId: Math.random().toString(36), actor, command }, NOVEMBER, REVIEW_RULES);
    if (!d.ok) throw new Error(d.rejection.reason);
    return d.state;
  };

  it('names the empty sections at submission, and accepts an explicit "inget att redovisa" printed as the coordinator’s', () => {
    const state = fresh();
    const refused = decideReview(state, { requestId: 's', actor: coordinator, command: { type: 'submit' } }, NOVEMBER, REVIEW_RULES);
    expect(refused).toMatchObject({ ok: false, rejection: { kind: 'illegal-transition', reason: expect.stringContaining('g) Möjligheter till ständig förbättring') } });
    let s = state;
    for (const id of emptySections(state)) s = id === 'forbattring' ? apply(s, coordinator, { type: 'set-nothing-to-report', sectionId: id, value: true }) : apply(s, coordinator, { type: 'edit-section', sectionId: id, text: `Text för ${id}.` });
    s = apply(s, coordinator, { type: 'submit' });
    expect(decideReview(s, { requestId: 'a', actor: head, command: { type: 'adopt', decisions: ['Planen fastställs.'] } }, NOVEMBER, REVIEW_RULES)).toMatchObject({ ok: false, rejection: { kind: 'invalid' } });
    const adopted = apply(s, head, {
      type: 'adopt',
      decisions: ['Planen fastställs.', { text: 'Kontinuitetsplaner tas fram för prioriterade verksamheter.', owner: 'security-coordinator', due: `${YEAR + 1}-06-30` }],
      conclusion: { suitable: true, adequate: false, effective: true, comment: 'Resurserna räcker inte för kontinuitetsarbetet.' },
    });
    expect(adopted.adoption!.decisions[1]).toMatchObject({ activityId: `sodermalm.${YEAR + 1}.lg-${YEAR}-beslut-2` });
    const doc = compileReview(inputs, adopted, NOVEMBER);
    expect(text(doc, 'forbattring')).toContain(NOTHING_TO_REPORT);
    expect(JSON.stringify(doc)).not.toContain('"Inget att redovisa."');
    expect(table(doc, 'beslut').rows[1]).toEqual(['Kontinuitetsplaner tas fram för prioriterade verksamheter.', 'Informationssäkerhetssamordnare', `${YEAR + 1}-06-30`, `sodermalm.${YEAR + 1}.lg-${YEAR}-beslut-2`]);
    expect(text(doc, 'beslut')).toContain('lämpligt: ja; tillräckligt: nej; effektivt: ja');
    expect(text(doc, 'sammanfattning')).toContain(`Planen för ${YEAR} omfattade`);
  });

  it('keeps the old rules for versions that ran under them', () => {
    expect(decideReview(fresh(), { requestId: 's', actor: coordinator, command: { type: 'submit' } }, NOVEMBER)).toMatchObject({ ok: true });
  });
});
