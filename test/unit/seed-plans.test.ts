import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { PlanFile } from '../../src/domain/plan-file';
import { FASTIGHETSKONTORET_ITEMS, SODERMALM_PRIORITIES } from '../fixtures/seed-plan-items';

/**
 * The two seed plans under plans/ are data taken from the seed reports (Ledningens genomgång 2025).
 * These tests pin what was taken: the counts per year, the exact three-year-plan items in report
 * order, the KPI figures, that every activity title is the report's own wording, and (issue 21)
 * the NIS2 tags, owners and recurrence that the reports' words give the items.
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

  it('declares the general areas, and every area it declares has an activity or a stated reason for having none', () => {
    const declared = plan.areas.map((a) => a.id);
    expect(declared).toEqual(expect.arrayContaining(GENERAL_AREAS));
    const used = new Set(plan.activities.map((a) => a.area));
    for (const area of plan.areas) {
      expect({ area: area.id, used: used.has(area.id), reason: area.emptyReason !== undefined }).toEqual({
        area: area.id,
        used: used.has(area.id),
        reason: !used.has(area.id),
      });
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

  it('has one activity per bullet of 3.1–3.3, and the three plans that chapter 2 states in prose', () => {
    expect(countsPerYear(plan)).toEqual({ 2026: 13, 2027: 5, 2028: 5 });
    const bullets = { ...plan, activities: plan.activities.filter((a) => ['3.1', '3.2', '3.3'].includes(a.sourceSection!)) };
    expect(countsPerYear(bullets)).toEqual({ 2026: 10, 2027: 5, 2028: 5 });
    expect(
      plan.activities.filter((a) => a.sourceSection!.startsWith('2.')).map((a) => [a.sourceSection, a.key, a.year, a.area]),
    ).toEqual([
      ['2.1.2', 'rutiner-incidenthantering', 2026, 'incidenthantering'],
      ['2.1.3', 'rutiner-och-systematiska-kontroller', 2026, 'ledningssystem'],
      ['2.1.7', 'oversyn-ia-kategorisering', 2026, 'incidenthantering'],
    ]);
  });

  it('has the 2026 bullets of 3.1 in report order', () => {
    expect(titlesOf(plan, 2026, ['3.1'])).toEqual(FASTIGHETSKONTORET_ITEMS[2026]);
    expect(plan.activities.filter((a) => a.year === 2026).every((a) => ['2.1.2', '2.1.3', '2.1.7', '3.1'].includes(a.sourceSection!))).toBe(true);
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

  it('has the proposals of 2.1–2.6, what 3.1.5 and 3.1.6 say bör be done, and the priorities of 3.2–3.4', () => {
    expect(countsPerYear(plan)).toEqual({ 2026: 48, 2027: 5, 2028: 3 });
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
      '3.1.5': 3,
      '3.1.6': 2,
      '3.2': 9,
      '3.3': 5,
      '3.4': 3,
    });
    for (const a of plan.activities) {
      if (a.sourceSection!.startsWith('2.') || a.sourceSection!.startsWith('3.1.')) expect(a.year).toBe(2026);
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

/**
 * Issue 21: the NIS2 tags and owner role of every seed item that the issue names (the corrected
 * mappings and the items it adds), each with the report's own words as the reason. The words are
 * checked to stand in the report, so a reason cannot drift from the source.
 */
type Mapping = { key: string; year: number; nis2: string[]; owner: string; because: string[] };

