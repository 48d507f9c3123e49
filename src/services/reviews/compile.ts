import { STATUS_LABELS, type ActivityStatus } from '../../domain/activity';
import { INCIDENT_CATEGORIES } from '../../domain/incidents';
import { NIS2_MEASURES } from '../../domain/nis2';
import { AREA_PARTS, REVIEW_STATUS_LABELS, areaSectionId, type AreaPart, type ReviewState } from '../../domain/review';
import { ownerText } from '../../domain/roles';
import { barChart, groupedBarChart } from './chart-specs';
import type { Block, ReviewActivity, ReviewDocument, ReviewInputs, Section } from './document';

/**
 * Compiles the year's review from live facts and the coordinator's narrative, in the structure
 * of the city's reports merged with ISO/IEC 27001:2022 9.3.2 and 9.3.3. Pure: the same inputs
 * give the same document, which is what makes a frozen snapshot render identically every time.
 */

export const AREA_PART_TITLES: Record<AreaPart, (year: number) => string> = {
  lage: (year) => `Läget ${year}`,
  behov: () => 'Behov',
  utmaningar: () => 'Utmaningar',
  forslag: () => 'Förslag till åtgärder',
};

const FINISHED: readonly ActivityStatus[] = ['done', 'verified'];
/** Unfinished work that adoption carries over to the next year. */
export const CARRIED_OVER_STATUSES: readonly ActivityStatus[] = ['planned', 'in-progress', 'blocked', 'changes-requested', 'deferred'];

export function compileReview(inputs: ReviewInputs, review: ReviewState, compiledAt: string): ReviewDocument {
  const { organisation, year } = inputs;
  const ofYear = inputs.activities.filter((a) => a.planYear === year);
  const chapters: Section[][] = [
    [summary(inputs, ofYear, review)],
    [chapter('inledning', 'Inledning', [narrative(review, 'inledning')])],
    [followUp(ofYear, year)],
    areaChapters(inputs, review),
    [keyFigures(inputs)],
    [incidentsChapter(inputs)],
    [chapter('omvarldsbevakning', 'Omvärldsbevakning', [narrative(review, 'omvarldsbevakning')])],
    [chapter('risker', 'Risker och riskbehandling', [narrative(review, 'risker'), ...riskActivities(ofYear)])],
    [nis2Chapter(inputs)],
    [threeYearPlan(inputs)],
    [decisionsChapter(review)],
  ];
  return {
    title: `Ledningens genomgång ${year}`,
    organisation: { id: organisation.id, name: organisation.name, ...(organisation.board ? { board: organisation.board } : {}) },
    year,
    version: review.version,
    ...(review.corrects ? { corrects: review.corrects } : {}),
    ...(review.diaryNumber ? { diaryNumber: review.diaryNumber } : {}),
    status: review.status,
    draft: review.status !== 'adopted',
    compiledAt,
    ...(review.adoption ? { adoption: { by: review.adoption.by.name, at: review.adoption.at, decisions: review.adoption.decisions } } : {}),
    sections: numberChapters(chapters),
  };
}

/** Chapters are numbered 1, 2, …; their sub-sections 4.1, 4.2, … and theirs 4.1.1, … */
function numberChapters(chapters: Section[][]): Section[] {
  const counters = [0, 0, 0];
  return chapters.flat().map((s) => {
    counters[s.level - 1]! += 1;
    counters.fill(0, s.level);
    return { ...s, number: counters.slice(0, s.level).join('.') };
  });
}

function chapter(id: string, title: string, blocks: Block[], level: Section['level'] = 1): Section {
  return { id, level, number: '', title, blocks };
}

function narrative(review: ReviewState, sectionId: string): Block {
  return { type: 'narrative', sectionId, text: review.narrative[sectionId] ?? '' };
}

