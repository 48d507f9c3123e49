import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { PlanFile } from '../../src/domain/plan-file';
import { FASTIGHETSKONTORET_ITEMS, SODERMALM_PRIORITIES } from '../fixtures/seed-plan-items';

/**
 * The two seed plans under plans/ are data taken from the seed reports (Ledningens genomgång 2025).
 * These tests pin what was taken: the counts per year, the exact three-year-plan items in report
 * order, the KPI figures, and that every activity title is the report's own wording.
 */

const repoRoot = path.resolve(__dirname, '../..');
const seeds = path.resolve(__dirname, '../../../shared/seeds');

function loadPlan(file: string): PlanFile {
  const raw: unknown = parse(readFileSync(path.join(repoRoot, 'plans', file), 'utf8'));
  return PlanFile.parse(raw);
}

/** The report as one line: no bullets, no page-number lines, wrapped lines joined, single spaces. */
function normaliseReport(text: string): string {
  return text
    .split(/\r?\n/)
    .filter((line) => !/^\s*\d+\s*\(\d+\)\s*$/.test(line))
    .join('\n')
    .replace(/[\uF0B7\u25AA\u2022]/g, ' ')
    // A hyphen at the end of a line is part of a compound ("it-\nsystem", "2025-\n2026").
    .replace(/-[ \t]*\r?\n\s*/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Whether `words` occur in `text` in this order (each after the end of the one before). */
function wordsInOrder(text: string, words: string[]): boolean {
  let at = 0;
  for (const w of words) {
    const i = text.indexOf(w, at);
    if (i < 0) return false;
    at = i + w.length;
  }
  return true;
}

const titlesOf = (plan: PlanFile, year: number, sections?: string[]) =>
  plan.activities
    .filter((a) => a.year === year && (!sections || sections.includes(a.sourceSection ?? '')))
    .map((a) => a.title);

const countsPerYear = (plan: PlanFile) => {
  const counts: Record<number, number> = {};
  for (const a of plan.activities) counts[a.year] = (counts[a.year] ?? 0) + 1;
  return counts;
};

const kpiValues = (plan: PlanFile, id: string) => {
  const kpi = plan.kpis.find((k) => k.id === id);
  expect(kpi).toBeDefined();
  return Object.fromEntries(kpi!.values.map((v) => [v.year, v.value]));
};

const GENERAL_AREAS = ['informationsklassning', 'incidenthantering', 'utbildning', 'riskanalys', 'cybersakerhetslagen', 'ai'];

describe.each([
  ['fastighetskontoret.yaml', '000_141bc22e8b1aaff0.txt'],
  ['sodermalm.yaml', '002_c427e757c3233196.txt'],
])('seed plan %s', (planFile, reportFile) => {
  const plan = loadPlan(planFile);
  const report = normaliseReport(readFileSync(path.join(seeds, reportFile), 'utf8'));

  it('is a valid plan for 2026–2028 from Ledningens genomgång 2025', () => {
    expect(plan.plan).toEqual({ startYear: 2026, endYear: 2028, source: 'Ledningens genomgång 2025' });
  });

  it('declares the general areas and uses every area it declares', () => {
    const declared = plan.areas.map((a) => a.id);
    expect(declared).toEqual(expect.arrayContaining(GENERAL_AREAS));
    const used = new Set(plan.activities.map((a) => a.area));
    for (const id of declared) {
      if (!GENERAL_AREAS.includes(id)) expect(used).toContain(id);
    }
  });

  it('takes every title word for word, in order, from the report', () => {
    for (const a of plan.activities) {
      const title = collapse(a.title);
      expect(title).toBe(a.title);
      expect({ key: a.key, inOrder: wordsInOrder(report, title.split(' ')) }).toEqual({ key: a.key, inOrder: true });
      expect({ key: a.key, verbatim: report.includes(title) }).toEqual({ key: a.key, verbatim: true });
    }
  });

  it('names a source section and leaves the due date to its default', () => {
    for (const a of plan.activities) {
      expect(a.sourceSection).toMatch(/^\d(\.\d){1,2}$/);
      expect(a.dueDate).toBeUndefined();
    }
  });
});

describe('Fastighetskontoret', () => {
  const plan = loadPlan('fastighetskontoret.yaml');

  it('is the Fastighetsnämnden organisation', () => {
    expect(plan.organisation).toEqual({ id: 'fastighetskontoret', name: 'Fastighetskontoret', board: 'Fastighetsnämnden' });
  });

  it('has one activity per bullet of 3.1–3.3', () => {
    expect(countsPerYear(plan)).toEqual({ 2026: 10, 2027: 5, 2028: 5 });
  });

  it('has the 2026 bullets of 3.1 in report order', () => {
    expect(titlesOf(plan, 2026)).toEqual(FASTIGHETSKONTORET_ITEMS[2026]);
    expect(plan.activities.filter((a) => a.year === 2026).every((a) => a.sourceSection === '3.1')).toBe(true);
  });

  it('has the 2027 bullets of 3.2 in report order', () => {
    expect(titlesOf(plan, 2027)).toEqual(FASTIGHETSKONTORET_ITEMS[2027]);
    expect(plan.activities.filter((a) => a.year === 2027).every((a) => a.sourceSection === '3.2')).toBe(true);
  });

  it('has the 2028 bullets of 3.3 in report order', () => {
    expect(titlesOf(plan, 2028)).toEqual(FASTIGHETSKONTORET_ITEMS[2028]);
    expect(plan.activities.filter((a) => a.year === 2028).every((a) => a.sourceSection === '3.3')).toBe(true);
  });

  it('keeps the yearly mandatory training as one activity per year', () => {
    const training = plan.activities.filter(
      (a) => a.title === 'Generella obligatoriska kompetenshöjande åtgärder inom informationssäkerhet.',
    );
    expect(training.map((a) => a.year)).toEqual([2026, 2027, 2028]);
    // One series: the same key each year, so the 2026 instance's successor is the 2027 entry.
    expect(new Set(training.map((a) => a.key))).toEqual(new Set(['utbildning-obligatorisk']));
    expect(training.every((a) => a.recurrence === 'yearly' && a.template === 'training')).toBe(true);
  });

  it('has KF-mål 3.5 and the nämndmål with its three expected results, linked from the activities that deliver them', () => {
    expect(plan.goals.map((g) => [g.id, g.kind])).toEqual([
      ['kf-mal-3-5', 'kf-mål'],
      ['informationssakerhet-i-kontorets-verksamhet', 'nämndmål'],
    ]);
    expect(plan.goals[0]!.title).toContain('Hög beredskap och stark rådighet ska råda i alla verksamhetsområden');
    const goal = plan.goals[1]!;
    expect(goal.title).toBe('Informationssäkerhet i kontorets verksamhet');
    expect(goal.expectedResults).toEqual([
      'Fastställd lokal anvisning i enlighet med kraven i stadens tillämpningsanvisningar för informationssäkerhet',
      'Ansvarsfördelning för informationssäkerhet är tydligt reglerad i kontorets delegationsordning',
      'Kompetenshöjande åtgärder inom informationssäkerhet har genomförts',
    ]);
    const linked = plan.activities.filter((a) => a.goal === goal.id);
    expect(linked.map((a) => [a.key, goal.expectedResults.indexOf(a.expectedResult ?? '')])).toEqual([
      ['lokal-anvisning', 0],
      ['delegationsordning', 1],
      ['utbildning-obligatorisk', 2],
      ['utbildning-riktad', 2],
    ]);
    expect(plan.activities.find((a) => a.key === 'delegationsordning')).toMatchObject({
      template: 'delegation',
      owner: { role: 'head-of-administration' },
    });
  });

  it('records the incident figure', () => {
    expect(kpiValues(plan, 'incidenter')).toEqual({ 2025: 2 });
  });
});

describe('Södermalm', () => {
  const plan = loadPlan('sodermalm.yaml');

  it('is the Södermalms stadsdelsnämnd organisation', () => {
    expect(plan.organisation).toEqual({
      id: 'sodermalm',
      name: 'Södermalms stadsdelsförvaltning',
      board: 'Södermalms stadsdelsnämnd',
    });
  });

  it('has the proposals of 2.1–2.6 and the priorities of 3.2–3.4', () => {
    expect(countsPerYear(plan)).toEqual({ 2026: 43, 2027: 5, 2028: 3 });
    const perSection: Record<string, number> = {};
    for (const a of plan.activities) perSection[a.sourceSection!] = (perSection[a.sourceSection!] ?? 0) + 1;
    expect(perSection).toEqual({
      '2.1.4': 7,
      '2.2.4': 4,
      '2.3.4': 4,
      '2.3.8': 5,
      '2.4.4': 5,
      '2.5.4': 5,
      '2.6.4': 4,
      '3.2': 9,
      '3.3': 5,
      '3.4': 3,
    });
    for (const a of plan.activities) {
      if (a.sourceSection!.startsWith('2.')) expect(a.year).toBe(2026);
    }
  });

  it('has the 2026 priorities of 3.2 in report order', () => {
    expect(titlesOf(plan, 2026, ['3.2'])).toEqual(SODERMALM_PRIORITIES[2026]);
  });

  it('has the 2027 priorities of 3.3 in report order', () => {
    expect(titlesOf(plan, 2027)).toEqual(SODERMALM_PRIORITIES[2027]);
  });

  it('has the 2028 priorities of 3.4 in report order', () => {
    expect(titlesOf(plan, 2028)).toEqual(SODERMALM_PRIORITIES[2028]);
  });

  it('files the training proposals of 2.3.8 under training, including the one for nämnd and ledning', () => {
    const training = plan.activities.filter((a) => a.sourceSection === '2.3.8');
    expect(training.every((a) => a.area === 'utbildning')).toBe(true);
    expect(training.map((a) => a.title)).toContain(
      'Förvaltningen föreslår vidare att nämnd och förvaltningsledning genomgår kompetenshöjande åtgärder inom informationssäkerhetsområdet, i enlighet med nya cybersäkerhetslagen.',
    );
    expect(training.some((a) => /broschyr/i.test(a.title))).toBe(false);
  });

  it('records the classification, certification and incident figures', () => {
    expect(kpiValues(plan, 'informationsklassningar')).toEqual({ 2024: 74, 2025: 98 });
    expect(kpiValues(plan, 'certifierade-medarbetare')).toEqual({ 2022: 367, 2023: 900, 2024: 881, 2025: 773 });
    expect(kpiValues(plan, 'incidenter')).toEqual({ 2024: 9, 2025: 13 });
    for (const kpi of plan.kpis) {
      for (const v of kpi.values) expect(v.source).toMatch(/^Södermalm LG 2025, 2\.\d\.\d/);
    }
  });
});