const NAMED_MAPPINGS: Record<string, Mapping[]> = {
  'fastighetskontoret.yaml': [
    {
      // Corrected: 21.2 c (continuity, crisis management), not 21.2 a.
      key: 'riskreducerande-atgarder-rsa', year: 2026, nis2: ['21.2.c'], owner: 'security-coordinator',
      because: [
        'Analysens har främst varit fokuserad på konsekvensanalys utifrån samhällsviktig verksamhet och kritiska beroenden och inte perspektivet informationssäkerhet.',
        'Genomföra kontinuitetshantering för att minimera konsekvenserna och snabbt återgå till normalläge om något skulle inträffa.',
      ],
    },
    {
      key: 'rutiner-incidenthantering', year: 2026, nis2: ['21.2.b'], owner: 'security-coordinator',
      because: ['rutinbeskrivningar som reglerar kontorets incidenthantering som berör informationssäkerhet, personuppgifter och IT-incidenter'],
    },
    {
      key: 'rutiner-och-systematiska-kontroller', year: 2026, nis2: ['21.2.f'], owner: 'security-coordinator',
      because: ['arbetssätt för systematiska kontroller och inventeringar av fastighetskontorets informationssäkerhetsarbete'],
    },
    {
      key: 'oversyn-ia-kategorisering', year: 2026, nis2: ['21.2.b'], owner: 'security-coordinator',
      because: [
        'Nuvarande IT-system, IA, för registrering av incidenter är fokuserat på HR-incidenter.',
        'så att även informationssäkerhetsincidenter kan kategoriseras (med underkategorier) och följas upp',
      ],
    },
  ],
  'sodermalm.yaml': [
    {
      // Corrected: Article 20(2), the management body's training, not 21.2 g.
      key: 'utbildning-namnd-och-ledning', year: 2026, nis2: ['20.2'], owner: 'head-of-administration',
      because: ['nämnd och förvaltningsledning genomgår kompetenshöjande åtgärder inom informationssäkerhetsområdet, i enlighet med nya cybersäkerhetslagen'],
    },
    {
      // Corrected: the coordinator leads the dialogue with the upphandlare.
      key: 'dialog-upphandlare-styrdokument', year: 2026, nis2: ['21.2.d'], owner: 'security-coordinator',
      because: ['Dialog med upphandlare om vilka delar av arbetsprocessen', 'Informationssäkerhetssamordnaren och upphandlaren har inlett ett samarbete i frågan.'],
    },
    {
      key: 'dialog-upphandlare-leverantorsuppfoljning', year: 2026, nis2: ['21.2.d'], owner: 'security-coordinator',
      because: ['Dialog med upphandlare om hur förvaltningen kan möta kraven om leverantörsuppföljning', 'Informationssäkerhetssamordnaren och upphandlaren har inlett ett samarbete i frågan.'],
    },
    {
      key: 'analys-processer-och-beroendekedjor', year: 2026, nis2: ['21.2.a', '21.2.d'], owner: 'security-coordinator',
      because: ['Attackerna utnyttjar ofta sårbarheter i äldre system eller tredjepartskomponenter', 'En analys av processerna och externa beroendekedjor bör genomföras.'],
    },
    {
      key: 'kontinuitetsplaner', year: 2026, nis2: ['21.2.c'], owner: 'security-coordinator',
      because: ['Kontinuitetsplaner behövs för förvaltningens alla prioriterade verksamhetsområden.'],
    },
    {
      key: 'uppfoljning-kontinuitetsplaner', year: 2026, nis2: ['21.2.c'], owner: 'security-coordinator',
      because: ['Åtgärdsarbetet utifrån fastställda kontinuitetsplaner bör följas upp kontinuerligt.'],
    },
    {
      // Disinformation is not one of the cybersecurity measures of NIS2: no tag.
      key: 'bevakning-informationsfloden', year: 2026, nis2: [], owner: 'security-coordinator',
      because: ['Kampanjerna innebär i regel att felaktig information sprids till allmänheten'],
    },
    {
      key: 'atgardsplan-desinformation', year: 2026, nis2: [], owner: 'security-coordinator',
      because: ['Kampanjerna innebär i regel att felaktig information sprids till allmänheten', 'för att förbereda och informera medarbetare inom förvaltningen'],
    },
  ],
};

/** The sections outside the plan chapters whose stated plans issue 21 adds. */
const ADDED_FROM: Record<string, string[]> = {
  'fastighetskontoret.yaml': ['2.1.2', '2.1.3', '2.1.7'],
  'sodermalm.yaml': ['3.1.5', '3.1.6'],
};

/** Issue 21: every ongoing duty recurs yearly, with the report's words that make it ongoing. */
const RECURRING: Record<string, { key: string; years: number[]; because: string }[]> = {
  'fastighetskontoret.yaml': [
    { key: 'informationsansvar-och-utbildning', years: [2026], because: 'Löpande uppföljning och komplettering av informationsansvar' },
    { key: 'utbildning-obligatorisk', years: [2026, 2027, 2028], because: 'Generella obligatoriska kompetenshöjande åtgärder' },
    // The 2026 riskanalys is a first analysis; 3.2 and 3.3 revise it every year.
    { key: 'riskanalys', years: [2027, 2028], because: 'Uppdatera/revidera fastighetskontorets riskanalys.' },
  ],
  'sodermalm.yaml': [
    { key: 'revidering-systemforteckning', years: [2026], because: 'den löpande revideringen av systemförteckningen' },
    { key: 'paminnelser-obligatorisk-utbildning', years: [2026], because: 'påminnelser om den obligatoriska utbildningen vid alla lokala utbildningstillfällen' },
    { key: 'lokala-utbildningar', years: [2026], because: 'Regelbundet erbjuda lokala utbildningar' },
    { key: 'paminna-om-incidentrapportering-nyhetsbrev', years: [2026], because: 'Kontinuerligt påminna chefer och medarbetare i nyhetsbrev' },
    { key: 'uppfoljning-kontinuitetsplaner', years: [2026], because: 'bör följas upp kontinuerligt' },
    { key: 'bevakning-informationsfloden', years: [2026], because: 'Löpande bevakning av och närvaro i informationsflöden' },
  ],
};