function summary(inputs: ReviewInputs, ofYear: ReviewActivity[], review: ReviewState): Section {
  const count = (pred: (a: ReviewActivity) => boolean) => ofYear.filter(pred).length;
  const done = count((a) => FINISHED.includes(a.status));
  const verified = count((a) => a.status === 'verified');
  const late = count((a) => a.late);
  const deferred = count((a) => a.status === 'deferred');
  const ongoing = ofYear.length - done - deferred - count((a) => a.status === 'cancelled');
  const facts = [
    `Planen för ${inputs.year} omfattar ${ofYear.length} aktiviteter. ${done} ${done === 1 ? 'är genomförd' : 'är genomförda'} (varav ${verified} verifierade), ${ongoing} ${ongoing === 1 ? 'är inte avslutad' : 'är inte avslutade'} och ${deferred} ${deferred === 1 ? 'är uppskjuten' : 'är uppskjutna'}.`,
    late === 0
      ? 'Ingen aktivitet är försenad.'
      : late === 1
        ? '1 aktivitet är försenad, det vill säga inte klar vid sitt slutdatum.'
        : `${late} aktiviteter är försenade, det vill säga inte klara vid sina slutdatum.`,
  ];
  const kpiChanges = inputs.kpis.flatMap((k) => {
    const [prev, last] = k.values.slice(-2);
    if (!prev || !last) return [];
    const change = prev.value === 0 ? '' : ` (${signed(Math.round(((last.value - prev.value) / prev.value) * 100))} %)`;
    return [`${k.name}: från ${formatNumber(prev.value)} (${prev.year}) till ${formatNumber(last.value)} (${last.year})${change}.`];
  });
  return chapter('sammanfattning', 'Sammanfattning', [
    { type: 'paragraph', text: facts.join(' ') },
    ...(kpiChanges.length ? [{ type: 'bullets', items: kpiChanges } as Block] : []),
    { type: 'paragraph', text: `Status för denna genomgång: ${REVIEW_STATUS_LABELS[review.status].toLowerCase()}.` },
    narrative(review, 'sammanfattning'),
  ]);
}

function followUp(ofYear: ReviewActivity[], year: number): Section {
  return chapter('uppfoljning', 'Uppföljning av föregående års åtgärder', [
    { type: 'paragraph', text: `Status för varje aktivitet i planen för ${year} (ISO/IEC 27001:2022, 9.3.2 a).` },
    {
      type: 'table',
      caption: `Aktiviteter ${year}`,
      columns: ['Aktivitet', 'Ansvarig', 'Slutdatum', 'Status', 'Godkännande'],
      rows: ofYear.map((a) => [titleWithOrigin(a), ownerText(a.owner), a.dueDate, statusText(a), signOffs(a)]),
    },
  ]);
}

function areaChapters(inputs: ReviewInputs, review: ReviewState): Section[] {
  const used = new Set(inputs.activities.map((a) => a.area));
  const areas = inputs.organisation.areas.filter((a) => used.has(a.id));
  return [
    chapter('omraden', 'Fokusområden', [
      { type: 'paragraph', text: `Läget, behoven, utmaningarna och förslagen inom vart och ett av de ${areas.length} områden där planen har aktiviteter.` },
    ]),
    ...areas.flatMap((area) => [
      chapter(`omrade:${area.id}`, area.name, [], 2),
      ...AREA_PARTS.map((part) => chapter(areaSectionId(area.id, part), AREA_PART_TITLES[part](inputs.year), [narrative(review, areaSectionId(area.id, part))], 3)),
    ]),
  ];
}

