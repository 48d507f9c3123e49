import { TEMPLATE_IDS } from '../../src/domain/template-ids';
import { englishTitle, instantiateTemplate, TEMPLATES } from '../../src/domain/templates';
import { messages } from '../../src/ui/i18n';

describe('template tasks and milestones in English', () => {
  // An activity without a template gets the default template's task and milestone.
  it.each([...TEMPLATE_IDS, undefined])('has an English title for every task and milestone of %s', (templateId) => {
    const { tasks, milestones } = instantiateTemplate(templateId);
    for (const t of tasks) {
      const en = englishTitle(templateId, 'task', t.id, t.title);
      expect({ id: t.id, en }).toEqual({ id: t.id, en: expect.stringMatching(/\S/) });
      expect(en).not.toBe(t.title);
    }
    for (const ms of milestones) expect(englishTitle(templateId, 'milestone', ms.id, ms.title)).not.toBe(ms.title);
  });

  it('names every template in English', () => {
    for (const t of Object.values(TEMPLATES)) expect(t.nameEn).not.toBe(t.name);
  });

  it('cites the NIS2 measures as "Article 21(2)(a)", derived like the Swedish "Artikel 21.2 a"', () => {
    const { tasks } = instantiateTemplate('nis2');
    const measures = tasks.filter((t) => t.id.startsWith('nis2-'));
    expect(measures).toHaveLength(10);
    expect(englishTitle('nis2', 'task', 'nis2-21-2-a', 'Artikel 21.2 a: Riskanalys och säkerhetspolicyer för informationssystem')).toBe(
      'Article 21(2)(a): Policies on risk analysis and information system security',
    );
    expect(measures.map((t) => englishTitle('nis2', 'task', t.id, t.title))).toEqual('abcdefghij'.split('').map((p) => expect.stringMatching(new RegExp(`^Article 21\\(2\\)\\(${p}\\): [A-Z]`))));
  });

  it('leaves a renamed task or milestone, and a task of the activity’s own, as stored', () => {
    expect(englishTitle('nis2', 'task', 'nis2-21-2-a', 'Riskanalys enligt vår egen modell')).toBe('Riskanalys enligt vår egen modell');
    expect(englishTitle('nis2', 'milestone', 'slutford', 'NIS2 klart')).toBe('NIS2 klart');
    const own = instantiateTemplate('information-classification', ['Klassa ärendesystemet']).tasks.find((t) => t.id === 'uppgift-1')!;
    expect(englishTitle('information-classification', 'task', own.id, own.title)).toBe('Klassa ärendesystemet');
  });

  it('leaves the legacy NIS2 titles ("21.2.a: …") of activities started before as stored', () => {
    const legacy = instantiateTemplate('nis2', [], { legacyTaskTitles: true }).tasks.filter((t) => t.id.startsWith('nis2-'));
    expect(legacy).toHaveLength(10);
    for (const t of legacy) expect(englishTitle('nis2', 'task', t.id, t.title)).toBe(t.title);
  });

  it('matches by the activity’s own template and by task or milestone, not by id alone', () => {
    // risk-analysis has a milestone and a task both called "analys".
    expect(englishTitle('risk-analysis', 'milestone', 'analys', 'Riskanalys genomförd')).toBe('Risk analysis carried out');
    expect(englishTitle('risk-analysis', 'task', 'analys', 'Genomför riskanalysen')).toBe('Carry out the risk analysis');
    expect(englishTitle('risk-analysis', 'task', 'analys', 'Riskanalys genomförd')).toBe('Riskanalys genomförd');
    // Another template's "slutford" milestone title is not this one's.
    expect(englishTitle('delegation', 'milestone', 'slutford', 'Aktiviteten genomförd')).toBe('Aktiviteten genomförd');
    expect(englishTitle(undefined, 'milestone', 'slutford', 'Aktiviteten genomförd')).toBe('Activity completed');
  });

  it('keeps the English titles out of what an activity stores', () => {
    for (const templateId of TEMPLATE_IDS) expect(JSON.stringify(instantiateTemplate(templateId))).not.toMatch(/titleEn|nameEn/);
  });

  it('shows the English title on English pages and the stored one on Swedish pages', () => {
    const task = { id: 'nis2-21-2-b', title: 'Artikel 21.2 b: Incidenthantering' };
    const milestone = { id: 'incidentrapportering', title: 'Rutin för incidentrapportering fastställd' };
    const en = messages('en', 'Europe/Stockholm');
    const sv = messages('sv', 'Europe/Stockholm');
    expect(en.taskTitle({ template: 'nis2' }, task)).toBe('Article 21(2)(b): Incident handling');
    expect(en.milestoneTitle({ template: 'nis2' }, milestone)).toBe('Incident reporting procedure adopted');
    expect(en.templateName(TEMPLATES.nis2)).toBe('Implement the Cybersecurity Act (NIS2)');
    expect(sv.taskTitle({ template: 'nis2' }, task)).toBe(task.title);
    expect(sv.milestoneTitle({ template: 'nis2' }, milestone)).toBe(milestone.title);
    expect(sv.templateName(TEMPLATES.nis2)).toBe('Implementera cybersäkerhetslagen (NIS2)');
  });
});