describe.each([
  ['fastighetskontoret.yaml', '000_141bc22e8b1aaff0.txt'],
  ['sodermalm.yaml', '002_c427e757c3233196.txt'],
])('issue 21 in %s', (planFile, reportFile) => {
  const plan = loadPlan(planFile);
  const report = normaliseReport(readFileSync(path.join(seeds, reportFile), 'utf8'));
  const find = (key: string, year: number) => plan.activities.find((a) => a.key === key && a.year === year);

  it.each(NAMED_MAPPINGS[planFile]!.map((m) => [m.key, m] as const))('%s has the NIS2 tags and owner its report gives it', (_key, m) => {
    const a = find(m.key, m.year);
    expect(a).toBeDefined();
    expect({ nis2: a!.nis2Measures, owner: a!.owner.role }).toEqual({ nis2: m.nis2, owner: m.owner });
    for (const words of m.because) expect({ key: m.key, inReport: report.includes(words) }).toEqual({ key: m.key, inReport: true });
  });

  it('names in that table every item the issue adds', () => {
    const added = plan.activities.filter((a) => ADDED_FROM[planFile]!.includes(a.sourceSection!)).map((a) => `${a.year}/${a.key}`);
    expect(added.length).toBeGreaterThan(0);
    const named = NAMED_MAPPINGS[planFile]!.map((m) => `${m.year}/${m.key}`);
    expect(named).toEqual(expect.arrayContaining(added));
  });

  it('makes every ongoing duty, and only those, recur yearly', () => {
    const table = RECURRING[planFile]!;
    const recurring = plan.activities.filter((a) => a.recurrence === 'yearly').map((a) => `${a.year}/${a.key}`).sort();
    expect(recurring).toEqual(table.flatMap((r) => r.years.map((y) => `${y}/${r.key}`)).sort());
    for (const r of table) expect({ key: r.key, inReport: report.includes(r.because) }).toEqual({ key: r.key, inReport: true });
  });
});

describe('issue 21 mappings', () => {
  const fastighetskontoret = loadPlan('fastighetskontoret.yaml');
  const sodermalm = loadPlan('sodermalm.yaml');

  it('gives NIS2 21.2 c an activity in both plans, and Södermalm’s riskanalys area its continuity work', () => {
    for (const plan of [fastighetskontoret, sodermalm]) expect(plan.activities.some((a) => a.nis2Measures.includes('21.2.c'))).toBe(true);
    expect(sodermalm.activities.filter((a) => a.area === 'riskanalys').map((a) => a.key)).toEqual([
      'analys-processer-och-beroendekedjor',
      'kontinuitetsplaner',
      'uppfoljning-kontinuitetsplaner',
    ]);
  });

  it('gives no item to the upphandlare: the coordinator leads the dialogues with them', () => {
    expect(sodermalm.activities.filter((a) => a.owner.role === 'procurement-officer')).toEqual([]);
  });

  it('refuses a stated reason on an area that has activities, and an unknown NIS2 tag', () => {
    const raw = parse(readFileSync(path.join(repoRoot, 'plans', 'fastighetskontoret.yaml'), 'utf8')) as {
      areas: { id: string; emptyReason?: string }[];
      activities: { key: string; nis2Measures?: string[] }[];
    };
    const withReason = structuredClone(raw);
    withReason.areas.find((a) => a.id === 'riskanalys')!.emptyReason = 'Ingen aktivitet.';
    expect(PlanFile.safeParse(withReason).error?.issues.map((i) => i.message)).toEqual([
      'area riskanalys has activities; a reason for having none does not apply',
    ]);
    const withArticle20 = structuredClone(raw);
    withArticle20.activities[0]!.nis2Measures = ['20.2'];
    expect(PlanFile.safeParse(withArticle20).success).toBe(true);
    withArticle20.activities[0]!.nis2Measures = ['20.1'];
    expect(PlanFile.safeParse(withArticle20).success).toBe(false);
  });
});