function keyFigures(inputs: ReviewInputs): Section {
  const years = [...new Set(inputs.kpis.flatMap((k) => k.values.map((v) => v.year)))].sort();
  if (inputs.kpis.length === 0) return chapter('nyckeltal', 'Nyckeltal', [{ type: 'paragraph', text: 'Inga nyckeltal är registrerade.' }]);
  return chapter('nyckeltal', 'Nyckeltal', [
    {
      type: 'table',
      caption: 'Nyckeltal per år',
      columns: ['Nyckeltal', ...years.map(String), 'Förändring senaste året'],
      rows: inputs.kpis.map((k) => {
        const byYear = new Map(k.values.map((v) => [v.year, v.value]));
        const [prev, last] = k.values.slice(-2);
        const change = prev && last ? signed(last.value - prev.value) : '–';
        return [k.unit ? `${k.name} (${k.unit})` : k.name, ...years.map((y) => (byYear.has(y) ? formatNumber(byYear.get(y)!) : '–')), change];
      }),
    },
    ...inputs.kpis
      .filter((k) => k.values.length >= 2)
      .map(
        (k): Block => ({
          type: 'chart',
          id: `kpi-${k.id}`,
          title: k.name,
          alt: `${k.name}: ${k.values.map((v) => `${v.year} ${formatNumber(v.value)}`).join(', ')}.`,
          spec: barChart(k.name, k.values.map((v) => ({ label: String(v.year), value: v.value })), k.unit),
        }),
      ),
  ]);
}

function incidentsChapter(inputs: ReviewInputs): Section {
  const { year } = inputs;
  const count = (y: number, c: string) => inputs.incidents.filter((i) => i.year === y && i.category === c).reduce((s, i) => s + i.count, 0);
  const rows = INCIDENT_CATEGORIES.map((c) => ({ label: c.label, prev: count(year - 1, c.id), now: count(year, c.id) })).filter((r) => r.prev + r.now > 0);
  if (rows.length === 0) return chapter('incidenter', 'Incidenter', [{ type: 'paragraph', text: `Inga incidenter är registrerade för ${year - 1} eller ${year}.` }]);
  const total = rows.reduce((t, r) => ({ prev: t.prev + r.prev, now: t.now + r.now }), { prev: 0, now: 0 });
  return chapter('incidenter', 'Incidenter', [
    { type: 'paragraph', text: `Under ${year} rapporterades ${total.now} informationssäkerhetsincidenter, mot ${total.prev} under ${year - 1} (${signed(total.now - total.prev)}).` },
    {
      type: 'table',
      caption: `Incidenter per kategori ${year - 1}–${year}`,
      columns: ['Kategori', String(year - 1), String(year), 'Förändring'],
      rows: [...rows.map((r) => [r.label, String(r.prev), String(r.now), signed(r.now - r.prev)]), ['Totalt', String(total.prev), String(total.now), signed(total.now - total.prev)]],
    },
    {
      type: 'chart',
      id: 'incidenter',
      title: `Incidenter per kategori ${year - 1} och ${year}`,
      alt: rows.map((r) => `${r.label}: ${r.prev} (${year - 1}), ${r.now} (${year})`).join('; ') + '.',
      spec: groupedBarChart(
        'Incidenter per kategori',
        rows.flatMap((r) => [
          { label: r.label, group: String(year - 1), value: r.prev },
          { label: r.label, group: String(year), value: r.now },
        ]),
      ),
    },
  ]);
}

function riskActivities(ofYear: ReviewActivity[]): Block[] {
  const risk = ofYear.filter((a) => a.area === 'riskanalys');
  return risk.length ? [{ type: 'bullets', items: risk.map((a) => `${a.title}: ${statusText(a)}`) }] : [];
}

function nis2Chapter(inputs: ReviewInputs): Section {
  const window = inputs.activities.filter((a) => a.planYear >= inputs.year && a.status !== 'cancelled');
  const rows = NIS2_MEASURES.map((m) => {
    const covering = window.filter((a) => a.nis2Measures.includes(m.id));
    return {
      measure: m,
      covered: covering.length > 0,
      row: [`${m.id} ${m.title}`, covering.length ? covering.map((a) => `${a.title} (${a.planYear}, ${statusText(a).toLowerCase()})`).join('\n') : 'Ingen aktivitet', covering.length ? 'Ja' : 'Nej'],
    };
  });
  const uncovered = rows.filter((r) => !r.covered);
  return chapter('cybersakerhetslagen', 'Cybersäkerhetslagen', [
    {
      type: 'paragraph',
      text: `Cybersäkerhetslagen genomför NIS2-direktivet. Artikel 21.2 kräver tio åtgärder för att hantera cybersäkerhetsrisker. ${rows.length - uncovered.length} av ${rows.length} åtgärder har minst en aktivitet i planen ${inputs.year}–${inputs.year + 3}.`,
    },
    { type: 'table', caption: 'Åtgärder enligt NIS2 artikel 21.2', columns: ['Åtgärd', 'Aktiviteter (år, status)', 'Täckt'], rows: rows.map((r) => r.row) },
    ...(uncovered.length
      ? [{ type: 'paragraph', text: `Åtgärder utan aktivitet, som bör få en i planen: ${uncovered.map((r) => r.measure.id).join(', ')}.` } as Block]
      : []),
  ]);
}

