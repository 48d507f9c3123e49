import { TEMPLATES } from '../../src/domain/templates';
import type { ReviewActivity, ReviewInputs } from '../../src/services/reviews/document';
import { measureLabel } from '../../src/domain/nis2';
import { MANAGEMENT_TRAINING_KPI, nis2Chapter } from '../../src/services/reviews/nis2-chapter';
import { reviewActivity } from '../support/review-activity';

/** The NIS2 chapter judges coverage from tags and the nis2 template's tasks, and reports the duties of Articles 23 and 20. */

const templateTasks = TEMPLATES.nis2.milestones.flatMap((m) => m.tasks.map((t) => ({ id: t.id, title: t.title, milestoneId: m.id, done: false })));

const activity = (key: string, over: Partial<ReviewActivity>): ReviewActivity => reviewActivity(key, { area: 'cybersakerhetslagen', status: 'in-progress', ...over });

const inputs = (activities: ReviewActivity[], kpis: ReviewInputs['kpis'] = []): ReviewInputs => ({
  organisation: { id: 'org', name: 'Org', areas: [] },
  year: 2026,
  activities,
  kpis,
  incidents: [],
});

const status = (a: ReviewActivity) => (a.status === 'done' ? 'Genomförd' : 'Pågår');
const text = (sections: ReturnType<typeof nis2Chapter>, id: string) => JSON.stringify(sections.find((s) => s.id === id));
const tableRows = (sections: ReturnType<typeof nis2Chapter>, id: string) => (sections.find((s) => s.id === id)!.blocks.find((b) => b.type === 'table') as { rows: string[][] }).rows;

describe('the NIS2 chapter', () => {
  it('counts a measure covered by the template’s task for it, not only by a tag', () => {
    const tasks = templateTasks.map((t) => (t.id === 'nis2-21-2-c' || t.id === 'tidig-varning-24h' ? { ...t, done: true } : t));
    const sections = nis2Chapter(inputs([activity('nis2', { title: 'Implementera cybersäkerhetslagen', template: 'nis2', nis2Measures: ['21.2.b'], tasks })]), status, false);
    expect(text(sections, 'cybersakerhetslagen')).toContain('10 av 10 åtgärder har en aktivitet eller en uppgift i planen 2026–2029.');
    const rows = tableRows(sections, 'cybersakerhetslagen');
    expect(rows[1]).toEqual(['21.2 b Incidenthantering', 'Implementera cybersäkerhetslagen (2026, pågår)', 'Ja']);
    expect(rows[2]![1]).toBe('Implementera cybersäkerhetslagen: uppgiften för 21.2 c (2026, klar)');
    expect(rows[3]![1]).toBe('Implementera cybersäkerhetslagen: uppgiften för 21.2 d (2026, inte klar)');
    expect(text(sections, 'cybersakerhetslagen')).not.toContain('Åtgärder utan aktivitet');
    // The three reporting steps with their routine, and whether it is established.
    expect(tableRows(sections, 'nis2-rapportering')).toEqual([
      ['Tidig varning', 'inom 24 timmar från att incidenten upptäcktes', 'Implementera cybersäkerhetslagen (2026)', 'Fastställd'],
      ['Incidentanmälan', 'inom 72 timmar från att incidenten upptäcktes', 'Implementera cybersäkerhetslagen (2026)', 'Inte fastställd'],
      ['Slutrapport', 'inom en månad från incidentanmälan', 'Implementera cybersäkerhetslagen (2026)', 'Inte fastställd'],
    ]);
    expect(text(sections, 'nis2-ledningens-utbildning')).toContain('Inget deltagandetal är registrerat för 2026');
  });

  it('names the uncovered measures as the law cites them, the missing routines, and the management training with its participation', () => {
    const training = activity('ledning', { title: 'Utbildning för nämnd och ledning', nis2Measures: ['20.2'], status: 'done' });
    const sections = nis2Chapter(inputs([training], [{ id: MANAGEMENT_TRAINING_KPI, name: 'Ledamöter som genomgått utbildning', values: [{ year: 2026, value: 7, partial: true }] }]), status, true);
    expect(text(sections, 'cybersakerhetslagen')).toContain('0 av 10 åtgärder hade en aktivitet');
    expect(text(sections, 'cybersakerhetslagen')).toContain('som bör få en i planen: artikel 21.2 a, artikel 21.2 b');
    expect(text(sections, 'nis2-rapportering')).toContain('3 av de tre stegen hade ingen rutin i planen.');
    expect(text(sections, 'nis2-ledningens-utbildning')).toContain('Deltagande 2026: 7 (delår).');
    expect(tableRows(sections, 'nis2-ledningens-utbildning')).toEqual([['Utbildning för nämnd och ledning', '2026', 'Genomförd']]);
    expect(measureLabel('21.2.a')).toBe('21.2 a');
    expect(measureLabel('20.2')).toBe('20.2');
  });
});