function threeYearPlan(inputs: ReviewInputs): Section {
  const { year } = inputs;
  const next = [year + 1, year + 2, year + 3];
  const alreadyContinued = new Set(inputs.activities.map((a) => a.continues).filter(Boolean));
  const toCarry = inputs.activities.filter((a) => a.planYear === year && CARRIED_OVER_STATUSES.includes(a.status) && !alreadyContinued.has(a.id));
  return chapter('trearsplan', `Treårsplan ${next[0]}–${next[2]}`, [
    { type: 'paragraph', text: `Planerade aktiviteter per år. Aktiviteter som inte blev klara under ${year} förs över till ${year + 1} när genomgången antas.` },
    ...next.map((y): Block => {
      const planned = inputs.activities.filter((a) => a.planYear === y);
      const carried = y === year + 1 ? toCarry : [];
      return {
        type: 'table',
        caption: `Aktiviteter ${y}`,
        columns: ['Aktivitet', 'Område', 'Ansvarig', 'Slutdatum', 'Anmärkning'],
        rows: [
          ...planned.map((a) => [a.title, areaName(inputs, a.area), ownerText(a.owner), a.dueDate, a.continues ? `Överförd från ${yearOf(a.continues)}` : '']),
          ...carried.map((a) => [a.title, areaName(inputs, a.area), ownerText(a.owner), `${y}-12-31`, `Överförs från ${year}`]),
        ],
      };
    }),
  ]);
}

function decisionsChapter(review: ReviewState): Section {
  const blocks: Block[] = review.adoption
    ? [
        { type: 'paragraph', text: `Förvaltningschefen ${review.adoption.by.name} antog genomgången ${formatDateLong(review.adoption.at)} och beslutade (ISO/IEC 27001:2022, 9.3.3):` },
        { type: 'bullets', items: review.adoption.decisions },
      ]
    : [{ type: 'paragraph', text: 'Besluten förs in när förvaltningschefen antar genomgången.' }];
  return chapter('beslut', 'Beslut', blocks);
}

function statusText(a: ReviewActivity): string {
  const label = STATUS_LABELS[a.status];
  return a.late ? `${label}, försenad` : label;
}

/** The approvals of the activity's milestones, with their dates. */
function signOffs(a: ReviewActivity): string {
  const approved = a.milestones.flatMap((m) =>
    m.decisions.filter((d) => d.round === m.round && d.decision === 'approved').map((d) => `${m.title}: godkänd ${d.at.slice(0, 10)} av ${d.by.name}`),
  );
  return approved.join('; ') || '–';
}

function titleWithOrigin(a: ReviewActivity): string {
  return a.continues ? `${a.title} (överförd från ${yearOf(a.continues)})` : a.title;
}

function areaName(inputs: ReviewInputs, areaId: string): string {
  return inputs.organisation.areas.find((a) => a.id === areaId)?.name ?? areaId;
}

function yearOf(activityId: string): string {
  return activityId.split('.')[1] ?? '';
}

function signed(n: number): string {
  return n > 0 ? `+${formatNumber(n)}` : n < 0 ? `−${formatNumber(-n)}` : '±0';
}

export function formatNumber(n: number): string {
  return new Intl.NumberFormat('sv-SE').format(n);
}

export function formatDateLong(iso: string): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', day: 'numeric', month: 'long', year: 'numeric' }).format(new Date(iso));
}
